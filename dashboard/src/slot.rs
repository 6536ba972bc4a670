//! One piece of data a page shows, fetched by one SQL statement.
//!
//! Pages are immediate mode, and so is their data: each frame a page builds
//! the SQL its view needs and calls [`Slot::ensure`]; the query is sent only
//! when that SQL differs from the one the slot already holds (the window or a
//! filter changed) or after [`Slot::invalidate`] (refresh, retry). The old
//! data stays visible while the new one loads; replies to superseded
//! requests are ignored.

use std::time::Duration;

use crate::backend::RequestId;
use crate::error::{Error, Result};
use crate::table::Table;

#[derive(Debug)]
pub struct Slot<T> {
    sql: Option<String>,
    pending: Option<RequestId>,
    data: Option<T>,
    error: Option<Error>,
    elapsed: Option<Duration>,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Self {
            sql: None,
            pending: None,
            data: None,
            error: None,
            elapsed: None,
        }
    }
}

impl<T> Slot<T> {
    /// Make sure the slot holds (or is loading) the result of `sql`.
    pub fn ensure(&mut self, sql: String, submit: impl FnOnce(String) -> Result<RequestId>) {
        if self.sql.as_deref() == Some(sql.as_str()) {
            return;
        }
        self.sql = Some(sql.clone());
        match submit(sql) {
            Ok(id) => {
                self.pending = Some(id);
                self.error = None;
            }
            Err(e) => self.fail(e),
        }
    }

    /// Take the reply to request `id` if it is the one this slot waits for.
    pub fn accept(&mut self, id: RequestId, result: Result<Table>, elapsed: Duration, parse: impl FnOnce(Table) -> T) {
        if self.pending != Some(id) {
            return;
        }
        self.pending = None;
        self.elapsed = Some(elapsed);
        match result {
            Ok(table) => {
                self.data = Some(parse(table));
                self.error = None;
            }
            Err(e) => self.fail(e),
        }
    }

    fn fail(&mut self, e: Error) {
        self.pending = None;
        self.data = None;
        self.error = Some(e);
    }

    /// Fetch again on the next [`Slot::ensure`], keeping the data until then.
    pub fn invalidate(&mut self) {
        self.sql = None;
    }

    /// Forget everything (another server).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    pub fn is_loading(&self) -> bool {
        self.pending.is_some()
    }

    pub fn pending(&self) -> Option<RequestId> {
        self.pending
    }

    /// Stop waiting (the request was cancelled).
    pub fn abandon(&mut self) {
        self.pending = None;
    }

    pub fn data(&self) -> Option<&T> {
        self.data.as_ref()
    }

    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    pub fn elapsed(&self) -> Option<Duration> {
        self.elapsed
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn empty() -> Table {
        Table::empty(Arc::new(arrow_schema::Schema::empty()))
    }

    #[test]
    fn same_sql_is_sent_once_and_stale_replies_are_ignored() {
        let mut slot = Slot::<usize>::default();
        let mut sent = Vec::new();
        let mut submit = |sql: String| {
            sent.push(sql);
            Ok(sent.len() as RequestId)
        };
        slot.ensure("a".into(), &mut submit);
        slot.ensure("a".into(), &mut submit);
        slot.ensure("b".into(), &mut submit);
        assert_eq!(sent, ["a", "b"]);
        slot.accept(1, Ok(empty()), Duration::ZERO, |_| 1);
        assert!(slot.data().is_none() && slot.is_loading());
        slot.accept(2, Ok(empty()), Duration::ZERO, |_| 2);
        assert_eq!(slot.data(), Some(&2));
    }

    #[test]
    fn invalidated_slots_keep_data_until_the_new_reply() {
        let mut slot = Slot::<usize>::default();
        slot.ensure("a".into(), |_| Ok(1));
        slot.accept(1, Ok(empty()), Duration::ZERO, |_| 7);
        slot.invalidate();
        slot.ensure("a".into(), |_| Ok(2));
        assert_eq!(slot.data(), Some(&7));
        assert!(slot.is_loading());
    }
}
