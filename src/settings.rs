//! Settings from the config file, merged under flags and environment
//! variables, resolved into the libraries' config structs.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::{Context, bail};
use serde::Deserialize;

use voxlake_engine::EngineConfig;
use voxlake_ingest::IngestConfig;
use voxlake_ingest::crypto::ContactCipher;
use voxlake_ingest::store::{RetentionConfig, StoreConfig};
use voxlake_models::bundle::LiveModels;
use voxlake_sql::tls::TlsConfig;

use crate::cli::Global;

pub const DEFAULT_HTTP: &str = "127.0.0.1:8080";
pub const DEFAULT_PG: &str = "127.0.0.1:5433";
const KEY_FILE: &str = "secret.key";

/// The config file. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub store: Option<String>,
    pub http: Option<SocketAddr>,
    /// The Postgres port's address, or "off".
    pub pg: Option<PgListen>,
    pub channels: Option<PathBuf>,
    /// Base64 AES-256 key for contacts; VOXLAKE_ENCRYPTION_KEY overrides it.
    pub encryption_key: Option<String>,
    pub compact_every_minutes: Option<u64>,
    pub memory_limit_bytes: Option<usize>,
    /// The models directory (see `--models`).
    pub models: Option<PathBuf>,
    #[serde(default)]
    pub s3: S3Settings,
    #[serde(default)]
    pub retention: RetentionSettings,
    #[serde(default)]
    pub tls: TlsSettings,
    /// API keys, managed by `voxlake keys` (only their hashes are stored);
    /// read by the key store, accepted here so the file validates.
    #[serde(default, rename = "keys")]
    _keys: Vec<toml::Table>,
}

/// S3-compatible storage; each key may also come from `VOXLAKE_S3_*`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Settings {
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub allow_http: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSettings {
    pub data_days: Option<i64>,
    pub file_version_days: Option<i64>,
}

/// A certificate for both ports; `--tls-cert`/`--tls-key` override it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsSettings {
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

/// Where the Postgres port listens, if anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum PgListen {
    Off,
    At(SocketAddr),
}

impl std::str::FromStr for PgListen {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "off" | "none" | "false" | "disabled" => Ok(PgListen::Off),
            addr => addr
                .parse()
                .map(PgListen::At)
                .map_err(|e| format!("`{addr}` is neither an address like 127.0.0.1:5433 nor `off`: {e}")),
        }
    }
}

impl TryFrom<String> for PgListen {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// Everything a command needs, resolved.
pub struct Settings {
    pub data: PathBuf,
    /// The config file, which also holds the API keys.
    pub config_path: PathBuf,
    pub file: FileSettings,
    pub store: StoreConfig,
    pub channels: Option<PathBuf>,
    /// Where models are read from and trained into.
    pub models_dir: PathBuf,
    /// The directory the models load from; `None` for the shipped models.
    models_from: Option<PathBuf>,
    /// The models, loaded on first use: a command that needs none (an import
    /// without enrichment) does not pay for loading them.
    models: OnceLock<Arc<LiveModels>>,
}

impl Settings {
    pub fn load(global: &Global) -> anyhow::Result<Self> {
        let file = read_file_settings(global)?;
        let store_url = global.store.clone().or_else(|| file.store.clone());
        let store = match store_url {
            Some(url) if url.contains("://") => StoreConfig::from_url(&url, s3_options(&file.s3))?,
            Some(path) => StoreConfig::local(Path::new(&path))?,
            None => StoreConfig::local(&global.data.join("lake"))?,
        };
        let channels = global
            .channels
            .clone()
            .or_else(|| file.channels.clone())
            .or_else(|| Some(global.data.join("channels.toml")).filter(|p| p.exists()));
        let config_path = global
            .config
            .clone()
            .unwrap_or_else(|| global.data.join("voxlake.toml"));
        let (models_dir, models_from) = models_location(global, &file);
        Ok(Self {
            data: global.data.clone(),
            config_path,
            file,
            store,
            channels,
            models_dir,
            models_from,
            models: OnceLock::new(),
        })
    }

    /// The models, loaded the first time they are asked for. A directory
    /// named by flag, variable or config file must load.
    pub fn models(&self) -> anyhow::Result<Arc<LiveModels>> {
        if let Some(models) = self.models.get() {
            return Ok(Arc::clone(models));
        }
        let loaded = match &self.models_from {
            Some(dir) => open_models(dir)?,
            None => LiveModels::shipped(),
        };
        Ok(Arc::clone(self.models.get_or_init(|| loaded)))
    }

    /// Ingest's config; with `enrich`, the models fill the enrichment columns.
    pub fn ingest_config(&self, enrich: bool) -> anyhow::Result<IngestConfig> {
        let mut config = IngestConfig::unenriched(self.store.clone(), self.encryption_key()?);
        config.channels_file = self.channels.clone();
        if enrich {
            config.models = Some(self.models()?);
        }
        Ok(config)
    }

    pub fn engine_config(&self) -> anyhow::Result<EngineConfig> {
        let mut config = EngineConfig::new(self.store.clone());
        config.models = self.models()?;
        if let Some(limit) = self.file.memory_limit_bytes {
            config.memory_limit_bytes = limit;
        }
        Ok(config)
    }

    /// The Postgres port's address: the flag (or VOXLAKE_PG), the file, the default.
    pub fn pg_listen(&self, flag: Option<PgListen>) -> anyhow::Result<Option<SocketAddr>> {
        match flag.or(self.file.pg).unwrap_or(PgListen::At(DEFAULT_PG.parse()?)) {
            PgListen::Off => Ok(None),
            PgListen::At(addr) => Ok(Some(addr)),
        }
    }

    /// The TLS certificate and key, from the flags (or variables) else the
    /// file; none means plain TCP. Half a pair is an error, not plain TCP.
    pub fn tls(&self, cert: Option<&PathBuf>, key: Option<&PathBuf>) -> anyhow::Result<Option<TlsConfig>> {
        let cert = cert.or(self.file.tls.cert.as_ref());
        let key = key.or(self.file.tls.key.as_ref());
        match (cert, key) {
            (Some(cert), Some(key)) => Ok(Some(TlsConfig {
                cert: cert.clone(),
                key: key.clone(),
            })),
            (None, None) => Ok(None),
            _ => bail!("TLS needs both a certificate and a key ([tls] cert and key, or --tls-cert and --tls-key)"),
        }
    }

    pub fn retention(&self) -> RetentionConfig {
        let mut retention = RetentionConfig::default();
        if let Some(days) = self.file.retention.data_days {
            retention.data = chrono::Duration::days(days);
        }
        if let Some(days) = self.file.retention.file_version_days {
            retention.file_versions = chrono::Duration::days(days);
        }
        retention
    }

    /// The contact key: VOXLAKE_ENCRYPTION_KEY, the config file, or the key
    /// file in the data directory (created with a fresh key on first use).
    fn encryption_key(&self) -> anyhow::Result<String> {
        if let Ok(key) = std::env::var("VOXLAKE_ENCRYPTION_KEY") {
            return Ok(key);
        }
        if let Some(key) = &self.file.encryption_key {
            return Ok(key.clone());
        }
        let path = self.data.join(KEY_FILE);
        if path.exists() {
            return std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()));
        }
        create_key_file(&path)
    }
}

/// The models directory, and where the models load from: a directory named
/// by flag, variable or config file; `<data>/models` when it exists; else
/// the shipped models (`None`).
fn models_location(global: &Global, file: &FileSettings) -> (PathBuf, Option<PathBuf>) {
    let default = global.data.join("models");
    match global.models.clone().or_else(|| file.models.clone()) {
        Some(dir) => (dir.clone(), Some(dir)),
        None if default.is_dir() => (default.clone(), Some(default)),
        None => (default, None),
    }
}

fn open_models(dir: &Path) -> anyhow::Result<Arc<LiveModels>> {
    let live = LiveModels::open(dir).with_context(|| format!("loading the models of {}", dir.display()))?;
    tracing::debug!(dir = %dir.display(), version = live.current().version(), "models loaded");
    Ok(Arc::new(live))
}

fn read_file_settings(global: &Global) -> anyhow::Result<FileSettings> {
    let default = global.data.join("voxlake.toml");
    let path = match &global.config {
        Some(path) if !path.exists() => bail!("config file {} does not exist", path.display()),
        Some(path) => path.clone(),
        None if default.exists() => default,
        None => return Ok(FileSettings::default()),
    };
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("config file {}", path.display()))
}

/// deltalake's S3 options from the config file and `VOXLAKE_S3_*` variables.
fn s3_options(s3: &S3Settings) -> HashMap<String, String> {
    let mut options = HashMap::new();
    let mut put = |key: &str, env: &str, file: Option<String>| {
        if let Some(value) = std::env::var(env).ok().or(file) {
            options.insert(key.to_owned(), value);
        }
    };
    put("aws_endpoint", "VOXLAKE_S3_ENDPOINT", s3.endpoint.clone());
    put("aws_region", "VOXLAKE_S3_REGION", s3.region.clone());
    put(
        "aws_access_key_id",
        "VOXLAKE_S3_ACCESS_KEY_ID",
        s3.access_key_id.clone(),
    );
    put(
        "aws_secret_access_key",
        "VOXLAKE_S3_SECRET_ACCESS_KEY",
        s3.secret_access_key.clone(),
    );
    put(
        "aws_allow_http",
        "VOXLAKE_S3_ALLOW_HTTP",
        s3.allow_http.map(|b| b.to_string()),
    );
    // Voxlake has one writer per table, so S3's lack of an atomic rename needs no lock service.
    options.insert("aws_s3_allow_unsafe_rename".to_owned(), "true".to_owned());
    options
}

fn create_key_file(path: &Path) -> anyhow::Result<String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let key = ContactCipher::generate_key();
    std::fs::write(path, &key).with_context(|| format!("writing {}", path.display()))?;
    restrict_permissions(path)?;
    tracing::warn!(path = %path.display(), "created a new contact encryption key; back it up, or set VOXLAKE_ENCRYPTION_KEY");
    Ok(key)
}

#[cfg(unix)]
fn restrict_permissions(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("protecting {}", path.display()))
}

#[cfg(not(unix))]
fn restrict_permissions(_: &Path) -> anyhow::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pg_port_takes_an_address_or_off() {
        assert_eq!("off".parse::<PgListen>(), Ok(PgListen::Off));
        assert_eq!(
            "0.0.0.0:6432".parse::<PgListen>(),
            Ok(PgListen::At("0.0.0.0:6432".parse().expect("addr")))
        );
        assert!("localhost".parse::<PgListen>().is_err());
        let file: FileSettings =
            toml::from_str("pg = \"off\"\n[tls]\ncert = \"c.pem\"\nkey = \"k.pem\"\n").expect("parses");
        assert_eq!(file.pg, Some(PgListen::Off));
        assert_eq!(file.tls.cert.as_deref(), Some(Path::new("c.pem")));
    }

    #[test]
    fn tls_needs_both_halves_and_flags_win_over_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = Settings {
            data: dir.path().to_owned(),
            config_path: dir.path().join("voxlake.toml"),
            file: toml::from_str("[tls]\ncert = \"file.pem\"\nkey = \"file.key\"\n").expect("parses"),
            store: StoreConfig::local(&dir.path().join("lake")).expect("store"),
            channels: None,
            models_dir: dir.path().join("models"),
            models_from: None,
            models: OnceLock::new(),
        };
        let flag = PathBuf::from("flag.pem");
        let tls = settings.tls(Some(&flag), None).expect("ok").expect("on");
        assert_eq!(
            (tls.cert.as_path(), tls.key.as_path()),
            (Path::new("flag.pem"), Path::new("file.key"))
        );
        let half = Settings {
            file: toml::from_str("[tls]\ncert = \"file.pem\"\n").expect("parses"),
            ..settings
        };
        assert!(half.tls(None, None).is_err());
        assert_eq!(
            half.pg_listen(None).expect("ok"),
            Some(DEFAULT_PG.parse().expect("addr"))
        );
    }
}
