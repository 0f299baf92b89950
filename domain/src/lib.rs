//! Portico's model and rules. No web framework, database or async runtime lives here: this crate
//! is compiled into the browser bundle too, so the UI and the server share one set of types and
//! one set of validation rules.

pub mod access;
pub mod actions;
pub mod audit;
pub mod catalog;
#[cfg(not(target_arch = "wasm32"))]
pub mod clock;
pub mod delivery;
pub mod error_text;
pub mod future;
pub mod runtime;
pub mod store;
