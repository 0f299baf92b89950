//! Identity that follows GitHub: people are GitHub accounts (a rename keeps what the account
//! had, a reused login inherits nothing), leaving an organisation or team takes what it gave at
//! the next membership check, admins can end anyone's access at once, and an organisation that
//! hides itself from the OAuth app is named on the refusal page. All through the production
//! OAuth and API clients, against the GitHub double.

use domain::audit::{AuditQuery, Event};
use domain::store::AuditStore;
use github_double::{DoubleConfig, FakeUser, GithubDouble};
use secrecy::SecretString;

use crate::support::{Engine, TestApp, client, github_sign_in, grant, on_both_engines};

const MEMBERSHIP_TOKEN: &str = "ghp_membership_reader";

fn user(login: &str, id: u64, orgs: &[&str], teams: &[&str]) -> FakeUser {
    FakeUser {
        login: login.into(),
        id,
        name: None,
        email: None,
        orgs: orgs.iter().map(|o| (*o).to_owned()).collect(),
        teams: teams.iter().map(|t| ("acme".to_owned(), (*t).to_owned())).collect(),
    }
}

fn alice() -> FakeUser {
    user("alice", 501, &["acme"], &["platform"])
}

fn bot() -> FakeUser {
    user("ops-bot", 900, &["acme"], &[])
}

/// A portal where members of `acme` sign in with GitHub and team `acme/platform` is admin, with
/// a bot account's token to re-check memberships.
async fn portal(engine: Engine) -> (TestApp, GithubDouble) {
    let users = vec![alice(), user("bob", 502, &["acme"], &[]), bot()];
    let github = GithubDouble::spawn(DoubleConfig::new(users)).await.expect("GitHub double starts");
    assert!(github.accept_token("ops-bot", MEMBERSHIP_TOKEN));
    let base = url::Url::parse(&github.base_url()).expect("url");
    let app = TestApp::spawn_configured(engine, |config| {
        config.auth.github = Some(github_sign_in(&base));
        config.auth.allowed_orgs = vec!["acme".into()];
        config.auth.membership_token = Some(SecretString::from(MEMBERSHIP_TOKEN));
        config.access.grants.push(grant("admin", &[], &["acme/platform"]));
    })
    .await;
    (app, github)
}

/// A browser signed in at GitHub as `login`; `None` when the portal refused, with where it sent it.
async fn sign_in(app: &TestApp, login: &str) -> Result<reqwest::Client, String> {
    let browser = client();
    let start = browser.get(app.url("/auth/github?next=/me")).send().await.expect("start");
    let authorize = start.headers()["location"].to_str().expect("ascii").to_owned();
    let approved = browser.get(format!("{authorize}&login={login}")).send().await.expect("authorize");
    let callback = approved.headers()["location"].to_str().expect("ascii").to_owned();
    let landed = browser.get(callback).send().await.expect("callback");
    let location = landed.headers().get("location").map(|l| l.to_str().expect("ascii").to_owned()).unwrap_or_default();
    if location == "/me" { Ok(browser) } else { Err(location) }
}

/// A new token of `scope` made through the tokens page, and its secret.
async fn make_token(app: &TestApp, browser: &reqwest::Client, scope: &str) -> String {
    let made = browser.post(app.url("/auth/tokens")).form(&[("name", "ci"), ("scope", scope), ("lifetime_days", "30")]).send().await.expect("post");
    assert_eq!(made.status(), 303);
    let page = browser.get(app.url("/me/tokens")).send().await.expect("get").text().await.expect("body");
    page.split("value=\"portico_").nth(1).and_then(|rest| rest.split('"').next()).map(|s| format!("portico_{s}")).expect("secret shown")
}

/// The status of an admin-only API call made with `secret`.
async fn admin_call(app: &TestApp, secret: &str) -> u16 {
    let response = reqwest::Client::new().post(app.url("/api/admin/access")).bearer_auth(secret).json(&serde_json::json!({})).send().await;
    response.expect("post").status().as_u16()
}

async fn me(app: &TestApp, browser: &reqwest::Client) -> (u16, String) {
    let response = browser.get(app.url("/me")).send().await.expect("get");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

async fn events(app: &TestApp, action: &str) -> Vec<Event> {
    let query = AuditQuery { action: Some(action.into()), ..AuditQuery::default() }.normalised();
    app.store.audit_page(&query).await.expect("audit").items
}

async fn leaving_the_organisation_ends_sessions_and_tokens_at_the_next_check(engine: Engine) {
    let (app, github) = portal(engine).await;
    let check = app.membership.clone().expect("a membership check is configured");
    let browser = sign_in(&app, "alice").await.expect("alice signs in");
    let secret = make_token(&app, &browser, "admin").await;
    let bob = sign_in(&app, "bob").await.expect("bob signs in");
    assert_eq!(admin_call(&app, &secret).await, 200);

    // A token whose own account is outside the organisation sees no concealed members: that
    // must not read as everyone having left.
    github.put_user(user("ops-bot", 900, &[], &[]));
    github.put_user(user("alice", 501, &[], &[]));
    let report = check.run_once().await.expect("check");
    assert!(report.changed.is_empty() && report.unread.iter().any(|why| why.contains("not a member")), "{report:?}");
    assert_eq!(admin_call(&app, &secret).await, 200, "nothing is taken on an unreadable list");

    github.put_user(bot());
    let report = check.run_once().await.expect("check");
    assert_eq!(report.changed, ["alice"], "{report:?}");
    assert_eq!(admin_call(&app, &secret).await, 401, "her token no longer lets her in");
    assert_eq!(me(&app, &browser).await.0, 303, "nor does her session");
    assert_eq!(me(&app, &bob).await.0, 200, "bob, still a member, keeps his");
    let changed = events(&app, "user.membership_changed").await;
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].inputs["login"], "alice");
    assert_eq!(changed[0].inputs["removed_orgs"], serde_json::json!(["acme"]));
    assert_eq!(check.run_once().await.expect("check").changed, Vec::<String>::new(), "a second check changes nothing");
}

async fn leaving_a_team_takes_what_the_team_gave(engine: Engine) {
    let (app, github) = portal(engine).await;
    let check = app.membership.clone().expect("a membership check is configured");
    let browser = sign_in(&app, "alice").await.expect("alice signs in");
    let secret = make_token(&app, &browser, "admin").await;
    github.put_user(user("alice", 501, &["acme"], &[]));
    assert_eq!(check.run_once().await.expect("check").changed, ["alice"]);
    assert_eq!(admin_call(&app, &secret).await, 403, "an admin token of someone who is no longer admin does nothing admin");
    let (status, page) = me(&app, &browser).await;
    assert_eq!(status, 200, "she is still a member of acme");
    assert!(!page.contains("acme/platform"), "the page no longer shows the team");
}

async fn a_renamed_account_keeps_its_tokens_and_sessions(engine: Engine) {
    let (app, github) = portal(engine).await;
    let check = app.membership.clone().expect("a membership check is configured");
    let browser = sign_in(&app, "alice").await.expect("alice signs in");
    let secret = make_token(&app, &browser, "admin").await;
    github.put_user(user("alicia", 501, &["acme"], &["platform"]));
    // The check sees account 501 under its new login before she signs in again.
    assert_eq!(check.run_once().await.expect("check").changed, ["alicia"]);
    assert_eq!(admin_call(&app, &secret).await, 200, "her token follows the account");
    let used = events(&app, "token.used").await;
    assert_eq!(used[0].actor, "alicia");
    let (status, page) = me(&app, &browser).await;
    assert_eq!(status, 200);
    assert!(page.contains("alicia"), "her session shows the new login");
    let again = sign_in(&app, "alicia").await.expect("alicia signs in");
    assert_eq!(me(&app, &again).await.0, 200);
    assert_eq!(app.store.tokens_of("alicia").await.expect("tokens").len(), 1);
    assert!(app.store.tokens_of("alice").await.expect("tokens").is_empty());
    let renamed = events(&app, "user.renamed").await;
    assert_eq!(renamed.len(), 1);
    assert_eq!((renamed[0].inputs["from"].as_str(), renamed[0].inputs["to"].as_str()), (Some("alice"), Some("alicia")));
}

async fn whoever_takes_a_freed_login_inherits_nothing(engine: Engine) {
    let (app, github) = portal(engine).await;
    let browser = sign_in(&app, "alice").await.expect("alice signs in");
    let secret = make_token(&app, &browser, "admin").await;
    // Alice renames her account and a stranger registers "alice", then signs in first.
    github.put_user(user("alicia", 501, &["acme"], &["platform"]));
    github.put_user(user("alice", 777, &["acme"], &[]));
    let stranger = sign_in(&app, "alice").await.expect("the new alice signs in");
    assert!(app.store.tokens_of("alice").await.expect("tokens").is_empty(), "the newcomer has no tokens");
    assert_eq!(admin_call(&app, &secret).await, 401, "the earlier account's token is revoked");
    assert_eq!(me(&app, &browser).await.0, 303, "and its session ended");
    let (status, page) = me(&app, &stranger).await;
    assert_eq!(status, 200);
    assert!(!page.contains("acme/platform"), "the newcomer has only their own teams");
    let reused = events(&app, "user.login_reused").await;
    assert_eq!(reused.len(), 1);
    assert_eq!((reused[0].inputs["earlier_account"].as_i64(), reused[0].inputs["account"].as_i64()), (Some(501), Some(777)));
    // The real Alice signs in under her new login and finds her record, tokens revoked.
    sign_in(&app, "alicia").await.expect("alicia signs in");
    let tokens = app.store.tokens_of("alicia").await.expect("tokens");
    assert_eq!(tokens.len(), 1);
    assert!(tokens[0].revoked_at.is_some());
}

async fn an_admin_sees_everyones_access_and_ends_it_at_once(engine: Engine) {
    let (app, _github) = portal(engine).await;
    let alice = sign_in(&app, "alice").await.expect("alice signs in");
    let secret = make_token(&app, &alice, "viewer").await;
    let bob = sign_in(&app, "bob").await.expect("bob signs in");
    assert_eq!(admin_call(&app, &secret).await, 403, "a viewer token, alive");

    let refused = bob.post(app.url("/auth/people/revoke")).form(&[("key", "alice")]).send().await.expect("post");
    assert_eq!(refused.status(), 403, "only admins end someone's access");
    assert_eq!(me(&app, &alice).await.0, 200);

    let page = app.client.get(app.url("/admin/people")).send().await.expect("get").text().await.expect("body");
    assert!(page.contains("data-person=\"alice\"") && page.contains("End all access"), "{page}");
    assert!(page.contains("re-checked on GitHub every 15 minutes"));
    let ended = app.client.post(app.url("/auth/people/revoke")).form(&[("key", "alice")]).send().await.expect("post");
    assert_eq!(ended.status(), 303);
    let page = app.client.get(app.url("/admin/people")).send().await.expect("get").text().await.expect("body");
    assert!(page.contains("Access of alice ended: 1 session and 1 token revoked"), "{page}");
    assert_eq!(me(&app, &alice).await.0, 303, "her session is over");
    assert_eq!(admin_call(&app, &secret).await, 401, "and her token refused, not merely kept to its scope");
    assert_eq!(me(&app, &bob).await.0, 200, "bob's session is untouched");
    let revoked = events(&app, "user.access_revoked").await;
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].actor, "demo");
    assert_eq!((revoked[0].inputs["sessions_ended"].as_u64(), revoked[0].inputs["tokens_revoked"].as_u64()), (Some(1), Some(1)));
    let unknown = app.client.post(app.url("/auth/people/revoke")).form(&[("key", "nobody")]).send().await.expect("post");
    assert_eq!(unknown.status(), 404);
    // The clean-up forgets sign-ins that are over, never live ones.
    assert_eq!(app.store.forget_sign_ins(domain::clock::now_seconds() + 1).await.expect("forget"), 1, "only alice's ended sign-in");
    assert_eq!(me(&app, &bob).await.0, 200);
    assert_eq!(app.client.get(app.url("/admin/people")).send().await.expect("get").status(), 200);
}

async fn an_organisation_hiding_from_the_app_is_named_on_the_refusal_page(engine: Engine) {
    let (app, github) = portal(engine).await;
    github.set_restricted("acme", true);
    let refused = sign_in(&app, "bob").await.expect_err("refused");
    assert_eq!(refused, "/sign-in?error=org_restricted&org=acme");
    let page = client().get(app.url(&refused)).send().await.expect("get").text().await.expect("body");
    assert!(page.contains("restricts OAuth apps and has not approved this one yet"), "{page}");
    let denied = events(&app, "auth.sign_in").await;
    assert!(denied[0].reason.as_deref().is_some_and(|why| why.contains("acme restricts OAuth apps")), "{denied:?}");
    // Once an owner approves the app, the same person gets in.
    github.set_restricted("acme", false);
    sign_in(&app, "bob").await.expect("bob signs in");
}

async fn a_list_that_loses_most_people_at_once_is_not_trusted(engine: Engine) {
    let (app, github) = portal(engine).await;
    let check = app.membership.clone().expect("a membership check is configured");
    let alice = sign_in(&app, "alice").await.expect("alice signs in");
    let bob = sign_in(&app, "bob").await.expect("bob signs in");
    // Everyone but the bot gone at once looks like a token that sees too little.
    github.put_user(user("alice", 501, &[], &[]));
    github.put_user(user("bob", 502, &[], &[]));
    let report = check.run_once().await.expect("check");
    assert!(report.changed.is_empty(), "{report:?}");
    assert!(report.unread.iter().any(|why| why.contains("2 of 2 people would leave at once")), "{report:?}");
    assert_eq!((me(&app, &alice).await.0, me(&app, &bob).await.0), (200, 200));
}

async fn a_token_without_read_org_changes_nobody(engine: Engine) {
    let (app, github) = portal(engine).await;
    // The same token, now without the scope that shows concealed members.
    assert!(github.accept_token_scoped("ops-bot", MEMBERSHIP_TOKEN, "repo"));
    let check = app.membership.clone().expect("a membership check is configured");
    let alice = sign_in(&app, "alice").await.expect("alice signs in");
    github.put_user(user("alice", 501, &[], &[]));
    let error = check.run_once().await.expect_err("refused");
    assert!(error.to_string().contains("lacks the read:org scope"), "{error}");
    assert_eq!(me(&app, &alice).await.0, 200);
}

async fn a_record_from_before_account_ids_goes_to_its_own_account_only(engine: Engine) {
    let (app, github) = portal(engine).await;
    // As a portal kept it before ids were read: login alice, no id, the avatar of account 501.
    let identity = serde_json::json!({
        "login": "alice", "name": null, "avatar_url": "https://avatars.githubusercontent.com/u/501?v=4",
        "orgs": ["acme"], "teams": [{ "org": "acme", "slug": "platform" }], "source": "github",
    });
    let insert = format!("INSERT INTO users (login, identity, last_sign_in) VALUES ('alice', '{identity}', 1)");
    match &app.store {
        server::store::Store::Sqlite(pool) => sqlx::query(&insert).execute(pool).await.map(|_| ()),
        server::store::Store::Postgres(pool) => sqlx::query(&insert).execute(pool).await.map(|_| ()),
    }
    .expect("an old row");
    let token = domain::access::ApiToken {
        id: "tok_old".into(), name: "old".into(), scope: domain::access::Role::Admin,
        created_at: domain::clock::now_seconds(), expires_at: i64::MAX, last_used_at: None, revoked_at: None,
    };
    let event = domain::audit::NewEvent::new("alice", domain::audit::Origin::Web, "token.created", domain::audit::Outcome::Success);
    app.store.create_token("alice", &token, &server::auth::hash_secret("portico_old"), &event).await.expect("token");
    assert_eq!(admin_call(&app, "portico_old").await, 200);

    // Account 501 renamed itself and account 777 took the login "alice": the old row is not
    // the newcomer's to inherit.
    github.put_user(user("alicia", 501, &["acme"], &["platform"]));
    github.put_user(user("alice", 777, &["acme"], &[]));
    sign_in(&app, "alice").await.expect("the new alice signs in");
    assert_eq!(admin_call(&app, "portico_old").await, 401, "the earlier account's token is revoked");
    assert!(app.store.tokens_of("alice").await.expect("tokens").is_empty());
}

on_both_engines!(
    a_list_that_loses_most_people_at_once_is_not_trusted,
    a_token_without_read_org_changes_nobody,
    a_record_from_before_account_ids_goes_to_its_own_account_only,
    leaving_the_organisation_ends_sessions_and_tokens_at_the_next_check,
    leaving_a_team_takes_what_the_team_gave,
    a_renamed_account_keeps_its_tokens_and_sessions,
    whoever_takes_a_freed_login_inherits_nothing,
    an_admin_sees_everyones_access_and_ends_it_at_once,
    an_organisation_hiding_from_the_app_is_named_on_the_refusal_page
);
