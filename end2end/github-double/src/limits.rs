//! What GitHub does to every REST call before it reaches an endpoint: it checks the
//! `X-GitHub-Api-Version` header (400 for a version it does not serve, or for more than one),
//! applies the secondary rate limit (403 naming it, with `retry-after`) and the primary one
//! (403 with `x-ratelimit-remaining: 0` and the reset time), and counts the call unless it was
//! answered `304 Not Modified`, which GitHub does not charge.
//!
//! Tests set the limits: by default nothing is limited and the headers say 5000 an hour.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::api::{authenticate, error};
use crate::{AppState, GithubDouble, lock};

/// The versions GitHub serves.
const VERSIONS: [&str; 2] = ["2022-11-28", "2026-03-10"];
const HOURLY: u64 = 5000;

/// The limits and what the API was asked.
#[derive(Default)]
pub(crate) struct Limits {
    /// Calls left before the primary limit refuses; `None`: unlimited.
    remaining: Mutex<Option<u64>>,
    /// How long after a refusal the primary limit resets, as `x-ratelimit-reset` says.
    reset_after: Mutex<Option<Duration>>,
    /// Until when every call is refused by the secondary limit.
    secondary_until: Mutex<Option<Instant>>,
    /// Every API call, whatever its answer.
    calls: AtomicUsize,
    /// Those charged to the primary limit: neither refused before an endpoint nor a `304`.
    charged: AtomicUsize,
    /// The `X-GitHub-Api-Version` values of the last call, as sent.
    last_versions: Mutex<Vec<String>>,
}

impl Limits {
    /// When the primary limit resets, in Unix seconds.
    pub(crate) fn reset_at(&self) -> u64 {
        let after = lock(&self.reset_after).unwrap_or(Duration::from_secs(3600));
        unix_now() + after.as_secs()
    }
}

impl GithubDouble {
    /// Lets `calls` more API calls through before the primary limit refuses (`None`: no limit).
    pub fn set_rate_budget(&self, calls: Option<u64>) {
        *lock(&self.shared.limits.remaining) = calls;
    }

    /// How long after now the primary limit says it resets (an hour unless set).
    pub fn set_rate_limit_reset(&self, after: Duration) {
        *lock(&self.shared.limits.reset_after) = Some(after);
    }

    /// Refuses every API call with the secondary limit for `period`, saying when to retry.
    pub fn set_secondary_limit(&self, period: Duration) {
        *lock(&self.shared.limits.secondary_until) = Some(Instant::now() + period);
    }

    /// Every API call so far, refused or not.
    pub fn api_calls(&self) -> usize {
        self.shared.limits.calls.load(Ordering::SeqCst)
    }

    /// The API calls charged to the primary limit (`304`s and refusals are not).
    pub fn charged_calls(&self) -> usize {
        self.shared.limits.charged.load(Ordering::SeqCst)
    }

    /// The `X-GitHub-Api-Version` values the last API call carried.
    pub fn last_api_versions(&self) -> Vec<String> {
        lock(&self.shared.limits.last_versions).clone()
    }
}

/// The middleware in front of every API endpoint.
pub(crate) async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limits = &state.limits;
    limits.calls.fetch_add(1, Ordering::SeqCst);
    let versions: Vec<String> = request
        .headers()
        .get_all("x-github-api-version")
        .iter()
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .collect();
    *lock(&limits.last_versions) = versions.clone();
    match versions.as_slice() {
        [] => {}
        [one] if VERSIONS.contains(&one.as_str()) => {}
        _ => {
            let message = format!(
                "Invalid API version provided: {}. Supported versions: {}.",
                versions.join(", "),
                VERSIONS.join(", ")
            );
            return error(StatusCode::BAD_REQUEST, &message);
        }
    }
    let secondary = lock(&limits.secondary_until)
        .and_then(|until| until.checked_duration_since(Instant::now()));
    if let Some(left) = secondary {
        return secondary_refusal(left);
    }
    if *lock(&limits.remaining) == Some(0) {
        let user = authenticate(&state, request.headers()).ok().map(|(user, _)| user.id);
        return primary_refusal(user, limits.reset_at());
    }
    let mut response = next.run(request).await;
    let left = {
        let mut remaining = lock(&limits.remaining);
        if response.status() != StatusCode::NOT_MODIFIED {
            limits.charged.fetch_add(1, Ordering::SeqCst);
            if let Some(left) = remaining.as_mut() {
                *left = left.saturating_sub(1);
            }
        }
        *remaining
    };
    if let Some(left) = left
        && let Ok(value) = HeaderValue::from_str(&left.min(HOURLY).to_string())
    {
        response.headers_mut().insert("x-ratelimit-remaining", value);
    }
    response
}

/// GitHub's primary rate limit refusal: 403 with `x-ratelimit-remaining: 0`, for the user with
/// this id (or an anonymous caller).
pub(crate) fn primary_refusal(user_id: Option<u64>, reset_at: u64) -> Response {
    let who = user_id.map_or("127.0.0.1".to_owned(), |id| format!("user ID {id}"));
    let message = format!(
        "API rate limit exceeded for {who}. If you reach out to GitHub Support for help, please include the request ID."
    );
    let mut response = error(StatusCode::FORBIDDEN, &message);
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
    headers.insert("x-ratelimit-limit", HeaderValue::from_static("5000"));
    headers.insert("x-ratelimit-used", HeaderValue::from_static("5000"));
    if let Ok(reset) = HeaderValue::from_str(&reset_at.to_string()) {
        headers.insert("x-ratelimit-reset", reset);
    }
    response
}

/// GitHub's secondary rate limit refusal: 403 whose message names it, with `retry-after`.
fn secondary_refusal(left: Duration) -> Response {
    let message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.";
    let mut response = error(StatusCode::FORBIDDEN, message);
    let seconds = left.as_secs() + u64::from(left.subsec_nanos() > 0);
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |now| now.as_secs())
}
