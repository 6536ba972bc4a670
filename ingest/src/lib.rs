//! Voxlake's storage and ingest layer.
//!
//! It owns the on-disk format: the `feedback` and `ingest_rejects` Delta
//! tables (schema in [`schema`]), how each channel's records map onto them
//! ([`channels`]), how records are read ([`read`]), cleaned ([`clean`]) and
//! deduplicated ([`dedup`]), and how they are committed atomically
//! ([`store`]). [`Ingest`] is the entry point for HTTP and file imports.
//!
//! It does not run analyst queries (that is `voxlake-engine`) and trains no
//! models: it runs those of `voxlake-models` on every row it writes
//! ([`enrichment`]), in parallel with cleaning.

pub mod channels;
pub mod clean;
mod columns;
pub mod crypto;
pub mod dedup;
pub mod demo;
pub mod enrichment;
mod error;
pub mod health;
pub mod import;
mod index_load;
pub mod labels;
mod prepare;
pub mod read;
pub mod record;
pub mod reenrich;
pub mod schema;
mod service;
pub mod store;
pub mod tables;
mod writer_loop;

pub use error::{Error, Result};
pub use service::{Durability, Ingest, IngestConfig, PendingWrite};
