//! Reusable widgets.

pub mod audit_filters;
pub mod audit_live;
pub mod audit_row;
pub mod badge;
pub mod layout;
pub mod pagination;
pub mod service_filters;
pub mod status;
pub mod table;
