//! GitHub sign-in: the OAuth authorization-code flow with PKCE (oauth2 crate), then who the
//! person is, their organisations and their teams, from the REST API (through `github_api`). GitHub
//! Enterprise Server works the same way with its own web and API URLs.

use std::time::Duration;

use domain::access::{Identity, IdentitySource, TeamRef};
use oauth2::basic::BasicClient;
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

use crate::config::GithubConfig;
use github_api::{GithubApi, GithubError as ApiError};

/// The token endpoint gives up after this long: a sign-in should fail clearly, not hang.
const GITHUB_TIMEOUT: Duration = Duration::from_secs(10);
/// More teams or organisations than this are not read: pages of 100, at most 10 requests each.
const MAX_PAGES: u32 = 10;

type Client = BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// Why signing in with GitHub failed.
#[derive(Debug, thiserror::Error)]
pub enum GithubError {
    #[error("GitHub refused the authorization code: {0}")]
    CodeRejected(String),
    #[error("GitHub API call failed: {0}")]
    Api(String),
}

/// The portal's OAuth app on one GitHub instance.
#[derive(Clone)]
pub struct GithubSignIn {
    client: Client,
    http: oauth2::reqwest::Client,
    api_url: Url,
}

/// Where to send the browser, and what must come back with it.
pub struct Authorization {
    pub url: Url,
    pub state: String,
    pub pkce_verifier: String,
}

impl GithubSignIn {
    pub fn new(config: &GithubConfig, public_url: &Url) -> anyhow::Result<Self> {
        let endpoint = |path: &str| config.web_url.join(path).map(|url| url.to_string());
        let client = BasicClient::new(ClientId::new(config.client_id.clone()))
            .set_client_secret(ClientSecret::new(config.client_secret.expose_secret().to_owned()))
            .set_auth_uri(AuthUrl::new(endpoint("login/oauth/authorize")?)?)
            .set_token_uri(TokenUrl::new(endpoint("login/oauth/access_token")?)?)
            .set_redirect_uri(RedirectUrl::new(public_url.join("auth/github/callback")?.to_string())?)
            // GitHub documents the client credentials as form fields.
            .set_auth_type(AuthType::RequestBody);
        let http = oauth2::reqwest::Client::builder()
            // Following redirects from the token endpoint would allow SSRF (oauth2's advice).
            .redirect(oauth2::reqwest::redirect::Policy::none())
            .timeout(GITHUB_TIMEOUT)
            .build()?;
        Ok(Self { client, http, api_url: config.api_url.clone() })
    }

    /// A fresh authorization request with its own `state` and PKCE verifier.
    pub fn authorize(&self) -> Authorization {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state) = self
            .client
            .authorize_url(CsrfToken::new_random)
            .add_scope(Scope::new("read:user".into()))
            .add_scope(Scope::new("read:org".into()))
            .set_pkce_challenge(challenge)
            .url();
        Authorization { url, state: state.secret().clone(), pkce_verifier: verifier.secret().clone() }
    }

    /// Trades the code for an access token, which is only used for the calls below and then
    /// dropped: the portal keeps no GitHub token.
    pub async fn exchange(&self, code: String, pkce_verifier: String) -> Result<SecretString, GithubError> {
        let token = self
            .client
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| GithubError::CodeRejected(oauth_error(&e)))?;
        Ok(SecretString::from(token.access_token().secret().clone()))
    }

    /// Who the token belongs to, with their organisations and teams. Each of `expected_orgs`
    /// (the ones the configuration gives something for) that GitHub did not list is asked about
    /// directly, because an organisation that restricts OAuth apps is left out of the lists
    /// without an error: the answer says which ones hide themselves so.
    pub async fn identity(&self, token: SecretString, expected_orgs: &[String]) -> Result<GithubAccount, GithubError> {
        let api = GithubApi::new(&self.api_url, token, "the sign-in's own token").map_err(|e| GithubError::Api(format!("{e:#}")))?;
        let user: User = api.get("/user").await.map_err(api_error)?;
        let orgs: Vec<Org> = api.pages("/user/orgs?per_page=100", MAX_PAGES).await.map_err(api_error)?.items;
        let teams: Vec<Team> = api.pages("/user/teams?per_page=100", MAX_PAGES).await.map_err(api_error)?.items;
        let orgs: Vec<String> = orgs.into_iter().map(|org| org.login.to_lowercase()).collect();
        let mut restricted = Vec::new();
        for org in expected_orgs.iter().filter(|org| !orgs.contains(org)) {
            if hidden_by_restrictions(&api, org).await {
                restricted.push(org.clone());
            }
        }
        let identity = Identity {
            login: user.login.to_lowercase(),
            github_id: Some(user.id),
            name: user.name,
            avatar_url: user.avatar_url,
            orgs,
            teams: teams
                .into_iter()
                // A team that belongs to no organisation (an enterprise team) grants nothing here.
                .filter_map(|team| team.organization.map(|org| TeamRef { org: org.login.to_lowercase(), slug: team.slug.to_lowercase() }))
                .collect(),
            source: IdentitySource::GitHub,
        };
        Ok(GithubAccount { identity, restricted })
    }
}

/// What GitHub says about the person signing in.
pub struct GithubAccount {
    pub identity: Identity,
    /// Organisations the configuration names that hid themselves from the portal's OAuth app.
    pub restricted: Vec<String>,
}

/// Whether `org` refuses the OAuth app because of its access restrictions: GitHub answers the
/// person's own membership with 403 and says so, where a non-member gets 404.
async fn hidden_by_restrictions(api: &GithubApi, org: &str) -> bool {
    let route = format!("/user/memberships/orgs/{}", github_api::encode(org));
    match api.get::<serde_json::Value>(&route).await {
        Err(ApiError::Forbidden(message)) => message.contains("OAuth App access restrictions"),
        _ => false,
    }
}

fn api_error(error: ApiError) -> GithubError {
    GithubError::Api(error.to_string())
}

/// The token endpoint's own error code when it sent one, else the failure's description.
/// GitHub answers a refused code with HTTP 200 and `{"error": …, "error_description": …}`,
/// which oauth2 reports as an answer it could not parse, with the body beside it.
fn oauth_error<E: std::error::Error + 'static>(error: &oauth2::RequestTokenError<E, oauth2::basic::BasicErrorResponse>) -> String {
    if let oauth2::RequestTokenError::Parse(_, body) = error
        && let Ok(refusal) = serde_json::from_slice::<TokenRefusal>(body)
    {
        return match refusal.error_description {
            Some(description) => format!("{} ({description})", refusal.error),
            None => refusal.error,
        };
    }
    domain::error_text::error_chain(error)
}

/// GitHub's refusal of a code, sent as a success.
#[derive(Deserialize)]
struct TokenRefusal {
    error: String,
    error_description: Option<String>,
}

/// The fields of GitHub's objects the portal reads; the rest are ignored.
#[derive(Deserialize)]
struct User {
    login: String,
    id: u64,
    name: Option<String>,
    avatar_url: Option<String>,
}

#[derive(Deserialize)]
struct Org {
    login: String,
}

#[derive(Deserialize)]
struct Team {
    slug: String,
    #[serde(default)]
    organization: Option<Org>,
}
