//! Integration tests of the engine: SQL behaviour pinned by `.slt` files
//! (`engine/tests/slt`) against a session over a temporary lake, and the
//! tables an engine keeps open between queries.

mod access;
mod cache;
mod lake;
mod layout;
mod slt;
