//! Readers turn a file or a request body into [`SourceRecord`]s, one per line,
//! row or message, so that a bad one is reported by its position and the rest
//! still land. Files are streamed: memory does not grow with file size.

mod csv;
mod email;
mod json;
mod xlsx;

use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::channels::FileFormat;
use crate::error::{Error, Result};
use crate::record::{Position, RecordError, SourceRecord};

pub use json::parse_json_body;

/// Records of a source as read.
pub type Records = Box<dyn Iterator<Item = RawRecord> + Send>;

/// One record of a source as read: parsed already, or an NDJSON line whose
/// parsing is left to [`RawRecord::parse`]. Preparation calls that on the
/// thread that then maps and cleans the record, so all three run while the
/// line is in that core's cache instead of handing parsed values from one
/// core to another.
pub enum RawRecord {
    Read(Result<SourceRecord, RecordError>),
    JsonLine(Position, Vec<u8>),
}

impl RawRecord {
    /// The record, or why it cannot be read.
    pub fn parse(self) -> Result<SourceRecord, RecordError> {
        match self {
            RawRecord::Read(record) => record,
            RawRecord::JsonLine(position, line) => json::parse_object(&line, position),
        }
    }
}

impl From<Result<SourceRecord, RecordError>> for RawRecord {
    fn from(record: Result<SourceRecord, RecordError>) -> Self {
        RawRecord::Read(record)
    }
}

/// Open `path` and read it as `format`. Fails only when the file as a whole
/// cannot be read (missing, not a spreadsheet, …); bad records come through
/// the iterator. `bytes_read` counts progress through the file.
pub fn read_file(path: &Path, format: FileFormat, bytes_read: Arc<AtomicU64>) -> Result<Records> {
    let open = || {
        let file = std::fs::File::open(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        Ok::<_, Error>(CountingReader {
            inner: file,
            count: Arc::clone(&bytes_read),
        })
    };
    match format {
        FileFormat::Json => Ok(json::read_ndjson(open()?)),
        FileFormat::Csv => Ok(csv::read_csv(open()?)),
        FileFormat::Email => email::read_email(open()?),
        FileFormat::Xlsx => {
            let records = xlsx::read_xlsx(path)?;
            let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            bytes_read.store(size, Ordering::Relaxed);
            Ok(records)
        }
    }
}

/// A reader that counts the bytes passing through it, for progress bars.
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The format a file's extension suggests, for files that do not match the
/// channel's (an NDJSON export of a CSV channel, say).
pub fn format_from_extension(path: &Path) -> Option<FileFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "json" | "ndjson" | "jsonl" => Some(FileFormat::Json),
        "csv" | "tsv" => Some(FileFormat::Csv),
        "xlsx" | "xlsm" | "xls" => Some(FileFormat::Xlsx),
        "eml" | "mbox" => Some(FileFormat::Email),
        _ => None,
    }
}
