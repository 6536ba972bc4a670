//! Appending record batches to a table as atomic Delta commits.
//!
//! `TableWriter` streams batches into Parquet files (zstd, one file per `dt`
//! partition per commit) and `commit` adds them all to the log in one
//! version. Files written but never committed (a crash between the two) are
//! invisible to readers and removed by vacuum.

use std::sync::Arc;

use datafusion::arrow::compute::concat_batches;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::basic::{Compression, ZstdLevel};
use datafusion::parquet::file::properties::{EnabledStatistics, WriterProperties, WriterPropertiesBuilder};
use datafusion::parquet::schema::types::ColumnPath;
use delta_kernel::expressions::Scalar;
use deltalake::DeltaTable;
use deltalake::kernel::StructType;
use deltalake::kernel::engine::arrow_conversion::TryIntoKernel;
use deltalake::writer::{DeltaWriter, RecordBatchWriter, WriteMode};
use indexmap::IndexMap;
use tracing::debug;

use crate::error::Result;
use crate::schema::{PARTITION_COLUMN, col};

use super::StoreConfig;

/// Rows per Parquet row group: large enough for good compression and cheap
/// statistics, small enough that pruning skips useful amounts.
const ROW_GROUP_ROWS: usize = 128 * 1024;

/// Open the table `name`, creating it with `schema` (partitioned by `dt`) when
/// it does not exist yet.
pub async fn open_or_create(store: &StoreConfig, name: &str, schema: &SchemaRef) -> Result<DeltaTable> {
    let url = store.table_url(name)?;
    if let Some(dir) = store.local_table_dir(name)? {
        std::fs::create_dir_all(&dir).map_err(|source| crate::error::Error::Io { path: dir, source })?;
    }
    let table = DeltaTable::try_from_url_with_storage_options(url, store.options().clone()).await?;
    if table.version().is_some() {
        return Ok(table);
    }
    let delta_schema: StructType = schema.as_ref().try_into_kernel()?;
    let table = table
        .create()
        .with_table_name(name)
        .with_columns(delta_schema.fields().cloned())
        .with_partition_columns([PARTITION_COLUMN])
        .await?;
    debug!(table = name, "created table");
    Ok(table)
}

/// Columns of `feedback` whose values are (nearly) all different: a
/// dictionary never pays off for them but is tried, value by value, for every
/// page before the writer falls back to plain encoding.
const UNIQUE_COLUMNS: &[&str] = &[col::FEEDBACK_ID, col::SOURCE_ID, col::CONTACT_ENCRYPTED, col::ORDER_ID];
/// Free-text columns: no query prunes by their minimum and maximum, and
/// computing those over long strings is a cost paid on every row.
const FREE_TEXT_COLUMNS: &[&str] = &[col::TEXT, col::TITLE, col::EXTRA, col::CONTACT_ENCRYPTED];

pub fn writer_properties() -> WriterProperties {
    writer_properties_builder().build()
}

/// What every Parquet file of the lake shares: zstd, row groups of
/// [`ROW_GROUP_ROWS`], statistics per page (the page index), no dictionary
/// for unique columns and no statistics for free text.
pub fn writer_properties_builder() -> WriterPropertiesBuilder {
    let builder = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(1).unwrap_or_default()))
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_statistics_enabled(EnabledStatistics::Page);
    let builder = UNIQUE_COLUMNS.iter().fold(builder, |b, name| {
        b.set_column_dictionary_enabled(ColumnPath::from(*name), false)
    });
    FREE_TEXT_COLUMNS.iter().fold(builder, |b, name| {
        b.set_column_statistics_enabled(ColumnPath::from(*name), EnabledStatistics::None)
    })
}

/// Files written at ingest: as [`writer_properties`], but LZ4 instead of
/// zstd. A bulk load writes a file per day partition per commit, and every
/// column chunk of every file gets a codec of its own: setting up zstd's
/// contexts for each of those small chunks cost more than compressing them
/// (the `ingest_stages` bench: 1.7 µs per row with zstd, 1.2 with LZ4).
/// Compaction rewrites these files with zstd, so the lake keeps its size.
///
/// Nor do they try a dictionary for free text: a few texts repeat, but every
/// one was hashed into the dictionary of its column chunk to find them.
fn fresh_file_properties() -> WriterProperties {
    let builder = writer_properties_builder().set_compression(Compression::LZ4_RAW);
    FREE_TEXT_COLUMNS
        .iter()
        .fold(builder, |b, name| {
            b.set_column_dictionary_enabled(ColumnPath::from(*name), false)
        })
        .build()
}

/// Appends batches to one table; `commit` makes everything written since the
/// last commit visible at once.
pub struct TableWriter {
    table: DeltaTable,
    writer: RecordBatchWriter,
    pending_rows: usize,
    /// Batches not yet handed to the Parquet writers (see `WRITE_BATCH_ROWS`).
    buffered: Vec<RecordBatch>,
    buffered_rows: usize,
}

/// Rows gathered before they go to the partition writers. A bulk load spreads
/// each chunk over hundreds of day partitions; handing the Parquet writers a
/// few rows per partition at a time costs more in per-call overhead than the
/// encoding itself, so small batches are gathered first.
pub const WRITE_BATCH_ROWS: usize = 128 * 1024;

impl TableWriter {
    pub fn new(table: DeltaTable) -> Result<Self> {
        let writer = RecordBatchWriter::for_table(&table)?.with_writer_properties(fresh_file_properties());
        Ok(Self {
            table,
            writer,
            pending_rows: 0,
            buffered: Vec::new(),
            buffered_rows: 0,
        })
    }

    /// Add a batch to the open files of its partitions (gathered with others
    /// first; `commit` writes whatever is gathered).
    pub async fn write(&mut self, batch: RecordBatch) -> Result<()> {
        self.pending_rows += batch.num_rows();
        self.buffered_rows += batch.num_rows();
        self.buffered.push(batch);
        if self.buffered_rows >= WRITE_BATCH_ROWS {
            self.write_buffered().await?;
        }
        Ok(())
    }

    /// Add a batch whose rows all belong to the day partition `day` to that
    /// partition's open file. Unlike [`TableWriter::write`], the batch is not
    /// split by partition (a sort and a copy of every column).
    pub async fn write_day(&mut self, day: i32, batch: RecordBatch) -> Result<()> {
        self.pending_rows += batch.num_rows();
        let partition = IndexMap::from([(PARTITION_COLUMN.to_owned(), Scalar::Date(day))]);
        let written = self
            .writer
            .write_partition(batch, &partition, WriteMode::Default)
            .await
            .map(drop)
            .map_err(Into::into);
        if written.is_err() {
            self.abort();
        }
        written
    }

    async fn write_buffered(&mut self) -> Result<()> {
        if self.buffered.is_empty() {
            return Ok(());
        }
        let batches = std::mem::take(&mut self.buffered);
        self.buffered_rows = 0;
        let written = match concat_batches(&batches[0].schema(), &batches) {
            Ok(batch) => self.writer.write(batch).await.map_err(Into::into),
            Err(e) => Err(e.into()),
        };
        if written.is_err() {
            self.abort();
        }
        written
    }

    /// Rows written since the last commit.
    pub fn pending_rows(&self) -> usize {
        self.pending_rows
    }

    /// Commit what was written; returns the new table version (or the current
    /// one when nothing was pending). On error nothing was committed.
    pub async fn commit(&mut self) -> Result<i64> {
        if self.pending_rows == 0 {
            return Ok(self.version());
        }
        self.write_buffered().await?;
        let rows = self.pending_rows;
        self.pending_rows = 0;
        match self.writer.flush_and_commit(&mut self.table).await {
            Ok(version) => {
                debug!(table = %self.table.table_url(), version, rows, "committed");
                Ok(version as i64)
            }
            Err(e) => {
                self.abort();
                Err(e.into())
            }
        }
    }

    /// Drop everything written since the last commit.
    pub fn abort(&mut self) {
        self.writer.reset();
        self.pending_rows = 0;
        self.buffered.clear();
        self.buffered_rows = 0;
    }

    pub fn version(&self) -> i64 {
        self.table.version().map_or(-1, |v| v as i64)
    }

    pub fn table(&self) -> &DeltaTable {
        &self.table
    }

    /// The table's schema as its writer sees it.
    pub fn schema(&self) -> SchemaRef {
        Arc::clone(&self.writer.arrow_schema())
    }
}

/// Run a table writer's loop on a thread of its own with its own runtime, so
/// Parquet encoding and commits never occupy the server's async workers.
pub fn run_on_own_thread(
    name: &str,
    work: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<std::thread::JoinHandle<()>> {
    let io_error = |source| crate::error::Error::Io {
        path: std::path::PathBuf::from(format!("<{name} thread>")),
        source,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(io_error)?;
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || runtime.block_on(work))
        .map_err(io_error)
}
