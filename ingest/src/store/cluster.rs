//! Clustering: each day's rows ordered by one column, so filters on it skip pages.
//!
//! A day's files hold rows in arrival order, so every page of every file
//! holds every product: a dashboard that filters one product (`WHERE product
//! = …`) decodes the whole column on every day, then the columns it groups by
//! for the rows that match. Clustering rewrites a day into a file ordered by
//! the table's clustering column (then by `received_at`), written with small
//! pages ([`CLUSTERED_PAGE_ROWS`]). The page index then tells a reader which
//! few pages hold the value, and it skips the rest in the filtered column and
//! in every column read with it.
//!
//! The rewrite is a Delta overwrite with `replaceWhere dt IN (…)` over the
//! days that need it, as `reenrich` does, one commit per million rows or so:
//! readers see a day's old files or its new ones, and a concurrent append to
//! one of those days makes that commit fail rather than lose rows (the next
//! run retries). Rows stream through: one day is sorted at a time. (Delta's Z-order is no substitute: it orders by the
//! first 16 bytes of a value, and product names sharing a 5-character prefix
//! end up interleaved.)
//!
//! A clustered file names its column in its Parquet key-value metadata
//! ([`CLUSTERED_BY_KEY`]). A day is rewritten when it has more than one file
//! (new rows arrived since) or its only file lacks that mark, so a run after
//! a quiet period rewrites nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveTime};
use datafusion::catalog::TableProvider;
use datafusion::catalog::streaming::StreamingTable;
use datafusion::common::ScalarValue;
use datafusion::datasource::physical_plan::parquet::metadata::DFParquetMetadata;
use datafusion::datasource::provider_as_source;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::{Expr, LogicalPlanBuilder, col, lit};
use datafusion::parquet::file::metadata::KeyValue;
use datafusion::parquet::file::properties::WriterProperties;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::PartitionStream;
use datafusion::prelude::{DataFrame, SessionContext};
use deltalake::arrow::datatypes::SchemaRef;
use deltalake::protocol::SaveMode;
use deltalake::{DeltaTable, DeltaTableError, ObjectMeta, ObjectStoreError, Path};
use futures::{StreamExt, TryStreamExt, stream};

use crate::error::Result;
use crate::schema::{PARTITION_COLUMN, col as column};
use crate::tables::provider;

use super::batch::day_of;
use super::writer::writer_properties_builder;

/// Parquet key-value metadata key naming the column a file is ordered by.
pub const CLUSTERED_BY_KEY: &str = "voxlake.clustered_by";

/// Rows per data page of a clustered file: small enough that one value's run
/// of rows spans a few pages, large enough that page headers and statistics
/// stay a small part of the file.
pub const CLUSTERED_PAGE_ROWS: usize = 1024;

/// Rows rewritten per Delta commit. The writer keeps a file open per day
/// until its commit, so this bounds the memory of a run (a day larger than
/// this is rewritten alone).
const ROWS_PER_COMMIT: u64 = 1_000_000;

/// Rewrite every day not yet clustered by `column` into files ordered by it
/// (nothing when every day already is), a commit per [`ROWS_PER_COMMIT`]
/// rows; returns the table and how many files were removed and added.
pub(super) async fn cluster(mut table: DeltaTable, column: &str) -> Result<(DeltaTable, u64, u64)> {
    let (mut removed, mut added) = (0, 0);
    for days in commit_groups(days_to_cluster(&table, column).await?) {
        removed += files_in(&table, &days)?;
        table = rewrite_sorted(table, &days, column).await?;
        added += files_in(&table, &days)?;
    }
    Ok((table, removed, added))
}

/// One Delta overwrite of `days` (`replaceWhere dt IN days`), each day's rows
/// ordered by `column` then `received_at`.
async fn rewrite_sorted(table: DeltaTable, days: &[NaiveDate], column: &str) -> Result<DeltaTable> {
    let ctx = SessionContext::new();
    let scan = ctx.read_table(provider(&ctx, &table).await?)?;
    let sorted = sorted_days(&scan, days, column)?;
    let plan = LogicalPlanBuilder::scan("clustered", provider_as_source(sorted), None)?.build()?;
    let in_days = col(PARTITION_COLUMN).in_list(days.iter().map(|d| lit(date32(*d))).collect(), false);
    Ok(table
        .write(Vec::new())
        .with_input_plan(plan)
        .with_save_mode(SaveMode::Overwrite)
        .with_replace_where(in_days)
        .with_writer_properties(clustered_writer_properties(column))
        .await?)
}

/// `days` (with their row counts) in consecutive groups of at most
/// [`ROWS_PER_COMMIT`] rows, or one day.
fn commit_groups(days: Vec<(NaiveDate, u64)>) -> Vec<Vec<NaiveDate>> {
    let mut groups: Vec<Vec<NaiveDate>> = Vec::new();
    let mut rows_in_last = 0;
    for (day, rows) in days {
        match groups.last_mut() {
            Some(last) if rows_in_last + rows <= ROWS_PER_COMMIT => {
                last.push(day);
                rows_in_last += rows;
            }
            _ => {
                groups.push(vec![day]);
                rows_in_last = rows;
            }
        }
    }
    groups
}

/// The writer properties of every table, plus small pages and the mark.
pub fn clustered_writer_properties(column: &str) -> WriterProperties {
    writer_properties_builder()
        .set_data_page_row_count_limit(CLUSTERED_PAGE_ROWS)
        .set_write_batch_size(CLUSTERED_PAGE_ROWS)
        .set_key_value_metadata(Some(vec![KeyValue::new(
            CLUSTERED_BY_KEY.to_owned(),
            column.to_owned(),
        )]))
        .build()
}

fn date32(day: NaiveDate) -> ScalarValue {
    ScalarValue::Date32(Some(day_of(day.and_time(NaiveTime::MIN).and_utc())))
}

/// The files of one day, from the log.
#[derive(Default)]
struct DayFiles {
    /// Path and size in bytes of each file.
    files: Vec<(Path, u64)>,
    rows: u64,
}

/// The files of the table by day, from the log.
fn files_by_day(table: &DeltaTable) -> Result<BTreeMap<NaiveDate, DayFiles>> {
    let mut days: BTreeMap<NaiveDate, DayFiles> = BTreeMap::new();
    for file in table.snapshot()?.log_data().iter() {
        let Some(Some(day)) = file.partition_values_map().remove(PARTITION_COLUMN) else {
            continue;
        };
        let Ok(day) = day.parse::<NaiveDate>() else { continue };
        let path =
            Path::from_url_path(file.path().as_ref()).map_err(|e| DeltaTableError::from(ObjectStoreError::from(e)))?;
        let entry = days.entry(day).or_default();
        entry.files.push((path, file.size().max(0) as u64));
        entry.rows += file.num_records().unwrap_or(0) as u64;
    }
    Ok(days)
}

fn files_in(table: &DeltaTable, days: &[NaiveDate]) -> Result<u64> {
    let files = files_by_day(table)?;
    Ok(days
        .iter()
        .filter_map(|d| files.get(d))
        .map(|f| f.files.len() as u64)
        .sum())
}

/// The days (with their rows) that have more than one file, or one file
/// not marked as clustered by `column`, in order.
async fn days_to_cluster(table: &DeltaTable, column: &str) -> Result<Vec<(NaiveDate, u64)>> {
    let today = chrono::Utc::now().date_naive();
    let mut todo = Vec::new();
    // Today's rows are still arriving: a rewrite of its day would race live
    // ingest (and lose the commit to it), and be undone by the next append
    // anyway. A day is clustered once it is over.
    let days = files_by_day(table)?.into_iter().filter(|(day, _)| *day < today);
    for (day, DayFiles { files, rows }) in days {
        let clustered = match files.as_slice() {
            [(path, size)] => is_clustered_by(table, path, *size, column).await?,
            _ => false,
        };
        if !clustered {
            todo.push((day, rows));
        }
    }
    Ok(todo)
}

/// Whether the file's footer names `column` as its clustering column.
async fn is_clustered_by(table: &DeltaTable, path: &Path, size: u64, column: &str) -> Result<bool> {
    let store = table.object_store();
    let file = ObjectMeta {
        location: path.clone(),
        last_modified: chrono::Utc::now(),
        size,
        e_tag: None,
        version: None,
    };
    let metadata = DFParquetMetadata::new(store.as_ref(), &file).fetch_metadata().await?;
    let marked = metadata
        .file_metadata()
        .key_value_metadata()
        .into_iter()
        .flatten()
        .any(|kv| kv.key == CLUSTERED_BY_KEY && kv.value.as_deref() == Some(column));
    Ok(marked)
}

/// A one-partition table: the rows of `days` of `scan`, one day after the
/// other, each day ordered by `column` then `received_at`.
fn sorted_days(scan: &DataFrame, days: &[NaiveDate], column: &str) -> Result<Arc<dyn TableProvider>> {
    let order = [
        col(column).sort(true, false),
        col(column::RECEIVED_AT).sort(true, false),
    ];
    let per_day: Vec<DataFrame> = days
        .iter()
        .map(|day| {
            let one_day: Expr = col(PARTITION_COLUMN).eq(lit(date32(*day)));
            scan.clone().filter(one_day)?.sort(order.to_vec())
        })
        .collect::<datafusion::common::Result<_>>()?;
    let schema: SchemaRef = Arc::clone(scan.schema().inner());
    let partition = DayByDay {
        schema: Arc::clone(&schema),
        per_day,
    };
    Ok(Arc::new(StreamingTable::try_new(schema, vec![Arc::new(partition)])?))
}

#[derive(Debug)]
struct DayByDay {
    schema: SchemaRef,
    per_day: Vec<DataFrame>,
}

impl PartitionStream for DayByDay {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, _ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let batches = stream::iter(self.per_day.clone())
            .then(|day| day.execute_stream())
            .try_flatten();
        Box::pin(RecordBatchStreamAdapter::new(Arc::clone(&self.schema), batches))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_group_consecutive_days_up_to_the_row_budget() {
        let day = |d| NaiveDate::from_ymd_opt(2025, 1, d).expect("valid day");
        let half = ROWS_PER_COMMIT / 2;
        let days = vec![
            (day(1), half),
            (day(2), half),
            (day(3), 1),
            (day(4), 3 * ROWS_PER_COMMIT),
            (day(5), 1),
        ];
        let groups = commit_groups(days);
        assert_eq!(
            groups,
            vec![vec![day(1), day(2)], vec![day(3)], vec![day(4)], vec![day(5)]]
        );
    }
}
