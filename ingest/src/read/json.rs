//! JSON sources: NDJSON files (one object per line) and request bodies that
//! hold one object, an array of objects, or NDJSON.

use std::io::{BufRead, BufReader, Read};

use serde_json::Value;

use crate::record::{Position, RecordError, SourceFields, SourceRecord};

use super::{RawRecord, Records};

/// Stream an NDJSON file; a line that is not a JSON object is an error at its
/// line number. A file that is one JSON array or one (pretty-printed) object
/// is read whole instead.
pub fn read_ndjson(file: impl Read + Send + 'static) -> Records {
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let starts_with_array = match reader.fill_buf() {
        Ok(buf) => first_non_space(buf) == Some(b'['),
        Err(_) => false,
    };
    if starts_with_array {
        let mut body = Vec::new();
        let records = match reader.read_to_end(&mut body) {
            Ok(_) => parse_json_body(&body),
            Err(e) => vec![Err(RecordError::new(Position(1), None, format!("read error: {e}")))],
        };
        return Box::new(records.into_iter().map(RawRecord::Read));
    }
    Box::new(NdjsonLines {
        reader,
        scratch: Vec::new(),
        line: 0,
        done: false,
    })
}

/// The scratch line buffer is let go after a line longer than this, so one
/// huge line does not hold its memory for the rest of the file.
const MAX_KEPT_SCRATCH: usize = 1 << 20;

/// The non-blank lines of an NDJSON stream, unparsed (see [`RawRecord`]).
struct NdjsonLines<R> {
    reader: BufReader<R>,
    /// Each line is read here first (see `next`).
    scratch: Vec<u8>,
    line: u64,
    done: bool,
}

impl<R: Read> Iterator for NdjsonLines<R> {
    type Item = RawRecord;

    fn next(&mut self) -> Option<RawRecord> {
        while !self.done {
            if self.scratch.capacity() > MAX_KEPT_SCRATCH {
                self.scratch = Vec::new();
            }
            self.scratch.clear();
            self.line += 1;
            let position = Position(self.line);
            match self.reader.read_until(b'\n', &mut self.scratch) {
                Ok(0) => self.done = true,
                Ok(_) if self.scratch.iter().all(u8::is_ascii_whitespace) => {}
                // One allocation of the line's exact size: read straight into
                // a fresh vector, a line grew through half a dozen reallocations.
                Ok(_) => return Some(RawRecord::JsonLine(position, self.scratch.clone())),
                Err(e) => {
                    self.done = true;
                    let error = RecordError::new(position, None, format!("read error: {e}"));
                    return Some(RawRecord::Read(Err(error)));
                }
            }
        }
        None
    }
}

/// Parse a request body: one object, an array of objects, or NDJSON. A body
/// that is none of these yields one error at the position serde_json reports.
pub fn parse_json_body(body: &[u8]) -> Vec<Result<SourceRecord, RecordError>> {
    let body = strip_bom(body);
    match first_non_space(body) {
        Some(b'[') => parse_array(body),
        Some(_) => match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(fields)) => vec![Ok(SourceRecord {
                position: Position(1),
                fields: fields.into(),
            })],
            _ => parse_lines(body),
        },
        None => Vec::new(),
    }
}

fn parse_array(body: &[u8]) -> Vec<Result<SourceRecord, RecordError>> {
    match serde_json::from_slice::<Vec<Value>>(body) {
        Ok(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| object(item, Position(i as u64 + 1)))
            .collect(),
        Err(e) => vec![Err(RecordError::new(
            Position(e.line() as u64),
            None,
            format!("malformed JSON array at line {}, column {}: {e}", e.line(), e.column()),
        ))],
    }
}

fn parse_lines(body: &[u8]) -> Vec<Result<SourceRecord, RecordError>> {
    body.split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .map(|(i, line)| parse_object(line, Position(i as u64 + 1)))
        .collect()
}

pub(super) fn parse_object(line: &[u8], position: Position) -> Result<SourceRecord, RecordError> {
    let line = strip_bom(line);
    // Every line is checked whole before parsing; the SIMD check does that
    // several times faster than std's, with the same error position.
    let text = simdutf8::compat::from_utf8(line)
        .map_err(|e| RecordError::new(position, None, format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
    let malformed = |e: serde_json::Error| {
        RecordError::new(position, None, format!("malformed JSON at column {}: {e}", e.column())).with_raw(text)
    };
    if first_non_space(line) != Some(b'{') {
        // Not an object: parsed only to say what it is instead.
        return object(serde_json::from_str(text).map_err(malformed)?, position);
    }
    let fields = serde_json::from_str::<SourceFields>(text).map_err(malformed)?;
    Ok(SourceRecord { position, fields })
}

fn object(value: Value, position: Position) -> Result<SourceRecord, RecordError> {
    match value {
        Value::Object(fields) => Ok(SourceRecord {
            position,
            fields: fields.into(),
        }),
        other => Err(RecordError::new(
            position,
            None,
            format!("expected a JSON object, found {}", kind(&other)),
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn first_non_space(buf: &[u8]) -> Option<u8> {
    strip_bom(buf).iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// Files saved by Windows tools often start with a UTF-8 byte-order mark.
fn strip_bom(buf: &[u8]) -> &[u8] {
    buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(results: &[Result<SourceRecord, RecordError>]) -> Vec<(u64, bool)> {
        results
            .iter()
            .map(|r| match r {
                Ok(rec) => (rec.position.0, true),
                Err(e) => (e.position.0, false),
            })
            .collect()
    }

    #[test]
    fn bodies_of_every_shape() {
        assert_eq!(positions(&parse_json_body(br#"{"text": "a"}"#)), vec![(1, true)]);
        assert_eq!(
            positions(&parse_json_body(b"{\n  \"text\": \"pretty\"\n}\n")),
            vec![(1, true)]
        );
        assert_eq!(
            positions(&parse_json_body(br#"[{"text": "a"}, {"text": "b"}, 3]"#)),
            vec![(1, true), (2, true), (3, false)]
        );
        let ndjson = b"{\"text\": \"a\"}\n\n{\"text\": \nnot json\n{\"text\": \"c\"}\n";
        assert_eq!(
            positions(&parse_json_body(ndjson)),
            vec![(1, true), (3, false), (4, false), (5, true)]
        );
    }

    #[test]
    fn malformed_array_reports_line_and_column() {
        let results = parse_json_body(b"[\n{\"text\": \"a\"},\n{\"text\": }\n]");
        let Err(e) = &results[0] else {
            panic!("expected an error")
        };
        assert_eq!(e.position, Position(3));
        assert!(e.reason.contains("line 3"), "{}", e.reason);
    }

    #[test]
    fn ndjson_file_reports_bad_lines_and_keeps_good_ones() {
        let data = b"{\"text\": \"a\"}\n{\"text\": \"\xff\xfe\"}\n[1]\n{\"text\": \"d\"}".to_vec();
        let results: Vec<_> = read_ndjson(std::io::Cursor::new(data)).map(RawRecord::parse).collect();
        assert_eq!(positions(&results), vec![(1, true), (2, false), (3, false), (4, true)]);
        let Err(e) = &results[1] else { panic!("invalid UTF-8") };
        assert_eq!(e.reason, "invalid UTF-8 at byte 10");
    }

    #[test]
    fn lines_after_a_huge_one_are_read_whole() {
        let huge = "长".repeat(MAX_KEPT_SCRATCH);
        let data = format!("{{\"text\": \"short\"}}\n{{\"text\": \"{huge}\"}}\n\n{{\"text\": \"ok\"}}");
        let lines: Vec<_> = read_ndjson(std::io::Cursor::new(data.into_bytes())).collect();
        let texts: Vec<(u64, usize)> = lines
            .into_iter()
            .map(|raw| {
                let record = raw.parse().expect("valid line");
                let text = record.fields.get("text").and_then(|v| v.as_str()).map_or(0, str::len);
                (record.position.0, text)
            })
            .collect();
        assert_eq!(texts, vec![(1, 5), (2, huge.len()), (4, 2)]);
    }

    #[test]
    fn json_array_file_is_read_whole() {
        let results: Vec<_> = read_ndjson(std::io::Cursor::new(b"\xEF\xBB\xBF [{\"text\":\"a\"}]".to_vec()))
            .map(RawRecord::parse)
            .collect();
        assert_eq!(positions(&results), vec![(1, true)]);
    }
}
