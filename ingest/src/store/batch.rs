//! Turning rows into Arrow record batches in the `feedback` schema.

use std::borrow::Borrow;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use datafusion::arrow::array::{
    ArrayRef, BinaryBuilder, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::arrow::record_batch::RecordBatch;
use ulid::{ULID_LEN, Ulid};

use crate::enrichment::EnrichmentColumns;
use crate::error::Result;
use crate::record::FeedbackRow;
use crate::schema::feedback_schema;

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01 (Arrow's day 0).
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// The `dt` partition value of a time: its UTC day, as Arrow Date32.
pub fn day_of(t: DateTime<Utc>) -> i32 {
    use chrono::Datelike;
    t.date_naive().num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE
}

/// The calendar date of a Date32 value.
pub fn date_of_day(day: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day + UNIX_EPOCH_DAYS_FROM_CE)
}

fn utc_micros() -> TimestampMicrosecondBuilder {
    TimestampMicrosecondBuilder::new().with_timezone("UTC")
}

/// Build one record batch of `rows` (the rows, or references to rows held
/// elsewhere). Enrichment columns are null for rows ingested without models.
pub fn feedback_batch<R: Borrow<FeedbackRow>>(rows: &[R]) -> Result<RecordBatch> {
    let n = rows.len();
    let rows = || rows.iter().map(|r| -> &FeedbackRow { r.borrow() });
    let strings = |f: &dyn Fn(&FeedbackRow) -> Option<&str>| -> ArrayRef {
        let mut b = StringBuilder::with_capacity(n, n * 8);
        rows().for_each(|r| b.append_option(f(r)));
        Arc::new(b.finish())
    };
    let lists = |f: &dyn Fn(&FeedbackRow) -> Option<&[String]>| -> ArrayRef {
        let mut b = ListBuilder::new(StringBuilder::new()).with_field(Field::new("element", DataType::Utf8, true));
        for r in rows() {
            match f(r) {
                Some(items) => {
                    items.iter().for_each(|s| b.values().append_value(s));
                    b.append(true);
                }
                None => b.append(false),
            }
        }
        Arc::new(b.finish())
    };
    let times = |f: &dyn Fn(&FeedbackRow) -> i64| -> ArrayRef {
        let mut b = utc_micros();
        rows().for_each(|r| b.append_value(f(r)));
        Arc::new(b.finish())
    };
    let floats = |f: &dyn Fn(&FeedbackRow) -> Option<f64>| -> ArrayRef {
        let mut b = Float64Builder::with_capacity(n);
        rows().for_each(|r| b.append_option(f(r)));
        Arc::new(b.finish())
    };
    let ints = |f: &dyn Fn(&FeedbackRow) -> Option<i64>| -> ArrayRef {
        let mut b = Int64Builder::with_capacity(n);
        rows().for_each(|r| b.append_option(f(r)));
        Arc::new(b.finish())
    };

    let mut encrypted = BinaryBuilder::with_capacity(n, n * 40);
    rows().for_each(|r| encrypted.append_option(r.clean.contact_encrypted.as_deref()));
    let mut is_spam = BooleanBuilder::with_capacity(n);
    rows().for_each(|r| is_spam.append_value(r.clean.spam.is_some()));
    let mut dt = Date32Builder::with_capacity(n);
    rows().for_each(|r| dt.append_value(day_of(r.clean.valid.received_at)));

    let mut columns: Vec<ArrayRef> = vec![
        ulids(rows(), |r| Some(r.feedback_id)),
        strings(&|r| Some(&v(r).channel)),
        strings(&|r| Some(&r.clean.source_id)),
        times(&|r| v(r).received_at.timestamp_micros()),
        times(&|r| r.ingested_at.timestamp_micros()),
        ints(&|r| v(r).customer_id),
        strings(&|r| v(r).customer_tier.as_deref()),
        strings(&|r| r.clean.contact_masked.as_deref()),
        Arc::new(encrypted.finish()),
        strings(&|r| v(r).product.as_deref()),
        strings(&|r| v(r).product_model.as_deref()),
        strings(&|r| v(r).order_id.as_deref()),
        strings(&|r| v(r).app_version.as_deref()),
        strings(&|r| v(r).region.as_deref()),
        strings(&|r| v(r).store_id.as_deref()),
        strings(&|r| v(r).agent_id.as_deref()),
        floats(&|r| v(r).rating.as_ref().map(|x| x.normalised)),
        strings(&|r| v(r).rating.as_ref().map(|x| x.raw.as_str())),
        strings(&|r| Some(r.clean.language.as_str())),
        strings(&|r| v(r).title.as_deref()),
        strings(&|r| Some(&v(r).text)),
        lists(&|r| Some(&v(r).tags)),
        extra_json(rows()),
        Arc::new(is_spam.finish()),
        strings(&|r| r.clean.spam.map(|s| s.as_str())),
        ulids(rows(), |r| r.duplicate_of),
    ];
    let mut enrichment = EnrichmentColumns::with_capacity(n);
    rows().for_each(|r| enrichment.push(r.clean.enriched.as_ref()));
    columns.extend(enrichment.finish());
    columns.push(Arc::new(dt.finish()));
    Ok(RecordBatch::try_new(feedback_schema(), columns)?)
}

fn v(row: &FeedbackRow) -> &crate::record::ValidFeedback {
    &row.clean.valid
}

/// A column of ids in their 26-character text form, written straight into
/// the column without a `String` per id.
fn ulids<'a>(
    rows: impl ExactSizeIterator<Item = &'a FeedbackRow>,
    id: impl Fn(&FeedbackRow) -> Option<Ulid>,
) -> ArrayRef {
    let mut b = StringBuilder::with_capacity(rows.len(), rows.len() * ULID_LEN);
    let mut text = [0u8; ULID_LEN];
    for r in rows {
        match id(r) {
            Some(id) => b.append_value(id.array_to_str(&mut text)),
            None => b.append_null(),
        }
    }
    Arc::new(b.finish())
}

fn extra_json<'a>(rows: impl Iterator<Item = &'a FeedbackRow>) -> ArrayRef {
    let mut b = StringBuilder::new();
    for r in rows {
        match &r.clean.valid.extra {
            Some(map) => match serde_json::to_string(map) {
                Ok(json) => b.append_value(json),
                Err(_) => b.append_null(),
            },
            None => b.append_null(),
        }
    }
    Arc::new(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn days_match_arrow_dates() {
        let t = Utc.with_ymd_and_hms(2025, 1, 1, 23, 59, 59).single().expect("valid");
        assert_eq!(day_of(t), 20089);
        assert_eq!(date_of_day(20089), NaiveDate::from_ymd_opt(2025, 1, 1));
        assert_eq!(
            day_of(Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).single().expect("valid")),
            0
        );
    }
}
