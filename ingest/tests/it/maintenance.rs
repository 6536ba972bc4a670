//! Compaction and vacuum keep every row exactly once.

use voxlake_ingest::record::{Position, RecordError, SourceFields, SourceRecord};
use voxlake_ingest::store::{RetentionConfig, compact, vacuum};
use voxlake_ingest::{Durability, Ingest};

use crate::helpers::{Lake, native_line};

/// The fields of a native-format record.
fn native_fields(source_id: &str, customer: i64, text: &str) -> SourceFields {
    serde_json::from_str(&native_line(source_id, customer, text)).expect("valid")
}

/// Submit each record as a request of its own: a commit, so a file, each.
async fn submit_each(ingest: &Ingest, records: impl IntoIterator<Item = SourceFields>) {
    for fields in records {
        let record = Ok(SourceRecord {
            position: Position(1),
            fields,
        });
        ingest
            .submit("native", "http", vec![record], Durability::Commit)
            .await
            .expect("stored");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn compaction_merges_files_without_losing_or_doubling_rows() {
    let lake = Lake::new();
    let ingest = lake.ingest().await;
    submit_each(
        &ingest,
        (0..6).map(|i| native_fields(&format!("m{i}"), i, "商品质量很好，下次还买")),
    )
    .await;
    ingest.shutdown().await.expect("shuts down");
    let table = lake.feedback_table().await;
    let files_before = table.get_file_uris().expect("files").count();
    assert_eq!(files_before, 6, "one file per commit before compaction");

    let (table, report) = compact(table, None).await.expect("compacts");
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
    let mut old = native_fields("old", 1, "很久以前的反馈");
    old.insert("received_at", "2019-03-14T09:21:33+08:00".into());
    submit_each(&ingest, [old, native_fields("new", 2, "最近的反馈")]).await;
    ingest.shutdown().await.expect("shuts down");
    let table = lake.feedback_table().await;
    let (_, report) = vacuum(table, RetentionConfig::default()).await.expect("vacuums");
    assert_eq!(report.rows_expired, 1);
    assert_eq!(
        lake.strings("SELECT source_id FROM feedback").await,
        vec![Some("new".to_owned())]
    );
}

/// `n` records of one day, the products taking turns (arrival order mixes them).
fn mixed_products(from: usize, n: usize) -> Vec<Result<SourceRecord, RecordError>> {
    (from..from + n)
        .map(|i| {
            let mut fields = native_fields(&format!("c{i}"), i as i64, "物流太慢了");
            fields.insert("product", format!("p{}", i % 7).into());
            Ok(SourceRecord {
                position: Position(i as u64 + 1),
                fields,
            })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn clustering_orders_each_day_by_the_column_in_small_pages_once() {
    use datafusion::parquet::file::reader::{FileReader, SerializedFileReader};
    use datafusion::parquet::file::serialized_reader::ReadOptionsBuilder;
    use voxlake_ingest::store::{CLUSTERED_BY_KEY, CLUSTERED_PAGE_ROWS};

    let lake = Lake::new();
    let ingest = lake.ingest().await;
    for (from, n) in [(0, 3000), (3000, 1000)] {
        let records = mixed_products(from, n);
        ingest
            .submit("native", "http", records, Durability::Commit)
            .await
            .expect("stored");
    }
    ingest.shutdown().await.expect("shuts down");
    let table = lake.feedback_table().await;

    let (table, report) = compact(table, Some("product")).await.expect("clusters");
    assert_eq!((report.files_removed, report.files_added), (2, 1));
    assert_eq!(lake.count("SELECT count(DISTINCT source_id) FROM feedback").await, 4000);

    let uri = table.get_file_uris().expect("files").next().expect("one file");
    let file = std::fs::File::open(uri.trim_start_matches("file://")).expect("local file");
    let options = ReadOptionsBuilder::new().with_page_index().build();
    let reader = SerializedFileReader::new_with_options(file, options).expect("parquet");
    let kv = reader
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .expect("key-value metadata");
    assert!(
        kv.iter()
            .any(|kv| kv.key == CLUSTERED_BY_KEY && kv.value.as_deref() == Some("product"))
    );
    let products = lake.strings("SELECT product FROM feedback").await;
    assert!(products.windows(2).all(|w| w[0] <= w[1]), "rows ordered by product");
    let pages = reader.metadata().offset_index().expect("page index")[0][0]
        .page_locations()
        .len();
    assert!(pages >= 4000 / CLUSTERED_PAGE_ROWS, "small pages: {pages}");

    // Nothing new: the next run leaves the table alone.
    let version = table.version();
    let (table, report) = compact(table, Some("product")).await.expect("clusters");
    assert_eq!(
        (report.files_removed, report.files_added, table.version()),
        (0, 0, version)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn clustering_leaves_today_to_live_ingest() {
    let lake = Lake::new();
    let ingest = lake.ingest().await;
    let now = chrono::Utc::now().to_rfc3339();
    let days = [
        now.as_str(),
        now.as_str(),
        "2025-03-14T09:21:33+08:00",
        "2025-03-14T10:21:33+08:00",
    ];
    let records = days.into_iter().zip(0..).map(|(at, i)| {
        let mut fields = native_fields(&format!("t{i}"), i, "物流太慢了");
        fields.insert("received_at", at.into());
        fields
    });
    submit_each(&ingest, records).await;
    ingest.shutdown().await.expect("shuts down");
    let table = lake.feedback_table().await;

    let (_, report) = compact(table, Some("product")).await.expect("clusters");
    assert_eq!(
        (report.files_removed, report.files_added),
        (2, 1),
        "the past day's two files became one; today's two stay"
    );
    assert_eq!(lake.count("SELECT count(*) FROM feedback").await, 4);
}
