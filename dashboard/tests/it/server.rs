//! One real server for the whole test binary: a demo lake of
//! [`DEMO_ROWS`] rows in the target's temp dir, the HTTP app on port 0 with
//! a manager API key, and direct SQL on the engine for expected values.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::{Days, NaiveDate};
use voxlake_dashboard::table::Table;
use voxlake_engine::{Engine, EngineConfig, TableAccess};
use voxlake_ingest::crypto::ContactCipher;
use voxlake_ingest::demo::{DemoConfig, write_file};
use voxlake_ingest::import::import_file;
use voxlake_ingest::store::StoreConfig;
use voxlake_ingest::{Ingest, IngestConfig};
use voxlake_sql::audit::AuditLog;
use voxlake_sql::auth::{KeyStore, Role};
use voxlake_sql::{AppState, router, serve};

pub const DEMO_ROWS: u64 = 20_000;

pub struct DemoServer {
    pub url: String,
    pub key: String,
    engine: Engine,
    runtime: tokio::runtime::Runtime,
}

static SERVER: OnceLock<DemoServer> = OnceLock::new();

/// The shared server, started by the first test that asks.
pub fn server() -> &'static DemoServer {
    SERVER.get_or_init(DemoServer::start)
}

impl DemoServer {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dashboard-demo");
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).expect("demo dir");
        let (url, key, engine) = runtime.block_on(start_app(dir));
        Self {
            url,
            key,
            engine,
            runtime,
        }
    }

    /// Run `sql` on the engine directly (not through HTTP).
    pub fn sql(&self, sql: &str) -> Table {
        self.runtime.block_on(async {
            let ctx = self.engine.session(&TableAccess::AllButAudit).await.expect("session");
            let frame = ctx.sql(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
            let mut table = Table::empty(Arc::new(frame.schema().as_arrow().clone()));
            for batch in frame.collect().await.unwrap_or_else(|e| panic!("{sql}: {e}")) {
                table.push(batch);
            }
            table
        })
    }

    /// Whether `sql` fails on the engine (a function the server lacks).
    pub fn sql_fails(&self, sql: &str) -> bool {
        self.runtime.block_on(async {
            let ctx = self.engine.session(&TableAccess::AllButAudit).await.expect("session");
            match ctx.sql(sql).await {
                Ok(frame) => frame.collect().await.is_err(),
                Err(_) => true,
            }
        })
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.sql(sql).i64("n", 0).unwrap_or_else(|| panic!("no `n` from {sql}"))
    }

    /// The dashboard's default window: the last `days` days up to the newest feedback's day.
    pub fn window(&self, days: u64) -> (NaiveDate, NaiveDate) {
        let anchor = self
            .sql("SELECT max(received_at) AS anchor FROM feedback")
            .timestamp("anchor", 0)
            .expect("anchor");
        let end = anchor.date_naive() + Days::new(1);
        (end - Days::new(days), end)
    }

    /// `WHERE …` of the last `days` days, written independently of the dashboard.
    pub fn window_where(&self, days: u64) -> String {
        let (start, end) = self.window(days);
        format!("WHERE received_at >= TIMESTAMP '{start}T00:00:00Z' AND received_at < TIMESTAMP '{end}T00:00:00Z'")
    }
}

async fn start_app(dir: PathBuf) -> (String, String, Engine) {
    let store = StoreConfig::local(&dir.join("lake")).expect("store");
    let ingest = Ingest::start(IngestConfig::new(store.clone(), ContactCipher::generate_key()))
        .await
        .expect("ingest");
    load_demo(&ingest, &dir).await;
    let keys = KeyStore::new(dir.join("voxlake.toml"));
    let key = keys.create("dashboard-test", Role::Manager, None).expect("key");
    let audit = AuditLog::start(&store).await.expect("audit");
    let engine = Engine::new(EngineConfig::new(store)).expect("engine");
    let state = AppState::new(ingest, engine.clone(), Arc::new(keys), audit);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let app = router(state, voxlake_sql::DEFAULT_BODY_LIMIT_BYTES);
    tokio::spawn(serve(listener, app, std::future::pending(), Duration::from_secs(1)));
    (url, key, engine)
}

async fn load_demo(ingest: &Ingest, dir: &std::path::Path) {
    let path = dir.join("demo.ndjson");
    let config = DemoConfig {
        rows: DEMO_ROWS,
        ..DemoConfig::default()
    };
    let out = path.clone();
    tokio::task::spawn_blocking(move || write_file(&config, &out))
        .await
        .expect("join")
        .expect("demo file");
    import_file(ingest, &path, "native", |_| {}).await.expect("import");
}
