//! The actions engine end to end inside one portal: requests, approvals, runs on the local
//! runtime with real processes, compensation, cancellation, and what the audit log records.

mod approvals;
mod deployments;
mod integrations;
mod runs;
mod secrets;
pub mod setup;
