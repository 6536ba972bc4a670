//! `reenrich`: past feedback gets the enrichment of the current models as one
//! new version; the version before stays readable (time travel).

use chrono::NaiveDate;
use datafusion::prelude::SessionContext;
use voxlake_ingest::import::import_file;
use voxlake_ingest::labels::{FeedbackLabel, LATEST_LABELS_SQL, append_labels, read_labels_csv};
use voxlake_ingest::reenrich::reenrich;
use voxlake_ingest::tables::{provider, register_all};
use voxlake_ingest::{Ingest, IngestConfig};
use voxlake_models::bundle::LiveModels;

use crate::helpers::{Lake, native_line};

async fn import_without_models(lake: &Lake) {
    let lines = [
        native_line("a", 1, "送餐太慢了，饭都凉了"),
        native_line("b", 2, "味道很好"),
    ];
    let path = lake.file("two.ndjson", lines.join("\n").as_bytes());
    let mut config = IngestConfig::new(lake.store.clone(), lake.key.clone());
    config.models = None;
    let ingest = Ingest::start(config).await.expect("starts");
    import_file(&ingest, &path, "native", |_| {}).await.expect("imports");
    ingest.shutdown().await.expect("shuts down");
}

#[tokio::test(flavor = "multi_thread")]
async fn reenrich_rewrites_the_columns_as_one_new_version() {
    let lake = Lake::new();
    import_without_models(&lake).await;
    let unenriched = "SELECT count(*) FROM feedback WHERE sentiment_label IS NULL";
    assert_eq!(lake.count(unenriched).await, 2);

    let models = LiveModels::shipped().current();
    let since = NaiveDate::from_ymd_opt(2025, 1, 1).expect("a date");
    let report = reenrich(&lake.store, models.clone(), since).await.expect("re-enriches");
    assert_eq!((report.rows, report.version), (2, report.previous_version + 1));
    assert_eq!(lake.count(unenriched).await, 0);
    assert_eq!(
        lake.count("SELECT count(*) FROM feedback").await,
        2,
        "no row lost or doubled"
    );
    let labels = lake
        .strings("SELECT sentiment_label FROM feedback ORDER BY source_id")
        .await;
    assert_eq!(labels, [Some("negative".to_owned()), Some("positive".to_owned())]);

    // The version before is still there.
    let mut table = lake.feedback_table().await;
    table
        .load_version(report.previous_version as u64)
        .await
        .expect("time travel");
    let ctx = SessionContext::new();
    ctx.register_table("old", provider(&ctx, &table).await.expect("provider"))
        .expect("registers");
    let old = ctx
        .sql("SELECT count(*) FROM old WHERE sentiment_label IS NULL")
        .await
        .expect("plans");
    let batches = old.collect().await.expect("runs");
    let old_nulls = batches[0]
        .column(0)
        .as_any()
        .downcast_ref::<datafusion::arrow::array::Int64Array>();
    assert_eq!(old_nulls.map(|a| a.value(0)), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn reenrich_leaves_days_before_since_alone() {
    let lake = Lake::new();
    import_without_models(&lake).await;
    let since = NaiveDate::from_ymd_opt(2025, 3, 15).expect("a date"); // the rows are of 2025-03-14
    let report = reenrich(&lake.store, LiveModels::shipped().current(), since)
        .await
        .expect("runs");
    assert_eq!(report.rows, 0);
    assert_eq!(
        lake.count("SELECT count(*) FROM feedback WHERE sentiment_label IS NULL")
            .await,
        2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn labels_append_and_the_latest_wins() {
    let lake = Lake::new();
    import_without_models(&lake).await;
    let ids = lake
        .strings("SELECT feedback_id FROM feedback ORDER BY source_id")
        .await;
    let first = ids[0].clone().expect("an id");
    let csv = format!("feedback_id,l1,l2\n{first},service,\n");
    let labels = read_labels_csv(&lake.file("labels.csv", csv.as_bytes())).expect("reads");
    assert_eq!(
        labels,
        [FeedbackLabel {
            feedback_id: first.clone(),
            l1: "service".into(),
            l2: None
        }]
    );
    let t0 = chrono::Utc::now();
    append_labels(&lake.store, &labels, "ana", t0).await.expect("appends");
    let better = FeedbackLabel {
        feedback_id: first.clone(),
        l1: "logistics".into(),
        l2: Some("logistics.slow_delivery".into()),
    };
    append_labels(&lake.store, &[better], "bo", t0 + chrono::Duration::seconds(1))
        .await
        .expect("appends");

    let ctx = SessionContext::new();
    register_all(&ctx, &lake.store).await.expect("tables");
    let batches = ctx
        .sql(LATEST_LABELS_SQL)
        .await
        .expect("plans")
        .collect()
        .await
        .expect("runs");
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, 1);
    let l1 = datafusion::arrow::compute::cast(batches[0].column(2), &datafusion::arrow::datatypes::DataType::Utf8)
        .expect("cast");
    let l1 = l1
        .as_any()
        .downcast_ref::<datafusion::arrow::array::StringArray>()
        .map(|a| a.value(0).to_owned());
    assert_eq!(l1.as_deref(), Some("logistics"));
}
