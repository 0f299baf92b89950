//! The one GitHub client against the GitHub double: it pins the API version, charges nothing
//! for unchanged answers, stops every call while a rate limit lasts, and follows pages of a
//! GitHub Enterprise Server under `/api/v3`. No portal and no database: these run in parallel.

use std::time::Duration;

use github_api::{API_VERSION, Conditional, GithubApi, GithubError};
use github_double::{DoubleConfig, FakeRepo, FakeUser, GithubDouble};
use secrecy::SecretString;

fn member() -> FakeUser {
    let teams = (1..=5).map(|n| ("acme".to_owned(), format!("team-{n}"))).collect();
    FakeUser { login: "ci-bot".into(), id: 950, name: None, email: None, orgs: vec!["acme".into()], teams }
}

async fn double(config: DoubleConfig) -> (GithubDouble, GithubApi) {
    let github = GithubDouble::spawn(config).await.expect("GitHub double starts");
    github.put_repository("acme", FakeRepo::new("shop"));
    let token = github.mint_token("ci-bot").expect("the bot exists");
    let url = url::Url::parse(&github.api_url()).expect("url");
    let api = GithubApi::new(&url, SecretString::from(token), "tests.token").expect("client");
    (github, api)
}

#[tokio::test]
async fn every_call_asks_for_one_pinned_api_version() {
    let (github, api) = double(DoubleConfig::new(vec![member()])).await;
    let _: serde_json::Value = api.get("/user").await.expect("the user");
    assert_eq!(github.last_api_versions(), [API_VERSION], "exactly one version header");
    api.post("/repos/acme/shop/contents/x", &serde_json::json!({})).await.ok();
    assert_eq!(github.last_api_versions(), [API_VERSION]);
}

#[tokio::test]
async fn an_unchanged_answer_is_a_304_that_costs_nothing() {
    let (github, api) = double(DoubleConfig::new(vec![member()])).await;
    let Conditional::Fresh { etag, .. } = api.get_conditional::<serde_json::Value>("/orgs/acme/repos", None).await.expect("listing") else {
        panic!("a first read is fresh");
    };
    let charged = github.charged_calls();
    for _ in 0..3 {
        let again = api.get_conditional::<serde_json::Value>("/orgs/acme/repos", etag.as_deref()).await.expect("listing");
        assert_eq!(again, Conditional::Unchanged);
    }
    assert_eq!(github.charged_calls(), charged, "GitHub charges nothing for 304s");
}

#[tokio::test]
async fn a_secondary_limit_stops_every_call_until_the_time_github_gives() {
    let (github, api) = double(DoubleConfig::new(vec![member()])).await;
    github.set_secondary_limit(Duration::from_secs(2));
    let refused = api.get::<serde_json::Value>("/user").await.expect_err("limited");
    assert!(matches!(&refused, GithubError::RateLimited { message, .. } if message.contains("secondary rate limit")), "{refused:?}");
    let wait = refused.retry_after().expect("a wait");
    assert!(wait > Duration::from_secs(1) && wait <= Duration::from_secs(2), "{wait:?}");
    // While the wait lasts, clones of the client make no call at all.
    let calls = github.api_calls();
    let clone = api.clone();
    for _ in 0..5 {
        let held = clone.get::<serde_json::Value>("/user").await.expect_err("held back");
        assert!(held.retry_after().is_some(), "{held:?}");
    }
    assert_eq!(github.api_calls(), calls, "no call reached GitHub while it asked to wait");
    tokio::time::sleep(api.paused_for().expect("still paused")).await;
    let _: serde_json::Value = api.get("/user").await.expect("answers again after the wait");
}

#[tokio::test]
async fn a_spent_primary_limit_waits_for_its_reset() {
    let (github, api) = double(DoubleConfig::new(vec![member()])).await;
    github.set_rate_budget(Some(0));
    github.set_rate_limit_reset(Duration::from_secs(600));
    let refused = api.get::<serde_json::Value>("/user").await.expect_err("spent");
    let wait = refused.retry_after().expect("a wait");
    assert!(wait >= Duration::from_secs(598) && wait <= Duration::from_secs(600), "until the reset: {wait:?}");
    assert!(refused.to_string().contains("rate limit"), "{refused}");
    assert!(refused.is_general() && refused.is_transient());
}

#[tokio::test]
async fn pages_of_an_enterprise_server_are_followed_under_its_api_path() {
    let (github, api) = double(DoubleConfig::new(vec![member()]).enterprise()).await;
    assert!(github.api_url().ends_with("/api/v3"));
    let pages = api.pages::<serde_json::Value>("/user/teams?per_page=2", 10).await.expect("teams");
    let slugs: Vec<&str> = pages.items.iter().filter_map(|team| team["slug"].as_str()).collect();
    assert_eq!(slugs, ["team-1", "team-2", "team-3", "team-4", "team-5"]);
    assert!(pages.complete);
    let cut = api.pages::<serde_json::Value>("/user/teams?per_page=2", 2).await.expect("teams");
    assert_eq!((cut.items.len(), cut.complete), (4, false), "a listing longer than allowed says so");
}

#[tokio::test]
async fn a_refused_token_names_its_setting_and_not_itself() {
    let github = GithubDouble::spawn(DoubleConfig::new(vec![member()])).await.expect("GitHub double starts");
    let url = url::Url::parse(&github.api_url()).expect("url");
    let api = GithubApi::new(&url, SecretString::from("ghp_not-a-real-token".to_owned()), "tests.token").expect("client");
    let refused = api.get::<serde_json::Value>("/user").await.expect_err("refused");
    let text = refused.to_string();
    assert!(matches!(refused, GithubError::Unauthorized { .. }), "{text}");
    assert!(text.contains("tests.token") && !text.contains("ghp_not-a-real-token"), "{text}");
}
