//! `voxlake reenrich --since DATE`: recompute the enrichment columns of the
//! feedback received on or after a day, with the models in use now (after a
//! taxonomy edit or a retrained model), as one new committed Delta version.
//!
//! The rewrite is a Delta overwrite with `replaceWhere dt >= DATE`: the files
//! of those days are replaced in a single commit, so readers see the old
//! enrichment or the new, never a mix, and the previous version stays
//! readable by time travel until vacuum removes its files. The rows stream
//! from the table through the enrichment function into the new files; they
//! are never all in memory. A concurrent append to the same days makes the
//! commit fail (Delta's conflict check) rather than lose rows: run it again.

mod stream;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{NaiveDate, NaiveTime};
use datafusion::common::ScalarValue;
use datafusion::datasource::provider_as_source;
use datafusion::logical_expr::{LogicalPlanBuilder, col, lit};
use datafusion::prelude::SessionContext;
use deltalake::protocol::SaveMode;
use serde::Serialize;
use tracing::info;
use voxlake_models::bundle::Models;

use crate::error::{Error, Result};
use crate::schema::{FEEDBACK_TABLE, PARTITION_COLUMN};
use crate::store::writer::writer_properties;
use crate::store::{StoreConfig, day_of};
use crate::tables::{open_latest, provider};

/// What a re-enrichment did.
#[derive(Clone, Debug, Serialize)]
pub struct ReenrichReport {
    pub rows: u64,
    /// The table version before and after.
    pub previous_version: i64,
    pub version: i64,
    pub model_version: String,
}

/// Re-enrich every feedback whose day (`dt`) is `since` or later.
pub async fn reenrich(store: &StoreConfig, models: Arc<Models>, since: NaiveDate) -> Result<ReenrichReport> {
    let table = open_latest(store, FEEDBACK_TABLE)
        .await?
        .ok_or(Error::NoTable(FEEDBACK_TABLE))?;
    let previous_version = table.version().map_or(-1, |v| v as i64);
    let first_day = day_of(since.and_time(NaiveTime::MIN).and_utc());
    let days = col(PARTITION_COLUMN).gt_eq(lit(ScalarValue::Date32(Some(first_day))));
    let ctx = SessionContext::new();
    let scan = ctx
        .read_table(provider(&ctx, &table).await?)?
        .filter(days.clone())?
        .create_physical_plan()
        .await?;
    let rows = Arc::new(AtomicU64::new(0));
    let source = stream::reenriched_table(scan, Arc::clone(&models), Arc::clone(&rows))?;
    let plan = LogicalPlanBuilder::scan("reenriched", provider_as_source(Arc::new(source)), None)?.build()?;
    let table = table
        .write(Vec::new())
        .with_input_plan(plan)
        .with_save_mode(SaveMode::Overwrite)
        .with_replace_where(days)
        .with_writer_properties(writer_properties())
        .await?;
    let report = ReenrichReport {
        rows: rows.load(Ordering::Relaxed),
        previous_version,
        version: table.version().map_or(-1, |v| v as i64),
        model_version: models.version().to_owned(),
    };
    info!(rows = report.rows, version = report.version, since = %since, "re-enriched");
    Ok(report)
}
