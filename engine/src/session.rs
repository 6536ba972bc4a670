//! Building the DataFusion session: runtime limits, catalog, tables.

use std::sync::Arc;

use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};

use voxlake_ingest::store::StoreConfig;
use voxlake_ingest::tables;
use voxlake_models::bundle::LiveModels;

use crate::access::TableAccess;
use crate::error::Result;
use crate::functions;

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

/// The one function that builds a session: memory-limited runtime with spill
/// to disk, information_schema, every Voxlake table `access` allows, at its
/// latest committed version, and Voxlake's SQL functions.
pub async fn build(config: &EngineConfig, access: &TableAccess) -> Result<SessionContext> {
    let runtime = RuntimeEnvBuilder::new()
        .with_memory_pool(Arc::new(FairSpillPool::new(config.memory_limit_bytes)))
        .with_disk_manager_builder(DiskManagerBuilder::default().with_mode(DiskManagerMode::OsTmpDirectory))
        .build_arc()?;
    let mut session = SessionConfig::new()
        .with_information_schema(true)
        .with_default_catalog_and_schema("voxlake", "public")
        .set_bool("datafusion.execution.parquet.pushdown_filters", false)
        // Spans let SQL errors name the line and column at fault.
        .set_bool("datafusion.sql_parser.collect_spans", true);
    if config.target_partitions > 0 {
        session = session.with_target_partitions(config.target_partitions);
    }
    let ctx = SessionContext::new_with_config_rt(session, runtime);
    for name in tables::TABLES {
        let Some(table) = tables::open_latest(&config.store, name).await? else {
            continue;
        };
        let provider = tables::provider(&ctx, &table).await?;
        if let Some(provider) = access.restrict(name, provider)? {
            ctx.register_table(name, provider)?;
        }
    }
    functions::register_all(&ctx, &functions::current_models(&config.models)).await?;
    Ok(ctx)
}
