//! Errors of the sentiment module: reading data, checking configuration, and
//! reading or writing model files. Loading never panics on a bad file.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("{path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },

    #[error("{path}:{line}: {message}")]
    Data { path: PathBuf, line: u64, message: String },

    #[error("invalid training configuration: {0}")]
    Config(String),

    #[error("cannot train the {language} model: {message}")]
    Training { language: &'static str, message: String },

    #[error("not a Voxlake sentiment model (bad magic bytes)")]
    BadMagic,

    #[error("sentiment model format version {found} is not supported (this build reads version {supported})")]
    UnsupportedVersion { found: u32, supported: u32 },

    #[error("sentiment model file is truncated: expected {expected} bytes, found {found}")]
    Truncated { expected: u64, found: u64 },

    #[error("sentiment model checksum mismatch: stored {stored:#018x}, computed {computed:#018x}")]
    ChecksumMismatch { stored: u64, computed: u64 },

    #[error("corrupt sentiment model: {0}")]
    Corrupt(String),
}

crate::envelope::impl_from_envelope!(Error);
