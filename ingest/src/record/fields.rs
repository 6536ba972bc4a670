//! The top-level fields of a source record.

use std::fmt;

use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};
use smol_str::SmolStr;
use xxhash_rust::xxh3::xxh3_64;

/// A record's top-level fields, in the order the source gave them.
///
/// A list rather than a map: a record has a dozen or two fields and mapping
/// takes each out once, so a scan over so few short keys costs less than
/// building and tearing down a tree per record (at hundreds of thousands of
/// records a second, the tree was a tenth of import time). Keys are stored
/// inline (they are short), sparing two allocations per field. Nested
/// objects stay `serde_json` maps.
///
/// Taking a field out leaves its slot empty rather than moving the others,
/// and the next search starts after it: a channel's mapping takes fields in
/// about the order its sources write them, so the key sought is usually the
/// next one instead of one scan of all keys per field.
#[derive(Clone, Debug, Default)]
pub struct SourceFields {
    entries: Vec<(SmolStr, Option<Value>)>,
    /// Where the next `remove` starts looking.
    next: usize,
}

impl SourceFields {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: Vec::with_capacity(capacity),
            next: 0,
        }
    }

    /// Set `key` to `value`; a key given twice keeps the last value, as JSON
    /// parsers do.
    pub fn insert(&mut self, key: &str, value: Value) {
        self.insert_key(SmolStr::new(key), value);
    }

    fn insert_key(&mut self, key: SmolStr, value: Value) {
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = Some(value),
            None => self.entries.push((key, Some(value))),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key)?.1.as_ref()
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.entries.iter_mut().find(|(k, _)| k == key)?.1.as_mut()
    }

    /// Take `key` out.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let start = self.next.min(self.entries.len());
        let is_key = |(k, _): &(SmolStr, Option<Value>)| k == key;
        let found = self.entries[start..]
            .iter()
            .position(is_key)
            .map(|i| start + i)
            .or_else(|| self.entries[..start].iter().position(is_key))?;
        self.next = found + 1;
        self.entries[found].1.take()
    }

    pub fn len(&self) -> usize {
        self.present().count()
    }

    pub fn is_empty(&self) -> bool {
        self.present().next().is_none()
    }

    /// The fields not taken out.
    pub fn into_map(self) -> Map<String, Value> {
        // Mapping usually takes every field: no map to build and tear down.
        if self.is_empty() {
            return Map::new();
        }
        let present = self.entries.into_iter().filter_map(|(k, v)| Some((k.into(), v?)));
        present.collect()
    }

    fn present(&self) -> impl Iterator<Item = (&SmolStr, &Value)> {
        self.entries.iter().filter_map(|(k, v)| Some((k, v.as_ref()?)))
    }
}

/// Equal when the same fields are present with the same values, whatever
/// was taken out on the way.
impl PartialEq for SourceFields {
    fn eq(&self, other: &Self) -> bool {
        self.present().eq(other.present())
    }
}

impl<K: AsRef<str>> FromIterator<(K, Value)> for SourceFields {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut fields = Self::with_capacity(iter.size_hint().0);
        iter.for_each(|(k, v)| fields.insert(k.as_ref(), v));
        fields
    }
}

impl From<Map<String, Value>> for SourceFields {
    fn from(map: Map<String, Value>) -> Self {
        Self {
            entries: map.into_iter().map(|(k, v)| (SmolStr::from(k), Some(v))).collect(),
            next: 0,
        }
    }
}

impl<'de> Deserialize<'de> for SourceFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(FieldsVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = SourceFields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<SourceFields, A::Error> {
        let mut fields = SourceFields::with_capacity(access.size_hint().unwrap_or(24));
        // One bit per key hash: a key whose bit is unset cannot be a repeat,
        // so the scan for an earlier entry runs only on the rare collision
        // instead of for every key.
        let mut seen = 0u64;
        while let Some(key) = access.next_key_seed(KeySeed)? {
            let value = access.next_value::<Value>()?;
            let bit = 1u64 << (xxh3_64(key.as_bytes()) & 63);
            if seen & bit == 0 {
                fields.entries.push((key, Some(value)));
            } else {
                fields.insert_key(key, value);
            }
            seen |= bit;
        }
        Ok(fields)
    }
}

/// A key read straight into an inline string, with no `String` in between.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = SmolStr;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<SmolStr, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = SmolStr;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<SmolStr, E> {
        Ok(SmolStr::new(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_like_a_json_object() {
        let fields: SourceFields = serde_json::from_str(r#"{"a": 1, "b": {"c": [2]}, "a": 3}"#).expect("an object");
        assert_eq!(fields.len(), 2, "a repeated key keeps one entry");
        assert_eq!(fields.get("a"), Some(&json!(3)), "the last value wins");
        assert_eq!(fields.get("b"), Some(&json!({"c": [2]})));
        assert!(serde_json::from_str::<SourceFields>("[1]").is_err());
    }

    #[test]
    fn many_keys_sharing_a_hash_bit_are_all_kept() {
        // More keys than bits: some share one, and must still not merge.
        let text = format!(
            "{{{}}}",
            (0..100).map(|i| format!("\"k{i}\": {i}")).collect::<Vec<_>>().join(",")
        );
        let fields: SourceFields = serde_json::from_str(&text).expect("an object");
        assert_eq!(fields.len(), 100);
        assert_eq!(fields.get("k99"), Some(&json!(99)));
        let repeated: SourceFields = serde_json::from_str(&text.replace("\"k7\": 7", "\"k3\": 7")).expect("an object");
        assert_eq!(repeated.len(), 99);
        assert_eq!(repeated.get("k3"), Some(&json!(7)), "the later value wins");
    }

    #[test]
    fn fields_are_found_in_any_order_of_removal() {
        let keys = ["a", "b", "c", "d"];
        let fields: SourceFields = keys.iter().map(|k| (*k, json!(k))).collect();
        for order in [["a", "b", "c", "d"], ["d", "c", "b", "a"], ["b", "d", "a", "c"]] {
            let mut fields = fields.clone();
            for key in order {
                assert_eq!(fields.remove(key), Some(json!(key)), "{order:?}");
            }
            assert!(fields.is_empty());
            assert_eq!(fields.remove("a"), None);
        }
    }

    #[test]
    fn removing_takes_the_value_out() {
        let mut fields: SourceFields = [("x", json!("1")), ("y", json!(null))].into_iter().collect();
        assert_eq!(fields.remove("x"), Some(json!("1")));
        assert_eq!(fields.remove("x"), None);
        assert_eq!(fields.into_map(), Map::from_iter([("y".to_owned(), Value::Null)]));
    }
}
