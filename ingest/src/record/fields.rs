//! The top-level fields of a source record.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

/// A record's top-level fields, in the order the source gave them.
///
/// A list rather than a map: a record has a dozen or two fields and mapping
/// takes each out once, so a scan over so few short keys costs less than
/// building and tearing down a tree per record (at hundreds of thousands of
/// records a second, the tree was a tenth of import time). Nested objects stay
/// `serde_json` maps.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceFields(Vec<(String, Value)>);

impl SourceFields {
    pub fn with_capacity(capacity: usize) -> Self {
        Self(Vec::with_capacity(capacity))
    }

    /// Set `key` to `value`; a key given twice keeps the last value, as JSON
    /// parsers do.
    pub fn insert(&mut self, key: String, value: Value) {
        match self.get_mut(&key) {
            Some(slot) => *slot = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Take `key` out; the order of the others may change.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let index = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.swap_remove(index).1)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_map(self) -> Map<String, Value> {
        self.0.into_iter().collect()
    }
}

impl FromIterator<(String, Value)> for SourceFields {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut fields = Self::with_capacity(iter.size_hint().0);
        iter.for_each(|(k, v)| fields.insert(k, v));
        fields
    }
}

impl From<Map<String, Value>> for SourceFields {
    fn from(map: Map<String, Value>) -> Self {
        Self(map.into_iter().collect())
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
        while let Some((key, value)) = access.next_entry::<String, Value>()? {
            fields.insert(key, value);
        }
        Ok(fields)
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
    fn removing_takes_the_value_out() {
        let mut fields: SourceFields = [("x".to_owned(), json!("1")), ("y".to_owned(), json!(null))]
            .into_iter()
            .collect();
        assert_eq!(fields.remove("x"), Some(json!("1")));
        assert_eq!(fields.remove("x"), None);
        assert_eq!(fields.into_map(), Map::from_iter([("y".to_owned(), Value::Null)]));
    }
}
