//! Building the DataFusion session: runtime limits, catalog, tables, and the
//! [`Engine`] that keeps what sessions share between queries.

use std::sync::Arc;

use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use datafusion::prelude::{SessionConfig, SessionContext};
use futures::future::try_join_all;

use voxlake_ingest::store::StoreConfig;
use voxlake_models::bundle::LiveModels;

use crate::access::TableAccess;
use crate::cache::TableCache;
use crate::error::Result;
use crate::functions::{self, FunctionCache};

/// How the engine may use the machine.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    pub store: StoreConfig,
    /// Memory the engine may hold for query state before it spills to disk.
    pub memory_limit_bytes: usize,
    /// Threads used to execute one query (0 = one per core).
    pub target_partitions: usize,
    /// The models behind the SQL functions, loaded once per process.
    pub models: Arc<LiveModels>,
}

impl EngineConfig {
    /// Defaults: half of the machine's memory, one partition per core, the shipped models.
    pub fn new(store: StoreConfig) -> Self {
        Self {
            store,
            memory_limit_bytes: default_memory_limit(),
            target_partitions: 0,
            models: LiveModels::shipped(),
        }
    }
}

/// Half the physical memory, read from /proc/meminfo; 4 GiB when unknown.
fn default_memory_limit() -> usize {
    let total_kib = std::fs::read_to_string("/proc/meminfo").ok().and_then(|info| {
        info.lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kib| kib.parse::<usize>().ok())
    });
    total_kib.map_or(4 << 30, |kib| kib * 1024 / 2)
}

/// The engine of a process: what every query's session shares.
///
/// A separate type from [`EngineConfig`] because it holds live state that
/// must be made once and shared, not copied per query: the runtime (so the
/// memory limit is one pool for the whole process, not one per query), the
/// open tables ([`TableCache`], so a query updates a table's log instead of
/// reading it from scratch) and the SQL functions of the current models.
/// Cloning an `Engine` shares all of it; make one per process.
#[derive(Clone)]
pub struct Engine {
    config: EngineConfig,
    runtime: Arc<RuntimeEnv>,
    tables: Arc<TableCache>,
    functions: Arc<FunctionCache>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// The engine for `config`; opens nothing yet (tables open on first use).
    pub fn new(config: EngineConfig) -> Result<Self> {
        let runtime = RuntimeEnvBuilder::new()
            .with_memory_pool(Arc::new(FairSpillPool::new(config.memory_limit_bytes)))
            .with_disk_manager_builder(DiskManagerBuilder::default().with_mode(DiskManagerMode::OsTmpDirectory))
            .build_arc()?;
        Ok(Self {
            tables: Arc::new(TableCache::new(config.store.clone())),
            functions: Arc::new(FunctionCache::default()),
            runtime,
            config,
        })
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// How many times a table's log has been read from scratch (not just
    /// updated) by this engine: once per table in a steady state.
    pub fn table_opens(&self) -> u64 {
        self.tables.opens()
    }

    /// The one function that builds a session: the shared memory-limited
    /// runtime with spill to disk, information_schema, every Voxlake table
    /// `access` allows, at its latest committed version, and Voxlake's SQL
    /// functions. Build one per query; it is cheap (no table log is re-read).
    pub async fn session(&self, access: &TableAccess) -> Result<SessionContext> {
        let ctx = SessionContext::new_with_config_rt(self.session_config(), Arc::clone(&self.runtime));
        let names: Vec<_> = self.tables.names().filter(|name| access.allows(name)).collect();
        // One log listing per table; on an object store they overlap.
        let latest = try_join_all(names.iter().map(|name| self.tables.latest(&ctx, name))).await?;
        for (name, provider) in names.into_iter().zip(latest) {
            let Some(provider) = provider else { continue };
            if let Some(provider) = access.restrict(name, provider)? {
                ctx.register_table(name, provider)?;
            }
        }
        functions::register_all(&ctx, &self.functions.current(&self.config.models)).await?;
        Ok(ctx)
    }

    /// The latest committed version of every table (`None`: not created
    /// yet) and the version of the models behind the SQL functions: what a
    /// query's answer depends on besides its text.
    pub async fn versions(&self) -> Result<(Vec<(&'static str, Option<i64>)>, String)> {
        let ctx = SessionContext::new_with_config_rt(self.session_config(), Arc::clone(&self.runtime));
        let names: Vec<_> = self.tables.names().collect();
        let versions = try_join_all(names.iter().map(|name| self.tables.version(&ctx, name))).await?;
        let models = functions::current_models(&self.config.models);
        Ok((names.into_iter().zip(versions).collect(), models.version().to_owned()))
    }

    fn session_config(&self) -> SessionConfig {
        let session = SessionConfig::new()
            .with_information_schema(true)
            .with_default_catalog_and_schema("voxlake", "public")
            .set_bool("datafusion.execution.parquet.pushdown_filters", false)
            // Spans let SQL errors name the line and column at fault.
            .set_bool("datafusion.sql_parser.collect_spans", true);
        match self.config.target_partitions {
            0 => session,
            n => session.with_target_partitions(n),
        }
    }
}

/// A one-off session, for commands that run a single query: an
/// [`Engine`] made for it and dropped after. A service keeps one [`Engine`]
/// and calls [`Engine::session`] per query instead.
pub async fn build(config: &EngineConfig, access: &TableAccess) -> Result<SessionContext> {
    Engine::new(config.clone())?.session(access).await
}
