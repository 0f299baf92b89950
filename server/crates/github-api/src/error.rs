//! One error for every GitHub REST call, and one reading of GitHub's refusals.
//!
//! GitHub refuses with 401 (the token), 403 (a permission, or a rate limit), 404 (missing, or
//! hidden from the token), 422 (the request) and 429 (a rate limit). Both its limits answer 403
//! as well as 429: the primary one (requests per hour) with `x-ratelimit-remaining: 0` and the
//! time it resets, the secondary one (requests per minute, or too many at once) with a message
//! that names it and often `retry-after`. Either way the client must stop until the time given
//! ([`crate::GithubApi`] does). No message carries the token.

use std::time::Duration;

use http::{HeaderMap, StatusCode};

/// How long to wait after a secondary-limit refusal that gives no time: GitHub's documentation
/// asks for at least a minute.
pub const SECONDARY_LIMIT_WAIT: Duration = Duration::from_secs(60);
/// Longest wait a refusal is believed for: a clock far off, or a reset time years ahead, must
/// not stop the portal's GitHub calls for good.
const LONGEST_WAIT: Duration = Duration::from_secs(3600);
/// GitHub's messages are cut to this many characters before they reach a page or a log.
const MESSAGE_CHARS: usize = 300;

/// Why a GitHub call failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GithubError {
    #[error("GitHub could not be reached: {0}")]
    Unreachable(String),
    /// 401: the token is wrong, expired or revoked; `setting` names where it is configured.
    #[error("GitHub refused the token (401: {message}); check {setting}")]
    Unauthorized { setting: &'static str, message: String },
    /// 403 that is not a rate limit: the token may not do this.
    #[error("GitHub refused: {0} (403)")]
    Forbidden(String),
    /// 404: missing, or the token may not see it (GitHub answers 404 for both).
    #[error("not found on GitHub, or the token may not see it: {0}")]
    NotFound(String),
    /// 422: GitHub understood the request and refuses it; its message says why.
    #[error("GitHub refused the request: {0}")]
    Invalid(String),
    /// A rate limit, primary or secondary: no call is made until `retry_after` has passed.
    #[error("the GitHub rate limit is spent ({message}); calls resume in {} s", retry_after.as_secs().max(1))]
    RateLimited { message: String, retry_after: Duration },
    #[error("GitHub answered {status}: {message}")]
    Status { status: u16, message: String },
    /// A success whose body is not what GitHub documents.
    #[error("GitHub's answer could not be read: {0}")]
    Unreadable(String),
}

impl GithubError {
    /// Failures that may pass if the same call is made again later (after [`Self::retry_after`]).
    /// An `Unreachable` POST may still have reached GitHub: sending it again can do it twice.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable(_) | Self::RateLimited { .. } => true,
            Self::Status { status, .. } => *status >= 500,
            Self::Unauthorized { .. } | Self::Forbidden(_) | Self::NotFound(_) | Self::Invalid(_) | Self::Unreadable(_) => false,
        }
    }

    /// Failures that concern every call with this token alike, so making the others now is
    /// pointless.
    pub fn is_general(&self) -> bool {
        matches!(self, Self::Unreachable(_) | Self::Unauthorized { .. } | Self::RateLimited { .. })
    }

    /// How long GitHub asked to be left alone, for a rate limit.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }
}

/// What a refusal with `status`, `headers` and `body` means; `now` is the Unix time in seconds,
/// for `x-ratelimit-reset`. `message` has already been scrubbed of the token.
pub(super) fn classify(status: StatusCode, headers: &HeaderMap, message: String, setting: &'static str, now: u64) -> GithubError {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let spent = header("x-ratelimit-remaining") == Some("0");
    let secondary = message.to_ascii_lowercase().contains("secondary rate limit");
    let rate_limited = status == StatusCode::TOO_MANY_REQUESTS || (status == StatusCode::FORBIDDEN && (spent || secondary));
    if rate_limited {
        let retry_after = header("retry-after").and_then(|v| v.parse::<u64>().ok()).map(Duration::from_secs);
        let reset = header("x-ratelimit-reset").and_then(|v| v.parse::<u64>().ok()).map(|at| Duration::from_secs(at.saturating_sub(now)));
        let wait = retry_after.or(if spent { reset } else { None }).unwrap_or(SECONDARY_LIMIT_WAIT).min(LONGEST_WAIT);
        return GithubError::RateLimited { message, retry_after: wait };
    }
    match status.as_u16() {
        401 => GithubError::Unauthorized { setting, message },
        403 => GithubError::Forbidden(message),
        404 => GithubError::NotFound(message),
        422 => GithubError::Invalid(message),
        status => GithubError::Status { status, message },
    }
}

/// GitHub's `message` from an error body, cut short, or the status's own words.
pub(super) fn message_of(status: StatusCode, body: &str) -> String {
    let message = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|body| body.get("message").and_then(|m| m.as_str()).map(str::to_owned))
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("no message").to_owned());
    message.chars().take(MESSAGE_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        headers
    }

    fn classify_now(status: u16, pairs: &[(&'static str, &'static str)], message: &str) -> GithubError {
        let status = StatusCode::from_u16(status).expect("status");
        classify(status, &headers(pairs), message.to_owned(), "x.token", 1_000)
    }

    #[test]
    fn both_rate_limits_are_recognised_with_the_wait_github_asks_for() {
        let primary = classify_now(403, &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1120")], "API rate limit exceeded");
        assert_eq!(primary.retry_after(), Some(Duration::from_secs(120)));
        let secondary = classify_now(403, &[("x-ratelimit-remaining", "4000"), ("retry-after", "30")], "You have exceeded a secondary rate limit.");
        assert_eq!(secondary.retry_after(), Some(Duration::from_secs(30)));
        let silent = classify_now(403, &[], "You have exceeded a secondary rate limit");
        assert_eq!(silent.retry_after(), Some(SECONDARY_LIMIT_WAIT));
        let too_many = classify_now(429, &[("retry-after", "5")], "Too Many Requests");
        assert_eq!(too_many.retry_after(), Some(Duration::from_secs(5)));
        let far = classify_now(403, &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "99999999")], "spent");
        assert_eq!(far.retry_after(), Some(LONGEST_WAIT), "a far-off reset is not believed");
        assert!(primary.is_transient() && primary.is_general());
    }

    #[test]
    fn other_refusals_keep_their_meaning() {
        assert!(matches!(classify_now(403, &[("x-ratelimit-remaining", "10")], "Resource not accessible"), GithubError::Forbidden(_)));
        assert!(matches!(classify_now(401, &[], "Bad credentials"), GithubError::Unauthorized { setting: "x.token", .. }));
        assert!(matches!(classify_now(404, &[], "Not Found"), GithubError::NotFound(_)));
        assert!(matches!(classify_now(422, &[], "No ref found"), GithubError::Invalid(_)));
        let unavailable = classify_now(502, &[], "Bad Gateway");
        assert!(unavailable.is_transient() && !unavailable.is_general());
        assert!(!classify_now(404, &[], "Not Found").is_transient());
    }

    #[test]
    fn messages_come_from_githubs_body_and_are_cut_short() {
        assert_eq!(message_of(StatusCode::NOT_FOUND, r#"{"message":"Not Found","documentation_url":"x"}"#), "Not Found");
        assert_eq!(message_of(StatusCode::BAD_GATEWAY, "<html>"), "Bad Gateway");
        let long = format!(r#"{{"message":"{}"}}"#, "a".repeat(1000));
        assert_eq!(message_of(StatusCode::FORBIDDEN, &long).len(), MESSAGE_CHARS);
    }
}
