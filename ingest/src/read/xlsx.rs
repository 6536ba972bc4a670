//! Excel sources: the first sheet, its first row naming the fields.

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::record::{Position, SourceFields, SourceRecord};

use super::{RawRecord, Records};

/// Read the first sheet of a workbook. Spreadsheets are small next to NDJSON
/// exports (Excel stops at about a million rows), so the sheet is loaded whole.
pub fn read_xlsx(path: &Path) -> Result<Records> {
    let file_error = |reason: String| Error::File {
        path: path.to_owned(),
        reason,
    };
    let mut workbook = open_workbook_auto(path).map_err(|e| file_error(format!("not a readable spreadsheet: {e}")))?;
    let sheet = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| file_error("the workbook has no sheets".into()))?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| file_error(format!("sheet `{sheet}`: {e}")))?;
    let mut rows = range.rows();
    let headers: Vec<String> = rows
        .next()
        .map(|h| h.iter().map(|c| cell_text(c).trim().to_owned()).collect())
        .unwrap_or_default();
    let records: Vec<_> = rows
        .enumerate()
        .filter(|(_, row)| row.iter().any(|c| !matches!(c, Data::Empty)))
        .map(|(i, row)| {
            Ok(SourceRecord {
                position: Position(i as u64 + 2),
                fields: fields(&headers, row),
            })
        })
        .collect();
    Ok(Box::new(records.into_iter().map(RawRecord::Read)))
}

fn fields(headers: &[String], row: &[Data]) -> SourceFields {
    headers
        .iter()
        .zip(row)
        .filter(|(name, cell)| !name.is_empty() && !matches!(cell, Data::Empty))
        .map(|(name, cell)| (name, cell_value(cell)))
        .collect()
}

fn cell_value(cell: &Data) -> Value {
    match cell {
        Data::Int(i) => Value::from(*i),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Value::from(*f as i64),
        Data::Float(f) => Value::from(*f),
        Data::Bool(b) => Value::Bool(*b),
        other => Value::String(cell_text(other)),
    }
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => dt.to_string(),
        },
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}
