//! The rewritten rows as a table deltalake can write from: the scan of the
//! days to re-enrich, each batch with its enrichment columns recomputed.
//! Each batch's rows are enriched in parallel on rayon's pool.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::catalog::streaming::StreamingTable;
use datafusion::common::Result;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::PartitionStream;
use datafusion::physical_plan::{ExecutionPlan, execute_stream};
use futures::{StreamExt, stream};
use rayon::prelude::*;
use voxlake_models::bundle::Models;
use voxlake_models::text::lang::Language;

use crate::enrichment::{ENRICHMENT_COLUMNS, Enriched, EnrichmentColumns, enrichment_fields};
use crate::schema::col;

/// A one-partition table streaming `input` re-enriched; `rows` counts what passed.
pub(super) fn reenriched_table(
    input: Arc<dyn ExecutionPlan>,
    models: Arc<Models>,
    rows: Arc<AtomicU64>,
) -> Result<StreamingTable> {
    let schema = output_schema(&input.schema());
    let partition = Reenriched {
        input,
        models,
        schema: Arc::clone(&schema),
        rows,
    };
    StreamingTable::try_new(schema, vec![Arc::new(partition)])
}

/// The input's schema with the enrichment columns' types as ingest writes them.
fn output_schema(input: &Schema) -> SchemaRef {
    let enrichment = enrichment_fields();
    let fields: Vec<Field> = input
        .fields()
        .iter()
        .map(|f| match enrichment.find(f.name()) {
            Some((_, e)) => e.as_ref().clone(),
            None => f.as_ref().clone(),
        })
        .collect();
    Arc::new(Schema::new(fields))
}

#[derive(Debug)]
struct Reenriched {
    input: Arc<dyn ExecutionPlan>,
    models: Arc<Models>,
    schema: SchemaRef,
    rows: Arc<AtomicU64>,
}

impl PartitionStream for Reenriched {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let (models, schema, rows) = (
            Arc::clone(&self.models),
            Arc::clone(&self.schema),
            Arc::clone(&self.rows),
        );
        let batches = match execute_stream(Arc::clone(&self.input), ctx) {
            Ok(input) => input
                .map(move |batch| {
                    let out = reenrich_batch(&models, &schema, &batch?)?;
                    rows.fetch_add(out.num_rows() as u64, Ordering::Relaxed);
                    Ok(out)
                })
                .boxed(),
            Err(e) => stream::once(async move { Err(e) }).boxed(),
        };
        Box::pin(RecordBatchStreamAdapter::new(Arc::clone(&self.schema), batches))
    }
}

/// `batch` with its enrichment columns recomputed from text, language and tier.
fn reenrich_batch(models: &Models, schema: &SchemaRef, batch: &RecordBatch) -> Result<RecordBatch> {
    let strings = |name: &str| -> Result<ArrayRef> {
        Ok(cast(
            batch.column_by_name(name).map_or(&empty(batch), |c| c),
            &DataType::Utf8,
        )?)
    };
    let (texts, languages, tiers) = (
        strings(col::TEXT)?,
        strings(col::LANGUAGE)?,
        strings(col::CUSTOMER_TIER)?,
    );
    let (texts, languages, tiers) = (
        texts.as_string::<i32>(),
        languages.as_string::<i32>(),
        tiers.as_string::<i32>(),
    );
    let version: Arc<str> = models.version().into();
    let enriched: Vec<Option<Enriched>> = (0..batch.num_rows())
        .into_par_iter()
        .with_min_len(256)
        .map(|i| {
            let text = texts.is_valid(i).then(|| texts.value(i))?;
            let language = languages
                .is_valid(i)
                .then(|| languages.value(i).parse::<Language>().ok())
                .flatten();
            let tier = tiers.is_valid(i).then(|| tiers.value(i));
            Some(Enriched::new(models, &version, text, language, tier))
        })
        .collect();
    let mut builder = EnrichmentColumns::with_capacity(enriched.len());
    enriched.iter().for_each(|e| builder.push(e.as_ref()));
    let mut fresh = ENRICHMENT_COLUMNS.iter().zip(builder.finish());
    let columns: Vec<ArrayRef> = batch
        .schema()
        .fields()
        .iter()
        .zip(batch.columns())
        .map(
            |(field, column)| match ENRICHMENT_COLUMNS.contains(&field.name().as_str()) {
                true => fresh
                    .find(|(name, _)| *name == field.name())
                    .map_or_else(|| Arc::clone(column), |(_, c)| c),
                false => Arc::clone(column),
            },
        )
        .collect();
    Ok(RecordBatch::try_new(Arc::clone(schema), columns)?)
}

/// An all-null string column for a batch lacking one (never for `feedback`).
fn empty(batch: &RecordBatch) -> ArrayRef {
    datafusion::arrow::array::new_null_array(&DataType::Utf8, batch.num_rows())
}
