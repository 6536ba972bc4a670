//! The columns `top_issues` returns, and the batch that holds them.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, Float64Array, Int64Array, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::Result;

use super::rank::Issue;
use crate::functions::lists::{StringLists, string_list_type};

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    use DataType::{Float64, Int64, Utf8};
    Arc::new(Schema::new(vec![
        Field::new("topic_id", Int64, false),
        Field::new("name", Utf8, false),
        Field::new("keywords", string_list_type(), false),
        Field::new("volume", Int64, false),
        Field::new("previous_volume", Int64, false),
        Field::new("excess", Int64, false),
        Field::new("trend", Float64, true),
        Field::new("customers", Int64, false),
        Field::new("avg_sentiment", Float64, true),
        Field::new("priority", Utf8, false),
        Field::new("priority_reason", Utf8, false),
        Field::new("sample_feedback_ids", string_list_type(), false),
    ]))
});

pub(crate) fn schema() -> SchemaRef {
    SCHEMA.clone()
}

/// One row per issue, in rank order.
pub(crate) fn issues_batch(issues: &[Issue]) -> Result<RecordBatch> {
    let ints = |f: &dyn Fn(&Issue) -> i64| -> ArrayRef { Arc::new(issues.iter().map(f).collect::<Int64Array>()) };
    let floats =
        |f: &dyn Fn(&Issue) -> Option<f64>| -> ArrayRef { Arc::new(issues.iter().map(f).collect::<Float64Array>()) };
    let strings = |f: &dyn Fn(&Issue) -> &str| -> ArrayRef {
        Arc::new(issues.iter().map(|i| Some(f(i))).collect::<StringArray>())
    };
    let lists = |f: &dyn Fn(&Issue) -> Vec<String>| -> ArrayRef {
        let mut b = StringLists::with_capacity(issues.len());
        issues.iter().for_each(|i| b.append(Some(f(i))));
        b.finish()
    };
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let columns = vec![
        ints(&|i| i64::from(i.summary.topic_id)),
        strings(&|i| &i.name),
        lists(&|i| i.keywords.clone()),
        ints(&|i| count(i.summary.volume)),
        ints(&|i| count(i.summary.previous_volume)),
        ints(&|i| i.excess),
        floats(&|i| i.summary.trend),
        ints(&|i| count(i.summary.customers)),
        floats(&|i| i.summary.avg_sentiment),
        strings(&|i| i.priority.level.as_str()),
        strings(&|i| &i.priority.reason),
        lists(&|i| i.summary.examples.clone()),
    ];
    Ok(RecordBatch::try_new(schema(), columns)?)
}
