//! Reading the window's feedback: a scan of `feedback` (as the caller may see
//! it) pruned to the days of the previous and current window, and the rows
//! turned into [`WindowRows`], negative feedback only. Rows enriched at ingest
//! use their stored sentiment; others are scored now.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type, TimeUnit, TimestampMicrosecondType};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::{Result, ScalarValue};
use datafusion::datasource::provider_as_source;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder, col, lit};
use datafusion::physical_plan::collect;

use voxlake_ingest::schema::{FEEDBACK_TABLE, col as fcol};
use voxlake_models::bundle::Models;
use voxlake_models::sentiment::SentimentLabel;
use voxlake_models::topics::{CustomerTier, IssueWindow};

use super::rank::WindowRows;

const DAY_MICROS: i64 = 86_400_000_000;

const COLUMNS: [&str; 8] = [
    fcol::FEEDBACK_ID,
    fcol::TEXT,
    fcol::CUSTOMER_ID,
    fcol::CUSTOMER_TIER,
    fcol::SENTIMENT_LABEL,
    fcol::SENTIMENT_SCORE,
    fcol::RECEIVED_AT,
    fcol::TOPIC_ID,
];

/// The non-spam feedback received in the previous or the current window,
/// oldest first.
pub(crate) async fn read_window(
    state: &dyn Session,
    feedback: Arc<dyn TableProvider>,
    window: IssueWindow,
) -> Result<Vec<RecordBatch>> {
    let from = window.start_micros - (window.end_micros - window.start_micros);
    let timestamp = |us: i64| lit(ScalarValue::TimestampMicrosecond(Some(us), Some("UTC".into())));
    let day = |us: i64| lit(ScalarValue::Date32(Some(us.div_euclid(DAY_MICROS) as i32)));
    let filter = col(fcol::DT)
        .between(day(from), day(window.end_micros))
        .and(col(fcol::RECEIVED_AT).gt_eq(timestamp(from)))
        .and(col(fcol::RECEIVED_AT).lt(timestamp(window.end_micros)))
        .and(col(fcol::IS_SPAM).is_false());
    let plan = LogicalPlanBuilder::scan(FEEDBACK_TABLE, provider_as_source(feedback), None)?
        .filter(filter)?
        .project(COLUMNS.iter().map(|c| col(*c)).collect::<Vec<Expr>>())?
        // Clustering depends on the order of its input: a fixed order makes
        // the same window give the same topics whatever the scan's partitioning.
        .sort(vec![
            col(fcol::RECEIVED_AT).sort(true, false),
            col(fcol::FEEDBACK_ID).sort(true, false),
        ])?
        .build()?;
    let physical = state.create_physical_plan(&plan).await?;
    collect(physical, state.task_ctx()).await
}

/// The negative rows of `batches` (in the column order of [`COLUMNS`]).
pub(crate) fn negative_rows(models: &Models, batches: &[RecordBatch]) -> Result<WindowRows> {
    let mut rows = WindowRows::default();
    for batch in batches {
        add_batch(models, batch, &mut rows)?;
    }
    Ok(rows)
}

fn add_batch(models: &Models, batch: &RecordBatch, rows: &mut WindowRows) -> Result<()> {
    let utf8 = |i: usize| cast(batch.column(i), &DataType::Utf8);
    let (ids, texts, tiers, labels) = (utf8(0)?, utf8(1)?, utf8(3)?, utf8(4)?);
    let (ids, texts, tiers, labels) = (
        ids.as_string::<i32>(),
        texts.as_string::<i32>(),
        tiers.as_string::<i32>(),
        labels.as_string::<i32>(),
    );
    let customers = cast(batch.column(2), &DataType::Int64)?;
    let customers = customers.as_primitive::<Int64Type>();
    let scores = cast(batch.column(5), &DataType::Float64)?;
    let scores = scores.as_primitive::<Float64Type>();
    let at = cast(batch.column(6), &DataType::Timestamp(TimeUnit::Microsecond, None))?;
    let at = at.as_primitive::<TimestampMicrosecondType>();
    let topics = cast(batch.column(7), &DataType::Int64)?;
    let topics = topics.as_primitive::<Int64Type>();
    for i in 0..batch.num_rows() {
        if ids.is_null(i) || texts.is_null(i) || at.is_null(i) {
            continue;
        }
        let (label, score) = match (labels.is_valid(i), scores.is_valid(i)) {
            (true, true) => (labels.value(i) == SentimentLabel::Negative.as_str(), scores.value(i)),
            _ => {
                let s = models.sentiment.predict(texts.value(i));
                (s.label == SentimentLabel::Negative, f64::from(s.score))
            }
        };
        if !label {
            continue;
        }
        rows.feedback_ids.push(ids.value(i).to_owned());
        rows.texts.push(texts.value(i).to_owned());
        rows.customer_ids
            .push(customers.is_valid(i).then(|| customers.value(i)));
        rows.tiers
            .push(tiers.is_valid(i).then(|| CustomerTier::parse(tiers.value(i))).flatten());
        rows.sentiments.push(Some(score));
        rows.timestamps_micros.push(at.value(i));
        rows.stored_topics.push(
            topics
                .is_valid(i)
                .then(|| u32::try_from(topics.value(i)).ok())
                .flatten(),
        );
    }
    Ok(())
}
