//! Voxlake's query engine: the one place that builds a DataFusion
//! [`SessionContext`](datafusion::prelude::SessionContext) with Voxlake's
//! tables and SQL functions.
//!
//! It reads tables through `voxlake-ingest` (which owns their format) and
//! wraps `voxlake-models` as SQL functions ([`functions`]); it serves nothing
//! itself: the HTTP service keeps one [`Engine`] and asks it for a session
//! per query ([`Engine::session`]), which reuses the tables opened by earlier
//! queries (see `cache.rs`); one-off commands such as `voxlake sql` call [`build`].

pub mod access;
mod cache;
mod error;
pub mod functions;
pub mod session;

pub use access::TableAccess;
pub use error::{Error, Result};
pub use session::{Engine, EngineConfig, build};
