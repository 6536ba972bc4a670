//! Where an import's CPU goes: each stage of the ingest path timed on its own,
//! single-threaded, over the first rows of an NDJSON file (the demo
//! generator's, say). The import runs the per-record stages on every core and
//! the writer stages on one thread; this tool shows what each costs per row.
//!
//! ```text
//! cargo run --release -p voxlake-benches --bin ingest_stages -- --file demo.ndjson --rows 200000
//! ```

use std::borrow::Cow;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::Utc;
use clap::Parser;
use datafusion::arrow::array::UInt32Array;
use datafusion::arrow::record_batch::RecordBatch;

use voxlake_ingest::channels::{Channels, map_record};
use voxlake_ingest::clean::{Cleaner, text_hash};
use voxlake_ingest::crypto::ContactCipher;
use voxlake_ingest::dedup::{DEFAULT_DUPLICATE_WINDOW, Decision, DedupIndex};
use voxlake_ingest::read::RawRecord;
use voxlake_ingest::record::{Position, SourceRecord, ValidFeedback};
use voxlake_ingest::schema::{PARTITION_COLUMN, feedback_schema};
use voxlake_ingest::store::{StoreConfig, TableWriter, feedback_batch, open_or_create};
use voxlake_models::text::{lang, normalize::normalize_cow, pii, simhash, spam};

#[derive(Parser)]
#[command(about = "Time each stage of the ingest path per row, single-threaded")]
struct Args {
    /// NDJSON file of records in Voxlake's own field names.
    #[arg(long)]
    file: PathBuf,
    /// Rows to read from the start of the file.
    #[arg(long, default_value_t = 200_000)]
    rows: usize,
    /// Channel mapping the records are read with.
    #[arg(long, default_value = "native")]
    channel: String,
}

// The allocator the `voxlake` binary runs with: allocation is a large share
// of the per-row cost, so the stages are timed with the same one.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Rows handed to the table writer at a time, as an import's chunks are.
const CHUNK_ROWS: usize = 16 * 1024;

fn main() -> Result<()> {
    let args = Args::parse();
    let lines = read_lines(&args.file, args.rows)?;
    let n = lines.len();
    let mut report = Report::new(n);

    let records: Vec<SourceRecord> = report.time("parse JSON", || {
        lines
            .into_iter()
            .enumerate()
            .filter_map(|(i, line)| RawRecord::JsonLine(Position(i as u64 + 1), line).parse().ok())
            .collect()
    });
    let channels = Channels::builtin()?;
    let channel = channels.get(&args.channel)?;
    let now = Utc::now();
    let valid: Vec<ValidFeedback> = report.time("map onto the schema", || {
        records
            .into_iter()
            .filter_map(|r| map_record(channel, r, now).ok())
            .collect()
    });
    let cipher = ContactCipher::from_base64(&ContactCipher::generate_key())?;
    time_cleaning_steps(&mut report, &valid, &cipher);

    let cleaner = Cleaner::new(cipher);
    let clean: Vec<_> = report.time("clean (all steps above)", || {
        valid.into_iter().filter_map(|v| cleaner.clean(v).ok()).collect()
    });
    let mut index = DedupIndex::new(DEFAULT_DUPLICATE_WINDOW);
    let rows: Vec<_> = report.time("deduplicate", || {
        clean
            .into_iter()
            .filter_map(|c| match index.decide(c, now) {
                Decision::New(row) => Some(row),
                Decision::Existing(_) => None,
            })
            .collect()
    });
    let batches = report.time("build Arrow batches", || {
        rows.chunks(CHUNK_ROWS)
            .map(feedback_batch)
            .collect::<Result<Vec<_>, _>>()
    })?;
    drop(rows);
    let one_day = batches.iter().map(all_on_one_day).collect::<Result<Vec<_>>>()?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let took = write_table(batches).await?;
        report.add("write Parquet partitions and commit", took);
        let took = write_table(one_day).await?;
        report.add("  the same rows in one partition", took);
        anyhow::Ok(())
    })?;
    report.print();
    Ok(())
}

/// Write `batches` to a new table in one commit; how long that took.
async fn write_table(batches: Vec<RecordBatch>) -> Result<Duration> {
    let dir = tempfile::tempdir()?;
    let store = StoreConfig::local(dir.path())?;
    let table = open_or_create(&store, "feedback", &feedback_schema()).await?;
    let mut writer = TableWriter::new(table)?;
    let started = Instant::now();
    for batch in batches {
        writer.write(batch).await?;
    }
    writer.commit().await?;
    Ok(started.elapsed())
}

/// `batch` with every row's partition set to its first row's: how much of
/// writing is the spread over hundreds of day partitions.
fn all_on_one_day(batch: &RecordBatch) -> Result<RecordBatch> {
    let index = batch.schema().index_of(PARTITION_COLUMN)?;
    let mut columns = batch.columns().to_vec();
    let day = columns[index].slice(0, 1);
    columns[index] = datafusion::arrow::compute::take(&day, &UInt32Array::from(vec![0; batch.num_rows()]), None)?;
    Ok(RecordBatch::try_new(batch.schema(), columns)?)
}

/// The steps `Cleaner::clean` runs, one at a time over all rows.
fn time_cleaning_steps(report: &mut Report, valid: &[ValidFeedback], cipher: &ContactCipher) {
    // Borrowed where nothing changes, as `Cleaner::clean` keeps them.
    let texts: Vec<Cow<str>> = report.time("  normalise", || valid.iter().map(|v| normalize_cow(&v.text)).collect());
    report.time("  detect language", || {
        texts
            .iter()
            .map(|t| lang::detect_language(t).as_str().len())
            .sum::<usize>()
    });
    report.time("  detect spam", || {
        texts.iter().filter(|t| spam::detect_spam(t).is_some()).count()
    });
    let masked: Vec<Cow<str>> = report.time("  mask PII", || texts.iter().map(|t| pii::mask_pii_text(t)).collect());
    report.time("  text hash", || {
        masked.iter().map(|t| text_hash(t)).fold(0, u64::wrapping_add)
    });
    report.time("  simhash", || {
        masked.iter().map(|t| simhash::simhash(t)).fold(0, u64::wrapping_add)
    });
    report.time("  mask contact", || {
        valid
            .iter()
            .filter_map(|v| Some(pii::mask_pii_text(v.contact.as_deref()?).len()))
            .sum::<usize>()
    });
    report.time("  encrypt contact", || {
        valid
            .iter()
            .filter_map(|v| Some(cipher.encrypt(v.contact.as_deref()?).ok()?.len()))
            .sum::<usize>()
    });
}

fn read_lines(path: &PathBuf, rows: usize) -> Result<Vec<Vec<u8>>> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let lines = std::io::BufReader::new(file).split(b'\n').take(rows);
    Ok(lines.collect::<std::io::Result<Vec<_>>>()?)
}

struct Report {
    rows: usize,
    stages: Vec<(&'static str, Duration)>,
}

impl Report {
    fn new(rows: usize) -> Self {
        Self {
            rows,
            stages: Vec::new(),
        }
    }

    fn time<T>(&mut self, stage: &'static str, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = std::hint::black_box(work());
        self.add(stage, started.elapsed());
        result
    }

    fn add(&mut self, stage: &'static str, took: Duration) {
        self.stages.push((stage, took));
    }

    fn print(&self) {
        println!("{} rows, single-threaded, µs per row:", self.rows);
        for (stage, took) in &self.stages {
            println!("{stage:<40} {:>7.2}", took.as_secs_f64() * 1e6 / self.rows as f64);
        }
    }
}
