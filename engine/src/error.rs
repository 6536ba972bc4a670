//! Errors of the engine layer.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    DataFusion(#[from] datafusion::error::DataFusionError),

    #[error(transparent)]
    Ingest(#[from] voxlake_ingest::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
