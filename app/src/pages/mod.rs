//! One file per route.

mod admin_access;
mod audit;
mod audit_event;
mod environments;
mod logs;
mod me;
mod not_found;
mod problems;
mod service;
mod services;
mod sign_in;
mod tokens;

pub use admin_access::AdminAccessPage;
pub use audit::AuditLogPage;
pub use audit_event::AuditEventPage;
pub use environments::EnvironmentsPage;
pub use logs::LogsPage;
pub use me::MePage;
pub use not_found::NotFound;
pub use problems::ProblemsPage;
pub use service::ServicePage;
pub use services::ServicesPage;
pub use sign_in::SignInPage;
pub use tokens::TokensPage;
