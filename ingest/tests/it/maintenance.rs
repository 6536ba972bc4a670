//! Compaction and vacuum keep every row exactly once.

use voxlake_ingest::Durability;
use voxlake_ingest::record::{Position, SourceRecord};
use voxlake_ingest::store::{RetentionConfig, compact, vacuum};
use voxlake_ingest::tables::open_latest;

use crate::helpers::{Lake, native_line};

#[tokio::test(flavor = "multi_thread")]
async fn compaction_merges_files_without_losing_or_doubling_rows() {
    let lake = Lake::new();
    let ingest = lake.ingest().await;
    for i in 0..6 {
        let fields = serde_json::from_str(&native_line(&format!("m{i}"), i, "商品质量很好，下次还买")).expect("valid");
        ingest
            .submit(
                "native",
                "http",
                vec![Ok(SourceRecord {
                    position: Position(1),
                    fields,
                })],
                Durability::Commit,
            )
            .await
            .expect("stored");
    }
    ingest.shutdown().await.expect("shuts down");
    let table = open_latest(&lake.store, "feedback")
        .await
        .expect("opens")
        .expect("exists");
    let files_before = table.get_file_uris().expect("files").count();
    assert_eq!(files_before, 6, "one file per commit before compaction");

    let (table, report) = compact(table).await.expect("compacts");
    assert_eq!((report.files_removed, report.files_added), (6, 1));
    assert_eq!(table.get_file_uris().expect("files").count(), 1);
    assert_eq!(lake.count("SELECT count(*) FROM feedback").await, 6);
    assert_eq!(lake.count("SELECT count(DISTINCT source_id) FROM feedback").await, 6);

    let retention = RetentionConfig {
        file_versions: chrono::Duration::zero(),
        ..RetentionConfig::default()
    };
    let (_, report) = vacuum(table, retention).await.expect("vacuums");
    assert_eq!(report.files_vacuumed, 6);
    assert_eq!(lake.count("SELECT count(*) FROM feedback").await, 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn retention_deletes_only_old_days() {
    let lake = Lake::new();
    let ingest = lake.ingest().await;
    let old = native_line("old", 1, "很久以前的反馈").replace("2025-03-14T09:21:33+08:00", "2019-03-14T09:21:33+08:00");
    let new = native_line("new", 2, "最近的反馈");
    for line in [old, new] {
        let fields = serde_json::from_str(&line).expect("valid");
        ingest
            .submit(
                "native",
                "http",
                vec![Ok(SourceRecord {
                    position: Position(1),
                    fields,
                })],
                Durability::Commit,
            )
            .await
            .expect("stored");
    }
    ingest.shutdown().await.expect("shuts down");
    let table = open_latest(&lake.store, "feedback")
        .await
        .expect("opens")
        .expect("exists");
    let (_, report) = vacuum(table, RetentionConfig::default()).await.expect("vacuums");
    assert_eq!(report.rows_expired, 1);
    assert_eq!(
        lake.strings("SELECT source_id FROM feedback").await,
        vec![Some("new".to_owned())]
    );
}
