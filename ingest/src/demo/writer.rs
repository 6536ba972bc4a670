//! Writes generated records as NDJSON or CSV, to any writer or to a file whose
//! extension picks the format.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::config::DemoConfig;
use super::generate;
use super::record::COLUMNS;

/// Progress is reported every this many rows (and once at the end).
const PROGRESS_EVERY_ROWS: u64 = 65_536;

/// Errors of [`write_file`].
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot tell the demo data format from {path:?}: use .ndjson, .jsonl, .json (all NDJSON) or .csv")]
    UnsupportedExtension { path: PathBuf },
    #[error("writing demo data to {path:?}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// Result with [`DemoError`].
pub type Result<T, E = DemoError> = std::result::Result<T, E>;

/// Output format of the demo data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoFormat {
    /// One JSON object per line.
    Ndjson,
    /// A header line, then one row per record; tags joined by `|`.
    Csv,
}

impl DemoFormat {
    /// `.ndjson`, `.jsonl` and `.json` mean NDJSON, `.csv` means CSV (any case).
    pub fn from_path(path: &Path) -> Result<Self> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("ndjson" | "jsonl" | "json") => Ok(Self::Ndjson),
            Some("csv") => Ok(Self::Csv),
            _ => Err(DemoError::UnsupportedExtension {
                path: path.to_path_buf(),
            }),
        }
    }
}

/// Writes `config.rows` records as NDJSON; returns the number written.
pub fn write_ndjson(config: &DemoConfig, writer: impl Write) -> io::Result<u64> {
    write_format(config, DemoFormat::Ndjson, writer, |_| {})
}

/// Writes `config.rows` records as CSV with a header line; returns the number written.
pub fn write_csv(config: &DemoConfig, writer: impl Write) -> io::Result<u64> {
    write_format(config, DemoFormat::Csv, writer, |_| {})
}

/// Writes records in `format`, calling `progress` with the rows written so far
/// every 65 536 rows and at the end.
pub fn write_format(
    config: &DemoConfig,
    format: DemoFormat,
    writer: impl Write,
    progress: impl FnMut(u64),
) -> io::Result<u64> {
    match format {
        DemoFormat::Ndjson => ndjson(config, writer, progress),
        DemoFormat::Csv => csv_rows(config, writer, progress),
    }
}

/// Writes a file, choosing the format from the extension (see [`DemoFormat::from_path`]).
pub fn write_file(config: &DemoConfig, path: impl AsRef<Path>) -> Result<u64> {
    write_file_with_progress(config, path, |_| {})
}

/// [`write_file`] with a progress callback (rows written so far).
pub fn write_file_with_progress(config: &DemoConfig, path: impl AsRef<Path>, progress: impl FnMut(u64)) -> Result<u64> {
    let path = path.as_ref();
    let format = DemoFormat::from_path(path)?;
    let io_error = |source| DemoError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::create(path).map_err(io_error)?;
    write_format(config, format, file, progress).map_err(io_error)
}

fn ndjson(config: &DemoConfig, writer: impl Write, mut progress: impl FnMut(u64)) -> io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, writer);
    let mut n = 0;
    for record in generate(config) {
        serde_json::to_writer(&mut out, &record)?;
        out.write_all(b"\n")?;
        n += 1;
        report(n, &mut progress);
    }
    out.flush()?;
    progress(n);
    Ok(n)
}

fn csv_rows(config: &DemoConfig, writer: impl Write, mut progress: impl FnMut(u64)) -> io::Result<u64> {
    let mut out = csv::WriterBuilder::new().buffer_capacity(1 << 20).from_writer(writer);
    out.write_record(COLUMNS)?;
    let mut scratch = String::new();
    let mut n = 0;
    for record in generate(config) {
        record.write_csv(&mut out, &mut scratch)?;
        n += 1;
        report(n, &mut progress);
    }
    out.flush()?;
    progress(n);
    Ok(n)
}

fn report(n: u64, progress: &mut impl FnMut(u64)) {
    if n.is_multiple_of(PROGRESS_EVERY_ROWS) {
        progress(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_pick_the_format() {
        assert_eq!(
            DemoFormat::from_path(Path::new("a/b.JSONL")).ok(),
            Some(DemoFormat::Ndjson)
        );
        assert_eq!(DemoFormat::from_path(Path::new("b.csv")).ok(), Some(DemoFormat::Csv));
        let err = DemoFormat::from_path(Path::new("b.parquet"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains(".csv") && err.contains("b.parquet"), "{err}");
    }

    #[test]
    fn write_file_reports_progress_and_rejects_unknown_extensions() {
        let dir = std::env::temp_dir().join(format!("voxlake-demo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let config = DemoConfig {
            rows: 70_000,
            ..DemoConfig::default()
        };
        let mut calls = Vec::new();
        let n = write_file_with_progress(&config, dir.join("d.csv"), |n| calls.push(n)).ok();
        assert_eq!((n, calls), (Some(70_000), vec![65_536, 70_000]));
        assert!(matches!(
            write_file(&config, dir.join("d.txt")),
            Err(DemoError::UnsupportedExtension { .. })
        ));
        std::fs::remove_dir_all(&dir).ok();
    }
}
