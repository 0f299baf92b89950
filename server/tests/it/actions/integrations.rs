//! Runs of the kinds that call out: a GitHub Actions workflow (against the GitHub double) and a
//! signed webhook (against a local receiver).

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::HeaderMap;
use domain::access::Role;
use domain::actions::{RunState, StepState};
use github_double::{DoubleConfig, FakeUser, FakeWorkflow, GithubDouble};
use server::actions::webhook::{SIGNATURE_HEADER, verify};

use super::setup::{meta, person, request, shop_with};
use crate::support::{Engine, on_both_engines};

on_both_engines!(a_workflow_run_is_linked_and_followed_to_its_conclusion, a_webhook_delivery_is_signed_and_recorded);

const WORKFLOWS: &str = r#"
actions:
  - id: deploy
    title: Deploy with GitHub Actions
    kind: github_workflow
    inputs:
      - { name: version, type: version, required: true }
    workflow:
      repo: acme/shop-api
      file: deploy.yml
      ref: main
      inputs: { version: "{{version}}", target: "{{environment}}" }
  - id: broken
    title: Broken workflow
    kind: github_workflow
    applies: { environments: [dev] }
    workflow: { repo: acme/shop-api, file: fails.yml }
"#;

async fn a_workflow_run_is_linked_and_followed_to_its_conclusion(engine: Engine) {
    let bot = FakeUser { login: "portico-bot".into(), id: 901, name: None, email: None, orgs: vec!["acme".into()], teams: vec![] };
    let github = GithubDouble::spawn(DoubleConfig::new(vec![bot])).await.expect("GitHub double starts");
    github.put_workflow("acme/shop-api", FakeWorkflow::new("deploy.yml").with_inputs(&["version", "target"]));
    github.put_workflow("acme/shop-api", FakeWorkflow { fails: true, ..FakeWorkflow::new("fails.yml") });
    let token = github.mint_token("portico-bot").expect("the bot exists");
    let api = github.base_url();
    let shop = shop_with(engine, WORKFLOWS, |config| {
        config.actions.github.api_url = api;
        config.actions.github.token = Some(token.into());
        config.actions.github.poll_millis = 50;
    })
    .await;
    let ada = person("ada", Role::Developer);
    // Runs on the service as a whole would have no environment; this one names dev.
    let id = shop.engine().request(&ada, &meta(), &request("deploy", "shop-api", Some("dev"), &[("version", "2.1.0")])).await.expect("requested");
    let row = shop.until_final(&id).await;
    assert_eq!(row.state().expect("state"), RunState::Succeeded, "{:?}", row.message);
    let links = row.links().expect("links");
    assert_eq!(links.len(), 3, "the run and its two jobs: {links:?}");
    assert!(links[0].url.starts_with(&format!("{}/acme/shop-api/actions/runs/", github.base_url())), "{links:?}");
    let run_id: u64 = links[0].url.rsplit('/').next().and_then(|id| id.parse().ok()).expect("a run id in the link");
    assert_eq!(github.run_inputs(run_id), Some(serde_json::json!({ "version": "2.1.0", "target": "dev" })));
    let steps = shop.app.store.run_steps(&id).await.expect("steps");
    let seen: Vec<(&str, StepState)> = steps.iter().map(|s| (s.name.as_str(), s.state)).collect();
    assert_eq!(seen, [("start the workflow", StepState::Succeeded), ("follow the workflow run", StepState::Succeeded)]);
    assert!(steps[1].output.contains("success") && steps[1].output.contains("deploy"), "{}", steps[1].output);

    let failing = shop.engine().request(&ada, &meta(), &request("broken", "shop-api", Some("dev"), &[])).await.expect("requested");
    let row = shop.until_final(&failing).await;
    assert_eq!(row.state().expect("state"), RunState::Failed, "{:?}", row.message);
    assert!(row.message.as_deref().is_some_and(|m| m.contains("failure")), "{:?}", row.message);
    assert_eq!(github.runs_started(), 2);
}

/// The receiver checks signatures with the secret the action names: `HOME`, which every test
/// process has, stands in for a deployment's own variable (tests cannot set variables safely).
const WEBHOOKS: &str = r#"
actions:
  - id: notify-cdn
    title: Purge the CDN
    kind: webhook
    inputs:
      - { name: path, type: string, required: true }
    webhook: { url: "URL", secret_env: HOME, timeout_seconds: 5, retries: 1 }
"#;

async fn a_webhook_delivery_is_signed_and_recorded(engine: Engine) {
    let secret = std::env::var("HOME").expect("HOME is set");
    let received: Arc<Mutex<Vec<(bool, serde_json::Value)>>> = Arc::default();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post({
            let received = received.clone();
            let secret = secret.clone();
            move |headers: HeaderMap, body: Bytes| async move {
                let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
                let verified = verify(secret.as_bytes(), &body, signature);
                let payload = serde_json::from_slice(&body).unwrap_or_default();
                received.lock().expect("lock").push((verified, payload));
                "purged"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let shop = shop_with(engine, &WEBHOOKS.replace("URL", &url), |_| {}).await;
    let ada = person("ada", Role::Developer);
    let id = shop.engine().request(&ada, &meta(), &request("notify-cdn", "shop-api", None, &[("path", "/img")])).await.expect("requested");
    let row = shop.until_final(&id).await;
    assert_eq!(row.state().expect("state"), RunState::Succeeded, "{:?}", row.message);
    let received = received.lock().expect("lock").clone();
    assert_eq!(received.len(), 1);
    let (verified, payload) = &received[0];
    assert!(verified, "the signature verifies with the named secret");
    assert_eq!((payload["run"].as_str(), payload["inputs"]["path"].as_str()), (Some(id.as_str()), Some("/img")));
    let steps = shop.app.store.run_steps(&id).await.expect("steps");
    assert!(steps[0].output.contains("200") && steps[0].output.contains("purged"), "{}", steps[0].output);
}
