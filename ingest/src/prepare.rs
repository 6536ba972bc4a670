//! Preparing a batch of source records for the writer: mapping and cleaning,
//! in parallel on rayon's pool (the work is CPU-bound and order-independent).

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::channels::{Channel, map_record};
use crate::clean::Cleaner;
use crate::record::{CleanFeedback, RecordError, SourceRecord};

/// A record ready for deduplication, or the reason it was refused.
pub type Prepared = Result<CleanFeedback, RecordError>;

/// Map and clean `records` for `channel`, keeping their order.
pub fn prepare(
    channel: &Channel,
    cleaner: &Cleaner,
    records: Vec<Result<SourceRecord, RecordError>>,
    now: DateTime<Utc>,
) -> Vec<Prepared> {
    records
        .into_par_iter()
        .with_min_len(256)
        .map(|record| prepare_one(channel, cleaner, record?, now))
        .collect()
}

fn prepare_one(channel: &Channel, cleaner: &Cleaner, record: SourceRecord, now: DateTime<Utc>) -> Prepared {
    let position = record.position;
    let valid = map_record(channel, record, now)?;
    cleaner
        .clean(valid)
        .map_err(|e| RecordError::new(position, None, format!("cannot clean: {e}")))
}
