//! Who may do what: roles granted from GitHub organisations, teams and users, per environment
//! where configured, plus developer rights on the services a person's team owns.

mod gate;
mod identity;
mod people;
mod policy;
mod principal;
mod role;
mod token;
#[cfg(test)]
mod tests;

pub use gate::{Gate, RequestMeta};
pub use identity::{Identity, IdentitySource, TeamRef};
pub use people::{PeopleStore, PersonAccess, SessionSummary};
pub use policy::{Grant, Policy, RoleSource, Scope, SignInRule, Subject, logs_refusal};
pub use principal::{AccessError, Permission, Principal, TokenUse};
pub use role::Role;
pub use token::{ApiToken, NewToken, TOKEN_LIFETIMES, TokenFormErrors, TokenStore, token_lifetimes};
