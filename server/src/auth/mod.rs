//! Identity: GitHub sign-in, sessions, API tokens, and who is asking on every request.

mod caller;
mod demo;
pub mod failures;
mod gate;
pub mod github;
pub mod membership;
mod origin;
mod people;
mod principal;
mod routes;
pub mod session_store;
mod signed_in;
mod tokens;

use std::sync::Arc;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::access::{Identity, Policy, SignInRule};
use domain::audit::NewEvent;
use failures::{FAILURES_PER_MINUTE, Failures, Verdict};
use url::Url;

pub use caller::Caller;
pub use origin::refuse_cross_site;
pub use principal::resolve_principal;
pub use routes::routes;
pub use tokens::hash_secret;

use crate::config::Config;
use crate::store::Store;
use github::GithubSignIn;

/// Everything the identity routes and middleware need.
pub struct Auth {
    pub store: Store,
    pub policy: Policy,
    pub sign_in: SignInRule,
    pub github: Option<GithubSignIn>,
    pub demo: bool,
    pub public_url: Url,
    /// A session ends this long after sign-in, however active (seconds).
    pub max_age: i64,
    /// Failed attempts and sign-ins started, per client address.
    pub failures: Failures,
    /// The longest lifetime a new API token may have, in days.
    pub token_max_days: u32,
    /// How often memberships are re-checked on GitHub, in minutes; `None` when they are not.
    pub membership_minutes: Option<u32>,
}

impl Auth {
    pub fn new(config: &Config, store: Store) -> anyhow::Result<Arc<Self>> {
        let public_url = config.auth.public_url(config.listen);
        let github = config.auth.github.as_ref().map(|github| GithubSignIn::new(github, &public_url)).transpose()?;
        let policy = config.policy().map_err(anyhow::Error::msg)?;
        let sign_in = config.auth.sign_in_rule();
        let orgs = expected_orgs(&sign_in, &policy);
        Ok(Arc::new(Self {
            store,
            membership_minutes: membership::interval_minutes(config, &orgs),
            token_max_days: config.auth.token_max_days,
            policy,
            sign_in,
            github,
            demo: config.auth.demo_user,
            public_url,
            max_age: i64::from(config.auth.session_max_hours) * 3600,
            failures: Failures::default(),
        }))
    }

    /// `identity` with only the teams of organisations the configuration names (allowed to sign
    /// in, the teams organisation, or in a grant). GitHub lists a person's teams in every
    /// organisation they belong to, including ones they created themselves; such a team must
    /// not even appear to count.
    pub fn without_foreign_teams(&self, mut identity: Identity) -> Identity {
        identity.teams.retain(|team| self.sign_in.orgs.contains(&team.org) || self.policy.names_org(&team.org));
        identity
    }

    /// The organisations the configuration gives something for: signing in, or a role or team
    /// through the policy.
    pub fn expected_orgs(&self) -> Vec<String> {
        expected_orgs(&self.sign_in, &self.policy)
    }

    /// Records `event`, a failure by nobody in particular, unless this client already had one of
    /// `kind` recorded this minute; `Err` with a 429 answer once it has had too many.
    pub async fn anonymous_failure(&self, kind: &'static str, mut event: NewEvent) -> Result<(), Response> {
        match self.failures.note(event.client_addr.as_deref(), kind, FAILURES_PER_MINUTE) {
            Verdict::Record { earlier } => {
                if earlier > 0 {
                    event.inputs["unrecorded_in_the_minute_before"] = earlier.into();
                }
                self.store.append_or_log(&event).await;
                Ok(())
            }
            Verdict::Counted => Ok(()),
            Verdict::TooMany => Err(too_many()),
        }
    }

    /// The session cookie's name. Over HTTPS it carries the `__Host-` prefix, which browsers
    /// only accept from this host, secure and for the whole site: a sibling subdomain cannot
    /// plant a session of its own choosing (login CSRF).
    pub fn cookie_name(&self) -> &'static str {
        if self.secure_cookies() { "__Host-portico_session" } else { "portico_session" }
    }

    /// Whether `identity` may sign in under the configuration as it is now. The demo user may
    /// only while the demo sign-in is on: a database kept from a demo must not let its sessions
    /// and tokens in later.
    pub fn may_sign_in(&self, identity: &Identity) -> bool {
        let demo = self.demo && identity.source == domain::access::IdentitySource::Demo;
        demo || self.sign_in.admits(identity)
    }

    /// Whether cookies must only travel over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}

fn expected_orgs(sign_in: &SignInRule, policy: &Policy) -> Vec<String> {
    let mut orgs: Vec<String> = sign_in.orgs.iter().cloned().chain(policy.orgs()).collect();
    orgs.sort();
    orgs.dedup();
    orgs
}

/// 429 with a line of text and when to try again.
pub fn too_many() -> Response {
    let headers = [(header::RETRY_AFTER, "60"), (header::CACHE_CONTROL, "no-store")];
    (StatusCode::TOO_MANY_REQUESTS, headers, "Too many failed attempts from this address; try again in a minute.\n").into_response()
}

