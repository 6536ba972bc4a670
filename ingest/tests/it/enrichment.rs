//! Enrichment at ingest: every written row carries the models' columns, and
//! what enrichment costs file import (an ignored test, run by hand).

use std::time::Instant;

use voxlake_ingest::demo::{DemoConfig, write_file};
use voxlake_ingest::import::import_file;
use voxlake_ingest::{Ingest, IngestConfig};

use crate::helpers::{Lake, native_line};

#[tokio::test(flavor = "multi_thread")]
async fn imported_rows_are_enriched() {
    let lake = Lake::new();
    let lines = [
        native_line("a", 1, "送餐太慢了，饭都凉了，差评"),
        native_line("b", 2, "热水器漏电，太危险了"),
    ];
    let path = lake.file("two.ndjson", lines.join("\n").as_bytes());
    let ingest = lake.ingest().await;
    import_file(&ingest, &path, "native", |_| {}).await.expect("imports");
    ingest.shutdown().await.expect("shuts down");
    let labels = lake
        .strings("SELECT sentiment_label || '/' || category_l1 || '/' || priority FROM feedback ORDER BY source_id")
        .await;
    assert_eq!(
        labels,
        [
            Some("negative/logistics/medium".to_owned()),
            Some("negative/product_quality/high".to_owned())
        ]
    );
    assert_eq!(
        lake.count(
            "SELECT count(*) FROM feedback WHERE model_version LIKE 'sentiment:%' AND cardinality(keywords) > 0"
        )
        .await,
        2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_models_the_columns_stay_null() {
    let lake = Lake::new();
    let path = lake.file("one.ndjson", native_line("a", 1, "送餐太慢了").as_bytes());
    let mut config = IngestConfig::new(lake.store.clone(), lake.key.clone());
    config.models = None;
    let ingest = Ingest::start(config).await.expect("starts");
    import_file(&ingest, &path, "native", |_| {}).await.expect("imports");
    ingest.shutdown().await.expect("shuts down");
    assert_eq!(
        lake.count("SELECT count(*) FROM feedback WHERE sentiment_label IS NULL AND model_version IS NULL")
            .await,
        1
    );
}

/// Import speed of `VOXLAKE_IMPORT_ROWS` (default 50,000) demo rows, without
/// and with enrichment, each into a fresh lake. Run by hand:
/// `cargo test -p voxlake-ingest --test it enrichment::import_throughput -- --ignored --nocapture`
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement, run by hand with --nocapture"]
async fn import_throughput_with_and_without_enrichment() {
    let rows: u64 = std::env::var("VOXLAKE_IMPORT_ROWS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(50_000);
    let data = Lake::new();
    let path = data.dir.path().join("demo.ndjson");
    let config = DemoConfig {
        rows,
        ..DemoConfig::default()
    };
    write_file(&config, &path).expect("demo file");
    for enrich in [false, true] {
        let lake = Lake::new();
        let mut config = IngestConfig::new(lake.store.clone(), lake.key.clone());
        if !enrich {
            config.models = None;
        }
        let ingest = Ingest::start(config).await.expect("starts");
        let started = Instant::now();
        let summary = import_file(&ingest, &path, "native", |_| {}).await.expect("imports");
        ingest.shutdown().await.expect("shuts down");
        let secs = started.elapsed().as_secs_f64();
        println!(
            "enrichment {}: {} records in {secs:.2}s = {:.0} records/s ({} accepted)",
            if enrich { "on " } else { "off" },
            summary.read,
            summary.read as f64 / secs,
            summary.accepted
        );
    }
}
