//! Importing a file: read it in chunks, submit each as a bulk write, and
//! commit at the end. Bad lines are reported and the rest lands; what was
//! committed before a failure stays, and re-running the import skips it
//! (idempotency by `(channel, source_id)`), so an import can always be redone.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use tokio::sync::mpsc;

use crate::error::{Error, Result};
use crate::read::{RawRecord, Records, format_from_extension, read_file};
use crate::record::{Outcome, RecordError};
use crate::service::{Durability, Ingest, PendingWrite};

/// Records per submitted chunk: big enough to keep both cores busy cleaning,
/// small enough that memory stays flat whatever the file's size.
const CHUNK_RECORDS: usize = 16 * 1024;
/// Prepared chunks that may wait for the writer at once. The writer stores
/// rows in bursts (it encodes Parquet every hundred thousand rows or so);
/// with one chunk ahead, preparation stalled for each burst.
const CHUNKS_IN_FLIGHT: usize = 4;
/// Rejects kept in the summary; all of them also go to the rejects table.
const MAX_REPORTED_REJECTS: usize = 100_000;

/// What an import did, for the summary and the reject report.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportSummary {
    pub read: u64,
    pub accepted: u64,
    /// Already stored (same channel and source_id): skipped.
    pub duplicates: u64,
    /// Stored, and linked to an earlier text of the same customer.
    pub linked_duplicates: u64,
    pub rejected: u64,
    pub rejects: Vec<RecordError>,
    pub version: i64,
}

impl ImportSummary {
    fn add(&mut self, outcomes: Vec<Outcome>) {
        for outcome in outcomes {
            self.read += 1;
            match outcome {
                Outcome::Accepted { duplicate_of, .. } => {
                    self.accepted += 1;
                    self.linked_duplicates += u64::from(duplicate_of.is_some());
                }
                Outcome::Duplicate { .. } => self.duplicates += 1,
                Outcome::Rejected(e) => {
                    self.rejected += 1;
                    if self.rejects.len() < MAX_REPORTED_REJECTS {
                        self.rejects.push(e);
                    }
                }
            }
        }
    }
}

/// Progress of an import, in bytes of the file and records so far.
#[derive(Clone, Copy, Debug)]
pub struct ImportProgress {
    pub bytes_read: u64,
    pub bytes_total: u64,
    pub records: u64,
}

/// Import `path` into `channel`. The file format is the channel's, unless the
/// file's extension says otherwise.
pub async fn import_file(
    ingest: &Ingest,
    path: &Path,
    channel: &str,
    mut progress: impl FnMut(ImportProgress),
) -> Result<ImportSummary> {
    let format = format_from_extension(path).unwrap_or(ingest.channels().get(channel)?.format);
    let bytes_total = std::fs::metadata(path)
        .map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?
        .len();
    let bytes_read = Arc::new(AtomicU64::new(0));
    let records = read_file(path, format, Arc::clone(&bytes_read))?;
    let mut chunks = spawn_chunker(records);
    let source = path.display().to_string();
    let mut summary = ImportSummary::default();
    // Chunks are prepared while the writer stores the ones before: a few may
    // wait for it, so that preparation goes on while the writer encodes.
    let mut in_flight: VecDeque<PendingWrite> = VecDeque::with_capacity(CHUNKS_IN_FLIGHT);
    while let Some(chunk) = chunks.recv().await {
        in_flight.push_back(ingest.stage(channel, &source, chunk, Durability::Staged).await?);
        if in_flight.len() >= CHUNKS_IN_FLIGHT
            && let Some(oldest) = in_flight.pop_front()
        {
            summary.add(oldest.outcomes().await?);
            progress(ImportProgress {
                bytes_read: bytes_read.load(Ordering::Relaxed),
                bytes_total,
                records: summary.read,
            });
        }
    }
    for pending in in_flight {
        summary.add(pending.outcomes().await?);
    }
    summary.version = ingest.flush().await?;
    Ok(summary)
}

/// Read records on a blocking thread and hand them over in chunks; the
/// channel's small bound keeps the reader at most two chunks ahead.
fn spawn_chunker(mut records: Records) -> mpsc::Receiver<Vec<RawRecord>> {
    let (sender, receiver) = mpsc::channel(2);
    tokio::task::spawn_blocking(move || {
        loop {
            let chunk: Vec<_> = records.by_ref().take(CHUNK_RECORDS).collect();
            if chunk.is_empty() || sender.blocking_send(chunk).is_err() {
                break;
            }
        }
    });
    receiver
}
