//! What a failed Kubernetes API call means for the portal.

use std::io;

use domain::runtime::ProviderError;
use kube::client::AuthError;
use kube::core::Status;

/// Sorts a client error. `subject` names what was asked for, for a 404: "deployment shop/checkout".
pub fn provider_error(error: kube::Error, cluster: &str, subject: &str) -> ProviderError {
    match error {
        kube::Error::Api(status) => from_status(&status, cluster, subject),
        kube::Error::HyperError(error) => transport(&error, cluster),
        kube::Error::Service(error) => transport(error.as_ref(), cluster),
        kube::Error::Auth(error) => {
            ProviderError::Forbidden(format!("cannot get credentials for cluster `{cluster}`: {}", auth_problem(&error)))
        }
        kube::Error::RustlsTls(error) => ProviderError::Unreachable(format!("TLS set-up for cluster `{cluster}` failed: {error}")),
        other => ProviderError::Failed(format!("cluster `{cluster}`: {other}")),
    }
}

/// An answer from the API server: the Status object it sends with every error.
fn from_status(status: &Status, cluster: &str, subject: &str) -> ProviderError {
    let message = if status.message.is_empty() { status.reason.clone() } else { status.message.clone() };
    match status.code {
        401 => ProviderError::Forbidden(format!("cluster `{cluster}` does not accept the portal's credentials: {message}")),
        403 => ProviderError::Forbidden(message),
        404 => ProviderError::NotFound(subject.to_owned()),
        429 => ProviderError::Throttled(message),
        // The API server, or the load balancer in front of it, is briefly away: worth a retry.
        503 => ProviderError::Unreachable(format!("cluster `{cluster}` is unavailable: {message}")),
        504 => ProviderError::Timeout(format!("cluster `{cluster}`: {message}")),
        _ => ProviderError::Failed(message),
    }
}

/// No answer at all: the connection, DNS or TLS failed, or the connection timed out.
fn transport(error: &(dyn std::error::Error + 'static), cluster: &str) -> ProviderError {
    let mut causes = Vec::new();
    let mut timed_out = false;
    let mut cause = Some(error);
    while let Some(inner) = cause {
        timed_out |= inner.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::TimedOut);
        causes.push(inner.to_string());
        cause = inner.source();
    }
    // The outermost error of a chain is the HTTP client's generic "client error (Connect)".
    if causes.len() > 1 {
        causes.remove(0);
    }
    let message = format!("cannot reach cluster `{cluster}`: {}", causes.join(": "));
    if timed_out { ProviderError::Timeout(message) } else { ProviderError::Unreachable(message) }
}

/// The credential failure, without what a failed credential plugin printed: it may be a token.
fn auth_problem(error: &AuthError) -> String {
    match error {
        AuthError::AuthExecRun { cmd, .. } => format!("the credential command `{cmd}` failed"),
        AuthError::AuthExecParse(_) => "the credential command's output cannot be read".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(code: u16, reason: &str, message: &str) -> kube::Error {
        let status: Status = serde_json::from_value(serde_json::json!({
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code,
        }))
        .expect("a Status");
        kube::Error::Api(Box::new(status))
    }

    #[test]
    fn api_statuses_say_what_to_do_next() {
        let sort = |code, reason, message| provider_error(api_error(code, reason, message), "prod", "deployment shop/checkout");
        assert_eq!(sort(404, "NotFound", "deployments.apps \"checkout\" not found"), ProviderError::NotFound("deployment shop/checkout".into()));
        assert_eq!(sort(403, "Forbidden", "cannot patch"), ProviderError::Forbidden("cannot patch".into()));
        assert!(matches!(sort(401, "Unauthorized", "Unauthorized"), ProviderError::Forbidden(_)));
        assert_eq!(sort(429, "TooManyRequests", "slow down"), ProviderError::Throttled("slow down".into()));
        assert!(sort(503, "ServiceUnavailable", "").is_transient());
        assert_eq!(sort(409, "Conflict", "the object has been modified"), ProviderError::Failed("the object has been modified".into()));
    }

    #[test]
    fn a_connection_timeout_is_a_timeout_and_a_refusal_is_unreachable() {
        let refused = io::Error::new(io::ErrorKind::ConnectionRefused, "Connection refused");
        let error = provider_error(kube::Error::Service(Box::new(refused)), "prod", "x");
        assert_eq!(error, ProviderError::Unreachable("cannot reach cluster `prod`: Connection refused".into()));
        let slow = io::Error::new(io::ErrorKind::TimedOut, "deadline has elapsed");
        assert!(matches!(provider_error(kube::Error::Service(Box::new(slow)), "prod", "x"), ProviderError::Timeout(_)));
    }
}
