//! Server functions, one feature per file. Each stays thin: take what it needs from the
//! request's context, check permission, call the port, map the error. Their bodies only exist
//! in the `ssr` build.

pub mod actions;
pub mod audit;
pub mod catalog;
pub mod environments;
mod error;
pub mod identity;
pub mod people;
#[cfg(feature = "ssr")]
mod services;
pub mod session;
pub mod tokens;

pub use error::ApiError;
#[cfg(feature = "ssr")]
pub use services::Services;
