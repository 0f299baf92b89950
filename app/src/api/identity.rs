//! The signed-in person's roles, and the portal's access rules for admins.

use domain::access::{Policy, Principal, RoleSource, SignInRule};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ApiError;
#[cfg(feature = "ssr")]
use super::Services;

/// What the "me" page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeView {
    pub principal: Principal,
    /// Every role held and why, most powerful first.
    pub sources: Vec<RoleSource>,
    /// Environments where only owning teams act.
    pub owners_only: Vec<String>,
}

/// The signed-in person, their roles and where each comes from.
#[server(input = Json, endpoint = "me")]
pub async fn me() -> Result<MeView, ApiError> {
    let services = Services::current()?;
    let principal = Services::signed_in()?;
    Ok(MeView {
        sources: services.policy.sources(&principal.identity),
        owners_only: services.policy.owners_only.clone(),
        principal,
    })
}

/// The access rules as configured, for admins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRules {
    pub policy: Policy,
    pub sign_in: SignInRule,
    pub github: bool,
    pub demo: bool,
}

/// The portal's access configuration. Admins only.
#[server(input = Json, endpoint = "admin/access")]
pub async fn access_settings() -> Result<AccessRules, ApiError> {
    let services = Services::current()?;
    services.require(domain::access::Permission::Administer).await?;
    Ok(AccessRules {
        policy: (*services.policy).clone(),
        sign_in: services.sign_in_rule.clone(),
        github: services.sign_in.github,
        demo: services.sign_in.demo,
    })
}
