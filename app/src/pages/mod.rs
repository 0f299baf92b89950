//! One file per route.

mod not_found;
mod problems;
mod service;
mod services;

pub use not_found::NotFound;
pub use problems::ProblemsPage;
pub use service::ServicePage;
pub use services::ServicesPage;
