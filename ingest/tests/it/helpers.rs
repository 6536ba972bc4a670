//! A temporary lake and small queries over it.

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::Int64Type;
use datafusion::prelude::SessionContext;
use tempfile::TempDir;
use voxlake_ingest::crypto::ContactCipher;
use voxlake_ingest::store::StoreConfig;
use voxlake_ingest::{Ingest, IngestConfig, tables};

pub struct Lake {
    pub dir: TempDir,
    pub store: StoreConfig,
    pub key: String,
}

impl Lake {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = StoreConfig::local(&dir.path().join("lake")).expect("local store");
        Self {
            dir,
            store,
            key: ContactCipher::generate_key(),
        }
    }

    pub async fn ingest(&self) -> Ingest {
        Ingest::start(IngestConfig::new(self.store.clone(), self.key.clone()))
            .await
            .expect("ingest starts")
    }

    /// The `feedback` table at its latest version.
    pub async fn feedback_table(&self) -> deltalake::DeltaTable {
        tables::open_latest(&self.store, "feedback")
            .await
            .expect("opens")
            .expect("exists")
    }

    pub fn file(&self, name: &str, contents: &[u8]) -> std::path::PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write file");
        path
    }

    /// The single integer a query returns.
    pub async fn count(&self, sql: &str) -> i64 {
        let ctx = SessionContext::new();
        tables::register_all(&ctx, &self.store).await.expect("tables register");
        let batches = ctx.sql(sql).await.expect("plans").collect().await.expect("runs");
        batches[0].column(0).as_primitive::<Int64Type>().value(0)
    }

    pub async fn strings(&self, sql: &str) -> Vec<Option<String>> {
        let ctx = SessionContext::new();
        tables::register_all(&ctx, &self.store).await.expect("tables register");
        let batches = ctx.sql(sql).await.expect("plans").collect().await.expect("runs");
        batches
            .iter()
            .flat_map(|b| {
                let col = datafusion::arrow::compute::cast(b.column(0), &datafusion::arrow::datatypes::DataType::Utf8)
                    .expect("cast");
                let col = col.as_string::<i32>().clone();
                (0..col.len())
                    .map(move |i| col.is_valid(i).then(|| col.value(i).to_owned()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// A native-format NDJSON line.
pub fn native_line(source_id: &str, customer: i64, text: &str) -> String {
    serde_json::json!({
        "channel": "app", "source_id": source_id, "received_at": "2025-03-14T09:21:33+08:00",
        "customer_id": customer, "region": "四川", "rating": 2, "text": text,
        "contact": "13812345678"
    })
    .to_string()
}
