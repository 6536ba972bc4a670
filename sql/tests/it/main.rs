//! The HTTP service on a real loopback socket over a real local lake.

mod app;
mod feedback;
mod openapi;
mod security;
mod sql;
