//! Errors of the ingest layer. Per-record problems are not errors: they are
//! [`crate::record::RecordError`]s reported beside the records that landed.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("channels: {0}")]
    Channels(String),

    #[error("unknown channel `{name}`; configured channels: {known}")]
    UnknownChannel { name: String, known: String },

    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("{path}: {reason}")]
    File { path: PathBuf, reason: String },

    #[error("store configuration: {0}")]
    StoreConfig(String),

    #[error("encryption key: {0}")]
    Key(String),

    #[error("table storage: {0}")]
    Delta(#[from] deltalake::DeltaTableError),

    #[error("arrow: {0}")]
    Arrow(#[from] datafusion::arrow::error::ArrowError),

    #[error("query: {0}")]
    DataFusion(#[from] datafusion::error::DataFusionError),

    #[error("commit failed, nothing of this batch was stored: {0}")]
    Commit(String),

    #[error("there is no `{0}` table yet")]
    NoTable(&'static str),

    #[error("the ingest writer has stopped")]
    WriterStopped,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
