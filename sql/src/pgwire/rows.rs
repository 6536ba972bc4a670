//! A query's result as Postgres data rows, encoded batch by batch as the
//! engine produces them (never collected), stopped at the role's deadline,
//! and audited when it ends: finished, failed, timed out, or dropped because
//! the client went away or closed the portal (which also cancels the query).

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use datafusion::execution::SendableRecordBatchStream;
use datafusion_postgres::arrow_pg::datatypes::encode_recordbatch;
use datafusion_postgres::pgwire::api::results::FieldInfo;
use datafusion_postgres::pgwire::error::{PgWireError, PgWireResult};
use datafusion_postgres::pgwire::messages::data::DataRow;
use futures::{Future, Stream};

use super::errors::{self, code};
use super::in_flight::Running;
use crate::audit::{AuditEvent, AuditLog};

type RowIter = Box<dyn Iterator<Item = PgWireResult<DataRow>> + Send>;

pub struct AuditedRows {
    batches: SendableRecordBatchStream,
    fields: Arc<Vec<FieldInfo>>,
    current: Option<RowIter>,
    deadline: Pin<Box<tokio::time::Sleep>>,
    timeout: Duration,
    started: Instant,
    rows: u64,
    bytes: u64,
    outcome: Option<String>,
    finished: bool,
    audit: Option<(AuditLog, AuditEvent)>,
    _running: Running,
}

impl AuditedRows {
    pub fn new(
        batches: SendableRecordBatchStream,
        fields: Arc<Vec<FieldInfo>>,
        timeout: Duration,
        audit: (AuditLog, AuditEvent),
        running: Running,
    ) -> Self {
        Self {
            batches,
            fields,
            current: None,
            deadline: Box::pin(tokio::time::sleep(timeout)),
            timeout,
            started: Instant::now(),
            rows: 0,
            bytes: 0,
            outcome: None,
            finished: false,
            audit: Some(audit),
            _running: running,
        }
    }

    fn fail(&mut self, error: PgWireError) -> Poll<Option<PgWireResult<DataRow>>> {
        self.finished = true;
        self.outcome = Some(errors::message(&error));
        Poll::Ready(Some(Err(error)))
    }

    /// The next row of the batch being encoded, if any is left.
    fn next_encoded(&mut self) -> Option<PgWireResult<DataRow>> {
        let row = self.current.as_mut()?.next();
        if row.is_none() {
            self.current = None;
        }
        row
    }
}

impl Stream for AuditedRows {
    type Item = PgWireResult<DataRow>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.finished {
            return Poll::Ready(None);
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            let message = format!(
                "canceling statement: query timed out after {} s",
                this.timeout.as_secs()
            );
            return this.fail(errors::error(code::QUERY_CANCELED, message));
        }
        loop {
            match this.next_encoded() {
                Some(Ok(row)) => {
                    this.rows += 1;
                    this.bytes += row.data.len() as u64;
                    return Poll::Ready(Some(Ok(row)));
                }
                Some(Err(e)) => return this.fail(e),
                None => {}
            }
            match this.batches.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(batch))) => {
                    this.current = Some(encode_recordbatch(Arc::clone(&this.fields), batch));
                }
                Poll::Ready(Some(Err(e))) => {
                    return this.fail(errors::execution(e.strip_backtrace().to_string()));
                }
                Poll::Ready(None) => {
                    this.finished = true;
                    return Poll::Ready(None);
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl Drop for AuditedRows {
    fn drop(&mut self) {
        let Some((audit, mut event)) = self.audit.take() else {
            return;
        };
        event.rows = Some(self.rows);
        event.bytes = Some(self.bytes);
        event.duration += self.started.elapsed();
        event.error = match (&self.outcome, self.finished) {
            (Some(error), _) => Some(error.clone()),
            (None, false) => Some("client disconnected or closed the portal; query cancelled".to_owned()),
            (None, true) => None,
        };
        audit.record(event);
    }
}
