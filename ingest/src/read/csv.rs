//! CSV sources: the header row names the fields; every value is text.

use std::io::Read;

use serde_json::Value;

use crate::record::{Position, RecordError, SourceFields, SourceRecord};

use super::{RawRecord, Records};

/// Stream a CSV file with a header row. A row with the wrong number of
/// fields or invalid UTF-8 is an error at its line; the others are read.
pub fn read_csv(file: impl Read + Send + 'static) -> Records {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(file);
    let headers = match reader.byte_headers() {
        Ok(h) => h.iter().map(header_name).collect::<Vec<String>>(),
        Err(e) => {
            return Box::new(std::iter::once(RawRecord::Read(Err(RecordError::new(
                Position(1),
                None,
                format!("cannot read the header row: {e}"),
            )))));
        }
    };
    let mut row = ::csv::ByteRecord::new();
    let rows = std::iter::from_fn(move || match reader.read_byte_record(&mut row) {
        Ok(false) => None,
        Ok(true) => Some(to_record(&headers, &row)),
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line());
            Some(Err(RecordError::new(
                Position(line),
                None,
                format!("malformed CSV: {e}"),
            )))
        }
    });
    Box::new(rows.map(RawRecord::Read))
}

fn header_name(raw: &[u8]) -> String {
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    String::from_utf8_lossy(raw).trim().to_owned()
}

fn to_record(headers: &[String], row: &::csv::ByteRecord) -> Result<SourceRecord, RecordError> {
    let position = Position(row.position().map_or(0, |p| p.line()));
    if row.len() != headers.len() {
        return Err(RecordError::new(
            position,
            None,
            format!("{} fields where the header has {}", row.len(), headers.len()),
        ));
    }
    let mut fields = SourceFields::with_capacity(headers.len());
    for (name, value) in headers.iter().zip(row.iter()) {
        let text = std::str::from_utf8(value).map_err(|e| {
            RecordError::new(
                position,
                Some(name),
                format!("invalid UTF-8 at byte {}", e.valid_up_to()),
            )
        })?;
        if !text.is_empty() {
            fields.insert(name, Value::String(text.to_owned()));
        }
    }
    Ok(SourceRecord { position, fields })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_carry_their_line_numbers() {
        let data = "\u{feff}评价ID,评价内容,评分\n1,很好,5\n2,\"多行\n评价\",4\n3,少了一列\n4,差,1\n";
        let results: Vec<_> = read_csv(std::io::Cursor::new(data.as_bytes().to_vec()))
            .map(RawRecord::parse)
            .collect();
        assert_eq!(results.len(), 4);
        let first = results[0].as_ref().expect("valid row");
        assert_eq!(first.position, Position(2));
        assert_eq!(first.fields.get("评价ID"), Some(&Value::String("1".into())));
        let bad = results[2].as_ref().expect_err("short row");
        assert_eq!(bad.position, Position(5));
        assert!(bad.reason.contains("2 fields"), "{}", bad.reason);
        assert_eq!(results[3].as_ref().expect("valid row").position, Position(6));
    }

    #[test]
    fn invalid_utf8_names_the_field() {
        let mut data = b"id,text\n1,".to_vec();
        data.extend_from_slice(b"\xff\xfe\n2,ok\n");
        let results: Vec<_> = read_csv(std::io::Cursor::new(data)).map(RawRecord::parse).collect();
        let bad = results[0].as_ref().expect_err("bad bytes");
        assert_eq!(bad.field.as_deref(), Some("text"));
        assert!(results[1].is_ok());
    }
}
