//! The clustered layout pays off in the engine: after compaction orders each
//! day by product in small pages, a query on one product reads only the pages
//! that hold it (the page index prunes the rest).

use datafusion::arrow::array::AsArray;
use serde_json::json;
use voxlake_ingest::crypto::ContactCipher;
use voxlake_ingest::record::{Position, SourceFields, SourceRecord};
use voxlake_ingest::store::compact;
use voxlake_ingest::tables::{cluster_column, open_latest};
use voxlake_ingest::{Durability, Ingest, IngestConfig};

use crate::lake::Lake;

const ROWS: usize = 6000;
const PRODUCTS: usize = 6;

/// `ROWS` feedback of one day, the products taking turns as they arrive.
async fn add_mixed_products(lake: &Lake) {
    let ingest = Ingest::start(IngestConfig::new(lake.store.clone(), ContactCipher::generate_key()))
        .await
        .expect("ingest starts");
    let records = (0..ROWS)
        .map(|i| {
            let fields: SourceFields = serde_json::from_value(json!({
                "channel": "app", "source_id": format!("m{i}"), "received_at": "2025-09-02T10:00:00Z",
                "customer_id": i, "product": format!("p{}", i % PRODUCTS), "text": "物流太慢了",
            }))
            .expect("an object");
            Ok(SourceRecord {
                position: Position(i as u64 + 1),
                fields,
            })
        })
        .collect();
    ingest
        .submit("native", "test", records, Durability::Commit)
        .await
        .expect("rows stored");
    ingest.shutdown().await.expect("ingest stops");
}

/// `(total, matched)` of the scan's `page_index_rows_pruned` metric.
async fn page_index_rows(lake: &Lake, sql: &str) -> (String, String) {
    let ctx = lake.session().await;
    let batches = ctx
        .sql(&format!("EXPLAIN ANALYZE {sql}"))
        .await
        .expect("plans")
        .collect()
        .await
        .expect("runs");
    let plan = batches[0].column(1).as_string_view_opt().map_or_else(
        || batches[0].column(1).as_string::<i32>().value(0).to_owned(),
        |s| s.value(0).to_owned(),
    );
    let metric = plan.split("page_index_rows_pruned=").nth(1).expect("a parquet scan");
    let metric = metric.split(',').next().expect("a value");
    let (total, matched) = metric.split_once(" total → ").expect("total → matched");
    (total.to_owned(), matched.trim_end_matches(" matched").to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clustered_day_is_read_only_where_the_product_is() {
    let lake = Lake::empty();
    add_mixed_products(&lake).await;
    let one_product = "SELECT count(*) FROM feedback WHERE product = 'p2'";

    let (total, matched) = page_index_rows(&lake, one_product).await;
    assert_eq!(total, matched, "arrival order: every page holds every product");

    let table = open_latest(&lake.store, "feedback")
        .await
        .expect("opens")
        .expect("exists");
    compact(table, cluster_column("feedback")).await.expect("compacts");
    let (total, matched) = page_index_rows(&lake, one_product).await;
    assert_ne!(total, matched, "clustered: the pages of other products are skipped");

    let ctx = lake.session().await;
    let n = ctx
        .sql(one_product)
        .await
        .expect("plans")
        .collect()
        .await
        .expect("runs");
    let n = n[0]
        .column(0)
        .as_primitive::<datafusion::arrow::datatypes::Int64Type>()
        .value(0);
    assert_eq!(n as usize, ROWS / PRODUCTS);
}
