//! Where the tables live: a root URL plus the options its object store needs.

use std::collections::HashMap;
use std::path::Path;

use url::Url;

use crate::error::{Error, Result};

/// The lake's root and object-store options (credentials, endpoint, region).
#[derive(Clone)]
pub struct StoreConfig {
    root: Url,
    options: HashMap<String, String>,
}

impl std::fmt::Debug for StoreConfig {
    /// Options may hold credentials: show only their names.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut keys: Vec<_> = self.options.keys().collect();
        keys.sort();
        f.debug_struct("StoreConfig")
            .field("root", &self.root.as_str())
            .field("options", &keys)
            .finish()
    }
}

impl StoreConfig {
    /// A local folder as the object store; created if missing.
    pub fn local(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_owned(),
            source,
        })?;
        let dir = dir.canonicalize().map_err(|source| Error::Io {
            path: dir.to_owned(),
            source,
        })?;
        let root = Url::from_directory_path(&dir)
            .map_err(|_| Error::StoreConfig(format!("{} is not an absolute path", dir.display())))?;
        Ok(Self {
            root,
            options: HashMap::new(),
        })
    }

    /// A store by URL: `s3://bucket/prefix` (options as deltalake's
    /// `aws_endpoint`, `aws_access_key_id`, …), `file:///path`, or `memory:///`.
    pub fn from_url(url: &str, options: HashMap<String, String>) -> Result<Self> {
        let mut root = Url::parse(url).map_err(|e| Error::StoreConfig(format!("`{url}`: {e}")))?;
        match root.scheme() {
            "s3" | "s3a" => deltalake::aws::register_handlers(None),
            "file" | "memory" => {}
            other => {
                return Err(Error::StoreConfig(format!(
                    "unsupported store scheme `{other}` (use s3://, file:// or a folder)"
                )));
            }
        }
        if !root.path().ends_with('/') {
            root.set_path(&format!("{}/", root.path()));
        }
        Ok(Self { root, options })
    }

    /// The URL of a table under the root.
    pub fn table_url(&self, name: &str) -> Result<Url> {
        self.root
            .join(&format!("{name}/"))
            .map_err(|e| Error::StoreConfig(format!("table `{name}`: {e}")))
    }

    /// For a local store, the folder a table lives in.
    pub fn local_table_dir(&self, name: &str) -> Result<Option<std::path::PathBuf>> {
        let url = self.table_url(name)?;
        if url.scheme() != "file" {
            return Ok(None);
        }
        let dir = url
            .to_file_path()
            .map_err(|_| Error::StoreConfig(format!("bad local path {url}")))?;
        Ok(Some(dir))
    }

    pub fn root(&self) -> &Url {
        &self.root
    }

    pub fn options(&self) -> &HashMap<String, String> {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_urls_sit_under_the_root() {
        let config = StoreConfig::from_url("s3://bucket/lake", HashMap::new()).expect("valid");
        assert_eq!(
            config.table_url("feedback").expect("valid").as_str(),
            "s3://bucket/lake/feedback/"
        );
    }

    #[test]
    fn debug_hides_option_values() {
        let options = HashMap::from([("aws_secret_access_key".to_owned(), "hunter2".to_owned())]);
        let config = StoreConfig::from_url("s3://b/", options).expect("valid");
        let shown = format!("{config:?}");
        assert!(shown.contains("aws_secret_access_key") && !shown.contains("hunter2"));
    }

    #[test]
    fn unknown_schemes_are_refused() {
        let err = StoreConfig::from_url("ftp://host/x", HashMap::new()).expect_err("ftp");
        assert!(err.to_string().contains("ftp"));
    }
}
