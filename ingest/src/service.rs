//! [`Ingest`]: the handle through which HTTP requests and file imports submit
//! feedback. It maps and cleans records on the caller's side (in parallel, off
//! the async runtime) and hands them to the single writer thread.

use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{mpsc, oneshot};
use tracing::{info, warn};
use voxlake_models::bundle::LiveModels;

use crate::channels::Channels;
use crate::clean::Cleaner;
use crate::crypto::ContactCipher;
use crate::dedup::DEFAULT_DUPLICATE_WINDOW;
use crate::error::{Error, Result};
use crate::index_load::load_index;
use crate::prepare::{Enricher, prepare};
use crate::read::RawRecord;
use crate::record::{Outcome, RecordError, SourceRecord};
use crate::schema::{FEEDBACK_TABLE, REJECTS_TABLE, feedback_schema, rejects_schema};
use crate::store::{StoreConfig, TableWriter, open_or_create, run_on_own_thread};
use crate::writer_loop::{Command, PreparedBatch, WriterSettings, WriterState};

pub use crate::writer_loop::Durability;

/// Everything ingest needs to know, with defaults for the embedded setup.
#[derive(Clone, Debug)]
pub struct IngestConfig {
    pub store: StoreConfig,
    /// A channels file adding to (or replacing) the built-in channels.
    pub channels_file: Option<PathBuf>,
    /// Base64 AES-256 key for contacts.
    pub encryption_key: String,
    /// How long a text counts as a possible resubmission of an earlier one.
    pub duplicate_window: chrono::Duration,
    /// How long the writer gathers requests into one commit.
    pub group_delay: Duration,
    /// Rows staged at which the writer commits without being asked.
    pub max_pending_rows: usize,
    /// The models that fill the enrichment columns; `None` leaves them null.
    pub models: Option<Arc<LiveModels>>,
}

impl IngestConfig {
    /// The defaults, enriching with the shipped models.
    pub fn new(store: StoreConfig, encryption_key: String) -> Self {
        Self {
            models: Some(LiveModels::shipped()),
            ..Self::unenriched(store, encryption_key)
        }
    }

    /// The defaults, leaving the enrichment columns null. The models are not
    /// loaded at all (a tenth of a second at start-up).
    pub fn unenriched(store: StoreConfig, encryption_key: String) -> Self {
        Self {
            store,
            channels_file: None,
            encryption_key,
            duplicate_window: DEFAULT_DUPLICATE_WINDOW,
            group_delay: Duration::from_millis(10),
            max_pending_rows: 1_000_000,
            models: None,
        }
    }
}

/// Submits feedback; clone it freely. Dropping the last clone (or calling
/// [`Ingest::shutdown`]) commits what is staged and stops the writer.
#[derive(Clone)]
pub struct Ingest {
    inner: Arc<Inner>,
}

struct Inner {
    channels: Channels,
    cleaner: Cleaner,
    models: Option<Arc<LiveModels>>,
    commands: mpsc::Sender<Command>,
    writer: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Ingest {
    /// Open (or create) the tables, rebuild the deduplication memory from them,
    /// and start the writer.
    pub async fn start(config: IngestConfig) -> Result<Self> {
        let channels = Channels::load(config.channels_file.as_deref())?;
        let cleaner = Cleaner::new(ContactCipher::from_base64(&config.encryption_key)?);
        let feedback = open_or_create(&config.store, FEEDBACK_TABLE, &feedback_schema()).await?;
        let rejects = open_or_create(&config.store, REJECTS_TABLE, &rejects_schema()).await?;
        let index = load_index(&feedback, config.duplicate_window).await?;
        let settings = WriterSettings {
            group_delay: config.group_delay,
            max_pending_rows: config.max_pending_rows,
        };
        let state = WriterState::new(TableWriter::new(feedback)?, TableWriter::new(rejects)?, index, settings);
        let (commands, receiver) = mpsc::channel(64);
        let writer = run_on_own_thread("voxlake-writer", state.run(receiver))?;
        info!(store = %config.store.root(), "ingest started");
        Ok(Self {
            inner: Arc::new(Inner {
                channels,
                cleaner,
                models: config.models,
                commands,
                writer: std::sync::Mutex::new(Some(writer)),
            }),
        })
    }

    pub fn channels(&self) -> &Channels {
        &self.inner.channels
    }

    /// Map, clean and store records of `channel`; `source` names where they
    /// came from (a file, "http") in the reject report.
    pub async fn submit(
        &self,
        channel: &str,
        source: &str,
        records: Vec<Result<SourceRecord, RecordError>>,
        durability: Durability,
    ) -> Result<Vec<Outcome>> {
        let records = records.into_iter().map(RawRecord::Read).collect();
        self.stage(channel, source, records, durability).await?.outcomes().await
    }

    /// Map and clean records, then queue them for the writer without waiting
    /// for it, so a bulk load can prepare its next chunk while the writer
    /// stores this one. The writer takes batches in the order they are staged.
    pub async fn stage(
        &self,
        channel: &str,
        source: &str,
        records: Vec<RawRecord>,
        durability: Durability,
    ) -> Result<PendingWrite> {
        let channel = self.inner.channels.get(channel)?.clone();
        let cleaner = self.inner.cleaner.clone();
        let enricher = self.enricher();
        let now = Utc::now();
        let prepared = tokio::task::spawn_blocking(move || {
            let records = prepare(&channel, &cleaner, enricher.as_ref(), records, now);
            (channel.name, records)
        })
        .await
        .map_err(|_| Error::WriterStopped)?;
        let batch = PreparedBatch {
            channel: prepared.0,
            source: source.to_owned(),
            records: prepared.1,
            now,
        };
        let (reply, answer) = oneshot::channel();
        self.send(Command::Write {
            batch,
            durability,
            reply,
        })
        .await?;
        Ok(PendingWrite(answer))
    }

    /// The models for the next batch, reloaded first if a model file changed;
    /// a failed reload is logged and the models loaded before stay in use.
    fn enricher(&self) -> Option<Enricher> {
        let live = self.inner.models.as_ref()?;
        let models = live.refresh().unwrap_or_else(|e| {
            warn!(error = %e, "could not reload the models; enriching with the ones loaded before");
            live.current()
        });
        Some(Enricher::new(models))
    }

    /// Commit everything staged; returns the table version that holds it.
    pub async fn flush(&self) -> Result<i64> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Flush { reply }).await?;
        answer.await.map_err(|_| Error::WriterStopped)?
    }

    /// Commit what is staged and wait for the writer to stop. Other clones
    /// still work until they are dropped; the writer stops with the last.
    pub async fn shutdown(self) -> Result<()> {
        self.flush().await?;
        let handle = self.inner.writer.lock().ok().and_then(|mut w| w.take());
        drop(self);
        if let Some(handle) = handle {
            tokio::task::spawn_blocking(move || handle.join()).await.ok();
        }
        Ok(())
    }

    async fn send(&self, command: Command) -> Result<()> {
        self.inner
            .commands
            .send(command)
            .await
            .map_err(|_| Error::WriterStopped)
    }
}

/// A staged batch the writer has not answered for yet.
pub struct PendingWrite(oneshot::Receiver<Result<Vec<Outcome>>>);

impl PendingWrite {
    /// Each record's outcome, once the writer has stored (or staged) the batch.
    pub async fn outcomes(self) -> Result<Vec<Outcome>> {
        self.0.await.map_err(|_| Error::WriterStopped)?
    }
}
