//! Errors of topic discovery: configuration, mismatched inputs, model files.
//! Loading never panics on a bad file.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("invalid topic configuration: {0}")]
    Config(String),

    #[error("invalid input: {0}")]
    Input(String),

    #[error("not a Voxlake topic model (bad magic bytes)")]
    BadMagic,

    #[error("topic model format version {found} is not supported (this build reads version {supported})")]
    UnsupportedVersion { found: u32, supported: u32 },

    #[error("topic model file is truncated: expected {expected} bytes, found {found}")]
    Truncated { expected: u64, found: u64 },

    #[error("topic model checksum mismatch: stored {stored:#018x}, computed {computed:#018x}")]
    ChecksumMismatch { stored: u64, computed: u64 },

    #[error("corrupt topic model: {0}")]
    Corrupt(String),
}

crate::envelope::impl_from_envelope!(Error);
