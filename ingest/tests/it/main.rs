//! Integration tests of the ingest layer against a real local object store.

mod channels;
mod enrichment;
mod helpers;
mod import;
mod maintenance;
mod reenrich;
mod s3;
mod submit;
