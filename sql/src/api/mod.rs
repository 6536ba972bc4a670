//! One endpoint per file.

pub mod channels;
pub mod feedback;
pub mod health;
pub mod sql;
pub mod tables;
