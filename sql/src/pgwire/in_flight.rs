//! Queries running on the Postgres port, counted so that shutdown can wait
//! for them and not for connections that merely sit idle (psql sessions and
//! GUI connection pools stay open for hours).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Notify;

#[derive(Clone, Default)]
pub struct InFlight {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    running: AtomicUsize,
    finished: Notify,
}

/// One running query; it stops counting when dropped.
pub struct Running {
    inner: Arc<Inner>,
}

impl InFlight {
    pub fn start(&self) -> Running {
        self.inner.running.fetch_add(1, Ordering::SeqCst);
        Running {
            inner: Arc::clone(&self.inner),
        }
    }

    /// Resolves once no query is running.
    pub async fn idle(&self) {
        loop {
            // Register before checking, so a finish in between is not missed.
            let finished = self.inner.finished.notified();
            if self.inner.running.load(Ordering::SeqCst) == 0 {
                return;
            }
            finished.await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.inner.running.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.inner.finished.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn idle_waits_for_the_last_running_query() {
        let in_flight = InFlight::default();
        in_flight.idle().await;
        let first = in_flight.start();
        let second = in_flight.start();
        drop(first);
        let wait = tokio::time::timeout(Duration::from_millis(50), in_flight.idle()).await;
        assert!(wait.is_err(), "one query is still running");
        let waiter = tokio::spawn({
            let in_flight = in_flight.clone();
            async move { in_flight.idle().await }
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        drop(second);
        tokio::time::timeout(Duration::from_secs(1), waiter)
            .await
            .expect("idle once the last query ends")
            .expect("task");
    }
}
