//! The `feedback` table's schema: the single source of truth for its columns.
//!
//! Every other place that needs a column name or type (the batch builder, the
//! engine, the docs) takes it from here. docs/ARCHITECTURE.md documents each
//! column; keep the two in step.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};

/// The table that holds every piece of feedback.
pub const FEEDBACK_TABLE: &str = "feedback";
/// Lines and records that ingest refused, with the reason, per channel.
pub const REJECTS_TABLE: &str = "ingest_rejects";
/// Every query, export and ingest request: who, when, what, outcome.
pub const AUDIT_TABLE: &str = "audit_log";
/// Corrections of the taxonomy made by analysts: the supervised part of the
/// taxonomy is retrained from them (`voxlake train taxonomy`).
pub const LABELS_TABLE: &str = "feedback_labels";
/// The day partition of every table, derived from `received_at` (UTC).
pub const PARTITION_COLUMN: &str = "dt";

/// Column names of `feedback`, in schema order.
pub mod col {
    pub const FEEDBACK_ID: &str = "feedback_id";
    pub const CHANNEL: &str = "channel";
    pub const SOURCE_ID: &str = "source_id";
    pub const RECEIVED_AT: &str = "received_at";
    pub const INGESTED_AT: &str = "ingested_at";
    pub const CUSTOMER_ID: &str = "customer_id";
    pub const CUSTOMER_TIER: &str = "customer_tier";
    pub const CONTACT: &str = "contact";
    pub const CONTACT_ENCRYPTED: &str = "contact_encrypted";
    pub const PRODUCT: &str = "product";
    pub const PRODUCT_MODEL: &str = "product_model";
    pub const ORDER_ID: &str = "order_id";
    pub const APP_VERSION: &str = "app_version";
    pub const REGION: &str = "region";
    pub const STORE_ID: &str = "store_id";
    pub const AGENT_ID: &str = "agent_id";
    pub const RATING: &str = "rating";
    pub const RATING_RAW: &str = "rating_raw";
    pub const LANGUAGE: &str = "language";
    pub const TITLE: &str = "title";
    pub const TEXT: &str = "text";
    pub const TAGS: &str = "tags";
    pub const EXTRA: &str = "extra";
    pub const IS_SPAM: &str = "is_spam";
    pub const SPAM_REASON: &str = "spam_reason";
    pub const DUPLICATE_OF: &str = "duplicate_of";
    pub const SENTIMENT_LABEL: &str = "sentiment_label";
    pub const SENTIMENT_SCORE: &str = "sentiment_score";
    pub const CATEGORY_L1: &str = "category_l1";
    pub const CATEGORY_L2: &str = "category_l2";
    pub const KEYWORDS: &str = "keywords";
    pub const TOPIC_ID: &str = "topic_id";
    pub const PRIORITY: &str = "priority";
    pub const MODEL_VERSION: &str = "model_version";
    pub const DT: &str = super::PARTITION_COLUMN;
}

/// Timestamps are stored as UTC microseconds, the Delta `timestamp` type.
pub fn utc_timestamp() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

/// A list of strings (tags, keywords).
pub fn string_list() -> DataType {
    DataType::List(Arc::new(Field::new("element", DataType::Utf8, true)))
}

static FEEDBACK_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    use DataType::{Binary, Boolean, Date32, Float64, Int64, Utf8};
    let f = |name: &str, dt: DataType, nullable: bool| Field::new(name, dt, nullable);
    Arc::new(Schema::new(vec![
        f(col::FEEDBACK_ID, Utf8, false),
        f(col::CHANNEL, Utf8, false),
        f(col::SOURCE_ID, Utf8, false),
        f(col::RECEIVED_AT, utc_timestamp(), false),
        f(col::INGESTED_AT, utc_timestamp(), false),
        f(col::CUSTOMER_ID, Int64, true),
        f(col::CUSTOMER_TIER, Utf8, true),
        f(col::CONTACT, Utf8, true),
        f(col::CONTACT_ENCRYPTED, Binary, true),
        f(col::PRODUCT, Utf8, true),
        f(col::PRODUCT_MODEL, Utf8, true),
        f(col::ORDER_ID, Utf8, true),
        f(col::APP_VERSION, Utf8, true),
        f(col::REGION, Utf8, true),
        f(col::STORE_ID, Utf8, true),
        f(col::AGENT_ID, Utf8, true),
        f(col::RATING, Float64, true),
        f(col::RATING_RAW, Utf8, true),
        f(col::LANGUAGE, Utf8, false),
        f(col::TITLE, Utf8, true),
        f(col::TEXT, Utf8, false),
        f(col::TAGS, string_list(), true),
        f(col::EXTRA, Utf8, true),
        f(col::IS_SPAM, Boolean, false),
        f(col::SPAM_REASON, Utf8, true),
        f(col::DUPLICATE_OF, Utf8, true),
        f(col::SENTIMENT_LABEL, Utf8, true),
        f(col::SENTIMENT_SCORE, Float64, true),
        f(col::CATEGORY_L1, Utf8, true),
        f(col::CATEGORY_L2, Utf8, true),
        f(col::KEYWORDS, string_list(), true),
        f(col::TOPIC_ID, Int64, true),
        f(col::PRIORITY, Utf8, true),
        f(col::MODEL_VERSION, Utf8, true),
        f(col::DT, Date32, false),
    ]))
});

/// The Arrow schema of `feedback`, partition column last.
pub fn feedback_schema() -> SchemaRef {
    FEEDBACK_SCHEMA.clone()
}

/// Column names of `ingest_rejects`.
pub mod reject_col {
    pub const CHANNEL: &str = "channel";
    pub const SOURCE: &str = "source";
    pub const LINE: &str = "line";
    pub const FIELD: &str = "field";
    pub const REASON: &str = "reason";
    pub const RAW: &str = "raw";
    pub const REJECTED_AT: &str = "rejected_at";
    pub const DT: &str = super::PARTITION_COLUMN;
}

static REJECTS_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    use DataType::{Date32, Int64, Utf8};
    Arc::new(Schema::new(vec![
        Field::new(reject_col::CHANNEL, Utf8, false),
        Field::new(reject_col::SOURCE, Utf8, false),
        Field::new(reject_col::LINE, Int64, true),
        Field::new(reject_col::FIELD, Utf8, true),
        Field::new(reject_col::REASON, Utf8, false),
        Field::new(reject_col::RAW, Utf8, true),
        Field::new(reject_col::REJECTED_AT, utc_timestamp(), false),
        Field::new(reject_col::DT, Date32, false),
    ]))
});

/// The Arrow schema of `ingest_rejects`, partitioned by the day of rejection.
pub fn rejects_schema() -> SchemaRef {
    REJECTS_SCHEMA.clone()
}

/// Column names of `audit_log`.
pub mod audit_col {
    pub const AT: &str = "at";
    pub const KEY_NAME: &str = "key_name";
    pub const ROLE: &str = "role";
    pub const ACTION: &str = "action";
    pub const TARGET: &str = "target";
    pub const DETAIL: &str = "detail";
    pub const STATUS: &str = "status";
    pub const ROWS: &str = "rows";
    pub const BYTES: &str = "bytes";
    pub const DURATION_MS: &str = "duration_ms";
    pub const ERROR: &str = "error";
    pub const DT: &str = super::PARTITION_COLUMN;
}

static AUDIT_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    use DataType::{Date32, Int64, Utf8};
    let f = |name: &str, dt: DataType, nullable: bool| Field::new(name, dt, nullable);
    Arc::new(Schema::new(vec![
        f(audit_col::AT, utc_timestamp(), false),
        f(audit_col::KEY_NAME, Utf8, true),
        f(audit_col::ROLE, Utf8, true),
        f(audit_col::ACTION, Utf8, false),
        f(audit_col::TARGET, Utf8, false),
        f(audit_col::DETAIL, Utf8, true),
        f(audit_col::STATUS, Int64, false),
        f(audit_col::ROWS, Int64, true),
        f(audit_col::BYTES, Int64, true),
        f(audit_col::DURATION_MS, Int64, false),
        f(audit_col::ERROR, Utf8, true),
        f(audit_col::DT, Date32, false),
    ]))
});

/// The Arrow schema of `audit_log`, partitioned by the day of the event.
pub fn audit_schema() -> SchemaRef {
    AUDIT_SCHEMA.clone()
}

/// Column names of `feedback_labels`. `labelled_at` is the "when" of a
/// label (WHEN is an SQL keyword); the latest label of a feedback wins.
pub mod label_col {
    pub const FEEDBACK_ID: &str = "feedback_id";
    pub const L1: &str = "l1";
    pub const L2: &str = "l2";
    pub const WHO: &str = "who";
    pub const LABELLED_AT: &str = "labelled_at";
    pub const DT: &str = super::PARTITION_COLUMN;
}

static LABELS_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    use DataType::{Date32, Utf8};
    Arc::new(Schema::new(vec![
        Field::new(label_col::FEEDBACK_ID, Utf8, false),
        Field::new(label_col::L1, Utf8, false),
        Field::new(label_col::L2, Utf8, true),
        Field::new(label_col::WHO, Utf8, false),
        Field::new(label_col::LABELLED_AT, utc_timestamp(), false),
        Field::new(label_col::DT, Date32, false),
    ]))
});

/// The Arrow schema of `feedback_labels`, partitioned by the day of labelling.
pub fn labels_schema() -> SchemaRef {
    LABELS_SCHEMA.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_column_is_last_and_not_null() {
        for schema in [feedback_schema(), rejects_schema(), audit_schema(), labels_schema()] {
            let last = schema.fields().last().expect("schema has fields");
            assert_eq!(last.name(), PARTITION_COLUMN);
            assert!(!last.is_nullable());
        }
    }

    #[test]
    fn column_names_are_unique() {
        let schema = feedback_schema();
        let mut names: Vec<_> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), schema.fields().len());
    }
}
