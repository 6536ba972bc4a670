//! Runs every `engine/tests/slt/*.slt` file against a session over [`Lake`].
//! `VOXLAKE_SLT_COMPLETE=1` rewrites the expected results from what the
//! engine returns (review the diff before committing it).

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::array::{Array, RecordBatch};
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::error::DataFusionError;
use datafusion::prelude::SessionContext;
use sqllogictest::{
    DBOutput, DefaultColumnType, Runner, default_column_validator, default_normalizer, default_validator,
};

use crate::lake::Lake;

struct Engine(SessionContext);

#[async_trait]
impl sqllogictest::AsyncDB for Engine {
    type Error = DataFusionError;
    type ColumnType = DefaultColumnType;

    async fn run(&mut self, sql: &str) -> Result<DBOutput<DefaultColumnType>, DataFusionError> {
        let batches = self.0.sql(sql).await?.collect().await?;
        let Some(first) = batches.first() else {
            return Ok(DBOutput::StatementComplete(0));
        };
        let types = first
            .schema()
            .fields()
            .iter()
            .map(|f| column_type(f.data_type()))
            .collect();
        let mut rows = Vec::new();
        for batch in &batches {
            rows.extend(rows_of(batch)?);
        }
        Ok(DBOutput::Rows { types, rows })
    }

    async fn shutdown(&mut self) {}
}

fn column_type(data_type: &DataType) -> DefaultColumnType {
    match data_type {
        t if t.is_integer() => DefaultColumnType::Integer,
        t if t.is_floating() => DefaultColumnType::FloatingPoint,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => DefaultColumnType::Text,
        _ => DefaultColumnType::Any,
    }
}

/// Values as DataFusion's own `.slt` files print them: NULL, (empty).
fn rows_of(batch: &RecordBatch) -> Result<Vec<Vec<String>>, DataFusionError> {
    let options = FormatOptions::default().with_null("NULL");
    let formatters = batch
        .columns()
        .iter()
        .map(|c| ArrayFormatter::try_new(c.as_ref(), &options))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((0..batch.num_rows())
        .map(|row| {
            formatters
                .iter()
                .zip(batch.columns())
                .map(|(f, column)| match f.value(row).to_string() {
                    s if s.is_empty() && column.is_valid(row) => "(empty)".to_owned(),
                    s => s,
                })
                .collect()
        })
        .collect())
}

fn slt_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/slt");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/slt exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "slt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .slt files in {}", dir.display());
    files
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slt_files_pass() {
    let lake = Arc::new(Lake::with_rows().await);
    let complete = std::env::var_os("VOXLAKE_SLT_COMPLETE").is_some();
    for file in slt_files() {
        let lake = Arc::clone(&lake);
        let mut runner = Runner::new(move || {
            let lake = Arc::clone(&lake);
            async move { Ok(Engine(lake.session().await)) }
        });
        if complete {
            runner
                .update_test_file(
                    &file,
                    " ",
                    default_validator,
                    default_normalizer,
                    default_column_validator,
                )
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        } else {
            runner
                .run_file_async(&file)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        }
    }
}
