//! GitHub Actions: dispatch refusals in GitHub's words, and run and job objects that
//! octocrab's own models read.

use octocrab::models::workflows::{Job, Run};
use reqwest::StatusCode;
use serde_json::{Value, json};

use github_double::FakeWorkflow;

use crate::{http, spawn};

#[tokio::test]
async fn a_dispatched_run_moves_on_as_it_is_read_in_octocrabs_format() {
    let github = spawn().await;
    github.put_workflow(
        "acme/checkout",
        FakeWorkflow::new("deploy.yml").with_inputs(&["version"]),
    );
    let base = github.base_url();
    let token = github.mint_token("alice").expect("alice exists");
    let workflow = format!("{base}/repos/acme/checkout/actions/workflows/deploy.yml");
    let dispatch = |body: Value| {
        http()
            .post(format!("{workflow}/dispatches"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };

    let refused = dispatch(json!({ "ref": "main", "inputs": { "colour": "red" } }))
        .await
        .expect("answers");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.expect("JSON error");
    assert_eq!(body["message"], "Unexpected inputs provided: [\"colour\"]");

    let plain = dispatch(json!({ "ref": "main", "inputs": { "version": "1" } }))
        .await
        .expect("answers");
    assert_eq!(plain.status(), StatusCode::NO_CONTENT);
    let detailed = dispatch(json!({ "ref": "main", "return_run_details": true }))
        .await
        .expect("answers");
    assert_eq!(detailed.status(), StatusCode::OK);
    let details: Value = detailed.json().await.expect("JSON details");
    let id = details["workflow_run_id"].as_u64().expect("a run id");
    assert_eq!(
        details["html_url"],
        format!("{base}/acme/checkout/actions/runs/{id}")
    );

    let listing: Value = http()
        .get(format!(
            "{workflow}/runs?event=workflow_dispatch&branch=main"
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("listing")
        .json()
        .await
        .expect("JSON listing");
    assert_eq!(listing["total_count"], 2);
    assert_eq!(listing["workflow_runs"][0]["id"], id, "newest first");

    let read = || {
        http()
            .get(format!("{base}/repos/acme/checkout/actions/runs/{id}"))
            .bearer_auth(&token)
            .send()
    };
    let first: Run = read().await.expect("run").json().await.expect("a Run");
    assert_eq!(
        (first.status.as_str(), first.conclusion),
        ("in_progress", None)
    );
    let second: Run = read().await.expect("run").json().await.expect("a Run");
    assert_eq!(second.status, "completed");
    assert_eq!(second.conclusion.as_deref(), Some("success"));

    let jobs: Value = http()
        .get(format!("{base}/repos/acme/checkout/actions/runs/{id}/jobs"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("jobs")
        .json()
        .await
        .expect("JSON jobs");
    let jobs: Vec<Job> = serde_json::from_value(jobs["jobs"].clone()).expect("octocrab Jobs");
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[1].name, "deploy");
}

#[tokio::test]
async fn unknown_workflows_refs_and_tokens_are_refused() {
    let github = spawn().await;
    github.put_workflow("acme/checkout", FakeWorkflow::new("deploy.yml"));
    let base = github.base_url();
    let token = github.mint_token("alice").expect("alice exists");
    let post = |workflow: &str, token: &str| {
        http()
            .post(format!(
                "{base}/repos/acme/checkout/actions/workflows/{workflow}/dispatches"
            ))
            .bearer_auth(token)
            .json(&json!({ "ref": "nope" }))
            .send()
    };
    let status = |response: reqwest::Response| response.status();
    assert_eq!(
        status(post("deploy.yml", &token).await.expect("answers")),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        status(post("other.yml", &token).await.expect("answers")),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status(post("deploy.yml", "gho_nope").await.expect("answers")),
        StatusCode::UNAUTHORIZED
    );
}
