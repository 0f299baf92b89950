//! One SDK request, sent within the call limits, its failure sorted into a [`ProviderError`].

use std::error::Error;
use std::fmt::Debug;
use std::future::Future;

use aws_sdk_ecs::error::{ProvideErrorMetadata, SdkError};
use domain::runtime::ProviderError;

use crate::config::CallLimits;
use crate::retry::with_retries;

/// Sends a request built by `request` (once per attempt) within `limits`. `doing` and `subject`
/// name the call for messages: "reading", "ECS service prod/checkout".
pub(super) async fn send<T, E, R, Fut>(
    limits: CallLimits,
    doing: &str,
    subject: &str,
    request: impl Fn() -> Fut,
) -> Result<T, ProviderError>
where
    Fut: Future<Output = Result<T, SdkError<E, R>>>,
    E: ProvideErrorMetadata + Error + 'static,
    R: Debug + 'static,
{
    with_retries(limits, &format!("{doing} {subject}"), || {
        let sent = request();
        async move { sent.await.map_err(|error| provider_error(subject, &error)) }
    })
    .await
}

/// Sorts an SDK failure by what a reader should do about it. Messages carry the service's own
/// words or the connection's, never a request's signature or credentials.
pub(super) fn provider_error<E, R>(subject: &str, error: &SdkError<E, R>) -> ProviderError
where
    E: ProvideErrorMetadata + Error + 'static,
    R: Debug + 'static,
{
    match error {
        SdkError::ServiceError(_) => {
            let code = error.code().unwrap_or_default();
            let said = error.message().filter(|m| !m.is_empty()).unwrap_or(code);
            match code {
                "ServiceNotFoundException"
                | "ServiceNotActiveException"
                | "ClusterNotFoundException"
                | "ResourceNotFoundException" => ProviderError::NotFound(subject.to_owned()),
                "AccessDeniedException"
                | "AccessDenied"
                | "UnrecognizedClientException"
                | "InvalidClientTokenId"
                | "InvalidSignatureException"
                | "ExpiredTokenException"
                | "ExpiredToken" => ProviderError::Forbidden(format!("{subject}: {said}")),
                "ThrottlingException" | "Throttling" | "TooManyRequestsException" | "RequestLimitExceeded" => {
                    ProviderError::Throttled(format!("{subject}: {said}"))
                }
                "ServiceUnavailableException" | "ServiceUnavailable" => {
                    ProviderError::Unreachable(format!("{subject}: {said}"))
                }
                _ => ProviderError::Failed(format!("{subject}: {said}")),
            }
        }
        SdkError::TimeoutError(_) => ProviderError::Timeout(format!("{subject}: {}", causes(error))),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => {
            ProviderError::Timeout(format!("{subject}: {}", causes(error)))
        }
        // Connection refused, DNS, TLS, and also credentials that could not be loaded: the
        // request never reached AWS.
        SdkError::DispatchFailure(failure) if !failure.is_user() => {
            ProviderError::Unreachable(format!("{subject}: {}", causes(error)))
        }
        _ => ProviderError::Failed(format!("{subject}: {}", causes(error))),
    }
}

/// The failure and its causes in words: "dispatch failure: io error: …: Connection refused".
fn causes(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(next) = cause {
        text.push_str(": ");
        text.push_str(&next.to_string());
        cause = next.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use aws_sdk_ecs::error::ErrorMetadata;
    use aws_sdk_ecs::operation::describe_services::DescribeServicesError;

    use super::*;

    fn service_error(code: &str, message: &str) -> SdkError<DescribeServicesError, ()> {
        let meta = ErrorMetadata::builder().code(code).message(message).build();
        SdkError::service_error(DescribeServicesError::generic(meta), ())
    }

    #[test]
    fn service_errors_are_sorted_by_their_code() {
        let subject = "ECS service prod/checkout";
        let sorted = |code| provider_error(subject, &service_error(code, "said"));
        assert_eq!(sorted("ClusterNotFoundException"), ProviderError::NotFound(subject.into()));
        assert_eq!(sorted("ServiceNotFoundException"), ProviderError::NotFound(subject.into()));
        assert_eq!(sorted("AccessDeniedException"), ProviderError::Forbidden(format!("{subject}: said")));
        assert_eq!(sorted("ExpiredTokenException"), ProviderError::Forbidden(format!("{subject}: said")));
        assert_eq!(sorted("ThrottlingException"), ProviderError::Throttled(format!("{subject}: said")));
        assert_eq!(sorted("ClientException"), ProviderError::Failed(format!("{subject}: said")));
    }

    #[test]
    fn a_failure_without_a_message_shows_its_code() {
        let error = provider_error("ECS service prod/checkout", &service_error("ServerException", ""));
        assert_eq!(error, ProviderError::Failed("ECS service prod/checkout: ServerException".into()));
    }
}
