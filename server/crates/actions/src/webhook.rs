//! The `webhook` kind: an HTTP POST of the run as JSON, signed the way GitHub signs its own
//! webhooks (HMAC-SHA256 of the exact body, hex, in a header), so receivers can reuse the
//! verification code they already have. A delivery id lets receivers drop the repeats that
//! retries (or a portal restarting mid-step) can cause.

use std::time::Duration;

use domain::actions::WebhookCall;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use sha2::Sha256;

/// `sha256=<hex of HMAC-SHA256(secret, body)>`.
pub const SIGNATURE_HEADER: &str = "x-portico-signature-256";
/// The delivery's id (the run id and step): the same for every attempt of one delivery.
pub const DELIVERY_HEADER: &str = "x-portico-delivery";

/// The first pause between attempts; it doubles after each one.
const BACKOFF_BASE: Duration = Duration::from_millis(200);
const BACKOFF_CAP: Duration = Duration::from_secs(5);
/// A receiver's `Retry-After` is honoured up to this long: a worker is held while it waits.
const RETRY_AFTER_CAP: Duration = Duration::from_secs(30);
/// How much of an answer is kept for the step's output.
const EXCERPT_BYTES: usize = 2048;

type HmacSha256 = Hmac<Sha256>;

/// A delivery the receiver accepted (2xx).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivered {
    pub status: u16,
    /// 1 when the first attempt was accepted.
    pub attempts: u32,
    /// The start of the receiver's answer (up to 2 KiB), for the run's step output.
    pub body_excerpt: String,
}

/// Why a delivery failed.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The receiver refused it for good (a 4xx other than 408 and 429, or a 3xx): not retried.
    #[error("the webhook refused the call ({status}): {body_excerpt}")]
    Rejected { status: u16, body_excerpt: String },
    /// Every attempt failed with a timeout, a connection error, 5xx, 408 or 429.
    #[error("the webhook failed {attempts} times; last: {last}")]
    Failed { attempts: u32, last: String },
}

/// The signature header's value for `body`.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    format!("sha256={}", hex::encode(mac(secret, body).finalize().into_bytes()))
}

/// Whether `header_value` is `body`'s signature with `secret`, compared in constant time.
pub fn verify(secret: &[u8], body: &[u8], header_value: &str) -> bool {
    let Some(signature) = header_value.trim().strip_prefix("sha256=").and_then(|h| hex::decode(h).ok()) else {
        return false;
    };
    mac(secret, body).verify_slice(&signature).is_ok()
}

fn mac(secret: &[u8], body: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length, so this never fails; the fallback only satisfies the type.
    let mut mac = HmacSha256::new_from_slice(secret).unwrap_or_else(|_| HmacSha256::new(&Default::default()));
    mac.update(body);
    mac
}

/// POSTs `payload` to `call.url`, signed with `secret`, trying again after failures that may
/// pass: at most `call.retries` further attempts, each allowed `call.timeout_seconds`.
/// The client webhook deliveries and chat notifications use. Redirects are not followed: a
/// receiver could otherwise turn a signed POST into a GET to any address inside the network,
/// whose answer would be kept as the step's output. A 3xx is a refusal like a 4xx.
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder().user_agent("Portico").redirect(reqwest::redirect::Policy::none()).build()
}

pub async fn deliver(
    client: &reqwest::Client,
    call: &WebhookCall,
    secret: &[u8],
    delivery: &str,
    payload: &serde_json::Value,
) -> Result<Delivered, WebhookError> {
    let body = serde_json::to_vec(payload).map_err(|e| WebhookError::Failed { attempts: 0, last: e.to_string() })?;
    let signature = sign(secret, &body);
    let timeout = Duration::from_secs(u64::from(call.timeout_seconds.max(1)));
    let attempts = call.retries.saturating_add(1);
    let mut last = String::new();
    for attempt in 1..=attempts {
        let request = client
            .post(&call.url)
            .timeout(timeout)
            .header(CONTENT_TYPE, "application/json")
            .header(USER_AGENT, "Portico")
            .header(SIGNATURE_HEADER, &signature)
            .header(DELIVERY_HEADER, delivery)
            .body(body.clone());
        let mut pause = backoff(attempt);
        // What the log says of this attempt: never the receiver's answer, which may repeat what
        // it was sent, secret inputs included; that goes only into the error, which the engine masks.
        let logged = match request.send().await {
            Ok(response) => {
                let status = response.status();
                let retry_after = retry_after(&response);
                let body_excerpt = excerpt(response).await;
                if status.is_success() {
                    return Ok(Delivered { status: status.as_u16(), attempts: attempt, body_excerpt });
                }
                if !retryable(status) {
                    return Err(WebhookError::Rejected { status: status.as_u16(), body_excerpt });
                }
                pause = pause.max(retry_after.unwrap_or_default());
                last = format!("HTTP {}: {}", status.as_u16(), body_excerpt.chars().take(200).collect::<String>());
                format!("HTTP {}", status.as_u16())
            }
            // A URL that cannot be requested at all will not get better.
            Err(error) if error.is_builder() => {
                return Err(WebhookError::Failed { attempts: attempt, last: domain::error_text::error_chain(&error.without_url()) });
            }
            Err(error) if error.is_timeout() => {
                last = format!("no answer within {} s", timeout.as_secs());
                last.clone()
            }
            Err(error) => {
                last = domain::error_text::error_chain(&error.without_url());
                last.clone()
            }
        };
        tracing::warn!(delivery, attempt, attempts, failure = %logged, "webhook delivery failed");
        if attempt < attempts {
            tokio::time::sleep(pause).await;
        }
    }
    Err(WebhookError::Failed { attempts, last })
}

/// 5xx, 408 Request Timeout and 429 Too Many Requests may pass; other refusals will not.
fn retryable(status: StatusCode) -> bool {
    status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT || status == StatusCode::TOO_MANY_REQUESTS
}

/// The pause after failed attempt `attempt` (from 1): 200 ms, 400 ms, ... at most 5 s.
fn backoff(attempt: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(16));
    BACKOFF_BASE.saturating_mul(factor).min(BACKOFF_CAP)
}

/// `Retry-After` in seconds (the HTTP-date form is not honoured), capped.
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let seconds = response.headers().get(RETRY_AFTER)?.to_str().ok()?.trim().parse::<u64>().ok()?;
    Some(Duration::from_secs(seconds).min(RETRY_AFTER_CAP))
}

/// The first 2 KiB of the answer, read no further, cut at a character boundary.
async fn excerpt(mut response: reqwest::Response) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < EXCERPT_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    bytes.truncate(EXCERPT_BYTES);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    // A character cut in two at the end shows as U+FFFD; drop it.
    text.strip_suffix('\u{FFFD}').map(str::to_owned).unwrap_or(text)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_tampering_is_caught() {
        let signature = sign(b"secret", b"{\"a\":1}");
        assert!(signature.starts_with("sha256=") && signature.len() == 7 + 64, "{signature}");
        assert!(verify(b"secret", b"{\"a\":1}", &signature));
        assert!(!verify(b"secret", b"{\"a\":2}", &signature));
        assert!(!verify(b"other", b"{\"a\":1}", &signature));
        assert!(!verify(b"secret", b"{\"a\":1}", "sha256=zz"));
        assert!(!verify(b"secret", b"{\"a\":1}", signature.trim_start_matches("sha256=")));
    }

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        assert_eq!(backoff(1), Duration::from_millis(200));
        assert_eq!(backoff(2), Duration::from_millis(400));
        assert_eq!(backoff(5), Duration::from_millis(3200));
        assert_eq!(backoff(6), BACKOFF_CAP);
        assert_eq!(backoff(u32::MAX), BACKOFF_CAP);
    }
}
