//! Inputs declared `secret: true` reach the steps and nothing else: not the run's record, its
//! page, the audit log, or a no-JavaScript form's redirect; outputs that repeat them are masked,
//! and the stored value is gone once the run ends.

use domain::access::Role;
use domain::actions::{Decision, RunState};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE;
use sha2::{Digest, Sha256};

use super::setup::{meta, person, request, shop};
use crate::support::{Engine, on_both_engines};

const SECRET: &str = "sk-live-7f3a9c2e";

const ACTIONS: &str = r#"
actions:
  - id: rotate
    title: Rotate the key
    kind: task
    timeout_seconds: 20
    approval: { approvers: 1, role: operator }
    inputs:
      - { name: api_key, label: API key, secret: true, required: true, min_length: 8 }
      - { name: reason, required: true }
    command: 'echo "using $PORTICO_INPUT_API_KEY for $PORTICO_INPUT_REASON"; printf %s "$PORTICO_INPUT_API_KEY" | sha256sum'
"#;

async fn everything_recorded(shop: &super::setup::Shop) -> String {
    let sql = "SELECT inputs || ' ' || COALESCE(reason, '') FROM audit_events ORDER BY seq";
    let rows: Vec<String> = match &shop.app.store {
        server::store::Store::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.expect("audit"),
        server::store::Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.expect("audit"),
    };
    rows.join("\n")
}

async fn a_secret_input_reaches_its_task_and_nothing_else(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let ada = person("ada", Role::Developer);
    let values = [("api_key", SECRET), ("reason", "quarterly")];
    let id = shop.engine().request(&ada, &meta(), &request("rotate", "shop-worker", Some("dev"), &values)).await.expect("requested");
    let waiting = shop.row(&id).await;
    assert!(!waiting.inputs.contains(SECRET) && waiting.inputs.contains("[secret]"), "{}", waiting.inputs);
    assert_eq!(shop.app.store.run_secrets(&id).await.expect("secrets")["api_key"], SECRET, "kept for the steps while it waits");

    shop.engine().decide(&person("grace", Role::Operator), &meta(), &id, Decision::Approved, None).await.expect("approved");
    let row = shop.until_final(&id).await;
    assert_eq!(row.state().expect("state"), RunState::Succeeded, "{:?}", row.message);
    let output = &shop.app.store.run_steps(&id).await.expect("steps")[0].output;
    let digest = hex::encode(Sha256::digest(SECRET.as_bytes()));
    assert!(output.contains(&digest), "the task received the value itself: {output}");
    assert!(output.contains("using [secret] for quarterly") && !output.contains(SECRET), "the output repeating it is masked: {output}");
    assert!(shop.app.store.run_secrets(&id).await.expect("secrets").is_empty(), "the value is dropped once the run ends");

    let recorded = everything_recorded(&shop).await;
    assert!(!recorded.contains(SECRET), "the audit log never holds it");
    assert!(recorded.contains("[secret]"), "the request's event shows the mark");
    let (status, page) = shop.app.page(&format!("/runs/{id}")).await;
    assert_eq!(status, 200);
    assert!(!page.contains(SECRET) && page.contains("[secret]"), "the run page shows the mark only");
}

async fn a_rejected_run_drops_its_secret(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let ada = person("ada", Role::Developer);
    let values = [("api_key", SECRET), ("reason", "oops")];
    let id = shop.engine().request(&ada, &meta(), &request("rotate", "shop-worker", Some("dev"), &values)).await.expect("requested");
    shop.engine().decide(&person("grace", Role::Operator), &meta(), &id, Decision::Rejected, None).await.expect("rejected");
    assert!(shop.app.store.run_secrets(&id).await.expect("secrets").is_empty());
}

async fn a_refused_form_without_javascript_does_not_send_the_secret_back(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let form = shop.app.url("/services/shop-worker/actions/rotate?environment=dev");
    let body = [
        ("action", "rotate"),
        ("service", "shop-worker"),
        ("environment", "dev"),
        ("values[api_key]", SECRET),
        ("values[reason]", ""),
    ];
    let refused = shop.app.client.post(shop.app.url("/api/actions/request")).header("referer", &form).header("accept", "text/html").form(&body).send().await.expect("post");
    let location = refused.headers().get("location").map(|l| l.to_str().expect("ascii").to_owned()).unwrap_or_default();
    assert!(refused.status().is_redirection(), "{}", refused.status());
    // The form's page reads the outcome from `__err`: the error as base64-encoded JSON.
    let url = url::Url::parse(&location).expect("a URL");
    let error = url.query_pairs().find(|(key, _)| key == "__err").map(|(_, value)| value.into_owned()).expect("the error");
    let error: serde_json::Value = serde_json::from_slice(&URL_SAFE.decode(error).expect("base64")).expect("JSON");
    assert_eq!(error["Invalid"]["fields"]["reason"], "reason is required.", "the field's problem comes back");
    assert_eq!(error["Invalid"]["values"], serde_json::json!({ "reason": "" }), "with what was typed, but not the secret");
}

on_both_engines!(
    a_secret_input_reaches_its_task_and_nothing_else,
    a_rejected_run_drops_its_secret,
    a_refused_form_without_javascript_does_not_send_the_secret_back,
);
