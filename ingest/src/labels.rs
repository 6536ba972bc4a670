//! `feedback_labels`: analysts' corrections of the taxonomy, appended as Delta
//! commits (one per batch of labels) and read back to train the supervised
//! part of the taxonomy. A feedback may be labelled many times; the latest
//! label wins ([`LATEST_LABELS_SQL`]).

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use datafusion::arrow::array::{ArrayRef, Date32Array, StringArray, TimestampMicrosecondArray};
use datafusion::arrow::record_batch::RecordBatch;

use crate::error::{Error, Result};
use crate::schema::{LABELS_TABLE, labels_schema};
use crate::store::{StoreConfig, TableWriter, day_of, open_or_create};

/// The latest label of each labelled feedback, with its text.
pub const LATEST_LABELS_SQL: &str = "SELECT f.feedback_id, f.text, l.l1, l.l2 \
     FROM (SELECT feedback_id, l1, l2, \
             row_number() OVER (PARTITION BY feedback_id ORDER BY labelled_at DESC) AS latest \
           FROM feedback_labels) AS l \
     JOIN feedback AS f ON f.feedback_id = l.feedback_id \
     WHERE l.latest = 1 ORDER BY f.feedback_id";

/// One correction: feedback `feedback_id` belongs in `l1` (and `l2`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct FeedbackLabel {
    pub feedback_id: String,
    pub l1: String,
    #[serde(default)]
    pub l2: Option<String>,
}

/// Labels from a CSV file with the header `feedback_id,l1,l2` (`l2` may be empty).
pub fn read_labels_csv(path: &Path) -> Result<Vec<FeedbackLabel>> {
    let file_error = |reason: String| Error::File {
        path: path.to_path_buf(),
        reason,
    };
    let mut reader = csv::Reader::from_path(path).map_err(|e| file_error(e.to_string()))?;
    let mut labels = Vec::new();
    for (line, row) in reader.deserialize::<FeedbackLabel>().enumerate() {
        let mut label = row.map_err(|e| file_error(format!("line {}: {e}", line + 2)))?;
        label.l2 = label.l2.filter(|l2| !l2.trim().is_empty());
        labels.push(label);
    }
    Ok(labels)
}

/// Appends `labels` by `who` at `at` as one commit; returns the table version.
pub async fn append_labels(store: &StoreConfig, labels: &[FeedbackLabel], who: &str, at: DateTime<Utc>) -> Result<i64> {
    let table = open_or_create(store, LABELS_TABLE, &labels_schema()).await?;
    let mut writer = TableWriter::new(table)?;
    writer.write(labels_batch(labels, who, at)?).await?;
    writer.commit().await
}

fn labels_batch(labels: &[FeedbackLabel], who: &str, at: DateTime<Utc>) -> Result<RecordBatch> {
    let n = labels.len();
    let strings = |f: &dyn Fn(&FeedbackLabel) -> Option<&str>| -> ArrayRef {
        Arc::new(labels.iter().map(f).collect::<StringArray>())
    };
    let columns: Vec<ArrayRef> = vec![
        strings(&|l| Some(&l.feedback_id)),
        strings(&|l| Some(&l.l1)),
        strings(&|l| l.l2.as_deref()),
        Arc::new(StringArray::from(vec![who; n])),
        Arc::new(TimestampMicrosecondArray::from(vec![at.timestamp_micros(); n]).with_timezone("UTC")),
        Arc::new(Date32Array::from(vec![day_of(at); n])),
    ];
    Ok(RecordBatch::try_new(labels_schema(), columns)?)
}
