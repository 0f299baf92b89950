//! A local stand-in for GitHub: the OAuth web flow of github.com and the few REST API v3
//! endpoints Portico calls, answered in GitHub's own wire format (field names, status codes,
//! headers), so the portal's production OAuth and API clients can be tested unchanged.
//!
//! The web flow and the API share one base URL: configure the portal with
//! `web_url = api_url = GithubDouble::base_url()`.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use github_double::{DoubleConfig, FakeUser, GithubDouble};
//! let user = FakeUser { login: "alice".into(), id: 1, name: None, email: None,
//!     orgs: vec!["acme".into()], teams: vec![("acme".into(), "platform".into())] };
//! let github = GithubDouble::spawn(DoubleConfig::new(vec![user])).await?;
//! println!("{}", github.base_url());
//! # Ok(()) }
//! ```

mod actions;
mod api;
mod consent;
mod contents_write;
mod limits;
mod members;
mod model;
mod oauth;
mod repo_control;
mod repo_json;
mod repos;
mod run_json;
mod token;
mod workflow_json;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use axum::{Router, middleware};
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use model::FakeUser;
pub use repo_json::FakeRepo;
pub use workflow_json::FakeWorkflow;

/// Client id the binary uses when `--client-id` is not given.
pub const DEFAULT_CLIENT_ID: &str = "portico-test";
/// Client secret the binary uses when `--client-secret` is not given.
pub const DEFAULT_CLIENT_SECRET: &str = "portico-test-secret";

/// What the double knows: the one registered OAuth app and the accounts that can sign in.
#[derive(Clone, Debug)]
pub struct DoubleConfig {
    /// The OAuth app's client id.
    pub client_id: String,
    /// The OAuth app's client secret.
    pub client_secret: String,
    /// Accounts offered on the sign-in page.
    pub users: Vec<FakeUser>,
    /// Organisations that restrict OAuth apps and have not approved this one: what an OAuth
    /// token reads of them is hidden, as GitHub hides it.
    pub restricted_orgs: Vec<String>,
    /// Where the REST API is served: empty for github.com's layout (`/user`), `/api/v3` for
    /// GitHub Enterprise Server's (`/api/v3/user`, with the web flow still at `/login/...`).
    pub api_prefix: String,
}

impl DoubleConfig {
    /// The default app credentials ([`DEFAULT_CLIENT_ID`], [`DEFAULT_CLIENT_SECRET`]) with
    /// these users.
    pub fn new(users: Vec<FakeUser>) -> Self {
        Self {
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            client_secret: DEFAULT_CLIENT_SECRET.to_owned(),
            users,
            restricted_orgs: Vec::new(),
            api_prefix: String::new(),
        }
    }

    /// The same, serving the API under `/api/v3` as GitHub Enterprise Server does.
    pub fn enterprise(mut self) -> Self {
        self.api_prefix = "/api/v3".to_owned();
        self
    }
}

/// An authorization code waiting to be exchanged, with what it was issued for.
pub(crate) struct Grant {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub user_id: u64,
    pub scope: String,
    pub issued: Instant,
}

/// What an issued access token stands for. GitHub binds a token to the account, not its
/// login: a renamed account keeps its tokens.
pub(crate) struct Token {
    pub user_id: u64,
    pub scope: String,
    /// Issued to the OAuth app (the web flow), so the organisations' OAuth-app restrictions apply;
    /// tokens given with `--token` stand for personal access tokens, which they do not limit.
    pub oauth: bool,
}

/// State shared by all handlers.
pub(crate) struct Shared {
    pub config: DoubleConfig,
    /// The accounts as they are now: tests rename them and change their memberships.
    pub users: Mutex<Vec<FakeUser>>,
    /// Organisations whose OAuth-app restrictions hide them from OAuth tokens.
    pub restricted_orgs: Mutex<BTreeSet<String>>,
    /// Every team any account was ever in, as `(org, slug)`: a team outlives its last member.
    pub teams: Mutex<BTreeSet<(String, String)>>,
    /// `http://127.0.0.1:PORT`, no trailing slash; every URL in a response is built from it.
    pub base_url: String,
    pub codes: Mutex<HashMap<String, Grant>>,
    pub tokens: Mutex<HashMap<String, Token>>,
    pub token_requests: AtomicUsize,
    /// Repositories by organisation login, in the order they were added.
    pub repos: Mutex<BTreeMap<String, Vec<FakeRepo>>>,
    /// Calls to the repository endpoints, whatever their answer.
    pub repo_requests: AtomicUsize,
    /// The paths the contents endpoint was asked for, as `repo/path`, in order.
    pub paths_read: Mutex<Vec<String>>,
    /// Of those, the ones answered `304 Not Modified`.
    pub not_modified: AtomicUsize,
    /// While set, the repository endpoints answer as GitHub does once the rate limit is spent.
    pub rate_limited: AtomicBool,
    /// GitHub Actions workflows and their runs.
    pub actions: actions::Actions,
    /// The rate limits, and what the API was asked.
    pub limits: limits::Limits,
}

impl Shared {
    /// The account with this login now (GitHub logins are case-insensitive).
    pub fn user(&self, login: &str) -> Option<FakeUser> {
        lock(&self.users).iter().find(|user| user.login.eq_ignore_ascii_case(login)).cloned()
    }

    pub fn user_by_id(&self, id: u64) -> Option<FakeUser> {
        lock(&self.users).iter().find(|user| user.id == id).cloned()
    }

    /// Where the API is served: `base_url` and the API prefix; links in answers start here.
    pub fn api_base(&self) -> String {
        format!("{}{}", self.base_url, self.config.api_prefix)
    }

    /// Whether `org` hides itself from OAuth tokens.
    pub fn restricts(&self, org: &str) -> bool {
        lock(&self.restricted_orgs).iter().any(|restricted| restricted.eq_ignore_ascii_case(org))
    }

    /// Issues an OAuth token for `user_id` and remembers it; GitHub OAuth tokens start with `gho_`.
    pub fn issue_token(&self, user_id: u64, scope: &str) -> String {
        let token = format!("gho_{}", random_hex(36));
        let entry = Token {
            user_id,
            scope: scope.to_owned(),
            oauth: true,
        };
        lock(&self.tokens).insert(token.clone(), entry);
        token
    }
}

pub(crate) type AppState = Arc<Shared>;

/// A poisoned lock only means another handler panicked; the maps are still usable, and a
/// test double must keep answering rather than cascade the failure.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Random lowercase hex of the given length (v4 UUIDs carry 122 random bits each).
pub(crate) fn random_hex(len: usize) -> String {
    let mut out = String::with_capacity(len + 32);
    while out.len() < len {
        out.push_str(&uuid::Uuid::new_v4().simple().to_string());
    }
    out.truncate(len);
    out
}

fn router(state: AppState) -> Router {
    let web = Router::new()
        .route("/login/oauth/authorize", get(oauth::authorize))
        .route("/login/oauth/authorize/confirm", get(oauth::confirm))
        .route("/login/oauth/access_token", post(token::access_token))
        .route("/avatars/u/{id}", get(api::avatar));
    let rest = Router::new()
        .route("/user", get(api::user))
        .route("/user/orgs", get(api::orgs))
        .route("/user/teams", get(api::teams))
        .route("/user/memberships/orgs/{org}", get(members::my_membership))
        .route("/orgs/{org}/members", get(members::org_members))
        .route("/orgs/{org}/teams/{team}/members", get(members::team_members))
        .route("/orgs/{org}/repos", get(repos::org_repos))
        .route(
            "/repos/{owner}/{repo}/contents/{*path}",
            get(repos::contents).put(contents_write::put_contents),
        )
        .route("/repos/{owner}/{repo}/contents/", get(repos::root_contents))
        .route(
            "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
            post(actions::dispatch),
        )
        .route(
            "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
            get(actions::workflow_runs),
        )
        .route(
            "/repos/{owner}/{repo}/actions/runs/{run_id}",
            get(actions::run),
        )
        .route(
            "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs",
            get(actions::jobs),
        )
        .route_layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            limits::limit,
        ));
    let prefix = state.config.api_prefix.clone();
    let app = if prefix.is_empty() {
        web.merge(rest)
    } else {
        web.nest(&prefix, rest)
    };
    app.fallback(api::not_found).with_state(state)
}

/// A running double. Dropping it stops the server.
pub struct GithubDouble {
    shared: AppState,
    // Dropping the sender is what triggers the graceful shutdown.
    _shutdown: oneshot::Sender<()>,
}

impl GithubDouble {
    /// Starts the double on `127.0.0.1` on a free port, in a task of the current tokio runtime.
    pub async fn spawn(config: DoubleConfig) -> std::io::Result<Self> {
        Self::spawn_on(config, 0).await
    }

    /// Starts the double on `127.0.0.1:port` (`0` picks a free port).
    pub async fn spawn_on(config: DoubleConfig, port: u16) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Shared {
            users: Mutex::new(config.users.clone()),
            restricted_orgs: Mutex::new(config.restricted_orgs.iter().map(|org| org.to_lowercase()).collect()),
            teams: Mutex::new(config.users.iter().flat_map(|user| user.teams.iter().cloned()).collect()),
            config,
            base_url,
            codes: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            token_requests: AtomicUsize::new(0),
            repos: Mutex::new(BTreeMap::new()),
            repo_requests: AtomicUsize::new(0),
            paths_read: Mutex::new(Vec::new()),
            not_modified: AtomicUsize::new(0),
            rate_limited: AtomicBool::new(false),
            actions: actions::Actions::default(),
            limits: limits::Limits::default(),
        });
        let (shutdown, stopped) = oneshot::channel::<()>();
        let app = router(Arc::clone(&shared));
        tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                // Either an explicit send or the handle being dropped ends the wait.
                let _ = stopped.await;
            });
            if let Err(error) = serve.await {
                eprintln!("github-double: server error: {error}");
            }
        });
        Ok(Self {
            shared,
            _shutdown: shutdown,
        })
    }

    /// `http://127.0.0.1:PORT` without a trailing slash: the web (OAuth) base URL, and the
    /// API's too unless it is served under a prefix.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The API's base URL: [`Self::base_url`] with the API prefix, if any.
    pub fn api_url(&self) -> String {
        self.shared.api_base()
    }

    /// How many times `POST /login/oauth/access_token` was called, successful or not.
    pub fn token_requests(&self) -> usize {
        self.shared.token_requests.load(Ordering::SeqCst)
    }

    /// Accepts `token` as `login`'s, as if issued earlier: a process started for browser tests
    /// is handed the tokens its callers will use.
    pub fn accept_token(&self, login: &str, token: &str) -> bool {
        self.accept_token_scoped(login, token, "repo,read:org,read:user")
    }

    /// [`Self::accept_token`] with the given scopes (comma-separated), as `x-oauth-scopes` reports them.
    pub fn accept_token_scoped(&self, login: &str, token: &str, scope: &str) -> bool {
        let Some(user) = self.shared.user(login) else {
            return false;
        };
        let entry = Token { user_id: user.id, scope: scope.to_owned(), oauth: false };
        lock(&self.shared.tokens).insert(token.to_owned(), entry);
        true
    }

    /// Issues an API token for `login` without the web flow, for tests of API calls alone.
    /// `None` when no such user is configured.
    pub fn mint_token(&self, login: &str) -> Option<String> {
        let user = self.shared.user(login)?;
        Some(self.shared.issue_token(user.id, "read:org,read:user"))
    }

    /// Replaces the account with `user`'s id by `user` (a rename, a new membership, a removal
    /// from an organisation or team), or adds it.
    pub fn put_user(&self, user: FakeUser) {
        lock(&self.shared.teams).extend(user.teams.iter().cloned());
        let mut users = lock(&self.shared.users);
        match users.iter_mut().find(|existing| existing.id == user.id) {
            Some(existing) => *existing = user,
            None => users.push(user),
        }
    }

    /// Turns the OAuth-app restrictions of `org` on (what OAuth tokens read of it is hidden) or off
    /// (an owner approved the app).
    pub fn set_restricted(&self, org: &str, restricted: bool) {
        let mut orgs = lock(&self.shared.restricted_orgs);
        if restricted {
            orgs.insert(org.to_lowercase());
        } else {
            orgs.remove(&org.to_lowercase());
        }
    }
}
