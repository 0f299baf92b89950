//! The API tokens page's data. Creating and revoking are plain form posts handled by the
//! server (`/auth/tokens`), which leaves the outcome in the session for this page to show once.

use domain::access::{ApiToken, Role, TokenFormErrors};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ApiError;
#[cfg(feature = "ssr")]
use super::Services;

/// The session key of the last create/revoke outcome.
pub const FLASH: &str = "token_flash";

/// What happened on the last form post, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenFlash {
    /// The only time the secret is ever shown.
    Created { id: String, name: String, secret: String },
    Invalid { errors: TokenFormErrors, name: String, scope: String, lifetime_days: String },
    Revoked { id: String },
    NotFound { id: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensView {
    pub tokens: Vec<ApiToken>,
    pub flash: Option<TokenFlash>,
    /// The scopes a new token may have: up to the owner's role.
    pub scopes: Vec<Role>,
    /// The lifetimes a new token may have, in days, up to the portal's maximum.
    pub lifetimes: Vec<u32>,
    /// Unix seconds on the server, to tell active tokens from expired ones.
    pub now: i64,
}

/// The signed-in person's tokens, and the outcome of their last form post.
#[server(input = Json, endpoint = "me/tokens")]
pub async fn my_tokens() -> Result<TokensView, ApiError> {
    let services = Services::current()?;
    let principal = services.require(domain::access::Permission::ManageOwnTokens).await?;
    let flash = Services::take_flash::<TokenFlash>(FLASH).await?;
    let tokens = services.tokens.tokens_of(&principal.identity.login).await.map_err(ApiError::internal)?;
    // Shown as the portal honours them: a token made under a higher maximum ends sooner.
    let tokens = tokens.into_iter().map(|token| token.within(services.token_max_days)).collect();
    let scopes = Role::ALL.into_iter().filter(|role| principal.role.is_some_and(|owner| *role <= owner)).collect();
    let now = domain::clock::now_seconds();
    let lifetimes = domain::access::token_lifetimes(services.token_max_days);
    Ok(TokensView { tokens, flash, scopes, lifetimes, now })
}
