//! Queries off the UI thread.
//!
//! A few worker threads share one bounded job queue; each runs its job with
//! the blocking [`Client`] and sends the reply back over a bounded channel,
//! then asks egui for a repaint. The UI never waits: it submits with
//! `try_send` (a full queue is an error the page shows) and drains replies
//! under a time budget each frame (see `app::logic`). Every job has a
//! [`RequestId`] so a page can drop replies it no longer wants, and a cancel
//! flag the client checks between result batches.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::client::{Client, Connection};
use crate::error::{Error, Result};
use crate::table::Table;

/// Concurrent queries; the pages ask for a handful at a time.
const WORKERS: usize = 4;
/// Jobs waiting for a worker, and replies waiting for the UI.
const QUEUE_BOUND: usize = 64;

pub type RequestId = u64;

/// What a worker is asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    Sql(String),
    Health,
}

struct Job<T> {
    id: RequestId,
    tag: T,
    request: Request,
    cancel: Arc<AtomicBool>,
}

/// A finished job, tagged with what the UI asked it for.
#[derive(Debug)]
pub struct Reply<T> {
    pub id: RequestId,
    pub tag: T,
    pub elapsed: Duration,
    pub result: Result<Table>,
}

/// Something that wants to hear when a reply is ready (egui's repaint).
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// The UI's handle on the workers. Dropping it stops them once their current
/// job is done.
pub struct Backend<T> {
    jobs: SyncSender<Job<T>>,
    replies: Receiver<Reply<T>>,
    next_id: RequestId,
    cancels: HashMap<RequestId, Arc<AtomicBool>>,
}

impl<T: Send + 'static> Backend<T> {
    pub fn start(connection: &Connection, wake: Wake) -> Self {
        let (jobs, queue) = sync_channel::<Job<T>>(QUEUE_BOUND);
        let (reply_tx, replies) = sync_channel(QUEUE_BOUND);
        let queue = Arc::new(Mutex::new(queue));
        let client = Client::new(connection);
        for n in 0..WORKERS {
            let worker = Worker {
                queue: Arc::clone(&queue),
                replies: reply_tx.clone(),
                client: client.clone(),
                wake: Arc::clone(&wake),
            };
            let spawned = thread::Builder::new()
                .name(format!("voxlake-query-{n}"))
                .spawn(move || worker.run());
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a query worker");
            }
        }
        Self {
            jobs,
            replies,
            next_id: 0,
            cancels: HashMap::new(),
        }
    }

    /// Queue `request`; never blocks. A full queue gives [`Error::Busy`].
    pub fn submit(&mut self, tag: T, request: Request) -> Result<RequestId> {
        self.next_id += 1;
        let id = self.next_id;
        let cancel = Arc::new(AtomicBool::new(false));
        let job = Job {
            id,
            tag,
            request,
            cancel: Arc::clone(&cancel),
        };
        match self.jobs.try_send(job) {
            Ok(()) => {
                self.cancels.insert(id, cancel);
                Ok(id)
            }
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => Err(Error::Busy),
        }
    }

    /// Ask the job `id` to stop; its reply (if any) will be [`Error::Cancelled`].
    pub fn cancel(&mut self, id: RequestId) {
        if let Some(flag) = self.cancels.remove(&id) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// The next finished job, if one is waiting.
    pub fn try_recv(&mut self) -> Option<Reply<T>> {
        match self.replies.try_recv() {
            Ok(reply) => {
                self.cancels.remove(&reply.id);
                Some(reply)
            }
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => None,
        }
    }

    /// Jobs submitted and not yet received back.
    pub fn in_flight(&self) -> usize {
        self.cancels.len()
    }
}

struct Worker<T> {
    queue: Arc<Mutex<Receiver<Job<T>>>>,
    replies: SyncSender<Reply<T>>,
    client: Client,
    wake: Wake,
}

impl<T> Worker<T> {
    fn run(self) {
        while let Some(job) = self.next_job() {
            let started = Instant::now();
            let result = self.execute(&job);
            let reply = Reply {
                id: job.id,
                tag: job.tag,
                elapsed: started.elapsed(),
                result,
            };
            if self.replies.send(reply).is_err() {
                break;
            }
            (self.wake)();
        }
    }

    /// The next job, or `None` once the UI has dropped its [`Backend`].
    fn next_job(&self) -> Option<Job<T>> {
        let queue = self.queue.lock().ok()?;
        queue.recv().ok()
    }

    fn execute(&self, job: &Job<T>) -> Result<Table> {
        if job.cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        match &job.request {
            Request::Sql(sql) => self.client.query(sql, &job.cancel),
            Request::Health => self
                .client
                .health()
                .map(|()| Table::empty(Arc::new(arrow_schema::Schema::empty()))),
        }
    }
}
