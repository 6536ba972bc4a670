//! Registering the lake's tables with a DataFusion session, for the queries
//! ingest runs itself (channel health) and for the engine.

use std::sync::Arc;

use datafusion::catalog::TableProvider;
use datafusion::prelude::SessionContext;
use deltalake::DeltaTable;

use crate::error::Result;
use crate::schema::{AUDIT_TABLE, FEEDBACK_TABLE, LABELS_TABLE, REJECTS_TABLE, col};
use crate::store::StoreConfig;

/// Every table of the lake, by name.
pub const TABLES: [&str; 4] = [FEEDBACK_TABLE, REJECTS_TABLE, AUDIT_TABLE, LABELS_TABLE];

/// The column whose values each day of table `name` is ordered by at
/// compaction (see [`crate::store::compact`]): for `feedback`, `product`, the
/// dimension dashboards filter on most; the other tables are only merged.
pub fn cluster_column(name: &str) -> Option<&'static str> {
    (name == FEEDBACK_TABLE).then_some(col::PRODUCT)
}

/// Open the latest committed version of a table; `None` when it does not exist yet.
pub async fn open_latest(store: &StoreConfig, name: &str) -> Result<Option<DeltaTable>> {
    let url = store.table_url(name)?;
    if store.local_table_dir(name)?.is_some_and(|dir| !dir.exists()) {
        return Ok(None);
    }
    let table = DeltaTable::try_from_url_with_storage_options(url, store.options().clone()).await?;
    Ok(table.version().is_some().then_some(table))
}

/// A DataFusion provider reading `table` as of its loaded version.
pub async fn provider(ctx: &SessionContext, table: &DeltaTable) -> Result<Arc<dyn TableProvider>> {
    table.update_datafusion_session(&ctx.state())?;
    Ok(table.table_provider().await?)
}

/// Register every existing lake table with `ctx` at its latest version.
pub async fn register_all(ctx: &SessionContext, store: &StoreConfig) -> Result<()> {
    for name in TABLES {
        if let Some(table) = open_latest(store, name).await? {
            ctx.register_table(name, provider(ctx, &table).await?)?;
        }
    }
    Ok(())
}

/// What `/v1/tables/{name}` shows about a table.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TableInfo {
    pub name: String,
    pub version: i64,
    pub rows: u64,
    pub files: u64,
    pub size_bytes: u64,
    /// Distinct values of the partition column (days).
    pub partitions: u64,
    pub columns: Vec<ColumnInfo>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct ColumnInfo {
    pub name: String,
    #[serde(rename = "type")]
    pub data_type: String,
    pub nullable: bool,
}

/// Describe the latest version of `name` from its log alone (no data read).
pub async fn describe(store: &StoreConfig, name: &str) -> Result<Option<TableInfo>> {
    let Some(table) = open_latest(store, name).await? else {
        return Ok(None);
    };
    let snapshot = table.snapshot()?;
    let (mut rows, mut files, mut size_bytes) = (0u64, 0u64, 0u64);
    let mut days = std::collections::BTreeSet::new();
    for file in snapshot.log_data().iter() {
        files += 1;
        size_bytes += file.size().max(0) as u64;
        rows += file.num_records().unwrap_or(0) as u64;
        if let Some(Some(day)) = file.partition_values_map().get(crate::schema::PARTITION_COLUMN) {
            days.insert(day.clone());
        }
    }
    let schema = snapshot.snapshot().arrow_schema();
    let columns = schema
        .fields()
        .iter()
        .map(|f| ColumnInfo {
            name: f.name().clone(),
            data_type: f.data_type().to_string(),
            nullable: f.is_nullable(),
        })
        .collect();
    let version = table.version().map_or(-1, |v| v as i64);
    Ok(Some(TableInfo {
        name: name.to_owned(),
        version,
        rows,
        files,
        size_bytes,
        partitions: days.len() as u64,
        columns,
    }))
}
