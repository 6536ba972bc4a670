//! Integration tests of the engine: SQL behaviour pinned by `.slt` files
//! (`engine/tests/slt`) against a session over a temporary lake.

mod access;
mod lake;
mod slt;
