//! Voxlake's query engine: the one place that builds a DataFusion
//! [`SessionContext`](datafusion::prelude::SessionContext) with Voxlake's
//! tables and SQL functions.
//!
//! It reads tables through `voxlake-ingest` (which owns their format) and
//! wraps `voxlake-models` as SQL functions ([`functions`]); it serves nothing
//! itself: the HTTP service and the `voxlake sql` command both call
//! [`session::build`].

pub mod access;
mod error;
pub mod functions;
pub mod session;

pub use access::TableAccess;
pub use error::{Error, Result};
pub use session::{EngineConfig, build};
