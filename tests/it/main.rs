//! End-to-end tests of the `voxlake` command: the real binary, real files,
//! a real server on a loopback port.

mod cli;
mod durability;
mod models;
mod server;
