//! Errors of the taxonomy module: a taxonomy file that does not hold together
//! (always naming the category and the line at fault), training data that does
//! not fit the taxonomy, and model files that cannot be read.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file is not valid TOML or does not have the taxonomy's shape.
    #[error("taxonomy file: {0}")]
    Syntax(String),

    /// The file parses but a category or aspect is wrong.
    #[error("taxonomy file, line {line}, `{id}`: {message}")]
    Invalid { id: String, line: usize, message: String },

    /// Something about the taxonomy as a whole (no fallback category, …).
    #[error("taxonomy file: {0}")]
    Taxonomy(String),

    #[error("training example {feedback_id}: {message}")]
    Example { feedback_id: String, message: String },

    #[error("cannot train the classifier: {0}")]
    Training(String),

    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("not a Voxlake taxonomy model (bad magic bytes)")]
    BadMagic,

    #[error("taxonomy model format version {found} is not supported (this build reads version {supported})")]
    UnsupportedVersion { found: u32, supported: u32 },

    #[error("taxonomy model file is truncated: expected {expected} bytes, found {found}")]
    Truncated { expected: u64, found: u64 },

    #[error("taxonomy model checksum mismatch: stored {stored:#018x}, computed {computed:#018x}")]
    ChecksumMismatch { stored: u64, computed: u64 },

    #[error("corrupt taxonomy model: {0}")]
    Corrupt(String),
}

crate::envelope::impl_from_envelope!(Error);
