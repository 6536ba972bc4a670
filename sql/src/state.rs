//! What every handler can reach.

use voxlake_engine::EngineConfig;
use voxlake_ingest::Ingest;
use voxlake_ingest::store::StoreConfig;

#[derive(Clone)]
pub struct AppState {
    pub ingest: Ingest,
    pub engine: EngineConfig,
}

impl AppState {
    pub fn store(&self) -> &StoreConfig {
        &self.engine.store
    }
}
