//! What every handler can reach.

use std::sync::Arc;

use voxlake_engine::Engine;
use voxlake_ingest::Ingest;
use voxlake_ingest::store::StoreConfig;

use crate::audit::AuditLog;
use crate::auth::KeyStore;
use crate::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub ingest: Ingest,
    /// Shared by every query: the open tables, the runtime and its memory pool.
    pub engine: Engine,
    pub keys: Arc<KeyStore>,
    pub audit: AuditLog,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// The state of a fresh service, with its metrics starting at zero.
    pub fn new(ingest: Ingest, engine: Engine, keys: Arc<KeyStore>, audit: AuditLog) -> Self {
        Self {
            ingest,
            engine,
            keys,
            audit,
            metrics: Arc::new(Metrics::new()),
        }
    }

    pub fn store(&self) -> &StoreConfig {
        &self.engine.config().store
    }
}
