//! Reusable widgets.

pub mod badge;
pub mod layout;
pub mod pagination;
pub mod service_filters;
pub mod status;
pub mod table;
