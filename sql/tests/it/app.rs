//! Starting the real app on port 0: HTTP and the Postgres port, over TLS
//! with a certificate made for the test when asked.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tempfile::TempDir;
use voxlake_engine::{Engine, EngineConfig};
use voxlake_ingest::crypto::ContactCipher;
use voxlake_ingest::store::StoreConfig;
use voxlake_ingest::{Ingest, IngestConfig};
use voxlake_sql::audit::AuditLog;
use voxlake_sql::auth::{KeyStore, Role};
use voxlake_sql::pgwire::PgService;
use voxlake_sql::tls::{TlsAcceptor, TlsConfig, TlsListener};
use voxlake_sql::{AppState, router, serve};

pub struct TestApp {
    pub url: String,
    pub http: reqwest::Client,
    /// An admin key; `key_for` makes others.
    pub key: String,
    pub keys: Arc<KeyStore>,
    /// The Postgres wire protocol port, on 127.0.0.1.
    pub pg_port: u16,
    /// The certificate clients must trust, when started with TLS.
    pub cert: Option<PathBuf>,
    _dir: TempDir,
}

impl TestApp {
    pub async fn start() -> Self {
        Self::start_with_limit(voxlake_sql::DEFAULT_BODY_LIMIT_BYTES).await
    }

    pub async fn start_with_limit(body_limit_bytes: usize) -> Self {
        Self::start_with(body_limit_bytes, false).await
    }

    /// Both ports speak TLS only, with a self-signed certificate for `localhost`.
    pub async fn start_with_tls() -> Self {
        Self::start_with(voxlake_sql::DEFAULT_BODY_LIMIT_BYTES, true).await
    }

    async fn start_with(body_limit_bytes: usize, tls: bool) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = StoreConfig::local(&dir.path().join("lake")).expect("store");
        let ingest = Ingest::start(IngestConfig::new(store.clone(), ContactCipher::generate_key()))
            .await
            .expect("ingest");
        let keys = Arc::new(KeyStore::new(dir.path().join("voxlake.toml")));
        let key = keys.create("test-admin", Role::Admin, None).expect("admin key");
        let audit = AuditLog::start(&store).await.expect("audit log");
        let state = AppState::new(
            ingest,
            Engine::new(EngineConfig::new(store)).expect("engine"),
            Arc::clone(&keys),
            audit,
        );
        let tls = tls.then(|| self_signed(dir.path()));
        let acceptor = tls.as_ref().map(|config| config.acceptor().expect("TLS acceptor"));
        let pg_port = start_pg(state.clone(), acceptor.clone()).await;
        let (url, http) = start_http(router(state, body_limit_bytes), acceptor, tls.as_ref()).await;
        Self {
            url,
            http,
            key,
            keys,
            pg_port,
            cert: tls.map(|config| config.cert),
            _dir: dir,
        }
    }

    /// A new key of `role` (agents get `agent_id`).
    pub fn key_for(&self, name: &str, role: Role, agent_id: Option<&str>) -> String {
        self.keys.create(name, role, agent_id).expect("key created")
    }

    pub async fn post(&self, path: &str, body: impl Into<reqwest::Body>) -> (u16, serde_json::Value) {
        self.post_as(&self.key, path, body).await
    }

    pub async fn post_as(&self, key: &str, path: &str, body: impl Into<reqwest::Body>) -> (u16, serde_json::Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.url))
            .bearer_auth(key)
            .body(body)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        )
    }

    pub async fn sql(&self, sql: &str) -> (u16, serde_json::Value) {
        self.sql_as(&self.key, sql).await
    }

    pub async fn sql_as(&self, key: &str, sql: &str) -> (u16, serde_json::Value) {
        self.post_as(key, "/v1/sql", serde_json::json!({ "sql": sql }).to_string())
            .await
    }

    /// `POST /v1/sql` with `body` as is, for tests that read the raw response.
    pub async fn sql_raw(&self, body: &serde_json::Value) -> reqwest::Response {
        self.http
            .post(format!("{}/v1/sql", self.url))
            .bearer_auth(&self.key)
            .json(body)
            .send()
            .await
            .expect("POST /v1/sql")
    }

    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self
            .http
            .get(format!("{}{path}", self.url))
            .bearer_auth(&self.key)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(serde_json::Value::Null))
    }
}

async fn start_pg(state: AppState, tls: Option<TlsAcceptor>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let service = Arc::new(PgService::new(state));
    tokio::spawn(voxlake_sql::pgwire::serve(
        listener,
        service,
        tls,
        std::future::pending(),
        Duration::from_secs(1),
    ));
    port
}

async fn start_http(
    app: axum::Router,
    tls: Option<TlsAcceptor>,
    config: Option<&TlsConfig>,
) -> (String, reqwest::Client) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let grace = Duration::from_secs(1);
    let Some(acceptor) = tls else {
        tokio::spawn(serve(listener, app, std::future::pending(), grace));
        return (format!("http://127.0.0.1:{port}"), reqwest::Client::new());
    };
    let listener = TlsListener::new(listener, acceptor).expect("TLS listener");
    tokio::spawn(serve(listener, app, std::future::pending(), grace));
    let pem = std::fs::read(&config.expect("config").cert).expect("cert");
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(&pem).expect("certificate")])
        .build()
        .expect("client");
    (format!("https://localhost:{port}"), client)
}

/// A certificate for `localhost`, written next to the lake.
fn self_signed(dir: &std::path::Path) -> TlsConfig {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("certificate");
    let config = TlsConfig {
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
    };
    std::fs::write(&config.cert, made.cert.pem()).expect("write cert");
    std::fs::write(&config.key, made.signing_key.serialize_pem()).expect("write key");
    config
}

pub fn record(source_id: &str, text: &str) -> serde_json::Value {
    serde_json::json!({
        "channel": "app", "source_id": source_id, "received_at": "2025-09-10T12:00:00+08:00",
        "customer_id": 42, "app_version": "5.3.0", "rating": 1, "text": text
    })
}
