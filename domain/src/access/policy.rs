use serde::{Deserialize, Serialize};

use super::identity::{Identity, TeamRef};
use super::role::Role;

/// Who a grant is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Subject {
    User(String),
    Org(String),
    Team(TeamRef),
}

impl Subject {
    fn matches(&self, identity: &Identity) -> bool {
        match self {
            Self::User(login) => identity.login.eq_ignore_ascii_case(login),
            Self::Org(org) => identity.in_org(org),
            Self::Team(team) => identity.in_team(team),
        }
    }

    /// Why the subject matched, in words for the "me" page.
    fn because(&self) -> String {
        match self {
            Self::User(login) => format!("you are listed as user {login}"),
            Self::Org(org) => format!("you are a member of the {org} organisation"),
            Self::Team(team) => format!("you are a member of team {team}"),
        }
    }
}

/// A role given to a subject, everywhere or only in some environments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub subject: Subject,
    /// Empty: every environment, and the portal itself (audit log, settings).
    pub environments: Vec<String>,
}

/// A role someone holds and where it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSource {
    pub role: Role,
    pub because: String,
    /// Empty: everywhere.
    pub environments: Vec<String>,
}

/// Where an action would happen: the service's owning team and the environment, when any.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scope<'a> {
    pub service_owner: Option<&'a str>,
    pub environment: Option<&'a str>,
}

/// The access rules of the portal, from configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub grants: Vec<Grant>,
    /// The role everyone who may sign in holds, if any.
    pub default_role: Option<Role>,
    /// Environments where only members of a service's owning team may act (others only read).
    pub owners_only: Vec<String>,
    /// The organisation whose teams bare team names (catalog owners, an action's `who.teams` and
    /// `approval.teams`) mean. `None`: bare names name no team at all, so a team of the same slug
    /// in some other organisation never counts.
    #[serde(default)]
    pub teams_org: Option<String>,
}

impl Policy {
    /// Every role `identity` holds and why, most powerful first.
    pub fn sources(&self, identity: &Identity) -> Vec<RoleSource> {
        let mut sources: Vec<RoleSource> = self
            .grants
            .iter()
            .filter(|grant| grant.subject.matches(identity))
            .map(|grant| RoleSource {
                role: grant.role,
                because: grant.subject.because(),
                environments: grant.environments.clone(),
            })
            .collect();
        if let Some(role) = self.default_role {
            sources.push(RoleSource { role, because: "everyone who may sign in has it".into(), environments: vec![] });
        }
        sources.sort_by_key(|source| std::cmp::Reverse(source.role));
        sources
    }

    /// The role `identity` holds across the portal: grants limited to some environments do
    /// not count here.
    pub fn portal_role(&self, identity: &Identity) -> Option<Role> {
        self.sources(identity).into_iter().filter(|s| s.environments.is_empty()).map(|s| s.role).max()
    }

    /// The role `identity` holds for one service in one environment: grants that apply there,
    /// plus developer on services its teams own. In an owners-only environment, people outside
    /// the owning team only read.
    pub fn role_in(&self, identity: &Identity, scope: Scope<'_>) -> Option<Role> {
        let applies = |environments: &[String]| match scope.environment {
            Some(env) => environments.is_empty() || environments.iter().any(|e| e == env),
            None => environments.is_empty(),
        };
        let granted = self.sources(identity).into_iter().filter(|s| applies(&s.environments)).map(|s| s.role).max();
        let owner = scope.service_owner.is_some_and(|owner| self.in_team(identity, owner));
        let role = if owner { granted.max(Some(Role::Developer)) } else { granted };
        let owners_only = scope.environment.is_some_and(|env| self.owners_only.iter().any(|e| e == env));
        if owners_only && !owner { role.map(|r| r.min(Role::Viewer)) } else { role }
    }
}

impl Policy {
    /// Whether `principal` may read the logs of an environment of a service owned by `owner`:
    /// anyone with a role outside production; in production, developers of the service (its
    /// owning team, or a grant there) and up. A token never reads more than its scope allows.
    pub fn may_read_logs(&self, principal: &super::Principal, owner: &str, environment: &str, production: bool) -> Result<(), super::AccessError> {
        let needed = if production { Role::Developer } else { Role::Viewer };
        let scope = Scope { service_owner: Some(owner), environment: Some(environment) };
        let held = self.role_in(&principal.identity, scope);
        let held = match &principal.token {
            Some(token) => held.map(|role| role.min(token.scope)),
            None => held,
        };
        if held.is_some_and(|role| role >= needed) { Ok(()) } else { Err(super::AccessError::Forbidden { needed, held }) }
    }
}

/// Why reading `service`'s logs in `environment` was refused, in the words the logs page and
/// the log stream both use.
pub fn logs_refusal(service: &str, environment: &str, refusal: &super::AccessError) -> String {
    match refusal {
        super::AccessError::Forbidden { needed, held } => {
            let held = held.map_or_else(|| "no role there".to_owned(), |role| format!("the {role} role there"));
            format!("You need the {needed} role on {service} in {environment} to read its logs; you have {held}.")
        }
        signed_out @ super::AccessError::SignedOut => signed_out.to_string(),
    }
}

impl Policy {
    /// Whether the rules speak of organisation `org` (lowercase): as the teams organisation or
    /// in a grant.
    pub fn names_org(&self, org: &str) -> bool {
        self.orgs().iter().any(|named| named == org)
    }

    /// The organisations the rules speak of: the teams organisation and those in grants.
    pub fn orgs(&self) -> Vec<String> {
        let named = self.grants.iter().filter_map(|grant| match &grant.subject {
            Subject::Org(name) => Some(name.clone()),
            Subject::Team(team) => Some(team.org.clone()),
            Subject::User(_) => None,
        });
        let mut orgs: Vec<String> = self.teams_org.iter().cloned().chain(named).collect();
        orgs.sort();
        orgs.dedup();
        orgs
    }

    /// Whether `identity` is in `team`: `org/slug`, or a bare slug (a catalog owner, a Group
    /// entity's name) that names the team of [`Policy::teams_org`] and of no other organisation.
    pub fn in_team(&self, identity: &Identity, team: &str) -> bool {
        match TeamRef::parse(team) {
            Some(team) => identity.in_team(&team),
            None => self.teams_org.as_deref().is_some_and(|org| {
                identity.teams.iter().any(|t| t.org.eq_ignore_ascii_case(org) && t.slug.eq_ignore_ascii_case(team.trim()))
            }),
        }
    }
}

/// Who may sign in at all: members of these organisations, and these users.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRule {
    pub orgs: Vec<String>,
    pub users: Vec<String>,
}

impl SignInRule {
    pub fn admits(&self, identity: &Identity) -> bool {
        self.users.iter().any(|u| identity.login.eq_ignore_ascii_case(u)) || self.orgs.iter().any(|o| identity.in_org(o))
    }
}
