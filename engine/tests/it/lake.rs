//! A temporary lake holding a few known feedback rows, and sessions over it.

use serde_json::json;
use tempfile::TempDir;
use voxlake_engine::{EngineConfig, TableAccess, build};
use voxlake_ingest::crypto::ContactCipher;
use voxlake_ingest::record::{Position, SourceFields, SourceRecord};
use voxlake_ingest::store::StoreConfig;
use voxlake_ingest::{Durability, Ingest, IngestConfig};

pub struct Lake {
    _dir: TempDir,
    pub store: StoreConfig,
}

/// One feedback row: (id, received_at, customer, tier, text).
pub type Row = (&'static str, &'static str, i64, &'static str, &'static str);

/// (id, received_at, customer, tier, text). Week 2025-09-01..07 is the
/// previous window of week 2025-09-08..14: the app crash grows from 2 to 6
/// complaints, slow delivery stays at 2, and praise is not an issue.
pub const ROWS: &[Row] = &[
    ("p1", "2025-09-02T10:00:00Z", 1, "regular", "App打开就闪退，根本用不了"),
    ("p2", "2025-09-03T10:00:00Z", 2, "regular", "更新以后一直闪退，太差了"),
    ("p3", "2025-09-04T10:00:00Z", 3, "regular", "快递太慢了，等了一个星期"),
    ("p4", "2025-09-05T10:00:00Z", 4, "regular", "物流太慢，快递一周才到"),
    (
        "c1",
        "2025-09-08T09:00:00Z",
        5,
        "gold",
        "App打开就闪退，根本用不了，太差了",
    ),
    (
        "c2",
        "2025-09-09T09:00:00Z",
        6,
        "regular",
        "新版本一直闪退，付款时闪退，垃圾",
    ),
    (
        "c3",
        "2025-09-09T12:00:00Z",
        7,
        "regular",
        "闪退闪退又闪退，打开就闪退，差评",
    ),
    (
        "c4",
        "2025-09-10T09:00:00Z",
        8,
        "silver",
        "更新后App闪退，无法下单，太差了",
    ),
    (
        "c5",
        "2025-09-11T09:00:00Z",
        9,
        "regular",
        "app一打开就闪退，气死了，垃圾软件",
    ),
    ("c6", "2025-09-12T09:00:00Z", 5, "gold", "又闪退了，客服也不管，太差了"),
    (
        "c7",
        "2025-09-12T10:00:00Z",
        10,
        "regular",
        "快递太慢了，等了一个星期才到",
    ),
    (
        "c8",
        "2025-09-13T10:00:00Z",
        11,
        "regular",
        "物流太慢，快递一周才到，差评",
    ),
    (
        "c9",
        "2025-09-13T11:00:00Z",
        12,
        "regular",
        "味道很好，包装也很精美，下次还买",
    ),
    (
        "c10",
        "2025-09-14T11:00:00Z",
        13,
        "regular",
        "The delivery was fast and the food was great",
    ),
];

impl Lake {
    /// A lake holding [`ROWS`] through the `native` channel, committed.
    pub async fn with_rows() -> Lake {
        let lake = Lake::empty();
        lake.add(ROWS).await;
        lake
    }

    /// A lake without any table yet.
    pub fn empty() -> Lake {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = StoreConfig::local(&dir.path().join("lake")).expect("local store");
        Lake { _dir: dir, store }
    }

    /// Commit `rows` through the `native` channel (creating the tables if need be).
    pub async fn add(&self, rows: &[Row]) {
        let ingest = Ingest::start(IngestConfig::new(self.store.clone(), ContactCipher::generate_key()))
            .await
            .expect("ingest starts");
        let records = rows.iter().enumerate().map(|(i, row)| Ok(record(i, row))).collect();
        ingest
            .submit("native", "test", records, Durability::Commit)
            .await
            .expect("rows stored");
        ingest.shutdown().await.expect("ingest stops");
    }

    pub async fn session(&self) -> datafusion::prelude::SessionContext {
        build(&EngineConfig::new(self.store.clone()), &TableAccess::Everything)
            .await
            .expect("session builds")
    }
}

fn record(i: usize, &(id, at, customer, tier, text): &Row) -> SourceRecord {
    let channel = if text.is_ascii() { "email" } else { "app" };
    let fields: SourceFields = serde_json::from_value(json!({
        "channel": channel, "source_id": id, "received_at": at, "customer_id": customer,
        "customer_tier": tier, "text": text,
    }))
    .expect("an object");
    SourceRecord {
        position: Position(i as u64 + 1),
        fields,
    }
}
