//! An [`Engine`] keeps its tables open between queries, yet every query reads
//! the latest committed version, and tables created later still appear.

use std::sync::Arc;

use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::Int64Type;
use voxlake_engine::{Engine, EngineConfig, TableAccess};

use crate::lake::{Lake, ROWS, Row};

/// Two rows not in [`ROWS`] (new source ids, so not deduplicated away).
const LATER: &[Row] = &[
    ("l1", "2025-09-15T10:00:00Z", 21, "regular", "又闪退了，太差了"),
    ("l2", "2025-09-15T11:00:00Z", 22, "gold", "快递很快，很满意"),
];

fn engine(lake: &Lake) -> Engine {
    Engine::new(EngineConfig::new(lake.store.clone())).expect("engine")
}

/// Rows of `feedback` as a fresh session of `engine` sees them.
async fn feedback_rows(engine: &Engine) -> usize {
    let ctx = engine.session(&TableAccess::Everything).await.expect("session");
    let sql = "SELECT count(*) FROM feedback";
    let batches = ctx.sql(sql).await.expect("plans").collect().await.expect("runs");
    batches[0].column(0).as_primitive::<Int64Type>().value(0) as usize
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_query_reuses_the_open_tables() {
    let lake = Lake::with_rows().await;
    let engine = engine(&lake);
    assert_eq!(feedback_rows(&engine).await, ROWS.len());
    let opens = engine.table_opens();
    assert!(opens >= 1, "feedback was opened");
    for _ in 0..3 {
        assert_eq!(feedback_rows(&engine).await, ROWS.len());
    }
    assert_eq!(engine.table_opens(), opens, "no table log was read again from scratch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unchanged_table_keeps_its_provider() {
    let lake = Lake::with_rows().await;
    let engine = engine(&lake);
    let provider = || async {
        let ctx = engine.session(&TableAccess::Everything).await.expect("session");
        ctx.table_provider("feedback").await.expect("feedback")
    };
    assert!(Arc::ptr_eq(&provider().await, &provider().await));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_after_a_query_is_seen_by_the_next_query() {
    let lake = Lake::with_rows().await;
    let engine = engine(&lake);
    assert_eq!(feedback_rows(&engine).await, ROWS.len());
    let opens = engine.table_opens();
    lake.add(LATER).await;
    assert_eq!(feedback_rows(&engine).await, ROWS.len() + LATER.len());
    assert_eq!(
        engine.table_opens(),
        opens,
        "the new commit was applied, not the log re-read"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_table_created_after_the_engine_appears() {
    let lake = Lake::empty();
    let engine = engine(&lake);
    let ctx = engine.session(&TableAccess::Everything).await.expect("session");
    assert!(!ctx.table_exist("feedback").expect("lookup"), "no feedback yet");
    lake.add(ROWS).await;
    assert_eq!(feedback_rows(&engine).await, ROWS.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_queries_share_the_engine() {
    let lake = Lake::with_rows().await;
    let engine = engine(&lake);
    let queries: Vec<_> = (0..8)
        .map(|_| {
            let engine = engine.clone();
            tokio::spawn(async move { feedback_rows(&engine).await })
        })
        .collect();
    for query in queries {
        assert_eq!(query.await.expect("query task"), ROWS.len());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_sees_only_own_rows_through_the_shared_table() {
    let lake = Lake::with_rows().await;
    let engine = engine(&lake);
    assert_eq!(feedback_rows(&engine).await, ROWS.len());
    let agent = TableAccess::OwnRows {
        agent_id: "nobody".into(),
    };
    let ctx = engine.session(&agent).await.expect("session");
    let batches = ctx
        .sql("SELECT count(*) FROM feedback")
        .await
        .expect("plans")
        .collect()
        .await
        .expect("runs");
    assert_eq!(batches[0].column(0).as_primitive::<Int64Type>().value(0), 0);
    assert!(!ctx.table_exist("audit_log").expect("lookup"), "audit stays hidden");
    assert_eq!(
        feedback_rows(&engine).await,
        ROWS.len(),
        "the restriction did not leak into the cache"
    );
}

/// The fixed cost of a session, reopening every table (`build`) against
/// updating the engine's open tables (`Engine::session`), over the lake at
/// `$VOXLAKE_LAKE` (`voxlake import … --data DIR` → `DIR/lake`, say). Run it
/// with `cargo test -p voxlake-engine --release --test it -- --ignored --nocapture session_fixed_cost`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement over a lake given by $VOXLAKE_LAKE"]
async fn session_fixed_cost() {
    let Some(dir) = std::env::var_os("VOXLAKE_LAKE") else {
        eprintln!("set VOXLAKE_LAKE to a lake directory");
        return;
    };
    let config =
        EngineConfig::new(voxlake_ingest::store::StoreConfig::local(std::path::Path::new(&dir)).expect("store"));
    let engine = Engine::new(config.clone()).expect("engine");
    engine.session(&TableAccess::Everything).await.expect("warm");
    let rounds = 20;
    let started = std::time::Instant::now();
    for _ in 0..rounds {
        voxlake_engine::build(&config, &TableAccess::Everything)
            .await
            .expect("session");
    }
    let reopen = started.elapsed() / rounds;
    let started = std::time::Instant::now();
    for _ in 0..rounds {
        engine.session(&TableAccess::Everything).await.expect("session");
    }
    let cached = started.elapsed() / rounds;
    eprintln!("per session: reopening every table {reopen:?}, updating the open tables {cached:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_follow_commits_and_model_edits() {
    use voxlake_models::bundle::{LiveModels, TAXONOMY_FILE};
    use voxlake_models::taxonomy::DEFAULT_TAXONOMY;

    let lake = Lake::with_rows().await;
    let models_dir = tempfile::tempdir().expect("temp dir");
    let mut config = EngineConfig::new(lake.store.clone());
    config.models = Arc::new(LiveModels::open(models_dir.path()).expect("an empty dir means the shipped models"));
    let engine = Engine::new(config).expect("engine");

    let (tables, models) = engine.versions().await.expect("versions");
    let feedback = |tables: &[(&str, Option<i64>)]| tables.iter().find(|(n, _)| *n == "feedback").and_then(|(_, v)| *v);
    let before = feedback(&tables).expect("feedback exists");

    lake.add(LATER).await;
    let (tables, same_models) = engine.versions().await.expect("versions");
    assert!(
        feedback(&tables).expect("feedback exists") > before,
        "a commit moves the version"
    );
    assert_eq!(same_models, models);

    let edited = DEFAULT_TAXONOMY.replace("version = \"default-2025.1\"", "version = \"acme-2026.1\"");
    std::fs::write(models_dir.path().join(TAXONOMY_FILE), edited).expect("write taxonomy");
    let (_, edited_models) = engine.versions().await.expect("versions");
    assert_ne!(edited_models, models, "a taxonomy edit changes the models' version");
}
