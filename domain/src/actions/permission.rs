//! Who may request an action, checked on the server for every request and used to show only
//! the buttons a person may press.

use serde::{Deserialize, Serialize};

use super::definition::ActionDef;
use crate::access::{Permission, Policy, Principal, Role, Scope};

/// Why a request for an action was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum RequestRefusal {
    #[error("This action needs the {needed} role on the service there; you have {}.", held.map_or("no role", Role::as_str))]
    Role { needed: Role, held: Option<Role> },
    #[error("This action is for members of {}.", teams.join(" or "))]
    Team { teams: Vec<String> },
}

/// The role `principal` holds on a service owned by `owner` in `environment` (or on the service
/// as a whole), capped by the scope of the token the request used.
pub fn role_there(policy: &Policy, principal: &Principal, owner: &str, environment: Option<&str>) -> Option<Role> {
    let held = policy.role_in(&principal.identity, Scope { service_owner: Some(owner), environment });
    match &principal.token {
        Some(token) => held.map(|role| role.min(token.scope)),
        None => held,
    }
}

/// Whether `principal` may request `action` on a service owned by `owner`, in `environment`.
pub fn may_request(
    policy: &Policy,
    principal: &Principal,
    action: &ActionDef,
    owner: &str,
    environment: Option<&str>,
) -> Result<(), RequestRefusal> {
    let held = role_there(policy, principal, owner, environment);
    if held.is_none_or(|role| role < action.who.role) {
        return Err(RequestRefusal::Role { needed: action.who.role, held });
    }
    let teams = &action.who.teams;
    if !teams.is_empty() && !teams.iter().any(|team| policy.in_team(&principal.identity, team)) {
        return Err(RequestRefusal::Team { teams: teams.clone() });
    }
    Ok(())
}

/// Whether `principal` may see runs at all (their summaries; a run's details also need the
/// rights reading its environment's logs need).
pub fn may_view_runs(principal: &Principal) -> Result<(), String> {
    if principal.may(Permission::ViewCatalog) { Ok(()) } else { Err("Seeing runs needs the viewer role.".to_owned()) }
}

/// Whether `principal` may cancel a run `requester` asked for: its requester (with a token
/// that may change things, when they use one) or an operator.
pub fn may_cancel(principal: &Principal, requester: &str) -> bool {
    let own = principal.identity.login.eq_ignore_ascii_case(requester) && principal.token.as_ref().is_none_or(|token| token.scope >= Role::Developer);
    own || principal.may(Permission::OperateEnvironments)
}

/// Who must approve `action`, in words ("1 approval by someone with the operator role…"), when
/// it asks for approval.
pub fn approval_text(action: &ActionDef) -> Option<String> {
    action.approval.as_ref().map(|policy| {
        let people = if policy.approvers == 1 { "1 approval".to_owned() } else { format!("{} approvals", policy.approvers) };
        let teams = if policy.teams.is_empty() { String::new() } else { format!(" in {}", policy.teams.join(" or ")) };
        format!("{people} by someone with the {} role{teams}, other than the requester, within {} minutes", policy.role, policy.expires_after_minutes)
    })
}
