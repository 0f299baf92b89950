//! The REST API's wire format, checked with a plain HTTP client.

use reqwest::StatusCode;
use serde_json::Value;

use crate::{http, spawn};

#[tokio::test]
async fn a_bad_token_gets_githubs_401() {
    let github = spawn().await;
    let response = http()
        .get(format!("{}/user", github.base_url()))
        .header("authorization", "token gho_nope")
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.expect("JSON error");
    assert_eq!(body["message"], "Bad credentials");
    assert_eq!(body["status"], "401");
}

#[tokio::test]
async fn user_teams_paginate_with_a_link_header() {
    let github = spawn().await;
    let base = github.base_url();
    let token = github.mint_token("alice").expect("alice exists");
    let page = |n: u32| {
        http()
            .get(format!("{base}/user/teams?per_page=2&page={n}"))
            .bearer_auth(&token)
            .send()
    };

    let first = page(1).await.expect("page 1");
    let link = first.headers()["link"]
        .to_str()
        .expect("ascii link")
        .to_owned();
    let teams: Vec<Value> = first.json().await.expect("JSON teams");
    assert_eq!(teams.len(), 2);
    assert_eq!(teams[0]["slug"], "platform");
    assert_eq!(teams[0]["organization"]["login"], "acme");
    assert!(
        link.contains(&format!(
            "<{base}/user/teams?per_page=2&page=2>; rel=\"next\""
        )),
        "{link}"
    );
    assert!(
        link.contains(&format!(
            "<{base}/user/teams?per_page=2&page=2>; rel=\"last\""
        )),
        "{link}"
    );

    let second = page(2).await.expect("page 2");
    let link = second.headers()["link"]
        .to_str()
        .expect("ascii link")
        .to_owned();
    assert!(!link.contains("rel=\"next\""), "{link}");
    assert!(link.contains("page=1>; rel=\"prev\""), "{link}");
    let teams: Vec<Value> = second.json().await.expect("JSON teams");
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0]["organization"]["login"], "globex");
}

#[tokio::test]
async fn no_token_gets_requires_authentication_and_unknown_paths_a_json_404() {
    let github = spawn().await;
    let base = github.base_url();
    let response = http()
        .get(format!("{base}/user/orgs"))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["x-ratelimit-limit"], "60");
    let body: Value = response.json().await.expect("JSON error");
    assert_eq!(body["message"], "Requires authentication");

    let response = http()
        .get(format!("{base}/repos/acme/app"))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.expect("JSON error");
    assert_eq!(body["message"], "Not Found");
}

#[tokio::test]
async fn user_orgs_fit_on_one_page_without_a_link_header() {
    let github = spawn().await;
    let token = github.mint_token("alice").expect("alice exists");
    let response = http()
        .get(format!("{}/user/orgs", github.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!response.headers().contains_key("link"));
    let orgs: Vec<Value> = response.json().await.expect("JSON orgs");
    let logins: Vec<&str> = orgs
        .iter()
        .filter_map(|org| org["login"].as_str())
        .collect();
    assert_eq!(logins, ["acme", "globex"]);
    assert_eq!(
        orgs[0]["node_id"]
            .as_str()
            .map(|id| id.starts_with("MDEyOk9yZ2FuaXphdGlvbj")),
        Some(true)
    );
}
