//! Applying a channel's mapping to one source record.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use smol_str::SmolStr;

use crate::record::{Position, RecordError, SourceFields, SourceRecord, ValidFeedback};

use super::config::{Channel, Target};
use super::path::take_path;
use super::values::{parse_rating, parse_time};

/// Longest text accepted, in bytes. Real feedback is far shorter; anything
/// longer is a pasted log or an attack, and is refused with its size.
pub const MAX_TEXT_BYTES: usize = 100_000;
/// Longest value accepted in a short field (ids, names, versions).
const MAX_FIELD_BYTES: usize = 1_000;

/// Map a source record onto the feedback schema, or say which field is wrong.
/// Values are moved out of the record, never copied: what is left over is the
/// record's `extra`.
pub fn map_record(channel: &Channel, record: SourceRecord, now: DateTime<Utc>) -> Result<ValidFeedback, RecordError> {
    let mut fields = Fields::take(channel, record);
    let text = fields.text()?;
    let customer = fields.customer_id()?;
    let channel_name = fields.channel_name()?;
    let received_at = fields.received_at(now)?;
    Ok(ValidFeedback {
        position: fields.position,
        channel: channel_name.into(),
        source_id: fields.short(Target::SourceId)?,
        received_at,
        customer_id: customer.as_ref().map(|c| c.id),
        customer_tier: fields.short(Target::CustomerTier)?,
        contact: fields.string(Target::Contact)?,
        product: fields.short(Target::Product)?,
        product_model: fields.short(Target::ProductModel)?,
        order_id: fields.short(Target::OrderId)?,
        app_version: fields.short(Target::AppVersion)?,
        region: fields.short(Target::Region)?,
        store_id: fields.short(Target::StoreId)?,
        agent_id: fields.short(Target::AgentId)?,
        rating: fields.rating()?,
        language_hint: fields.language(),
        title: fields.string(Target::Title)?,
        text,
        tags: fields.tags()?,
        extra: fields.extra(customer.and_then(|c| c.original)),
    })
}

/// A record's values by target: one slot per target, indexed directly, on
/// the stack (a list searched per target cost an allocation per record).
#[derive(Default)]
struct TargetValues([Option<Value>; Target::COUNT]);

impl TargetValues {
    fn get(&self, target: Target) -> Option<&Value> {
        self.0[target as usize].as_ref()
    }

    fn set(&mut self, target: Target, value: Value) {
        self.0[target as usize] = Some(value);
    }

    fn take(&mut self, target: Target) -> Option<Value> {
        self.0[target as usize].take()
    }
}

struct CustomerId {
    id: i64,
    /// The channel's own id when it was not an integer.
    original: Option<String>,
}

/// A record's values taken out by target, and the fields no mapping named.
struct Fields<'a> {
    channel: &'a Channel,
    position: Position,
    mapped: TargetValues,
    text_parts: Vec<Value>,
    rest: SourceFields,
}

impl<'a> Fields<'a> {
    /// Take every mapped value out of `record`, nulls treated as absent.
    fn take(channel: &'a Channel, record: SourceRecord) -> Self {
        let mut rest = record.fields;
        let mut mapped = TargetValues::default();
        for (&target, path) in &channel.fields {
            // Two targets may read the same field: the second gets a copy.
            let value = take_path(&mut rest, path).or_else(|| {
                let mut same_field = channel.fields.iter().filter(|(_, p)| *p == path);
                same_field.find_map(|(&t, _)| mapped.get(t).cloned())
            });
            if let Some(value) = value.filter(|v: &Value| !v.is_null()) {
                mapped.set(target, value);
            }
        }
        let text_parts = channel
            .text_join
            .iter()
            .filter_map(|path| take_path(&mut rest, path))
            .collect();
        Self {
            channel,
            position: record.position,
            mapped,
            text_parts,
            rest,
        }
    }

    fn remove(&mut self, target: Target) -> Option<Value> {
        self.mapped.take(target)
    }

    fn error(&self, target: Target, reason: impl Into<String>) -> RecordError {
        let field = self.channel.source_field(target).unwrap_or(target_name(target));
        RecordError::new(self.position, Some(field), reason)
    }

    /// The scalar at `target` as trimmed text, moved out of the record.
    fn text_value(&mut self, target: Target) -> Result<Option<String>, RecordError> {
        let Some(value) = self.remove(target) else {
            return Ok(None);
        };
        let text =
            into_scalar_text(value).ok_or_else(|| self.error(target, "expected text, found a list or object"))?;
        Ok(Some(trimmed(text)).filter(|t| !t.is_empty()))
    }

    fn string(&mut self, target: Target) -> Result<Option<String>, RecordError> {
        let text = self.text_value(target)?;
        if let Some(text) = &text
            && text.len() > MAX_FIELD_BYTES
        {
            return Err(self.error(target, format!("{} bytes; the limit is {MAX_FIELD_BYTES}", text.len())));
        }
        Ok(text)
    }

    /// A short value (an id, a name, a version): inline, without an allocation.
    fn short(&mut self, target: Target) -> Result<Option<SmolStr>, RecordError> {
        Ok(self.string(target)?.map(SmolStr::from))
    }

    fn required_string(&mut self, target: Target) -> Result<String, RecordError> {
        self.string(target)?
            .ok_or_else(|| self.error(target, "required field is missing or empty"))
    }

    fn channel_name(&mut self) -> Result<String, RecordError> {
        if self.channel.source_field(Target::Channel).is_none() {
            return Ok(self.channel.name.clone());
        }
        let mut name = self.required_string(Target::Channel)?;
        let valid = name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if valid {
            name.make_ascii_lowercase();
            Ok(name)
        } else {
            Err(self.error(
                Target::Channel,
                format!("`{name}` is not a channel name (letters, digits, _ and -)"),
            ))
        }
    }

    fn text(&mut self) -> Result<String, RecordError> {
        let mut text = self.text_value(Target::Text)?.unwrap_or_default();
        for part in std::mem::take(&mut self.text_parts) {
            let Some(part) = into_scalar_text(part) else { continue };
            let part = part.trim();
            if !part.is_empty() {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(part);
            }
        }
        if text.is_empty() {
            return Err(self.error(Target::Text, "required field is missing or empty"));
        }
        if text.len() > MAX_TEXT_BYTES {
            return Err(self.error(
                Target::Text,
                format!("{} bytes; the limit is {MAX_TEXT_BYTES}", text.len()),
            ));
        }
        Ok(text)
    }

    fn received_at(&mut self, now: DateTime<Utc>) -> Result<DateTime<Utc>, RecordError> {
        if self.channel.source_field(Target::ReceivedAt).is_none() {
            return Ok(now);
        }
        let raw = self.required_string(Target::ReceivedAt)?;
        let at = parse_time(&raw, self.channel.timezone, &self.channel.time_formats)
            .map_err(|reason| self.error(Target::ReceivedAt, reason))?;
        if at > now + chrono::Duration::days(1) {
            return Err(self.error(Target::ReceivedAt, format!("`{raw}` is in the future")));
        }
        Ok(at)
    }

    fn customer_id(&mut self) -> Result<Option<CustomerId>, RecordError> {
        if let Some(id) = self.mapped.get(Target::CustomerId).and_then(Value::as_i64) {
            self.remove(Target::CustomerId);
            return Ok(Some(CustomerId { id, original: None }));
        }
        let text = self.string(Target::CustomerId)?;
        Ok(text.map(|text| match text.parse::<i64>() {
            Ok(id) => CustomerId { id, original: None },
            Err(_) => CustomerId {
                id: stable_id(&text),
                original: Some(text),
            },
        }))
    }

    fn rating(&mut self) -> Result<Option<crate::record::Rating>, RecordError> {
        let Some(raw) = self.string(Target::Rating)? else {
            return Ok(None);
        };
        parse_rating(&raw, self.channel.rating_scale)
            .map(Some)
            .map_err(|reason| self.error(Target::Rating, reason))
    }

    fn language(&mut self) -> Option<voxlake_models::text::lang::Language> {
        let from_record = self
            .remove(Target::Language)
            .and_then(|v| v.as_str().and_then(|s| s.parse().ok()));
        from_record.or(self.channel.language)
    }

    fn tags(&mut self) -> Result<Vec<String>, RecordError> {
        let Some(value) = self.remove(Target::Tags) else {
            return Ok(Vec::new());
        };
        let tags: Vec<String> = match value {
            Value::Array(items) => items.into_iter().filter_map(into_scalar_text).map(trimmed).collect(),
            Value::String(s) => s
                .split(['|', ',', ';', '，', '；'])
                .map(|t| t.trim().to_owned())
                .collect(),
            _ => return Err(self.error(Target::Tags, "expected a list of tags or a |-separated string")),
        };
        Ok(tags.into_iter().filter(|t| !t.is_empty()).collect())
    }

    /// The record's fields that no mapping names, kept as channel-specific
    /// data (nested objects keep their unmapped members), plus the channel's
    /// own customer id when it was not an integer.
    fn extra(self, customer_ref: Option<String>) -> Option<Map<String, Value>> {
        if !self.channel.keep_extra {
            return None;
        }
        let mut extra = self.rest.into_map();
        extra.retain(|_, v| !v.is_null());
        if let Some(original) = customer_ref {
            extra.insert("customer_ref".into(), Value::String(original));
        }
        (!extra.is_empty()).then_some(extra)
    }
}

fn into_scalar_text(value: Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// `s` without surrounding whitespace, reusing its allocation when it has none.
fn trimmed(s: String) -> String {
    // Most values start and end with an ASCII letter or digit: say so from
    // two bytes rather than decoding characters from both ends.
    let solid = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    if solid(s.as_bytes().first()) && solid(s.as_bytes().last()) {
        return s;
    }
    let t = s.trim();
    if t.len() == s.len() { s } else { t.to_owned() }
}

/// A stable positive id for a customer whose channel id is not an integer.
fn stable_id(text: &str) -> i64 {
    (xxhash_rust::xxh3::xxh3_64(text.as_bytes()) >> 1) as i64
}

fn target_name(target: Target) -> &'static str {
    match target {
        Target::Channel => "channel",
        Target::SourceId => "source_id",
        Target::ReceivedAt => "received_at",
        Target::CustomerId => "customer_id",
        Target::CustomerTier => "customer_tier",
        Target::Contact => "contact",
        Target::Product => "product",
        Target::ProductModel => "product_model",
        Target::OrderId => "order_id",
        Target::AppVersion => "app_version",
        Target::Region => "region",
        Target::StoreId => "store_id",
        Target::AgentId => "agent_id",
        Target::Rating => "rating",
        Target::Language => "language",
        Target::Title => "title",
        Target::Text => "text",
        Target::Tags => "tags",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channels::Channels;
    use serde_json::json;

    fn map(channel: &str, value: Value) -> Result<ValidFeedback, RecordError> {
        let channels = Channels::builtin().expect("valid");
        let Value::Object(fields) = value else { panic!("object") };
        let now = DateTime::parse_from_rfc3339("2025-06-01T00:00:00Z")
            .expect("valid")
            .with_timezone(&Utc);
        map_record(
            channels.get(channel).expect("exists"),
            SourceRecord {
                position: Position(7),
                fields: fields.into(),
            },
            now,
        )
    }

    #[test]
    fn native_record_maps_every_field() {
        let v = map(
            "native",
            json!({
                "channel": "JD", "source_id": "jd-1", "received_at": "2025-03-14T09:21:33+08:00",
                "customer_id": 100048513, "customer_tier": "gold", "contact": "13812345678",
                "product": "家电-小满L76", "rating": 4, "text": "  很好用 ", "tags": ["a", "b"],
                "warehouse": "WH-3"
            }),
        )
        .expect("valid");
        assert_eq!(v.channel, "jd");
        assert_eq!(v.source_id.as_deref(), Some("jd-1"));
        assert_eq!(v.received_at.to_rfc3339(), "2025-03-14T01:21:33+00:00");
        assert_eq!(v.customer_id, Some(100048513));
        assert_eq!(v.rating.as_ref().map(|r| r.normalised), Some(4.0));
        assert_eq!(v.text, "很好用");
        assert_eq!(v.tags, vec!["a", "b"]);
        assert_eq!(
            v.extra,
            Some(json!({"warehouse": "WH-3"}).as_object().cloned().expect("object"))
        );
    }

    #[test]
    fn errors_name_the_source_field_and_position() {
        let err = map("native", json!({"channel": "app", "received_at": "soon", "text": "x"})).expect_err("bad time");
        assert_eq!(err.position, Position(7));
        assert_eq!(err.field.as_deref(), Some("received_at"));
        assert!(err.reason.contains("soon"));

        let err = map(
            "native",
            json!({"channel": "app", "received_at": "2025-01-01", "text": ""}),
        )
        .expect_err("no text");
        assert_eq!(err.field.as_deref(), Some("text"));

        let err = map(
            "native",
            json!({"channel": "a b", "received_at": "2025-01-01", "text": "x"}),
        )
        .expect_err("bad channel");
        assert_eq!(err.field.as_deref(), Some("channel"));

        let err = map(
            "native",
            json!({"channel": "app", "received_at": "2025-01-01", "text": "x", "rating": 9}),
        )
        .expect_err("bad rating");
        assert_eq!(err.field.as_deref(), Some("rating"));

        let err = map(
            "native",
            json!({"channel": "app", "received_at": "2025-01-01", "text": {"a": 1}}),
        )
        .expect_err("object text");
        assert!(err.reason.contains("expected text"));
    }

    #[test]
    fn huge_text_is_refused_with_its_size() {
        let text = "长".repeat(4_000_000);
        let err = map(
            "native",
            json!({"channel": "app", "received_at": "2025-01-01", "text": text}),
        )
        .expect_err("too big");
        assert!(err.reason.contains("12000000 bytes"), "{}", err.reason);
    }

    #[test]
    fn string_customer_ids_get_a_stable_integer() {
        let a = map(
            "native",
            json!({"channel": "app", "text": "x", "received_at": "2025-01-01", "customer_id": "u-77"}),
        )
        .expect("valid");
        let b = map(
            "native",
            json!({"channel": "app", "text": "y", "received_at": "2025-01-02", "customer_id": "u-77"}),
        )
        .expect("valid");
        assert_eq!(a.customer_id, b.customer_id);
        assert!(a.customer_id.is_some_and(|id| id > 0));
        assert_eq!(
            a.extra.and_then(|e| e.get("customer_ref").cloned()),
            Some(json!("u-77"))
        );
    }

    #[test]
    fn nested_paths_are_followed() {
        let v = map(
            "app_form",
            json!({
                "id": "f-1", "submitted_at": "2025-05-01 10:00:00", "content": "闪退",
                "user": {"id": 42, "phone": "13800000000", "level": "silver"},
                "device": {"app_version": "5.3.0", "os": "iOS"}
            }),
        )
        .expect("valid");
        assert_eq!(v.customer_id, Some(42));
        assert_eq!(v.app_version.as_deref(), Some("5.3.0"));
        assert_eq!(v.channel, "app_form");
    }

    #[test]
    fn mapped_fields_leave_extra_and_shared_fields_reach_every_target() {
        let channels = Channels::from_sources(&[(
            "test",
            r#"
            [channels.shared]
            format = "json"
            text_join = ["notes.0"]
            [channels.shared.fields]
            source_id = "ref"
            order_id = "ref"
            text = "body"
            app_version = "device.app"
            "#,
        )])
        .expect("valid");
        let Value::Object(fields) = json!({
            "ref": "A-9", "body": " 卡顿 ", "device": {"app": "5.3.0", "os": "iOS"},
            "notes": ["second part", "kept"]
        }) else {
            panic!("object")
        };
        let record = SourceRecord {
            position: Position(1),
            fields: fields.into(),
        };
        let now = Utc::now();
        let v = map_record(channels.get("shared").expect("exists"), record, now).expect("valid");
        assert_eq!(v.source_id.as_deref(), Some("A-9"));
        assert_eq!(v.order_id.as_deref(), Some("A-9"));
        assert_eq!(v.text, "卡顿\nsecond part");
        assert_eq!(
            v.extra,
            Some(
                json!({"device": {"os": "iOS"}, "notes": [null, "kept"]})
                    .as_object()
                    .cloned()
                    .expect("object")
            )
        );
    }
}
