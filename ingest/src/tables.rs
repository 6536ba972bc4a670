//! Registering the lake's tables with a DataFusion session, for the queries
//! ingest runs itself (channel health) and for the engine.

use std::sync::Arc;

use datafusion::catalog::TableProvider;
use datafusion::prelude::SessionContext;
use deltalake::DeltaTable;

use crate::error::Result;
use crate::schema::{FEEDBACK_TABLE, REJECTS_TABLE};
use crate::store::StoreConfig;

/// The tables ingest owns, by name.
pub const TABLES: [&str; 2] = [FEEDBACK_TABLE, REJECTS_TABLE];

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
