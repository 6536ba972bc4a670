//! E-mail sources: one .eml message or an mbox of many. Each message offers
//! the fields `message_id`, `date` (RFC 3339), `from` (address), `from_name`,
//! `to`, `subject` and `body` (the text part, or the HTML part as text).

use std::io::{BufReader, Read};

use mail_parser::mailbox::mbox::MessageIterator;
use mail_parser::{Message, MessageParser};
use serde_json::Value;

use crate::error::Result;
use crate::record::{Position, RecordError, SourceFields, SourceRecord};

use super::{RawRecord, Records};

pub fn read_email(mut file: impl Read + Send + 'static) -> Result<Records> {
    let mut head = [0u8; 5];
    let n = read_prefix(&mut file, &mut head);
    let reader = std::io::Cursor::new(head[..n].to_vec()).chain(file);
    if &head[..n] == b"From " {
        return Ok(Box::new(read_mbox(reader).map(RawRecord::Read)));
    }
    let mut bytes = Vec::new();
    let mut reader = reader;
    let result = match reader.read_to_end(&mut bytes) {
        Ok(_) => parse_message(&bytes, Position(1)),
        Err(e) => Err(RecordError::new(Position(1), None, format!("read error: {e}"))),
    };
    Ok(Box::new(std::iter::once(RawRecord::Read(result))))
}

fn read_prefix(file: &mut impl Read, buf: &mut [u8]) -> usize {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => filled += n,
        }
    }
    filled
}

fn read_mbox(reader: impl Read + Send + 'static) -> impl Iterator<Item = Result<SourceRecord, RecordError>> + Send {
    MessageIterator::new(BufReader::new(reader))
        .enumerate()
        .map(|(i, message)| {
            let position = Position(i as u64 + 1);
            match message {
                Ok(m) => parse_message(m.contents(), position),
                Err(_) => Err(RecordError::new(position, None, "malformed mbox entry")),
            }
        })
}

fn parse_message(bytes: &[u8], position: Position) -> Result<SourceRecord, RecordError> {
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| RecordError::new(position, None, "not an e-mail message"))?;
    Ok(SourceRecord {
        position,
        fields: message_fields(&message),
    })
}

fn message_fields(message: &Message<'_>) -> SourceFields {
    let mut fields = SourceFields::with_capacity(7);
    let mut put = |name: &str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            fields.insert(name, Value::String(v));
        }
    };
    let from = message.from().and_then(|a| a.first());
    put("message_id", message.message_id().map(str::to_owned));
    put("date", message.date().map(|d| d.to_rfc3339()));
    put("from", from.and_then(|a| a.address()).map(str::to_owned));
    put("from_name", from.and_then(|a| a.name()).map(str::to_owned));
    put(
        "to",
        message
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .map(str::to_owned),
    );
    put("subject", message.subject().map(str::to_owned));
    put("body", message.body_text(0).map(|b| b.into_owned()));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &str = "Message-ID: <a1@shop.example>\r\nDate: Fri, 14 Mar 2025 09:21:33 +0800\r\nFrom: =?UTF-8?B?5byg5LiJ?= <zhang@example.com>\r\nTo: support@shop.example\r\nSubject: =?UTF-8?B?6YCA5qy+6Zeu6aKY?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n我的退款还没到\r\n";

    #[test]
    fn eml_fields() {
        let records: Vec<_> = read_email(std::io::Cursor::new(MESSAGE.as_bytes().to_vec()))
            .expect("reads")
            .map(RawRecord::parse)
            .collect();
        let record = records[0].as_ref().expect("parses");
        let get = |k: &str| {
            record
                .fields
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(get("message_id"), "a1@shop.example");
        assert_eq!(get("from"), "zhang@example.com");
        assert_eq!(get("from_name"), "张三");
        assert_eq!(get("subject"), "退款问题");
        assert!(get("body").contains("我的退款还没到"));
        assert!(get("date").starts_with("2025-03-14T09:21:33"));
    }

    #[test]
    fn mbox_yields_every_message_in_order() {
        let second = MESSAGE.replace("a1@", "a2@");
        let mbox = format!(
            "From zhang@example.com Fri Mar 14 09:21:33 2025\r\n{MESSAGE}\r\nFrom li@example.com Fri Mar 14 10:00:00 2025\r\n{second}"
        );
        let records: Vec<_> = read_email(std::io::Cursor::new(mbox.into_bytes()))
            .expect("reads")
            .map(RawRecord::parse)
            .collect();
        assert_eq!(records.len(), 2);
        let ids: Vec<_> = records
            .iter()
            .map(|r| {
                r.as_ref()
                    .expect("parses")
                    .fields
                    .get("message_id")
                    .cloned()
                    .expect("has a message id")
            })
            .collect();
        assert_eq!(
            ids,
            vec![Value::from("a1@shop.example"), Value::from("a2@shop.example")]
        );
        assert_eq!(records[1].as_ref().expect("parses").position, Position(2));
    }
}
