use serde::{Deserialize, Serialize};

/// A GitHub team, written `org/slug` in configuration.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TeamRef {
    pub org: String,
    pub slug: String,
}

impl TeamRef {
    /// Reads `org/slug`; GitHub compares both case-insensitively, so they are kept lowercase.
    pub fn parse(value: &str) -> Option<Self> {
        let (org, slug) = value.trim().split_once('/')?;
        (!org.is_empty() && !slug.is_empty() && !slug.contains('/'))
            .then(|| Self { org: org.to_lowercase(), slug: slug.to_lowercase() })
    }
}

impl std::fmt::Display for TeamRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.org, self.slug)
    }
}

/// How a person proved who they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentitySource {
    GitHub,
    /// The embedded demo's sign-in button: no proof at all, loopback only.
    Demo,
}

/// Who someone is on GitHub, as read at sign-in: the facts roles are granted from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// GitHub login, kept lowercase (GitHub logins are case-insensitive).
    pub login: String,
    /// GitHub's numeric account id, which never changes: logins can be renamed and reused.
    /// `None` for the demo user, and for people last seen before ids were kept.
    #[serde(default)]
    pub github_id: Option<u64>,
    pub name: Option<String>,
    pub avatar_url: Option<String>,
    /// Organisation logins, lowercase.
    pub orgs: Vec<String>,
    pub teams: Vec<TeamRef>,
    pub source: IdentitySource,
}

impl Identity {
    pub fn in_org(&self, org: &str) -> bool {
        self.orgs.iter().any(|o| o.eq_ignore_ascii_case(org))
    }

    pub fn in_team(&self, team: &TeamRef) -> bool {
        self.teams.contains(team)
    }

    /// The name to show: the full name when GitHub has one, else the login.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().filter(|n| !n.trim().is_empty()).unwrap_or(&self.login)
    }
}
