//! Field paths of a channel mapping: `device.app`, `notes.1`, or a key that
//! itself contains dots, taken out of a source record.

use serde_json::{Map, Value};

use crate::record::SourceFields;

/// Take the value at `path` out of `fields`: the exact key first (CSV headers
/// may contain dots), then a dotted path into nested objects (dropping objects
/// that become empty) or arrays (the element is left as null, keeping indexes).
pub(super) fn take_path(fields: &mut impl Object, path: &str) -> Option<Value> {
    if let Some(value) = fields.take(path) {
        return Some(value);
    }
    let (head, rest) = path.split_once('.')?;
    let parent = fields.member(head)?;
    let taken = take_below(parent, rest);
    if matches!(parent, Value::Object(inner) if inner.is_empty()) {
        fields.take(head);
    }
    taken
}

/// Take the value at `path` below `parent`, an object or an array.
fn take_below(parent: &mut Value, path: &str) -> Option<Value> {
    match parent {
        Value::Object(inner) => take_path(inner, path),
        Value::Array(items) => {
            let (index, deeper) = match path.split_once('.') {
                Some((index, deeper)) => (index, Some(deeper)),
                None => (path, None),
            };
            let item = items.get_mut(index.parse::<usize>().ok()?)?;
            match deeper {
                None => Some(item.take()),
                Some(deeper) => take_below(item, deeper),
            }
        }
        _ => None,
    }
}

/// The record's top level and the JSON objects nested in it, as `take_path`
/// walks them.
pub(super) trait Object {
    fn take(&mut self, key: &str) -> Option<Value>;
    fn member(&mut self, key: &str) -> Option<&mut Value>;
}

impl Object for SourceFields {
    fn take(&mut self, key: &str) -> Option<Value> {
        self.remove(key)
    }
    fn member(&mut self, key: &str) -> Option<&mut Value> {
        self.get_mut(key)
    }
}

impl Object for Map<String, Value> {
    fn take(&mut self, key: &str) -> Option<Value> {
        self.remove(key)
    }
    fn member(&mut self, key: &str) -> Option<&mut Value> {
        self.get_mut(key)
    }
}
