//! API keys, stored as SHA-256 hashes in the config file's `[[keys]]` array.
//!
//! A key is 32 random bytes shown once, as `vxk_` + hex; only its hash is
//! kept, so the config file leaks no key. Keys are random and long, so a fast
//! hash is the right one (a slow password hash buys nothing here). The server
//! re-reads the file when it changes, so `voxlake keys create` and `revoke`
//! take effect on a running server.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use std::time::SystemTime;

use chrono::Utc;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use super::role::Role;

const KEY_PREFIX: &str = "vxk_";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("config file {path}: {reason}")]
    File { path: PathBuf, reason: String },
    #[error("a key named `{0}` already exists")]
    Exists(String),
    #[error("no key named `{0}`")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
}

/// A stored key (never the key itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiKey {
    pub name: String,
    pub role: Role,
    pub agent_id: Option<String>,
    pub created_at: String,
    pub revoked: bool,
    #[serde(skip)]
    hash: String,
}

pub struct KeyStore {
    path: PathBuf,
    cache: RwLock<Cache>,
}

#[derive(Default)]
struct Cache {
    modified: Option<SystemTime>,
    by_hash: HashMap<String, ApiKey>,
}

impl KeyStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            cache: RwLock::new(Cache::default()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Create a key and return it: the only time it is ever shown.
    pub fn create(&self, name: &str, role: Role, agent_id: Option<&str>) -> Result<String, KeyError> {
        if name.trim().is_empty() {
            return Err(KeyError::Invalid("a key needs a name".into()));
        }
        if role == Role::Agent && agent_id.is_none() {
            return Err(KeyError::Invalid("an agent key needs --agent-id".into()));
        }
        let mut doc = self.read_document()?;
        if self.list_from(&doc).iter().any(|k| k.name == name) {
            return Err(KeyError::Exists(name.to_owned()));
        }
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let key = format!("{KEY_PREFIX}{}", hex::encode(bytes));
        let mut entry = Table::new();
        entry["name"] = value(name);
        entry["role"] = value(role.as_str());
        if let Some(agent) = agent_id {
            entry["agent_id"] = value(agent);
        }
        entry["hash"] = value(hash_key(&key));
        entry["created_at"] = value(Utc::now().to_rfc3339());
        keys_array(&mut doc)?.push(entry);
        self.write_document(&doc)?;
        Ok(key)
    }

    pub fn list(&self) -> Result<Vec<ApiKey>, KeyError> {
        Ok(self.list_from(&self.read_document()?))
    }

    pub fn revoke(&self, name: &str) -> Result<(), KeyError> {
        let mut doc = self.read_document()?;
        let keys = keys_array(&mut doc)?;
        let entry = keys
            .iter_mut()
            .find(|t| t.get("name").and_then(Item::as_str) == Some(name))
            .ok_or_else(|| KeyError::NotFound(name.to_owned()))?;
        entry["revoked"] = value(true);
        self.write_document(&doc)
    }

    /// The key a bearer token stands for, if it is known and not revoked.
    pub fn authenticate(&self, token: &str) -> Option<ApiKey> {
        if !token.starts_with(KEY_PREFIX) {
            return None;
        }
        self.refresh();
        let cache = self.cache.read().ok()?;
        cache.by_hash.get(&hash_key(token)).filter(|k| !k.revoked).cloned()
    }

    /// Re-read the file when it changed since the last read.
    fn refresh(&self) {
        let modified = std::fs::metadata(&self.path).and_then(|m| m.modified()).ok();
        let stale = self.cache.read().map(|c| c.modified != modified).unwrap_or(true);
        if !stale {
            return;
        }
        let keys = match self.list() {
            Ok(keys) => keys,
            Err(e) => {
                tracing::error!(error = %e, "cannot read API keys; keeping the previous ones");
                return;
            }
        };
        if let Ok(mut cache) = self.cache.write() {
            cache.modified = modified;
            cache.by_hash = keys.into_iter().map(|k| (k.hash.clone(), k)).collect();
        }
    }

    fn list_from(&self, doc: &DocumentMut) -> Vec<ApiKey> {
        let Some(keys) = doc.get("keys").and_then(Item::as_array_of_tables) else {
            return Vec::new();
        };
        keys.iter().filter_map(parse_key).collect()
    }

    fn read_document(&self) -> Result<DocumentMut, KeyError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(self.file_error(e.to_string())),
        };
        text.parse::<DocumentMut>().map_err(|e| self.file_error(e.to_string()))
    }

    fn write_document(&self, doc: &DocumentMut) -> Result<(), KeyError> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| self.file_error(e.to_string()))?;
        }
        // Write a sibling and rename, so a reader never sees half a file.
        let tmp = self.path.with_extension("toml.tmp");
        std::fs::write(&tmp, doc.to_string()).map_err(|e| self.file_error(e.to_string()))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| self.file_error(e.to_string()))
    }

    fn file_error(&self, reason: String) -> KeyError {
        KeyError::File {
            path: self.path.clone(),
            reason,
        }
    }
}

fn keys_array(doc: &mut DocumentMut) -> Result<&mut ArrayOfTables, KeyError> {
    let item = doc.entry("keys").or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
    item.as_array_of_tables_mut()
        .ok_or_else(|| KeyError::Invalid("`keys` in the config file must be [[keys]] tables".into()))
}

fn parse_key(table: &Table) -> Option<ApiKey> {
    let text = |k: &str| table.get(k).and_then(Item::as_str).map(str::to_owned);
    Some(ApiKey {
        name: text("name")?,
        role: text("role")?.parse().ok()?,
        agent_id: text("agent_id"),
        created_at: text("created_at").unwrap_or_default(),
        revoked: table.get("revoked").and_then(Item::as_bool).unwrap_or(false),
        hash: text("hash")?,
    })
}

fn hash_key(key: &str) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(key.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, KeyStore) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("voxlake.toml");
        std::fs::write(&path, "# my settings\nhttp = \"127.0.0.1:9000\"\n").expect("write");
        (dir, KeyStore::new(path))
    }

    #[test]
    fn created_keys_authenticate_and_only_hashes_are_stored() {
        let (_dir, keys) = store();
        let key = keys.create("alice", Role::Analyst, None).expect("created");
        let file = std::fs::read_to_string(keys.path()).expect("read");
        assert!(!file.contains(&key), "the key itself is never stored");
        assert!(
            file.contains("# my settings") && file.contains("http = "),
            "the rest of the file is kept: {file}"
        );
        let found = keys.authenticate(&key).expect("authenticates");
        assert_eq!((found.name.as_str(), found.role), ("alice", Role::Analyst));
        assert!(keys.authenticate("vxk_0000").is_none());
        assert!(keys.authenticate(&key.replace("vxk_", "")).is_none());
    }

    #[test]
    fn revoked_keys_stop_working() {
        let (_dir, keys) = store();
        let key = keys.create("bob", Role::Admin, None).expect("created");
        assert!(keys.authenticate(&key).is_some());
        std::thread::sleep(std::time::Duration::from_millis(10));
        keys.revoke("bob").expect("revoked");
        assert!(keys.authenticate(&key).is_none());
        assert!(matches!(keys.revoke("nobody"), Err(KeyError::NotFound(_))));
    }

    #[test]
    fn names_are_unique_and_agents_need_an_id() {
        let (_dir, keys) = store();
        keys.create("carol", Role::Manager, None).expect("created");
        assert!(matches!(
            keys.create("carol", Role::Admin, None),
            Err(KeyError::Exists(_))
        ));
        assert!(matches!(
            keys.create("dave", Role::Agent, None),
            Err(KeyError::Invalid(_))
        ));
        keys.create("dave", Role::Agent, Some("agent-017")).expect("created");
        let listed = keys.list().expect("lists");
        assert_eq!(
            listed.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(),
            vec!["carol", "dave"]
        );
        assert_eq!(listed[1].agent_id.as_deref(), Some("agent-017"));
    }
}
