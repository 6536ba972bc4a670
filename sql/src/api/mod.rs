//! One endpoint per file.

pub mod channels;
pub mod feedback;
pub mod health;
pub mod metrics;
pub mod openapi;
pub mod sql;
pub mod tables;
