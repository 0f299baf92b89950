//! The whole GitHub sign-in, through the production OAuth and API code, against a local
//! server that answers GitHub's endpoints in GitHub's wire format.

use domain::audit::{AuditQuery, Outcome};
use domain::store::AuditStore;
use github_double::{DoubleConfig, FakeUser, GithubDouble};

use crate::support::{Engine, TestApp, client, github_sign_in, grant, on_both_engines};

fn user(login: &str, orgs: &[&str], teams: &[(&str, &str)]) -> FakeUser {
    FakeUser {
        login: login.into(),
        id: 1000 + login.len() as u64,
        name: Some(format!("{login} Example")),
        email: None,
        orgs: orgs.iter().map(|o| (*o).to_owned()).collect(),
        teams: teams.iter().map(|(o, t)| ((*o).to_owned(), (*t).to_owned())).collect(),
    }
}

async fn portal_with_github(engine: Engine) -> (TestApp, GithubDouble) {
    let users = vec![
        user("Alice", &["acme"], &[("acme", "platform")]),
        user("mallory", &["elsewhere"], &[]),
        // A member who also created an organisation of her own, with a team named like acme's.
        user("eve", &["acme", "eve-org"], &[("eve-org", "platform")]),
    ];
    let github = GithubDouble::spawn(DoubleConfig::new(users)).await.expect("GitHub double starts");
    let base = url::Url::parse(&github.base_url()).expect("url");
    let app = TestApp::spawn_configured(engine, |config| {
        config.auth.github = Some(github_sign_in(&base));
        config.auth.allowed_orgs = vec!["acme".into()];
        config.access.grants.push(grant("admin", &[], &["acme/platform"]));
    })
    .await;
    (app, github)
}

/// Starts a sign-in and approves it at GitHub as `login`: the callback URL GitHub sends back.
async fn authorize(app: &TestApp, browser: &reqwest::Client, login: &str) -> String {
    let start = browser.get(app.url("/auth/github?next=/me")).send().await.expect("start");
    assert_eq!(start.status(), 303);
    let authorize = start.headers()["location"].to_str().expect("ascii").to_owned();
    assert!(authorize.contains("code_challenge_method=S256") && authorize.contains("state="), "{authorize}");
    let approved = browser.get(format!("{authorize}&login={login}")).send().await.expect("authorize");
    approved.headers()["location"].to_str().expect("ascii").to_owned()
}

async fn location(browser: &reqwest::Client, url: &str) -> String {
    let response = browser.get(url).send().await.expect("get");
    response.headers().get("location").map(|l| l.to_str().expect("ascii").to_owned()).unwrap_or_default()
}

async fn sign_in_outcomes(app: &TestApp, outcome: Outcome) -> Vec<domain::audit::Event> {
    let query = AuditQuery { action: Some("auth.sign_in".into()), outcome: Some(outcome), ..AuditQuery::default() }.normalised();
    app.store.audit_page(&query).await.expect("audit").items
}

async fn a_member_signs_in_with_github_and_gets_roles_from_teams(engine: Engine) {
    let (app, _github) = portal_with_github(engine).await;
    let browser = client();
    let callback = authorize(&app, &browser, "Alice").await;
    assert_eq!(location(&browser, &callback).await, "/me");
    let me = browser.get(app.url("/me")).send().await.expect("me").text().await.expect("body");
    assert!(me.contains("alice") && me.contains("you are a member of team acme/platform"), "{me}");
    // The same callback again finds no sign-in in progress.
    assert_eq!(location(&browser, &callback).await, "/sign-in?error=no_pending");
    let signed_in = sign_in_outcomes(&app, Outcome::Success).await;
    assert!(signed_in.iter().any(|e| e.actor == "alice"));
}

async fn refusals_each_get_their_page_and_an_audit_event(engine: Engine) {
    let (app, github) = portal_with_github(engine).await;
    // Someone outside the allowed organisations.
    let browser = client();
    let callback = authorize(&app, &browser, "mallory").await;
    assert_eq!(location(&browser, &callback).await, "/sign-in?error=not_allowed");
    assert!(sign_in_outcomes(&app, Outcome::Denied).await.iter().any(|e| e.actor == "mallory"));

    // A state that does not match the one this browser was given.
    let callback = authorize(&app, &browser, "Alice").await;
    let tampered = callback.replace("state=", "state=x");
    assert_eq!(location(&browser, &tampered).await, "/sign-in?error=state_mismatch");

    // Declined at GitHub.
    let start = browser.get(app.url("/auth/github")).send().await.expect("start");
    let authorize_url = start.headers()["location"].to_str().expect("ascii").to_owned();
    let declined = location(&browser, &format!("{authorize_url}&cancel=1")).await;
    assert!(declined.contains("error=access_denied"), "{declined}");
    assert_eq!(location(&browser, &declined).await, "/sign-in?error=access_denied");

    // A code already exchanged, replayed with a fresh state: GitHub refuses it.
    let first = authorize(&app, &browser, "Alice").await;
    assert_eq!(location(&browser, &first).await, "/me");
    let code = first.split("code=").nth(1).and_then(|rest| rest.split('&').next()).expect("code").to_owned();
    let second = authorize(&app, &browser, "Alice").await;
    let state = second.split("state=").nth(1).and_then(|rest| rest.split('&').next()).expect("state").to_owned();
    let replay = app.url(&format!("/auth/github/callback?code={code}&state={state}"));
    assert_eq!(location(&browser, &replay).await, "/sign-in?error=code_rejected");
    assert!(github.token_requests() >= 3);
    assert!(sign_in_outcomes(&app, Outcome::Failure).await.len() >= 3, "state mismatch, decline and replay are recorded");
}

async fn a_team_of_another_organisation_is_not_kept_at_sign_in(engine: Engine) {
    let (app, _github) = portal_with_github(engine).await;
    let browser = client();
    let callback = authorize(&app, &browser, "eve").await;
    assert_eq!(location(&browser, &callback).await, "/me");
    let me = browser.get(app.url("/me")).send().await.expect("me").text().await.expect("body");
    assert!(me.contains("eve"), "{me}");
    assert!(!me.contains("eve-org/platform"), "a team of an organisation the portal does not name is dropped: {me}");
    assert!(!me.contains("member of team"), "and grants nothing: {me}");
    let identity: String = match &app.store {
        server::store::Store::Sqlite(pool) => sqlx::query_scalar("SELECT identity FROM users WHERE login = 'eve'").fetch_one(pool).await,
        server::store::Store::Postgres(pool) => sqlx::query_scalar("SELECT identity FROM users WHERE login = 'eve'").fetch_one(pool).await,
    }
    .expect("eve is stored");
    let identity: domain::access::Identity = serde_json::from_str(&identity).expect("an identity");
    assert_eq!(identity.teams, [], "tokens act on the stored identity, which keeps no foreign team");
}

on_both_engines!(
    a_member_signs_in_with_github_and_gets_roles_from_teams,
    refusals_each_get_their_page_and_an_audit_event,
    a_team_of_another_organisation_is_not_kept_at_sign_in
);
