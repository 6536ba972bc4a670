//! The lake's tables, opened once per process and shared by every query.
//!
//! Opening a Delta table reads its whole log (the checkpoint and every commit
//! since), which on a large table costs tens of milliseconds: too much to pay
//! on every query. So each table is opened once, and at the start of every
//! query brought up to date with [`DeltaTable::update_incremental`], which
//! lists the log only from the loaded version on (one LIST, plus a read of
//! `_last_checkpoint` when nothing changed) and replays just the new commits.
//! A query therefore still reads the latest committed version, as before.
//!
//! A table provider is built once per version and shared; the per-role
//! restrictions ([`TableAccess`](crate::TableAccess)) wrap it anew in each
//! query's session, so nothing role-specific is cached here.
//!
//! Concurrency: no lock is held across I/O. A query clones the loaded table
//! (a few `Arc`s), updates its clone and publishes the result if it is newer
//! than what the cache holds by then. Concurrent queries therefore never wait
//! for each other's log listing; the price is that two queries racing on a
//! new version may both replay it, which is harmless.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use datafusion::catalog::TableProvider;
use datafusion::prelude::SessionContext;
use deltalake::DeltaTable;
use tracing::{debug, warn};

use voxlake_ingest::store::StoreConfig;
use voxlake_ingest::tables;

use crate::error::Result;

/// One table at one version, with the provider that reads that version.
struct Loaded {
    table: DeltaTable,
    provider: Arc<dyn TableProvider>,
}

impl Loaded {
    /// `-1` for a table without a committed version (never cached, see [`TableCache::open`]).
    fn version(&self) -> i64 {
        self.table.version().map_or(-1, |v| v as i64)
    }
}

/// The cache slot of one table: `None` until the table exists.
struct Slot {
    name: &'static str,
    loaded: RwLock<Option<Arc<Loaded>>>,
}

impl Slot {
    fn get(&self) -> Option<Arc<Loaded>> {
        // A panic elsewhere cannot leave an `Option<Arc>` half-written.
        self.loaded.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Keep `fresh` unless a concurrent query already published a newer version.
    fn publish(&self, fresh: &Arc<Loaded>) {
        let mut slot = self.loaded.write().unwrap_or_else(|p| p.into_inner());
        if slot.as_ref().is_none_or(|held| held.version() < fresh.version()) {
            *slot = Some(Arc::clone(fresh));
        }
    }

    /// Forget the table, so the next query opens it afresh.
    fn clear(&self) {
        *self.loaded.write().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// Every table of the lake ([`tables::TABLES`]), kept open between queries.
///
/// Providers are built against the object stores of one `RuntimeEnv`: use a
/// cache only with sessions sharing that runtime (the [`Engine`](crate::Engine) does).
pub(crate) struct TableCache {
    store: StoreConfig,
    slots: Vec<Slot>,
    opens: AtomicU64,
}

impl TableCache {
    pub(crate) fn new(store: StoreConfig) -> Self {
        let slots = tables::TABLES
            .into_iter()
            .map(|name| Slot {
                name,
                loaded: RwLock::new(None),
            })
            .collect();
        Self {
            store,
            slots,
            opens: AtomicU64::new(0),
        }
    }

    /// The names of every table, in [`tables::TABLES`] order.
    pub(crate) fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.slots.iter().map(|slot| slot.name)
    }

    /// How many times a table's log was read from scratch, rather than
    /// updated: once per table in a steady state.
    pub(crate) fn opens(&self) -> u64 {
        self.opens.load(Ordering::Relaxed)
    }

    /// A provider for the latest committed version of `name`, `None` when
    /// the table does not exist (yet). `ctx` is the query's session.
    pub(crate) async fn latest(&self, ctx: &SessionContext, name: &str) -> Result<Option<Arc<dyn TableProvider>>> {
        Ok(self.loaded(ctx, name).await?.map(|l| Arc::clone(&l.provider)))
    }

    /// The latest committed version of `name`, `None` when it does not exist (yet).
    pub(crate) async fn version(&self, ctx: &SessionContext, name: &str) -> Result<Option<i64>> {
        Ok(self.loaded(ctx, name).await?.map(|l| l.version()))
    }

    async fn loaded(&self, ctx: &SessionContext, name: &str) -> Result<Option<Arc<Loaded>>> {
        let Some(slot) = self.slots.iter().find(|slot| slot.name == name) else {
            return Ok(None);
        };
        match slot.get() {
            Some(held) => self.update(ctx, slot, held).await,
            None => self.open(ctx, slot).await,
        }
    }

    /// `held` brought up to date. If the update fails (the log was
    /// rewritten, say), the table is opened afresh instead.
    async fn update(&self, ctx: &SessionContext, slot: &Slot, held: Arc<Loaded>) -> Result<Option<Arc<Loaded>>> {
        let mut table = held.table.clone();
        if let Err(e) = table.update_incremental(None).await {
            warn!(table = slot.name, error = %e, "could not update the table; opening it afresh");
            slot.clear();
            return self.open(ctx, slot).await;
        }
        if table.version() == held.table.version() {
            return Ok(Some(held));
        }
        debug!(table = slot.name, version = ?table.version(), "table updated");
        self.publish(ctx, slot, table).await.map(Some)
    }

    /// Read `slot`'s table from scratch; `None` while it does not exist.
    async fn open(&self, ctx: &SessionContext, slot: &Slot) -> Result<Option<Arc<Loaded>>> {
        let Some(table) = tables::open_latest(&self.store, slot.name).await? else {
            return Ok(None);
        };
        self.opens.fetch_add(1, Ordering::Relaxed);
        debug!(table = slot.name, version = ?table.version(), "table opened");
        self.publish(ctx, slot, table).await.map(Some)
    }

    /// Build the provider of `table`'s version and offer it to the cache.
    async fn publish(&self, ctx: &SessionContext, slot: &Slot, table: DeltaTable) -> Result<Arc<Loaded>> {
        let provider = tables::provider(ctx, &table).await?;
        let fresh = Arc::new(Loaded { table, provider });
        slot.publish(&fresh);
        Ok(fresh)
    }
}
