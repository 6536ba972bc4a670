//! The audit log: every query, export and ingest request, appended to the
//! `audit_log` Delta table. Nothing in the API writes to it but this module,
//! and SQL is read-only, so no caller can alter it; only admins can read it.
//!
//! Events go over a bounded channel to a writer on its own thread, which
//! commits what arrived every second: one small commit a second, however
//! busy the server is.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};
use datafusion::arrow::array::{ArrayRef, Date32Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder};
use datafusion::arrow::record_batch::RecordBatch;
use tokio::sync::mpsc;
use tracing::{error, warn};

use voxlake_ingest::schema::{AUDIT_TABLE, audit_schema};
use voxlake_ingest::store::{StoreConfig, TableWriter, day_of, open_or_create, run_on_own_thread};

/// Events waiting for the writer before new ones are dropped (and logged).
const QUEUE: usize = 65_536;
const COMMIT_EVERY: Duration = Duration::from_secs(1);

/// One audited request.
#[derive(Clone, Debug)]
pub struct AuditEvent {
    pub at: DateTime<Utc>,
    pub key_name: Option<String>,
    pub role: Option<&'static str>,
    /// `query`, `export`, `ingest`, `read`.
    pub action: &'static str,
    /// The endpoint.
    pub target: String,
    /// The SQL, or the channel.
    pub detail: Option<String>,
    pub status: u16,
    pub rows: Option<u64>,
    pub bytes: Option<u64>,
    pub duration: Duration,
    pub error: Option<String>,
}

#[derive(Clone)]
pub struct AuditLog {
    events: mpsc::Sender<AuditEvent>,
    writer: Arc<std::sync::Mutex<Option<JoinHandle<()>>>>,
}

impl AuditLog {
    /// Open (or create) the audit table and start its writer.
    pub async fn start(store: &StoreConfig) -> voxlake_ingest::Result<Self> {
        let table = open_or_create(store, AUDIT_TABLE, &audit_schema()).await?;
        let writer = TableWriter::new(table)?;
        let (events, receiver) = mpsc::channel(QUEUE);
        let handle = run_on_own_thread("voxlake-audit", write_forever(writer, receiver))?;
        Ok(Self {
            events,
            writer: Arc::new(std::sync::Mutex::new(Some(handle))),
        })
    }

    /// Record an event. Never blocks; if the writer has fallen a whole queue
    /// behind, the event is logged instead and the loss is an error in the log.
    pub fn record(&self, event: AuditEvent) {
        if let Err(e) = self.events.try_send(event) {
            error!(event = ?e, "audit queue full or closed; event not stored");
        }
    }

    /// Commit what is queued and stop, once every clone is gone.
    pub async fn shutdown(self) {
        let handle = self.writer.lock().ok().and_then(|mut w| w.take());
        drop(self);
        if let Some(handle) = handle {
            tokio::task::spawn_blocking(move || handle.join()).await.ok();
        }
    }
}

async fn write_forever(mut writer: TableWriter, mut events: mpsc::Receiver<AuditEvent>) {
    let mut pending = Vec::new();
    let mut tick = tokio::time::interval(COMMIT_EVERY);
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Some(event) => pending.push(event),
                None => break,
            },
            _ = tick.tick() => commit(&mut writer, &mut pending).await,
        }
    }
    commit(&mut writer, &mut pending).await;
}

async fn commit(writer: &mut TableWriter, pending: &mut Vec<AuditEvent>) {
    if pending.is_empty() {
        return;
    }
    let result = match audit_batch(pending) {
        Ok(batch) => match writer.write(batch).await {
            Ok(()) => writer.commit().await.map(drop),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => pending.clear(),
        // Keep the events and try again at the next tick.
        Err(e) => warn!(error = %e, events = pending.len(), "audit commit failed; will retry"),
    }
}

fn audit_batch(events: &[AuditEvent]) -> voxlake_ingest::Result<RecordBatch> {
    let n = events.len();
    let strings = |f: &dyn Fn(&AuditEvent) -> Option<&str>| -> ArrayRef {
        let mut b = StringBuilder::with_capacity(n, n * 16);
        events.iter().for_each(|e| b.append_option(f(e)));
        Arc::new(b.finish())
    };
    let ints = |f: &dyn Fn(&AuditEvent) -> Option<i64>| -> ArrayRef {
        let mut b = Int64Builder::with_capacity(n);
        events.iter().for_each(|e| b.append_option(f(e)));
        Arc::new(b.finish())
    };
    let mut at = TimestampMicrosecondBuilder::with_capacity(n).with_timezone("UTC");
    let mut dt = Date32Builder::with_capacity(n);
    for e in events {
        at.append_value(e.at.timestamp_micros());
        dt.append_value(day_of(e.at));
    }
    let to_i64 = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    let columns: Vec<ArrayRef> = vec![
        Arc::new(at.finish()),
        strings(&|e| e.key_name.as_deref()),
        strings(&|e| e.role),
        strings(&|e| Some(e.action)),
        strings(&|e| Some(&e.target)),
        strings(&|e| e.detail.as_deref()),
        ints(&|e| Some(i64::from(e.status))),
        ints(&|e| e.rows.map(to_i64)),
        ints(&|e| e.bytes.map(to_i64)),
        ints(&|e| Some(to_i64(e.duration.as_millis() as u64))),
        strings(&|e| e.error.as_deref()),
        Arc::new(dt.finish()),
    ];
    Ok(RecordBatch::try_new(audit_schema(), columns)?)
}
