//! Live logs: one feed per environment, read from its runtime while anyone follows it, and fanned
//! out to every follower with resumable ids. See [`hub`] for the guarantees.

pub mod hub;
pub mod readings;

pub use hub::{Cursor, Event, LogHub};
