//! `voxlake serve`: the HTTP service and its Postgres port, optionally with
//! demo data loaded first.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tracing::{info, warn};
use voxlake_engine::Engine;
use voxlake_ingest::Ingest;
use voxlake_ingest::demo::{DemoConfig, write_file};
use voxlake_ingest::import::import_file;
use voxlake_ingest::store::{compact, vacuum};
use voxlake_ingest::tables::{TABLES, cluster_column, open_latest};
use voxlake_sql::AppState;
use voxlake_sql::audit::AuditLog;
use voxlake_sql::auth::{KeyStore, Role};

use super::listen::Listeners;
use crate::cli::ServeArgs;
use crate::settings::{DEFAULT_HTTP, Settings};

/// How long in-flight requests may run after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);
const DEFAULT_COMPACT_EVERY_MINUTES: u64 = 60;
const EXAMPLE_SQL: &str =
    "SELECT channel, count(*) AS n, round(avg(rating), 2) AS avg_rating FROM feedback GROUP BY channel ORDER BY n DESC";

pub async fn run(settings: &Settings, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let ingest = Ingest::start(settings.ingest_config(true)?).await?;
    if args.demo {
        load_demo_if_empty(settings, &ingest, args.demo_rows).await?;
    }
    let addr = args.http.or(settings.file.http).unwrap_or(DEFAULT_HTTP.parse()?);
    let tls = settings.tls(args.tls_cert.as_ref(), args.tls_key.as_ref())?;
    let listeners = Listeners::bind(addr, settings.pg_listen(args.pg)?, tls.as_ref()).await?;
    let minutes = args
        .compact_every_minutes
        .or(settings.file.compact_every_minutes)
        .unwrap_or(DEFAULT_COMPACT_EVERY_MINUTES);
    let maintenance =
        (minutes > 0).then(|| tokio::spawn(maintain_forever(settings.store.clone(), settings.retention(), minutes)));
    let keys = Arc::new(KeyStore::new(&settings.config_path));
    let first_key = create_first_key(&keys)?;
    print_welcome(&listeners, first_key.as_deref())?;
    let audit = AuditLog::start(&settings.store).await?;
    let engine = Engine::new(settings.engine_config()?)?;
    let state = AppState::new(ingest.clone(), engine, keys, audit.clone());
    listeners.run(state, shutdown_signal(), SHUTDOWN_GRACE).await?;
    info!("shutting down: committing what is staged");
    if let Some(task) = maintenance {
        task.abort();
    }
    ingest.shutdown().await?;
    audit.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

async fn load_demo_if_empty(settings: &Settings, ingest: &Ingest, rows: u64) -> anyhow::Result<()> {
    if open_latest(&settings.store, "feedback")
        .await?
        .is_some_and(|t| t.version().unwrap_or(0) > 0)
    {
        info!("store already holds data; not loading the demo");
        return Ok(());
    }
    let dir = tempfile_dir(&settings.data)?;
    let path = dir.join("demo.ndjson");
    info!(rows, "generating demo data");
    let config = DemoConfig {
        rows,
        ..DemoConfig::default()
    };
    let out = path.clone();
    tokio::task::spawn_blocking(move || write_file(&config, &out)).await??;
    let summary = import_file(ingest, &path, "native", |_| {}).await?;
    std::fs::remove_file(&path).ok();
    info!(
        accepted = summary.accepted,
        rejected = summary.rejected,
        version = summary.version,
        "demo data loaded"
    );
    Ok(())
}

fn tempfile_dir(data: &std::path::Path) -> anyhow::Result<std::path::PathBuf> {
    let dir = data.join("tmp");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// Every endpoint but /healthz needs a key: on a store with none, create an
/// admin key so that the first run is usable, and show it once.
fn create_first_key(keys: &KeyStore) -> anyhow::Result<Option<String>> {
    if !keys.list()?.is_empty() {
        return Ok(None);
    }
    let key = keys.create("admin", Role::Admin, None)?;
    info!(config = %keys.path().display(), "no API keys were configured: created the admin key `admin`");
    Ok(Some(key))
}

fn print_welcome(listeners: &Listeners, first_key: Option<&str>) -> anyhow::Result<()> {
    let body = serde_json::json!({ "sql": EXAMPLE_SQL }).to_string();
    let (scheme, curl_tls, sslmode) = if listeners.tls() {
        ("https", " --cacert CERT.pem", "require")
    } else {
        ("http", "", "disable")
    };
    let addr = listeners.http_addr()?;
    println!("Voxlake is listening on {scheme}://{addr}");
    if let Some(pg) = listeners.pg_addr() {
        println!("Postgres wire protocol on {pg} (password = an API key)");
    }
    if let Some(key) = first_key {
        println!("Created the first API key (role admin); it is shown only now, keep it:");
        println!("  export VOXLAKE_API_KEY={key}");
    }
    println!("Try a query:");
    println!("  curl -s{curl_tls} {scheme}://{addr}/v1/sql -H \"authorization: Bearer $VOXLAKE_API_KEY\" -d '{body}'");
    if let Some(pg) = listeners.pg_addr() {
        println!(
            "  PGPASSWORD=$VOXLAKE_API_KEY psql \"host={} port={} user=admin dbname=voxlake sslmode={sslmode}\"",
            pg.ip(),
            pg.port()
        );
    }
    Ok(())
}

/// Compact and vacuum every table now and then; failures are logged and retried next time.
async fn maintain_forever(
    store: voxlake_ingest::store::StoreConfig,
    retention: voxlake_ingest::store::RetentionConfig,
    minutes: u64,
) {
    let mut every = tokio::time::interval(Duration::from_secs(minutes * 60));
    every.tick().await;
    loop {
        every.tick().await;
        for name in TABLES {
            let result = async {
                let Some(table) = open_latest(&store, name).await? else {
                    return Ok(());
                };
                let (table, _) = compact(table, cluster_column(name)).await?;
                vacuum(table, retention).await.map(drop)
            };
            if let Err(e) = result.await {
                warn!(table = name, error = %e, "maintenance failed");
            }
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
