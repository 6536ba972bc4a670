//! The single writer: every accepted record passes through here, in order.
//!
//! One thread owns the tables and the deduplication memory, so decisions are
//! sequential and need no locks. Requests that must be durable before they are
//! answered (HTTP) are grouped: the writer gathers whatever arrives within a
//! short delay and commits it as one Delta version, then answers them all —
//! many small requests cost one commit. Bulk writes (file import) are answered
//! when staged and made durable by an explicit flush or when enough rows are
//! pending, so a large import is a few large commits. Parquet encoding and
//! commits run on this thread's own runtime, never on the server's.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use datafusion::arrow::array::{ArrayRef, Date32Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder};
use datafusion::arrow::record_batch::RecordBatch;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, timeout_at};
use tracing::{error, warn};

use crate::dedup::{Decision, DedupIndex};
use crate::error::{Error, Result};
use crate::prepare::Prepared;
use crate::record::{FeedbackRow, Outcome, RecordError};
use crate::schema::rejects_schema;
use crate::store::{TableWriter, WRITE_BATCH_ROWS, day_of, feedback_batch};

/// How the answer to a write relates to its durability.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// Answer after the records are committed.
    Commit,
    /// Answer once staged; a later flush reports whether they committed.
    Staged,
}

pub enum Command {
    Write {
        batch: PreparedBatch,
        durability: Durability,
        reply: Reply,
    },
    Flush {
        reply: oneshot::Sender<Result<i64>>,
    },
}

/// Records of one source, mapped and cleaned, waiting for the writer.
pub struct PreparedBatch {
    pub channel: String,
    pub source: String,
    pub records: Vec<Prepared>,
    pub now: DateTime<Utc>,
}

pub struct WriterSettings {
    /// How long the writer waits for more requests before a group commit.
    pub group_delay: Duration,
    /// Pending rows at which the writer commits even without being asked.
    pub max_pending_rows: usize,
}

/// Where the outcomes of one write request are sent.
type Reply = oneshot::Sender<Result<Vec<Outcome>>>;

pub struct WriterState {
    pub feedback: TableWriter,
    /// Accepted rows not yet handed to `feedback`.
    accepted: DayRows,
    pub rejects: TableWriter,
    pub index: DedupIndex,
    pub settings: WriterSettings,
    /// Set when a commit of staged rows failed; reported by the next flush.
    failed: Option<String>,
    /// Durable writes staged but not committed yet, with their outcomes.
    waiting: Vec<(Reply, Vec<Outcome>)>,
    flushes: Vec<oneshot::Sender<Result<i64>>>,
}

impl WriterState {
    pub fn new(feedback: TableWriter, rejects: TableWriter, index: DedupIndex, settings: WriterSettings) -> Self {
        Self {
            feedback,
            accepted: DayRows::default(),
            rejects,
            index,
            settings,
            failed: None,
            waiting: Vec::new(),
            flushes: Vec::new(),
        }
    }

    /// Serve commands until every sender is gone, then commit what is left.
    pub async fn run(mut self, mut commands: mpsc::Receiver<Command>) {
        while let Some(command) = commands.recv().await {
            self.handle(command).await;
            let deadline = Instant::now() + self.settings.group_delay;
            while self.wants_more() {
                match timeout_at(deadline, commands.recv()).await {
                    Ok(Some(command)) => self.handle(command).await,
                    Ok(None) | Err(_) => break,
                }
            }
            if self.must_commit() {
                self.commit().await;
            }
        }
        self.commit().await;
    }

    fn wants_more(&self) -> bool {
        !self.waiting.is_empty() && self.flushes.is_empty() && self.pending_rows() < self.settings.max_pending_rows
    }

    fn must_commit(&self) -> bool {
        !self.waiting.is_empty() || !self.flushes.is_empty() || self.pending_rows() >= self.settings.max_pending_rows
    }

    /// Rows accepted since the last commit.
    fn pending_rows(&self) -> usize {
        self.feedback.pending_rows() + self.accepted.len()
    }

    async fn handle(&mut self, command: Command) {
        match command {
            Command::Flush { reply } => self.flushes.push(reply),
            Command::Write {
                batch,
                durability,
                reply,
            } => match self.stage(batch).await {
                Ok(outcomes) if durability == Durability::Commit => self.waiting.push((reply, outcomes)),
                Ok(outcomes) => drop(reply.send(Ok(outcomes))),
                Err(e) => drop(reply.send(Err(e))),
            },
        }
    }

    /// Decide about each record, write the new rows and the rejects.
    async fn stage(&mut self, batch: PreparedBatch) -> Result<Vec<Outcome>> {
        let mut outcomes = Vec::with_capacity(batch.records.len());
        let mut rows = Vec::with_capacity(batch.records.len());
        let mut rejects = Vec::new();
        for prepared in batch.records {
            match prepared {
                Err(e) => {
                    outcomes.push(Outcome::Rejected(e.clone()));
                    rejects.push(e);
                }
                Ok(clean) => match self.index.decide(clean, batch.now) {
                    Decision::Existing(id) => outcomes.push(Outcome::Duplicate { id }),
                    Decision::New(row) => {
                        outcomes.push(Outcome::Accepted {
                            id: row.feedback_id,
                            duplicate_of: row.duplicate_of,
                        });
                        rows.push(row);
                    }
                },
            }
        }
        self.accepted.push(rows);
        if self.accepted.len() >= WRITE_BATCH_ROWS {
            self.write_accepted().await?;
        }
        if !rejects.is_empty() {
            self.write_rejects(&batch.channel, &batch.source, &rejects, batch.now)
                .await;
        }
        Ok(outcomes)
    }

    /// Hand the accepted rows to the partition files, one batch per day.
    async fn write_accepted(&mut self) -> Result<()> {
        let accepted = std::mem::take(&mut self.accepted);
        let written = self.write_days(&accepted).await;
        if let Err(e) = &written {
            // Everything uncommitted is dropped: the index forgets it too.
            self.feedback.abort();
            self.index.rollback();
            self.fail_waiting(&e.to_string());
        }
        written
    }

    /// Write each day's rows to its partition, stopping at the first failure.
    async fn write_days(&mut self, accepted: &DayRows) -> Result<()> {
        for (day, rows) in accepted.by_day() {
            self.feedback.write_day(day, feedback_batch(&rows)?).await?;
        }
        Ok(())
    }

    /// Rejects are a report, not data: failing to record one is logged, never
    /// allowed to fail the write of good records.
    async fn write_rejects(&mut self, channel: &str, source: &str, rejects: &[RecordError], now: DateTime<Utc>) {
        let result = match rejects_batch(channel, source, rejects, now) {
            Ok(batch) => self.rejects.write(batch).await,
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            warn!(error = %e, channel, "could not record rejects");
        }
    }

    async fn commit(&mut self) {
        let result = match self.write_accepted().await {
            Ok(()) => self.feedback.commit().await,
            Err(e) => Err(e),
        };
        match &result {
            Ok(_) => self.index.commit(),
            Err(e) => {
                error!(error = %e, "commit failed; the staged records were not stored");
                self.index.rollback();
                self.failed = Some(e.to_string());
            }
        }
        if let Err(e) = self.rejects.commit().await {
            warn!(error = %e, "could not commit rejects");
        }
        for (reply, outcomes) in self.waiting.drain(..) {
            let answer = match &result {
                Ok(_) => Ok(outcomes),
                Err(e) => Err(Error::Commit(e.to_string())),
            };
            drop(reply.send(answer));
        }
        let failed = self.failed.take();
        for reply in self.flushes.drain(..) {
            let answer = match (&result, &failed) {
                (Ok(version), None) => Ok(*version),
                (_, Some(reason)) => Err(Error::Commit(reason.clone())),
                (Err(e), None) => Err(Error::Commit(e.to_string())),
            };
            drop(reply.send(answer));
        }
        if self.flushes.is_empty() && failed.is_some() {
            self.failed = failed;
        }
    }

    fn fail_waiting(&mut self, reason: &str) {
        for (reply, _) in self.waiting.drain(..) {
            drop(reply.send(Err(Error::Commit(reason.to_owned()))));
        }
        self.failed = Some(reason.to_owned());
    }
}

/// Accepted rows, gathered until there are enough to make each day's batch
/// worth a call into its partition's Parquet file. Built straight from its
/// rows, a day's batch needs no split by partition (a sort and a copy of
/// every column of a mixed batch).
#[derive(Default)]
struct DayRows {
    /// Each staged batch's rows, as the batch left them (rows are large;
    /// moving them into per-day lists cost as much as the copy it saved).
    batches: Vec<Vec<FeedbackRow>>,
}

impl DayRows {
    fn push(&mut self, rows: Vec<FeedbackRow>) {
        self.batches.push(rows);
    }

    fn len(&self) -> usize {
        self.batches.iter().map(Vec::len).sum()
    }

    /// The rows of each day, in the order they were accepted.
    fn by_day(&self) -> BTreeMap<i32, Vec<&FeedbackRow>> {
        let mut days: BTreeMap<i32, Vec<&FeedbackRow>> = BTreeMap::new();
        for row in self.batches.iter().flatten() {
            days.entry(day_of(row.clean.valid.received_at)).or_default().push(row);
        }
        days
    }
}

fn rejects_batch(channel: &str, source: &str, rejects: &[RecordError], now: DateTime<Utc>) -> Result<RecordBatch> {
    let n = rejects.len();
    let repeat = |value: &str| -> ArrayRef {
        let mut b = StringBuilder::with_capacity(n, n * value.len());
        (0..n).for_each(|_| b.append_value(value));
        std::sync::Arc::new(b.finish())
    };
    let strings = |f: &dyn Fn(&RecordError) -> Option<&str>| -> ArrayRef {
        let mut b = StringBuilder::with_capacity(n, n * 16);
        rejects.iter().for_each(|r| b.append_option(f(r)));
        std::sync::Arc::new(b.finish())
    };
    let mut lines = Int64Builder::with_capacity(n);
    rejects
        .iter()
        .for_each(|r| lines.append_value(i64::try_from(r.position.0).unwrap_or(i64::MAX)));
    let mut at = TimestampMicrosecondBuilder::with_capacity(n).with_timezone("UTC");
    let mut dt = Date32Builder::with_capacity(n);
    for _ in 0..n {
        at.append_value(now.timestamp_micros());
        dt.append_value(day_of(now));
    }
    let columns: Vec<ArrayRef> = vec![
        repeat(channel),
        repeat(source),
        std::sync::Arc::new(lines.finish()),
        strings(&|r| r.field.as_deref()),
        strings(&|r| Some(&r.reason)),
        strings(&|r| r.raw.as_deref()),
        std::sync::Arc::new(at.finish()),
        std::sync::Arc::new(dt.finish()),
    ];
    Ok(RecordBatch::try_new(rejects_schema(), columns)?)
}
