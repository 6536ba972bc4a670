//! Starting the real app on port 0.

use std::time::Duration;

use tempfile::TempDir;
use voxlake_engine::EngineConfig;
use voxlake_ingest::crypto::ContactCipher;
use voxlake_ingest::store::StoreConfig;
use voxlake_ingest::{Ingest, IngestConfig};
use voxlake_sql::{AppState, router, serve};

pub struct TestApp {
    pub url: String,
    pub http: reqwest::Client,
    _dir: TempDir,
}

impl TestApp {
    pub async fn start() -> Self {
        Self::start_with_limit(voxlake_sql::DEFAULT_BODY_LIMIT_BYTES).await
    }

    pub async fn start_with_limit(body_limit_bytes: usize) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = StoreConfig::local(&dir.path().join("lake")).expect("store");
        let ingest = Ingest::start(IngestConfig::new(store.clone(), ContactCipher::generate_key())).await.expect("ingest");
        let state = AppState { ingest, engine: EngineConfig::new(store) };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let app = router(state, body_limit_bytes);
        tokio::spawn(serve(listener, app, std::future::pending(), Duration::from_secs(1)));
        Self { url, http: reqwest::Client::new(), _dir: dir }
    }

    pub async fn post(&self, path: &str, body: impl Into<reqwest::Body>) -> (u16, serde_json::Value) {
        let response = self.http.post(format!("{}{path}", self.url)).body(body).send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
    }

    pub async fn sql(&self, sql: &str) -> (u16, serde_json::Value) {
        self.post("/v1/sql", serde_json::json!({ "sql": sql }).to_string()).await
    }
}

pub fn record(source_id: &str, text: &str) -> serde_json::Value {
    serde_json::json!({
        "channel": "app", "source_id": source_id, "received_at": "2025-09-10T12:00:00+08:00",
        "customer_id": 42, "app_version": "5.3.0", "rating": 1, "text": text
    })
}
