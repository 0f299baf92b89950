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

#[tokio::test]
async fn the_api_version_header_must_be_one_github_serves_and_only_once() {
    let github = spawn().await;
    let token = github.mint_token("alice").expect("alice exists");
    let user = |versions: &[&str]| {
        let mut request = http()
            .get(format!("{}/user", github.base_url()))
            .bearer_auth(&token);
        for version in versions {
            request = request.header("x-github-api-version", *version);
        }
        request.send()
    };
    assert_eq!(user(&[]).await.expect("answers").status(), StatusCode::OK);
    assert_eq!(user(&["2022-11-28"]).await.expect("answers").status(), StatusCode::OK);
    assert_eq!(github.last_api_versions(), ["2022-11-28"]);
    let twice = user(&["2022-11-28", "2022-11-28"]).await.expect("answers");
    assert_eq!(twice.status(), StatusCode::BAD_REQUEST);
    let unknown = user(&["2019-01-01"]).await.expect("answers");
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let body: Value = unknown.json().await.expect("JSON error");
    assert!(body["message"].as_str().is_some_and(|m| m.contains("2019-01-01")), "{body}");
}

#[tokio::test]
async fn the_secondary_limit_refuses_everything_with_retry_after() {
    let github = spawn().await;
    let token = github.mint_token("alice").expect("alice exists");
    github.set_secondary_limit(std::time::Duration::from_secs(30));
    let response = http()
        .get(format!("{}/user/orgs", github.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((29..=30).contains(&retry), "{retry}");
    let body: Value = response.json().await.expect("JSON error");
    assert!(body["message"].as_str().is_some_and(|m| m.contains("secondary rate limit")));
    assert_eq!(github.charged_calls(), 0, "a refused call is not charged");
}

#[tokio::test]
async fn the_primary_budget_counts_calls_but_not_304s() {
    let github = spawn().await;
    let token = github.mint_token("alice").expect("alice exists");
    github.put_repository("acme", github_double::FakeRepo::new("shop"));
    github.set_rate_budget(Some(2));
    let list = |etag: Option<String>| {
        let mut request = http()
            .get(format!("{}/orgs/acme/repos", github.base_url()))
            .bearer_auth(&token);
        if let Some(etag) = etag {
            request = request.header("if-none-match", etag);
        }
        request.send()
    };
    let first = list(None).await.expect("answers");
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["x-ratelimit-remaining"], "1");
    let etag = first.headers()["etag"].to_str().expect("ascii").to_owned();
    for _ in 0..3 {
        let again = list(Some(etag.clone())).await.expect("answers");
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "304s cost nothing");
    }
    assert_eq!(list(None).await.expect("answers").status(), StatusCode::OK);
    let spent = list(None).await.expect("answers");
    assert_eq!(spent.status(), StatusCode::FORBIDDEN);
    assert_eq!(spent.headers()["x-ratelimit-remaining"], "0");
    assert!(spent.headers().contains_key("x-ratelimit-reset"));
    assert_eq!(github.charged_calls(), 2);
    assert_eq!(github.api_calls(), 6);
}

#[tokio::test]
async fn an_enterprise_server_serves_the_api_under_api_v3_and_links_there() {
    let config = github_double::DoubleConfig::new(vec![crate::alice()]).enterprise();
    let github = github_double::GithubDouble::spawn(config)
        .await
        .expect("the double starts");
    assert_eq!(github.api_url(), format!("{}/api/v3", github.base_url()));
    let token = github.mint_token("alice").expect("alice exists");
    let at_root = http()
        .get(format!("{}/user", github.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answers");
    assert_eq!(at_root.status(), StatusCode::NOT_FOUND);
    let teams = http()
        .get(format!("{}/user/teams?per_page=1&type=all", github.api_url()))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answers");
    assert_eq!(teams.status(), StatusCode::OK);
    let link = teams.headers()["link"].to_str().expect("ascii").to_owned();
    let next = format!(
        "<{}/user/teams?type=all&per_page=1&page=2>; rel=\"next\"",
        github.api_url()
    );
    assert!(link.contains(&next), "{link}");
    let authorize = http()
        .get(format!("{}/login/oauth/authorize", github.base_url()))
        .send()
        .await
        .expect("answers");
    assert_ne!(authorize.status(), StatusCode::NOT_FOUND, "the web flow stays at the root");
}
