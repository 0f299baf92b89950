//! Who may approve a run, and when an approval no longer counts.

use serde::{Deserialize, Serialize};
use crate::access::{Identity, Policy, Role};

/// How many people must approve a run before it starts, and who they may be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalPolicy {
    /// At least 1.
    pub approvers: u32,
    /// An approver holds at least this role on the service in that environment...
    pub role: Role,
    /// ...and, when not empty, belongs to one of these teams (`org/slug`, or a bare slug of the
    /// portal's teams organisation, [`Policy::teams_org`]).
    pub teams: Vec<String>,
    /// A request nobody approved within this time expires.
    pub expires_after_minutes: u32,
    pub scope: ApprovalScope,
}

/// Where the approval applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalScope {
    #[default]
    Everywhere,
    /// Only runs in production environments wait for approval.
    Production,
}

impl ApprovalPolicy {
    /// Whether a run in an environment (production or not) waits for approval.
    pub fn applies(&self, production: bool) -> bool {
        match self.scope {
            ApprovalScope::Everywhere => true,
            ApprovalScope::Production => production,
        }
    }

    /// Whether `identity` is in one of the approving teams (or no team is required).
    pub fn in_teams(&self, access: &Policy, identity: &Identity) -> bool {
        self.teams.is_empty() || self.teams.iter().any(|team| access.in_team(identity, team))
    }
}

/// Why an approval or rejection was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApprovalRefusal {
    #[error("You requested this run; someone else must approve it.")]
    OwnRequest,
    #[error("This request expired before it was approved.")]
    Expired,
    #[error("This run is not waiting for approval.")]
    NotPending,
    #[error("You already decided on this run.")]
    AlreadyDecided,
    #[error("Approving this run needs the {needed} role on the service there{}; you have {}.", teams_text(.teams), held.map_or("no role", Role::as_str))]
    NotAnApprover { needed: Role, held: Option<Role>, teams: Vec<String> },
}

fn teams_text(teams: &[String]) -> String {
    if teams.is_empty() { String::new() } else { format!(" and membership of {}", teams.join(" or ")) }
}

/// The facts about one approval attempt.
pub struct ApprovalAttempt<'a> {
    pub policy: &'a ApprovalPolicy,
    /// The portal's access rules, which say what the policy's team names mean.
    pub access: &'a Policy,
    pub requester: &'a str,
    pub approver: &'a Identity,
    /// The approver's role on the run's service in its environment, capped by their token.
    pub approver_role: Option<Role>,
    pub pending: bool,
    pub already_decided: bool,
    /// Unix microseconds, as every time the portal stores.
    pub expires_at: Option<i64>,
    pub now: i64,
}

/// Checks an approval (or rejection) against the rules: never by the requester, only while the
/// run waits and before it expires, once per person, by someone the policy names.
pub fn check_approval(attempt: &ApprovalAttempt<'_>) -> Result<(), ApprovalRefusal> {
    if !attempt.pending {
        return Err(ApprovalRefusal::NotPending);
    }
    if attempt.approver.login.eq_ignore_ascii_case(attempt.requester) {
        return Err(ApprovalRefusal::OwnRequest);
    }
    if attempt.expires_at.is_some_and(|at| attempt.now >= at) {
        return Err(ApprovalRefusal::Expired);
    }
    if attempt.already_decided {
        return Err(ApprovalRefusal::AlreadyDecided);
    }
    let policy = attempt.policy;
    if attempt.approver_role.is_none_or(|role| role < policy.role) || !policy.in_teams(attempt.access, attempt.approver) {
        return Err(ApprovalRefusal::NotAnApprover { needed: policy.role, held: attempt.approver_role, teams: policy.teams.clone() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{IdentitySource, TeamRef};

    fn approver(team: &str) -> Identity {
        Identity {
            login: "sam".into(),
            github_id: None,
            name: None,
            avatar_url: None,
            orgs: vec!["inkwell".into()],
            teams: TeamRef::parse(team).into_iter().collect(),
            source: IdentitySource::GitHub,
        }
    }

    #[test]
    fn an_approving_team_is_a_team_of_the_teams_organisation() {
        let policy = ApprovalPolicy { approvers: 1, role: Role::Developer, teams: vec!["sre".into()], expires_after_minutes: 60, scope: ApprovalScope::Everywhere };
        let access = Policy { teams_org: Some("inkwell".into()), ..Policy::default() };
        let attempt = |identity: &Identity| {
            check_approval(&ApprovalAttempt {
                policy: &policy,
                access: &access,
                requester: "ada",
                approver: identity,
                approver_role: Some(Role::Operator),
                pending: true,
                already_decided: false,
                expires_at: None,
                now: 0,
            })
        };
        assert_eq!(attempt(&approver("inkwell/sre")), Ok(()));
        let foreign = attempt(&approver("mallory-org/sre"));
        assert!(matches!(foreign, Err(ApprovalRefusal::NotAnApprover { .. })), "{foreign:?}");
    }
}
