//! The dashboard driven headless (egui_kittest) against a real Voxlake
//! server on a loopback port, over one demo lake shared by every test.
//! Numbers the pages show are compared with the same SQL run directly on the
//! engine.

mod connection;
mod distributions;
mod explorer;
mod harness;
mod overview;
mod server;
mod sql_console;
mod top_issues;
mod trends;
