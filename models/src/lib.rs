//! Pure text and machine-learning algorithms for Voxlake.
//!
//! Everything here is a plain function or a plain struct over `&str` and slices:
//! no I/O beyond loading and saving model files, no async, no Arrow. Ingest uses
//! [`text`] to clean feedback as it lands; the engine wraps the models as SQL
//! functions; the `voxlake train` command fits them. [`bundle`] loads the set a
//! running process uses and defines the enrichment ingest stores.

pub mod aspects;
pub mod bundle;
mod envelope;
pub mod keywords;
pub mod sentiment;
pub mod taxonomy;
pub mod text;
pub mod topics;
