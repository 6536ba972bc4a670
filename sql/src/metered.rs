//! A response body that counts what it sends, stops at a deadline, and
//! audits the request when it ends — finished, failed, timed out, or
//! dropped because the client went away (which also cancels the query).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use datafusion::error::{DataFusionError, Result};
use futures::Stream;

use datafusion::physical_plan::ExecutionPlan;

use crate::audit::{AuditEvent, AuditLog};
use crate::metrics::Metrics;
use crate::query::RunningQuery;

/// Where a finished query is reported: the audit log and the metrics.
pub struct Report {
    pub audit: AuditLog,
    pub event: AuditEvent,
    pub metrics: Arc<Metrics>,
    /// The executed plan, whose scans tell how many rows were read.
    pub plan: Arc<dyn ExecutionPlan>,
}

pub struct MeteredBody<S> {
    inner: Pin<Box<S>>,
    deadline: Pin<Box<tokio::time::Sleep>>,
    rows: Arc<AtomicU64>,
    started: Instant,
    timeout: Duration,
    bytes: u64,
    outcome: Option<String>,
    finished: bool,
    report: Option<Report>,
}

impl<S> MeteredBody<S> {
    /// `rows` is counted by whoever sees the record batches (see `count_rows`).
    pub fn new(inner: S, rows: Arc<AtomicU64>, timeout: Duration, report: Report) -> Self {
        Self {
            inner: Box::pin(inner),
            deadline: Box::pin(tokio::time::sleep(timeout)),
            rows,
            started: Instant::now(),
            timeout,
            bytes: 0,
            outcome: None,
            finished: false,
            report: Some(report),
        }
    }
}

impl<S: Stream<Item = Result<Bytes>>> Stream for MeteredBody<S> {
    type Item = Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.finished {
            return Poll::Ready(None);
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            this.finished = true;
            let message = format!("query timed out after {} s", this.timeout.as_secs());
            this.outcome = Some(message.clone());
            return Poll::Ready(Some(Err(DataFusionError::Execution(message))));
        }
        match this.inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.bytes += chunk.len() as u64;
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(e))) => {
                this.finished = true;
                this.outcome = Some(e.strip_backtrace().to_string());
                Poll::Ready(Some(Err(e)))
            }
            Poll::Ready(None) => {
                this.finished = true;
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S> Drop for MeteredBody<S> {
    fn drop(&mut self) {
        let Some(Report {
            audit,
            mut event,
            metrics,
            plan,
        }) = self.report.take()
        else {
            return;
        };
        let rows = self.rows.load(Ordering::Relaxed);
        let duration = self.started.elapsed();
        metrics.query_done(
            duration.as_secs_f64(),
            RunningQuery::rows_scanned(&plan),
            rows,
            self.bytes,
        );
        event.bytes = Some(self.bytes);
        event.rows = Some(rows);
        event.duration = duration;
        event.error = match (&self.outcome, self.finished) {
            (Some(error), _) => Some(error.clone()),
            (None, false) => Some("client disconnected; query cancelled".to_owned()),
            (None, true) => None,
        };
        audit.record(event);
    }
}

/// Pass a record-batch stream through, adding its row count to `rows`.
pub fn count_rows(
    stream: datafusion::execution::SendableRecordBatchStream,
    rows: Arc<AtomicU64>,
) -> datafusion::execution::SendableRecordBatchStream {
    use futures::StreamExt;
    let schema = stream.schema();
    let counted = stream.inspect(move |batch| {
        if let Ok(batch) = batch {
            rows.fetch_add(batch.num_rows() as u64, Ordering::Relaxed);
        }
    });
    Box::pin(datafusion::physical_plan::stream::RecordBatchStreamAdapter::new(
        schema, counted,
    ))
}
