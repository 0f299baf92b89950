//! The OAuth web flow's wire format, checked with a plain HTTP client.

use std::collections::HashMap;

use reqwest::StatusCode;
use serde_json::Value;

use crate::{CALLBACK, challenge, http, spawn};

const VERIFIER: &str = "a-verifier-of-at-least-forty-three-characters-0123456789";
const STATE: &str = "s t&a=t/e";

/// Runs the authorize step for `login` and returns the redirect's query parameters.
async fn authorize(base: &str, extra: &[(&str, &str)]) -> HashMap<String, String> {
    let mut query = vec![
        ("client_id", "portico-test"),
        ("redirect_uri", CALLBACK),
        ("state", STATE),
        ("scope", "read:user read:org"),
        ("response_type", "code"),
    ];
    query.extend_from_slice(extra);
    let response = http()
        .get(format!("{base}/login/oauth/authorize"))
        .query(&query)
        .send()
        .await
        .expect("authorize answers");
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii location");
    let (target, query) = location.split_once('?').expect("location has a query");
    assert_eq!(target, CALLBACK);
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

async fn code_for_alice(base: &str) -> String {
    let challenge = challenge(VERIFIER);
    let extra = [
        ("login", "alice"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ];
    let reply = authorize(base, &extra).await;
    assert_eq!(reply["state"], STATE);
    reply["code"].clone()
}

/// Exchanges `code` as the oauth2 crate does: Basic auth, form body, JSON wanted.
async fn exchange(base: &str, code: &str, verifier: &str) -> Value {
    let response = http()
        .post(format!("{base}/login/oauth/access_token"))
        .basic_auth("portico-test", Some("portico-test-secret"))
        .header("accept", "application/json")
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .expect("token endpoint answers");
    // GitHub answers 200 whether or not the exchange worked.
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("token endpoint answers JSON")
}

#[tokio::test]
async fn code_flow_with_pkce_issues_a_token_for_the_api() {
    let github = spawn().await;
    let base = github.base_url();
    let code = code_for_alice(&base).await;
    let token = exchange(&base, &code, VERIFIER).await;
    assert_eq!(token["token_type"], "bearer");
    assert_eq!(token["scope"], "read:user,read:org");
    let access = token["access_token"].as_str().expect("a token");
    assert!(access.starts_with("gho_"), "{access}");

    let response = http()
        .get(format!("{base}/user"))
        .bearer_auth(access)
        .send()
        .await
        .expect("/user answers");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    assert_eq!(
        response.headers()["x-github-media-type"],
        "github.v3; format=json"
    );
    assert_eq!(response.headers()["x-oauth-scopes"], "read:user, read:org");
    assert!(response.headers().contains_key("x-ratelimit-remaining"));
    let user: Value = response.json().await.expect("JSON user");
    assert_eq!(user["login"], "alice");
    assert_eq!(user["type"], "User");
    assert_eq!(user["html_url"], format!("{base}/alice"));
    assert_eq!(github.token_requests(), 1);
}

#[tokio::test]
async fn a_replayed_code_is_refused() {
    let github = spawn().await;
    let base = github.base_url();
    let code = code_for_alice(&base).await;
    assert!(exchange(&base, &code, VERIFIER).await["access_token"].is_string());
    let replay = exchange(&base, &code, VERIFIER).await;
    assert_eq!(replay["error"], "bad_verification_code");
    assert_eq!(
        replay["error_description"],
        "The code passed is incorrect or expired."
    );
    assert_eq!(github.token_requests(), 2);
}

#[tokio::test]
async fn a_wrong_verifier_is_refused() {
    let github = spawn().await;
    let base = github.base_url();
    let code = code_for_alice(&base).await;
    let reply = exchange(
        &base,
        &code,
        "another-verifier-of-forty-three-characters-000000",
    )
    .await;
    assert_eq!(reply["error"], "bad_verification_code");
    assert!(reply.get("access_token").is_none());
}

#[tokio::test]
async fn without_accept_json_the_answer_is_form_encoded_and_body_credentials_work() {
    let github = spawn().await;
    let base = github.base_url();
    let code = authorize(&base, &[("login", "bob")]).await["code"].clone();
    let response = http()
        .post(format!("{base}/login/oauth/access_token"))
        .form(&[
            ("client_id", "portico-test"),
            ("client_secret", "portico-test-secret"),
            ("code", &code),
        ])
        .send()
        .await
        .expect("token endpoint answers");
    assert_eq!(
        response.headers()["content-type"],
        "application/x-www-form-urlencoded; charset=utf-8"
    );
    let body = response.text().await.expect("a body");
    let reply: HashMap<String, String> = form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    assert!(reply["access_token"].starts_with("gho_"), "{body}");
    assert_eq!(reply["token_type"], "bearer");
}

#[tokio::test]
async fn cancel_redirects_with_access_denied_and_the_state() {
    let github = spawn().await;
    let reply = authorize(&github.base_url(), &[("cancel", "1")]).await;
    assert_eq!(reply["error"], "access_denied");
    assert_eq!(
        reply["error_description"],
        "The user has denied your application access."
    );
    assert!(reply["error_uri"].ends_with("#access-denied"));
    assert_eq!(reply["state"], STATE);
    assert!(!reply.contains_key("code"));
}

#[tokio::test]
async fn the_authorize_page_offers_each_user_and_cancel() {
    let github = spawn().await;
    let response = http()
        .get(format!("{}/login/oauth/authorize", github.base_url()))
        .query(&[
            ("client_id", "portico-test"),
            ("redirect_uri", CALLBACK),
            ("state", "xyz"),
        ])
        .send()
        .await
        .expect("authorize answers");
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("a page");
    assert!(html.contains("<title>Authorize Portico</title>"));
    assert!(html.contains(">Sign in as alice</button>"));
    assert!(html.contains(">Sign in as bob</button>"));
    assert!(html.contains(">Cancel</button>"));
    assert!(html.contains("action=\"/login/oauth/authorize/confirm\""));
}

#[tokio::test]
async fn authorize_refuses_a_missing_redirect_uri_or_a_plain_challenge() {
    let github = spawn().await;
    let url = format!("{}/login/oauth/authorize", github.base_url());
    let missing = http()
        .get(&url)
        .query(&[("client_id", "portico-test")])
        .send()
        .await
        .expect("answers");
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    let plain = [
        ("client_id", "portico-test"),
        ("redirect_uri", CALLBACK),
        ("code_challenge", "abc"),
        ("code_challenge_method", "plain"),
    ];
    let plain = http()
        .get(&url)
        .query(&plain)
        .send()
        .await
        .expect("answers");
    assert_eq!(plain.status(), StatusCode::BAD_REQUEST);
}
