//! Sign-in, sessions and roles: the `[auth]`, `[access]` and `[audit]` sections.

use std::net::SocketAddr;

use domain::access::{Grant, Policy, Role, SignInRule, Subject, TeamRef};
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// The address people open the portal at, e.g. `https://portal.example.com`. It gives the
    /// OAuth callback URL, the only Origin POST requests may come from, and, when https,
    /// `Secure` cookies. Defaults to `http://` + the listen address.
    pub public_url: Option<Url>,
    /// GitHub (or GitHub Enterprise Server) OAuth app; without it only the demo sign-in exists.
    pub github: Option<GithubConfig>,
    /// Organisations whose members may sign in.
    pub allowed_orgs: Vec<String>,
    /// GitHub logins that may sign in without being in an allowed organisation.
    pub allowed_users: Vec<String>,
    /// Offers "sign in as demo user" to anyone. Only for the embedded demo: refused unless the
    /// portal listens on loopback.
    pub demo_user: bool,
    /// A session ends after this many minutes without a request.
    pub session_idle_minutes: u32,
    /// A session ends this many hours after sign-in, however active.
    pub session_max_hours: u32,
    /// How often memberships are re-checked on GitHub, so that leaving an organisation or team
    /// takes what it gave within this many minutes (needs a token: `membership_token`, or the
    /// catalog's organisation token).
    pub membership_check_minutes: u32,
    /// A token of an organisation member (`read:org`) to re-check memberships with; defaults to
    /// `catalog.github.token` when the catalog reads the same GitHub.
    pub membership_token: Option<SecretString>,
    /// The longest lifetime an API token may be given, in days.
    pub token_max_days: u32,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            public_url: None,
            github: None,
            allowed_orgs: Vec::new(),
            allowed_users: Vec::new(),
            demo_user: false,
            session_idle_minutes: 8 * 60,
            session_max_hours: 7 * 24,
            membership_check_minutes: 15,
            membership_token: None,
            token_max_days: 90,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GithubConfig {
    pub client_id: String,
    pub client_secret: SecretString,
    /// Where people authorize the app: `https://github.com` or your GitHub Enterprise Server.
    #[serde(default = "github_web_url")]
    pub web_url: Url,
    /// The REST API: `https://api.github.com` or `https://ghe.example.com/api/v3`.
    #[serde(default = "github_api_url")]
    pub api_url: Url,
}

fn github_web_url() -> Url {
    Url::parse("https://github.com").expect("a valid URL")
}

fn github_api_url() -> Url {
    Url::parse("https://api.github.com").expect("a valid URL")
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccessConfig {
    /// The role of everyone who may sign in; `none` for no role until granted one.
    pub default_role: DefaultRole,
    pub grants: Vec<GrantConfig>,
    /// Environments where only the owning team's members act; others only read.
    pub owners_only_environments: Vec<String>,
    /// The organisation whose teams bare team names mean (catalog `spec.owner`, an action's
    /// `who.teams` and `approval.teams`). Defaults to `catalog.github.org`, else the one
    /// organisation of `auth.allowed_orgs`.
    pub teams_org: Option<String>,
}

impl Default for AccessConfig {
    fn default() -> Self {
        Self {
            default_role: DefaultRole::Role(Role::Viewer),
            grants: Vec::new(),
            owners_only_environments: Vec::new(),
            teams_org: None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum DefaultRole {
    Role(Role),
    None(NoRole),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoRole {
    None,
}

/// `role` for the listed users, organisations and teams (`org/team-slug`), in `environments`
/// only when given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantConfig {
    pub role: Role,
    #[serde(default)]
    pub users: Vec<String>,
    #[serde(default)]
    pub orgs: Vec<String>,
    #[serde(default)]
    pub teams: Vec<String>,
    #[serde(default)]
    pub environments: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditConfig {
    /// Events older than this many days are pruned (the chain stays verifiable); 0 keeps all.
    pub retention_days: u32,
}

impl Default for AuditConfig {
    fn default() -> Self {
        Self { retention_days: 400 }
    }
}

impl AccessConfig {
    /// The rules as the domain checks them, with bare team names meaning teams of `teams_org`.
    /// Team names in grants must be `org/slug`.
    pub fn policy(&self, teams_org: Option<String>) -> Result<Policy, String> {
        let mut grants = Vec::new();
        for (index, grant) in self.grants.iter().enumerate() {
            let at = |field: &str| format!("access.grants[{index}].{field}");
            let mut subjects: Vec<Subject> = grant.users.iter().map(|u| Subject::User(u.to_lowercase())).collect();
            subjects.extend(grant.orgs.iter().map(|o| Subject::Org(o.to_lowercase())));
            for team in &grant.teams {
                let team = TeamRef::parse(team)
                    .ok_or_else(|| format!("{}: \"{team}\" is not a team; write it as org/team-slug", at("teams")))?;
                subjects.push(Subject::Team(team));
            }
            if subjects.is_empty() {
                return Err(format!("{}: a grant needs at least one of users, orgs or teams", at("role")));
            }
            grants.extend(subjects.into_iter().map(|subject| Grant {
                role: grant.role,
                subject,
                environments: grant.environments.clone(),
            }));
        }
        let default_role = match self.default_role {
            DefaultRole::Role(role) => Some(role),
            DefaultRole::None(_) => None,
        };
        Ok(Policy { grants, default_role, owners_only: self.owners_only_environments.clone(), teams_org })
    }
}

impl AuthConfig {
    pub fn sign_in_rule(&self) -> SignInRule {
        SignInRule {
            orgs: self.allowed_orgs.iter().map(|o| o.to_lowercase()).collect(),
            users: self.allowed_users.iter().map(|u| u.to_lowercase()).collect(),
        }
    }

    /// The public URL, or `http://` + the listen address.
    pub fn public_url(&self, listen: SocketAddr) -> Url {
        self.public_url
            .clone()
            .unwrap_or_else(|| Url::parse(&format!("http://{listen}")).expect("a socket address makes a valid URL"))
    }

    /// Settings that must not run together.
    pub fn check(&self, listen: SocketAddr) -> Result<(), String> {
        if self.demo_user && !listen.ip().is_loopback() {
            return Err(format!(
                "auth.demo_user lets anyone sign in, so it only works when listening on loopback; listen is {listen}"
            ));
        }
        if self.session_idle_minutes == 0 || self.session_max_hours == 0 || self.membership_check_minutes == 0 {
            return Err("auth.session_idle_minutes, auth.session_max_hours and auth.membership_check_minutes must be at least 1".into());
        }
        if self.token_max_days == 0 {
            return Err("auth.token_max_days must be at least 1".into());
        }
        if let Some(url) = &self.public_url
            && !matches!(url.scheme(), "http" | "https")
        {
            return Err(format!("auth.public_url must be an http or https URL, not {url}"));
        }
        let public_url = self.public_url(listen);
        if self.github.is_some() && public_url.scheme() != "https" && !is_loopback(&public_url) {
            return Err(format!(
                "auth.public_url is {public_url}: with GitHub sign-in it must be the https:// address people open, so \
                 session cookies are Secure (behind a TLS proxy too); only a loopback address may use http://"
            ));
        }
        Ok(())
    }
}

/// Whether `url` names this machine: `127.0.0.1`, `[::1]` or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}
