//! Errors of loading a model set: which file, and what is wrong with it.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("models directory {0} does not exist or is not a directory")]
    MissingDir(PathBuf),

    /// A model file is present but cannot be used; `message` names the fault.
    #[error("model file {path}: {message}")]
    File { path: PathBuf, message: String },

    /// One of the models compiled into the binary does not load (a build problem).
    #[error("shipped {what}: {message}")]
    Shipped { what: &'static str, message: String },
}

impl Error {
    pub(crate) fn file(path: &std::path::Path, error: impl std::fmt::Display) -> Self {
        Error::File {
            path: path.to_path_buf(),
            message: error.to_string(),
        }
    }
}
