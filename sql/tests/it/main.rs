//! The HTTP service and its Postgres port on real loopback sockets over a
//! real local lake.

mod app;
mod feedback;
mod openapi;
mod pgwire;
mod pgwire_clients;
mod security;
mod sql;
