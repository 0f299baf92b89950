//! Timeouts and bounded retries around every call to a runtime's provider.

use std::future::Future;
use std::time::Duration;

use domain::runtime::ProviderError;

use crate::config::CallLimits;

/// The pause before the first retry; it doubles for each one after.
const FIRST_PAUSE: Duration = Duration::from_millis(200);

/// Runs `call` within `limits.timeout`, trying again up to `limits.retries` times when it fails
/// for a passing reason (unreachable, throttled, timed out). `what` names the call in the
/// timeout's message: "reading deployment shop/checkout".
pub async fn with_retries<T, F, Fut>(limits: CallLimits, what: &str, mut call: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let mut pause = FIRST_PAUSE;
    let mut attempt = 0;
    loop {
        let result = match tokio::time::timeout(limits.timeout, call()).await {
            Ok(result) => result,
            Err(_) => Err(ProviderError::Timeout(format!("{what}: no answer within {} s", limits.timeout.as_secs_f32()))),
        };
        match result {
            Err(error) if error.is_transient() && attempt < limits.retries => {
                tracing::debug!(%error, attempt, "{what}: trying again");
                tokio::time::sleep(pause).await;
                pause *= 2;
                attempt += 1;
            }
            result => return result,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    fn limits(retries: u32) -> CallLimits {
        CallLimits { timeout: Duration::from_millis(100), retries }
    }

    #[tokio::test(start_paused = true)]
    async fn passing_failures_are_retried_a_bounded_number_of_times() {
        let calls = AtomicU32::new(0);
        let result: Result<(), _> = with_retries(limits(2), "test", || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(ProviderError::Throttled("slow down".into()))
        })
        .await;
        assert_eq!(result, Err(ProviderError::Throttled("slow down".into())));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn lasting_failures_are_not_retried() {
        let calls = AtomicU32::new(0);
        let result: Result<(), _> = with_retries(limits(5), "test", || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(ProviderError::Forbidden("no".into()))
        })
        .await;
        assert!(matches!(result, Err(ProviderError::Forbidden(_))));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_that_hangs_times_out_then_succeeds_on_retry() {
        let calls = AtomicU32::new(0);
        let result = with_retries(limits(1), "reading x", || {
            let first = calls.fetch_add(1, Ordering::SeqCst) == 0;
            async move {
                if first {
                    std::future::pending::<()>().await;
                }
                Ok(7)
            }
        })
        .await;
        assert_eq!(result, Ok(7));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}
