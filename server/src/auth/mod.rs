//! Identity: GitHub sign-in, sessions, API tokens, and who is asking on every request.

mod demo;
mod gate;
pub mod github;
mod origin;
mod principal;
mod routes;
pub mod session_store;
mod signed_in;
mod tokens;

use std::sync::Arc;

use domain::access::{Policy, SignInRule};
use url::Url;

pub use origin::refuse_cross_site;
pub use principal::resolve_principal;
pub use routes::{audit, routes};
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
}

impl Auth {
    pub fn new(config: &Config, store: Store) -> anyhow::Result<Arc<Self>> {
        let public_url = config.auth.public_url(config.listen);
        let github = config.auth.github.as_ref().map(|github| GithubSignIn::new(github, &public_url)).transpose()?;
        Ok(Arc::new(Self {
            store,
            policy: config.access.policy().map_err(anyhow::Error::msg)?,
            sign_in: config.auth.sign_in_rule(),
            github,
            demo: config.auth.demo_user,
            public_url,
            max_age: i64::from(config.auth.session_max_hours) * 3600,
        }))
    }

    /// Whether cookies must only travel over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX))
}
