//! One file per route.

mod action;
mod admin_access;
mod admin_people;
mod admin_tabs;
mod approvals;
mod audit;
mod audit_event;
mod environments;
mod logs;
mod me;
mod not_found;
mod problems;
mod run;
mod runs;
mod service;
mod services;
mod sign_in;
mod tokens;

pub use action::ActionPage;
pub use admin_access::AdminAccessPage;
pub use admin_people::AdminPeoplePage;
pub use approvals::ApprovalsPage;
pub use audit::AuditLogPage;
pub use audit_event::AuditEventPage;
pub use environments::EnvironmentsPage;
pub use logs::LogsPage;
pub use me::MePage;
pub use not_found::NotFound;
pub use problems::ProblemsPage;
pub use run::RunPage;
pub use runs::RunsPage;
pub use service::ServicePage;
pub use services::ServicesPage;
pub use sign_in::SignInPage;
pub use tokens::TokensPage;
