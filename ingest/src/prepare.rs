//! Preparing a batch of source records for the writer: mapping, cleaning and
//! enrichment by the models, in parallel on rayon's pool (the work is
//! CPU-bound and order-independent; the caller runs it off the async runtime).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use voxlake_models::bundle::Models;

use crate::channels::{Channel, map_record};
use crate::clean::Cleaner;
use crate::enrichment::Enriched;
use crate::read::RawRecord;
use crate::record::{CleanFeedback, RecordError, SourceRecord};

/// A record ready for deduplication, or the reason it was refused.
pub type Prepared = Result<CleanFeedback, RecordError>;

/// The models to enrich with, and their version (shared by every row).
pub struct Enricher {
    pub models: Arc<Models>,
    pub version: Arc<str>,
}

impl Enricher {
    pub fn new(models: Arc<Models>) -> Self {
        let version = models.version().into();
        Enricher { models, version }
    }

    fn enrich(&self, clean: &CleanFeedback) -> Enriched {
        let valid = &clean.valid;
        Enriched::new(
            &self.models,
            &self.version,
            &valid.text,
            Some(clean.language),
            valid.customer_tier.as_deref(),
        )
    }
}

/// Parse, map, clean and (with an enricher) enrich `records` for `channel`,
/// keeping their order.
pub fn prepare(
    channel: &Channel,
    cleaner: &Cleaner,
    enricher: Option<&Enricher>,
    records: Vec<RawRecord>,
    now: DateTime<Utc>,
) -> Vec<Prepared> {
    records
        .into_par_iter()
        .with_min_len(256)
        .map(|record| {
            let mut clean = prepare_one(channel, cleaner, record.parse()?, now)?;
            clean.enriched = enricher.map(|e| e.enrich(&clean));
            Ok(clean)
        })
        .collect()
}

fn prepare_one(channel: &Channel, cleaner: &Cleaner, record: SourceRecord, now: DateTime<Utc>) -> Prepared {
    let position = record.position;
    let valid = map_record(channel, record, now)?;
    cleaner
        .clean(valid)
        .map_err(|e| RecordError::new(position, None, format!("cannot clean: {e}")))
}
