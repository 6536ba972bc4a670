//! What every handler can reach.

use std::sync::Arc;

use voxlake_engine::EngineConfig;
use voxlake_ingest::Ingest;
use voxlake_ingest::store::StoreConfig;

use crate::audit::AuditLog;
use crate::auth::KeyStore;

#[derive(Clone)]
pub struct AppState {
    pub ingest: Ingest,
    pub engine: EngineConfig,
    pub keys: Arc<KeyStore>,
    pub audit: AuditLog,
}

impl AppState {
    pub fn store(&self) -> &StoreConfig {
        &self.engine.store
    }
}
