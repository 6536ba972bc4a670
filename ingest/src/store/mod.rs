//! The lake: Delta tables over an object store (a local folder by default,
//! S3-compatible storage by URL). Every write is one Delta commit, so a reader
//! sees a batch entirely or not at all; compaction and retention are commits too.

mod batch;
mod cluster;
mod config;
mod maintenance;
pub(crate) mod writer;

pub use batch::{date_of_day, day_of, feedback_batch};
pub use cluster::{CLUSTERED_BY_KEY, CLUSTERED_PAGE_ROWS, clustered_writer_properties};
pub use config::StoreConfig;
pub use maintenance::{MaintenanceReport, RetentionConfig, compact, vacuum};
pub use writer::{TableWriter, WRITE_BATCH_ROWS, open_or_create, run_on_own_thread};
