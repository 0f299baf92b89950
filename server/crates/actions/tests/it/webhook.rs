//! Signed webhook deliveries and chat notifications, against a local receiver that checks
//! signatures with the portal's own `verify` and answers as each test scripts it.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::actions::{RunState, RunSummary, WebhookCall};
use secrecy::SecretString;
use actions::notify::Notifier;
use actions::webhook::{DELIVERY_HEADER, SIGNATURE_HEADER, WebhookError, deliver, sign, verify};

const SECRET: &[u8] = b"webhook-signing-secret";

/// How the receiver answers one request.
#[derive(Clone)]
enum Reply {
    Status(u16, String),
    /// Status, then `Retry-After` in seconds.
    RetryAfter(u16, u64),
    /// No answer for a minute.
    Hang,
    /// `302 Found` to this location.
    Redirect(String),
}

/// One request as the receiver saw it.
#[derive(Clone, Debug)]
struct Received {
    body: Vec<u8>,
    signature: String,
    delivery: String,
    content_type: String,
    user_agent: String,
    verified: bool,
    at: Instant,
}

#[derive(Clone, Default)]
struct Receiver {
    script: Arc<Mutex<VecDeque<Reply>>>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    /// Serves on 127.0.0.1:0, answering with `script` in order, then 200 "accepted".
    async fn start(script: Vec<Reply>) -> (Self, SocketAddr) {
        let receiver = Self { script: Arc::new(Mutex::new(script.into())), ..Self::default() };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let app = axum::Router::new().fallback(receive).with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.expect("receiver serves") });
        (receiver, addr)
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    /// Waits up to 5 s for `count` requests.
    async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..100 {
            if self.received().len() >= count {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.received()
    }
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> Response {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let signature = text(SIGNATURE_HEADER);
    receiver.received.lock().expect("lock").push(Received {
        verified: verify(SECRET, &body, &signature),
        body: body.to_vec(),
        signature,
        delivery: text(DELIVERY_HEADER),
        content_type: text(header::CONTENT_TYPE.as_str()),
        user_agent: text(header::USER_AGENT.as_str()),
        at: Instant::now(),
    });
    let reply = receiver.script.lock().expect("lock").pop_front();
    let status = |code: u16| StatusCode::from_u16(code).expect("status");
    match reply.unwrap_or_else(|| Reply::Status(200, "accepted".into())) {
        Reply::Status(code, body) => (status(code), body).into_response(),
        Reply::RetryAfter(code, seconds) => (status(code), [(header::RETRY_AFTER, seconds.to_string())], "slow down").into_response(),
        Reply::Redirect(location) => (StatusCode::FOUND, [(header::LOCATION, location)], "moved").into_response(),
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            (StatusCode::OK, "too late").into_response()
        }
    }
}

fn call(addr: SocketAddr, timeout_seconds: u32, retries: u32) -> WebhookCall {
    WebhookCall { url: format!("http://{addr}/hooks/portico"), secret_env: "PORTICO_TEST_HOOK_SECRET".into(), timeout_seconds, retries }
}

fn payload() -> serde_json::Value {
    serde_json::json!({ "run": "run-1", "action": "purge-cache", "service": "checkout", "inputs": { "path": "/img/*" } })
}

#[tokio::test]
async fn a_delivery_is_signed_and_verifies() {
    let (receiver, addr) = Receiver::start(vec![]).await;
    let delivered = deliver(&reqwest::Client::new(), &call(addr, 5, 2), SECRET, "run-1:step-0", &payload()).await.expect("delivered");
    assert_eq!((delivered.status, delivered.attempts, delivered.body_excerpt.as_str()), (200, 1, "accepted"));
    let [received] = receiver.received().try_into().expect("one request");
    assert!(received.verified, "{received:?}");
    assert_eq!(received.signature, sign(SECRET, &received.body));
    assert_eq!(received.delivery, "run-1:step-0");
    assert_eq!(received.content_type, "application/json");
    assert_eq!(received.user_agent, "Portico");
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&received.body).expect("JSON"), payload());
}

#[tokio::test]
async fn a_redirect_is_a_refusal_and_never_followed() {
    let (inside, inside_addr) = Receiver::start(vec![Reply::Status(200, "internal admin page".into())]).await;
    let (receiver, addr) = Receiver::start(vec![Reply::Redirect(format!("http://{inside_addr}/admin"))]).await;
    let client = actions::webhook::http_client().expect("client");
    let error = deliver(&client, &call(addr, 5, 3), SECRET, "run-8:step-0", &payload()).await.expect_err("refused");
    assert!(matches!(&error, WebhookError::Rejected { status: 302, body_excerpt } if body_excerpt == "moved"), "{error:?}");
    assert_eq!(receiver.received().len(), 1, "not retried");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(inside.received().is_empty(), "the redirect was not followed");
}

#[tokio::test]
async fn a_tampered_body_fails_verification() {
    let (receiver, addr) = Receiver::start(vec![]).await;
    deliver(&reqwest::Client::new(), &call(addr, 5, 0), SECRET, "run-2:step-0", &payload()).await.expect("delivered");
    let received = receiver.received().pop().expect("a request");
    let tampered = String::from_utf8(received.body.clone()).expect("utf-8").replace("checkout", "payments");
    assert!(verify(SECRET, &received.body, &received.signature));
    assert!(!verify(SECRET, tampered.as_bytes(), &received.signature));
    assert!(!verify(b"another-secret", &received.body, &received.signature));
}

#[tokio::test]
async fn a_server_error_is_retried_and_the_second_attempt_succeeds() {
    let (receiver, addr) = Receiver::start(vec![Reply::Status(500, "oops".into())]).await;
    let delivered = deliver(&reqwest::Client::new(), &call(addr, 5, 3), SECRET, "run-3:step-1", &payload()).await.expect("delivered");
    assert_eq!((delivered.status, delivered.attempts), (200, 2));
    let received = receiver.received();
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|r| r.verified && r.delivery == "run-3:step-1"), "the same delivery, signed alike: {received:?}");
}

#[tokio::test]
async fn a_client_error_is_rejected_without_retrying() {
    let (receiver, addr) = Receiver::start(vec![Reply::Status(400, "unknown service".into())]).await;
    let error = deliver(&reqwest::Client::new(), &call(addr, 5, 3), SECRET, "run-4:step-0", &payload()).await.expect_err("rejected");
    assert!(matches!(&error, WebhookError::Rejected { status: 400, body_excerpt } if body_excerpt == "unknown service"), "{error:?}");
    assert_eq!(receiver.received().len(), 1);
}

#[tokio::test]
async fn a_hang_beyond_the_timeout_fails_after_every_attempt() {
    let (receiver, addr) = Receiver::start(vec![Reply::Hang, Reply::Hang]).await;
    let started = Instant::now();
    let error = deliver(&reqwest::Client::new(), &call(addr, 1, 1), SECRET, "run-5:step-0", &payload()).await.expect_err("fails");
    assert!(matches!(&error, WebhookError::Failed { attempts: 2, last } if last.contains("1 s")), "{error:?}");
    assert_eq!(receiver.received().len(), 2);
    assert!(started.elapsed() < Duration::from_secs(10), "each attempt gave up after its timeout");
}

#[tokio::test]
async fn too_many_requests_waits_as_retry_after_says() {
    let (receiver, addr) = Receiver::start(vec![Reply::RetryAfter(429, 1)]).await;
    let delivered = deliver(&reqwest::Client::new(), &call(addr, 5, 1), SECRET, "run-6:step-0", &payload()).await.expect("delivered");
    assert_eq!(delivered.attempts, 2);
    let received = receiver.received();
    assert!(received[1].at - received[0].at >= Duration::from_millis(950), "waited for Retry-After");
}

#[tokio::test]
async fn only_the_start_of_a_long_answer_is_kept() {
    let (_receiver, addr) = Receiver::start(vec![Reply::Status(200, "é".repeat(3000))]).await;
    let delivered = deliver(&reqwest::Client::new(), &call(addr, 5, 0), SECRET, "run-7:step-0", &payload()).await.expect("delivered");
    assert_eq!(delivered.body_excerpt, "é".repeat(1024), "2 KiB, cut between characters");
}

fn summary(title: &str, environment: &str, state: RunState) -> RunSummary {
    RunSummary {
        id: "run-9".into(),
        action_id: title.to_lowercase(),
        action_title: title.into(),
        service: "checkout".into(),
        environment: environment.into(),
        production: environment == "prod",
        requester: "ada".into(),
        state,
        created_at: 0,
        finished_at: None,
    }
}

#[tokio::test]
async fn the_notifier_posts_slack_text() {
    let (receiver, addr) = Receiver::start(vec![Reply::Status(500, "busy".into())]).await;
    let url = SecretString::from(format!("http://{addr}/services/T000/B000/XXXX"));
    let notifier = Notifier::new(Some(url), reqwest::Client::new());
    assert!(notifier.is_enabled());
    let link = "http://portal.example/runs/run-9";
    notifier.approval_needed(&summary("Promote", "prod", RunState::PendingApproval), link, "1 approval by an operator");
    // The first post met a 500 and was sent again.
    let received = receiver.wait_for(2).await;
    notifier.run_ended(&summary("Restart", "dev", RunState::Succeeded), link);
    let received = [received, receiver.wait_for(3).await[2..].to_vec()].concat();
    let texts: Vec<serde_json::Value> = received.iter().map(|r| serde_json::from_slice(&r.body).expect("JSON")).collect();
    let approval = "*Promote* on checkout (prod) requested by ada needs 1 approval by an operator: <http://portal.example/runs/run-9|open the run>";
    assert_eq!(texts[0], serde_json::json!({ "text": approval }));
    assert_eq!(texts[1], texts[0]);
    let ended = "*Restart* on checkout (dev) by ada: Succeeded <http://portal.example/runs/run-9|open>";
    assert_eq!(texts[2], serde_json::json!({ "text": ended }));
    assert!(received.iter().all(|r| r.content_type == "application/json"));
}

#[tokio::test]
async fn without_a_url_the_notifier_sends_nothing() {
    let (receiver, _addr) = Receiver::start(vec![]).await;
    let notifier = Notifier::new(None, reqwest::Client::new());
    assert!(!notifier.is_enabled());
    notifier.approval_needed(&summary("Promote", "prod", RunState::PendingApproval), "http://portal.example/runs/1", "1 approval");
    notifier.run_ended(&summary("Restart", "", RunState::Failed), "http://portal.example/runs/1");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(receiver.received().is_empty());
}
