//! Rebuilding the deduplication memory from the table at start-up, so that
//! idempotency and duplicate links survive restarts.

use chrono::{DateTime, Duration, Utc};
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{Int64Type, TimestampMicrosecondType};
use datafusion::prelude::SessionContext;
use deltalake::DeltaTable;
use futures::StreamExt;
use tracing::info;
use ulid::Ulid;

use voxlake_models::text::simhash::simhash;

use crate::clean::{source_key, text_hash};
use crate::columns::{opt_str, strings};
use crate::dedup::{DedupIndex, Profile};
use crate::error::Result;

/// Load every stored `(channel, source_id)`, each customer's texts within
/// `window` of the newest feedback, and each customer's latest region and tier.
pub async fn load_index(table: &DeltaTable, window: Duration) -> Result<DedupIndex> {
    let mut index = DedupIndex::new(window);
    let ctx = SessionContext::new();
    table.update_datafusion_session(&ctx.state())?;
    ctx.register_table("feedback", table.table_provider().await?)?;
    scan(&ctx, "SELECT channel, source_id, feedback_id FROM feedback", |b| {
        remember_sources(&mut index, b)
    })
    .await?;
    let newest = newest_received(&ctx).await?;
    if let Some(newest) = newest {
        let since = (newest - window).timestamp_micros();
        let sql = format!(
            "SELECT customer_id, feedback_id, received_at, text FROM feedback \
             WHERE customer_id IS NOT NULL AND received_at >= to_timestamp_micros({since}) ORDER BY received_at"
        );
        scan(&ctx, &sql, |b| remember_texts(&mut index, b)).await?;
    }
    let sql = "SELECT customer_id, last_value(region ORDER BY received_at) FILTER (WHERE region IS NOT NULL), \
               last_value(customer_tier ORDER BY received_at) FILTER (WHERE customer_tier IS NOT NULL) \
               FROM feedback WHERE customer_id IS NOT NULL GROUP BY customer_id";
    scan(&ctx, sql, |b| remember_profiles(&mut index, b)).await?;
    info!(rows = index.len(), "loaded ingest index");
    Ok(index)
}

async fn scan(ctx: &SessionContext, sql: &str, mut f: impl FnMut(&RecordBatch) -> Result<()>) -> Result<()> {
    let mut stream = ctx.sql(sql).await?.execute_stream().await?;
    while let Some(batch) = stream.next().await {
        f(&batch?)?;
    }
    Ok(())
}

async fn newest_received(ctx: &SessionContext) -> Result<Option<DateTime<Utc>>> {
    let batches = ctx
        .sql("SELECT max(received_at) FROM feedback")
        .await?
        .collect()
        .await?;
    let micros = batches
        .first()
        .map(|b| b.column(0).as_primitive::<TimestampMicrosecondType>())
        .filter(|a| !a.is_empty() && a.is_valid(0))
        .map(|a| a.value(0));
    Ok(micros.and_then(DateTime::from_timestamp_micros))
}

fn parse_id(id: &str) -> Ulid {
    Ulid::from_string(id).unwrap_or_default()
}

fn remember_sources(index: &mut DedupIndex, batch: &RecordBatch) -> Result<()> {
    let (channels, sources, ids) = (
        strings(batch.column(0))?,
        strings(batch.column(1))?,
        strings(batch.column(2))?,
    );
    for i in 0..batch.num_rows() {
        index.remember_source(source_key(channels.value(i), sources.value(i)), parse_id(ids.value(i)));
    }
    Ok(())
}

fn remember_texts(index: &mut DedupIndex, batch: &RecordBatch) -> Result<()> {
    let customers = batch.column(0).as_primitive::<Int64Type>();
    let ids = strings(batch.column(1))?;
    let times = batch.column(2).as_primitive::<TimestampMicrosecondType>();
    let texts = strings(batch.column(3))?;
    for i in 0..batch.num_rows() {
        let Some(at) = DateTime::from_timestamp_micros(times.value(i)) else {
            continue;
        };
        let text = texts.value(i);
        let hash = text_hash(text);
        index.remember_text(
            customers.value(i),
            parse_id(ids.value(i)),
            at,
            hash,
            simhash(text),
            text.chars().count(),
        );
    }
    Ok(())
}

fn remember_profiles(index: &mut DedupIndex, batch: &RecordBatch) -> Result<()> {
    let customers = batch.column(0).as_primitive::<Int64Type>();
    let (regions, tiers) = (strings(batch.column(1))?, strings(batch.column(2))?);
    let text = |a: &datafusion::arrow::array::StringArray, i: usize| opt_str(a, i).map(smol_str::SmolStr::new);
    for i in 0..batch.num_rows() {
        index.remember_profile(
            customers.value(i),
            Profile {
                region: text(&regions, i),
                tier: text(&tiers, i),
            },
        );
    }
    Ok(())
}
