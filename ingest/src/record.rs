//! The stages a piece of feedback passes through, as distinct types.
//!
//! `SourceRecord` (fields as the channel sent them) → [`ValidFeedback`] (mapped
//! onto the schema, typed, required fields present) → [`CleanFeedback`]
//! (normalised, PII masked, spam checked, hashed for dedup) → [`FeedbackRow`]
//! (an id assigned, duplicates linked, gaps filled): only the last can be
//! written, so an unvalidated or uncleaned record cannot reach the table.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use smol_str::SmolStr;
use ulid::Ulid;

use voxlake_models::text::lang::Language;
use voxlake_models::text::spam::SpamReason;

mod fields;
pub use fields::SourceFields;

/// Where a record sits in its source: a line of a file, or the index of an
/// object in a request body. 1-based, as people count lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position(pub u64);

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One record as a reader produced it: field names to JSON values.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceRecord {
    pub position: Position,
    pub fields: SourceFields,
}

/// Why a record was refused, and which field was at fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordError {
    pub position: Position,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub reason: String,
    /// A short excerpt of the offending input, for the reject report.
    #[serde(skip)]
    pub raw: Option<String>,
}

impl RecordError {
    pub fn new(position: Position, field: Option<&str>, reason: impl Into<String>) -> Self {
        Self {
            position,
            field: field.map(str::to_owned),
            reason: reason.into(),
            raw: None,
        }
    }

    pub fn with_raw(mut self, raw: &str) -> Self {
        self.raw = Some(excerpt(raw, 200));
        self
    }
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "record {}: field `{field}`: {}", self.position, self.reason),
            None => write!(f, "record {}: {}", self.position, self.reason),
        }
    }
}

/// The first `max_chars` characters of `s`, marked when cut.
pub fn excerpt(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_owned(),
    }
}

/// A rating on the common 1..5 scale, with what the channel actually sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Rating {
    pub normalised: f64,
    pub raw: SmolStr,
}

/// A record mapped onto the feedback schema: typed, required fields present.
///
/// Short values (ids, names, versions) are `SmolStr`: inline up to 23 bytes,
/// so most take no allocation of their own. A row is built on one thread and
/// dropped on the writer's; every heap string was a free across threads.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidFeedback {
    pub position: Position,
    pub channel: SmolStr,
    pub source_id: Option<SmolStr>,
    pub received_at: DateTime<Utc>,
    pub customer_id: Option<i64>,
    pub customer_tier: Option<SmolStr>,
    pub contact: Option<String>,
    pub product: Option<SmolStr>,
    pub product_model: Option<SmolStr>,
    pub order_id: Option<SmolStr>,
    pub app_version: Option<SmolStr>,
    pub region: Option<SmolStr>,
    pub store_id: Option<SmolStr>,
    pub agent_id: Option<SmolStr>,
    pub rating: Option<Rating>,
    pub language_hint: Option<Language>,
    pub title: Option<String>,
    pub text: String,
    pub tags: Vec<String>,
    pub extra: Option<Map<String, Value>>,
}

/// A valid record after cleaning: text normalised and masked, contact
/// encrypted, spam checked, fingerprints computed for deduplication.
#[derive(Clone, Debug, PartialEq)]
pub struct CleanFeedback {
    pub valid: ValidFeedback,
    /// `source_id` as sent, or derived from the content when the channel has none.
    pub source_id: SmolStr,
    pub contact_masked: Option<SmolStr>,
    pub contact_encrypted: Option<Vec<u8>>,
    pub language: Language,
    pub spam: Option<SpamReason>,
    /// Hash of `(channel, source_id)`: the idempotency key.
    pub source_key: u64,
    /// Hash of the normalised text: exact duplicates share it.
    pub text_hash: u64,
    /// SimHash of the normalised text: near duplicates are a few bits apart.
    pub simhash: u64,
    /// What the models said; `None` when ingest runs without models.
    pub enriched: Option<crate::enrichment::Enriched>,
}

/// A row ready to be written: everything the table stores for one feedback.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedbackRow {
    pub feedback_id: Ulid,
    pub ingested_at: DateTime<Utc>,
    pub duplicate_of: Option<Ulid>,
    pub clean: CleanFeedback,
}

/// What happened to one submitted record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Stored as a new row. `duplicate_of` names an earlier feedback with the
    /// same or nearly the same text from the same customer.
    Accepted {
        id: Ulid,
        #[serde(skip_serializing_if = "Option::is_none")]
        duplicate_of: Option<Ulid>,
    },
    /// Already stored under this id (same channel and source_id): no new row.
    Duplicate { id: Ulid },
    /// Not stored.
    Rejected(RecordError),
}
