//! Sign-in, permissions, tokens and the audit trail they leave, through HTTP as a browser or a
//! script would use them.

use domain::audit::{AuditQuery, Outcome};
use domain::store::AuditStore;

use crate::support::{Engine, TestApp, client, on_both_engines};

async fn events(app: &TestApp, action: &str) -> Vec<domain::audit::Event> {
    let query = AuditQuery { action: Some(action.into()), ..AuditQuery::default() }.normalised();
    app.store.audit_page(&query).await.expect("audit page").items
}

/// The body of a services query for the whole catalog.
fn all_services() -> serde_json::Value {
    let query = domain::catalog::ServiceQuery::from_params(|_| None);
    serde_json::json!({ "query": query })
}

async fn signed_out_visitors_are_sent_to_sign_in_and_the_api_answers_401(engine: Engine) {
    let app = TestApp::spawn(engine, vec![]).await;
    let response = app.anonymous.get(app.url("/services?owner=x")).send().await.expect("get");
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/sign-in?next=%2Fservices%3Fowner%3Dx");
    let response = app.anonymous.post(app.url("/api/catalog/problems")).json(&serde_json::json!({})).send().await.expect("post");
    assert_eq!(response.status(), 401);
    let (status, html) = {
        let response = app.anonymous.get(app.url("/sign-in")).send().await.expect("get");
        (response.status(), response.text().await.expect("body"))
    };
    assert_eq!(status, 200);
    assert!(html.contains("Sign in as demo user") && html.contains("Demo mode"), "{html}");
}

async fn sign_in_and_out_are_audited_and_the_cookie_is_locked_down(engine: Engine) {
    let app = TestApp::spawn(engine, vec![]).await;
    let visitor = client();
    let response = visitor.post(app.url("/auth/demo")).form(&[("next", "/me")]).send().await.expect("sign in");
    assert_eq!(response.headers()["location"], "/me");
    let cookie = response.headers()["set-cookie"].to_str().expect("ascii").to_owned();
    assert!(cookie.starts_with("portico_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "no Secure flag over plain http");
    let me = visitor.get(app.url("/me")).send().await.expect("me");
    assert_eq!(me.headers()["cache-control"], "no-store", "pages are never cached");
    assert!(me.headers()["content-security-policy"].to_str().expect("ascii").contains("frame-ancestors 'none'"));
    let me = me.text().await.expect("body");
    assert!(me.contains("admin") && me.contains("you are listed as user demo"), "{me}");

    let response = visitor.post(app.url("/auth/sign-out")).send().await.expect("sign out");
    assert_eq!(response.headers()["location"], "/sign-in?signed_out=1");
    assert_eq!(visitor.get(app.url("/me")).send().await.expect("get").status(), 303, "the session is gone");
    assert_eq!(events(&app, "auth.sign_out").await.len(), 1);
    // The test portal's own client signed in once, this visitor once.
    let sign_ins = events(&app, "auth.sign_in").await;
    assert_eq!(sign_ins.len(), 2);
    assert!(sign_ins.iter().all(|e| e.actor == "demo" && e.outcome == Outcome::Success));
}

async fn a_refused_page_is_403_and_the_refusal_is_audited(engine: Engine) {
    let app = TestApp::spawn_configured(engine, |config| config.access.grants.clear()).await;
    let response = app.client.get(app.url("/admin/access")).send().await.expect("get");
    assert_eq!(response.status(), 403);
    let html = response.text().await.expect("body");
    assert!(html.contains("This needs the admin role; you have viewer."), "{html}");
    let denials = events(&app, "access.denied").await;
    assert_eq!(denials.len(), 1);
    assert_eq!(denials[0].actor, "demo");
    assert_eq!(denials[0].outcome, Outcome::Denied);
    assert_eq!(denials[0].inputs["permission"], "administer");
    assert!(denials[0].request_id.is_some());
    // The server function refuses too, whatever the page would show.
    let response = app.client.post(app.url("/api/admin/access")).json(&serde_json::json!({})).send().await.expect("post");
    assert_eq!(response.status(), 403);
    assert_eq!(events(&app, "access.denied").await.len(), 2);
}

async fn cross_site_posts_are_refused(engine: Engine) {
    let app = TestApp::spawn(engine, vec![]).await;
    let forged = app
        .client
        .post(app.url("/auth/tokens"))
        .header("origin", "https://evil.example")
        .form(&[("name", "x"), ("scope", "viewer"), ("lifetime_days", "7")])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), 403);
    let same_site = app
        .client
        .post(app.url("/auth/tokens"))
        .header("origin", format!("http://{}", app.addr))
        .form(&[("name", "x"), ("scope", "viewer"), ("lifetime_days", "7")])
        .send()
        .await
        .expect("post");
    assert_eq!(same_site.status(), 303);
    assert_eq!(app.store.tokens_of("demo").await.expect("tokens").len(), 1, "only the same-site request created a token");
    // DNS rebinding: a name re-resolved to the portal's address, with Origin and Host agreeing.
    let rebound = app
        .anonymous
        .post(app.url("/auth/demo"))
        .header("host", "rebind.attacker.example:3000")
        .header("origin", "http://rebind.attacker.example:3000")
        .form(&[("next", "/")])
        .send()
        .await
        .expect("post");
    assert_eq!(rebound.status(), 403, "no demo session for a rebound page");
}

async fn a_token_is_shown_once_acts_within_its_scope_and_stops_when_revoked(engine: Engine) {
    let app = TestApp::spawn(engine, vec![crate::support::fixture_catalog_dir()]).await;
    let invalid = app.client.post(app.url("/auth/tokens")).form(&[("name", " "), ("scope", "viewer"), ("lifetime_days", "7")]).send().await.expect("post");
    assert_eq!(invalid.status(), 303);
    let page = app.client.get(app.url("/me/tokens")).send().await.expect("get").text().await.expect("body");
    assert!(page.contains("Give the token a name"), "field error shown");
    // Beyond auth.token_max_days (90 by default) is not offered, and refused when forged.
    assert!(!page.contains("365 days") && page.contains("90 days"), "only lifetimes up to the maximum are offered");
    app.client.post(app.url("/auth/tokens")).form(&[("name", "ci"), ("scope", "viewer"), ("lifetime_days", "365")]).send().await.expect("post");
    let page = app.client.get(app.url("/me/tokens")).send().await.expect("get").text().await.expect("body");
    assert!(page.contains("Choose one of the offered lifetimes"), "a longer lifetime is refused");

    app.client.post(app.url("/auth/tokens")).form(&[("name", "ci"), ("scope", "viewer"), ("lifetime_days", "30")]).send().await.expect("post");
    let page = app.client.get(app.url("/me/tokens")).send().await.expect("get").text().await.expect("body");
    let secret = page.split("value=\"portico_").nth(1).and_then(|rest| rest.split('"').next()).map(|s| format!("portico_{s}")).expect("secret shown");
    let again = app.client.get(app.url("/me/tokens")).send().await.expect("get").text().await.expect("body");
    assert!(!again.contains(&secret), "the secret is shown only once");
    let tokens = app.store.tokens_of("demo").await.expect("tokens");
    let token_id = tokens[0].id.clone();

    let api = reqwest::Client::new();
    let call = |path: &'static str| api.post(app.url(path)).bearer_auth(&secret).json(&all_services()).send();
    assert_eq!(call("/api/catalog/services").await.expect("post").status(), 200);
    let used = events(&app, "token.used").await;
    assert_eq!(used[0].token_id.as_deref(), Some(token_id.as_str()));
    // A viewer token of an admin cannot reach admin settings.
    assert_eq!(call("/api/admin/access").await.expect("post").status(), 403);
    let denied = events(&app, "access.denied").await;
    assert_eq!(denied[0].token_id.as_deref(), Some(token_id.as_str()));

    let revoked = app.client.post(app.url("/auth/tokens/revoke")).form(&[("id", token_id.as_str())]).send().await.expect("post");
    assert_eq!(revoked.status(), 303);
    assert_eq!(call("/api/catalog/services").await.expect("post").status(), 401);
    assert_eq!(events(&app, "token.created").await.len(), 1);
    assert_eq!(events(&app, "token.revoked").await.len(), 1);
    let bogus = api.post(app.url("/api/catalog/services")).bearer_auth("portico_forged").json(&all_services()).send().await.expect("post");
    assert_eq!(bogus.status(), 401);
}

/// Makes a viewer token of `days` days through the tokens page; its secret, shown once.
async fn make_token(app: &TestApp, days: &str) -> String {
    app.client.post(app.url("/auth/tokens")).form(&[("name", "ci"), ("scope", "viewer"), ("lifetime_days", days)]).send().await.expect("post");
    let page = app.client.get(app.url("/me/tokens")).send().await.expect("get").text().await.expect("body");
    page.split("value=\"portico_").nth(1).and_then(|rest| rest.split('"').next()).map(|s| format!("portico_{s}")).expect("secret shown")
}

async fn sessions_and_tokens_follow_the_sign_in_rule_as_it_is_now(engine: Engine) {
    let db = crate::support::TestDb::new(engine).await;
    let url = db.url.clone();
    // A demo portal: the demo user signs in and makes a token.
    let demo = TestApp::spawn_configured(engine, |config| config.database_url = Some(url.clone())).await;
    let secret = make_token(&demo, "30").await;
    let browser = demo.client.clone();
    drop(demo);

    // The same database, later, without the demo sign-in: neither the session nor the token
    // of the demo user lets anyone in.
    let later = TestApp::spawn_configured(engine, |config| {
        config.database_url = Some(url.clone());
        config.auth.demo_user = false;
    })
    .await;
    let page = browser.get(later.url("/me")).send().await.expect("get");
    assert_eq!(page.status(), 303, "the demo session no longer counts");
    let call = reqwest::Client::new().post(later.url("/api/catalog/services")).bearer_auth(&secret).json(&all_services()).send().await.expect("post");
    assert_eq!(call.status(), 401, "nor its token");
}

async fn lowering_the_longest_token_lifetime_ends_older_tokens_sooner(engine: Engine) {
    let db = crate::support::TestDb::new(engine).await;
    let url = db.url.clone();
    let demo = TestApp::spawn_configured(engine, |config| config.database_url = Some(url.clone())).await;
    let secret = make_token(&demo, "30").await;
    let browser = demo.client.clone();
    // Made ten days ago, for thirty: still twenty days to go under the 90-day maximum.
    let sql = "UPDATE api_tokens SET created_at = created_at - 864000, expires_at = expires_at - 864000";
    match &demo.store {
        server::store::Store::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(drop),
        server::store::Store::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(drop),
    }
    .expect("the token made earlier");
    drop(demo);

    // The same database, later, with tokens limited to a week: the token ended on its seventh day.
    let later = TestApp::spawn_configured(engine, |config| {
        config.database_url = Some(url.clone());
        config.auth.token_max_days = 7;
    })
    .await;
    let call = reqwest::Client::new().post(later.url("/api/catalog/services")).bearer_auth(&secret).json(&all_services()).send().await.expect("post");
    assert_eq!(call.status(), 401, "a token older than the maximum lets nobody in");
    let page = browser.get(later.url("/me/tokens")).send().await.expect("get").text().await.expect("body");
    let state = page.split("data-testid=\"token-state\"").nth(1).and_then(|cell| cell.split('>').nth(1)).unwrap_or_default();
    assert!(state.starts_with("expired"), "its owner sees it expired, and its new expiry: {state}");
}

/// The audit chain's length.
async fn chain_length(app: &TestApp) -> i64 {
    let sql = "SELECT last_seq FROM audit_chain WHERE id = 1";
    match &app.store {
        server::store::Store::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        server::store::Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .expect("the chain's head")
}

async fn a_flood_of_junk_tokens_grows_the_audit_log_by_a_bounded_amount(engine: Engine) {
    let app = TestApp::spawn(engine, vec![]).await;
    let before = chain_length(&app).await;
    let mut statuses = Vec::new();
    for batch in 0..40 {
        let requests = (0..50).map(|i| {
            let request = app.anonymous.get(app.url("/sign-in")).bearer_auth(format!("portico_junk_{batch}_{i}"));
            async move { request.send().await.expect("get").status().as_u16() }
        });
        statuses.extend(futures_util::future::join_all(requests).await);
    }
    let grown = chain_length(&app).await - before;
    assert!(grown <= 1, "2,000 junk tokens appended {grown} events");
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 30, "the first 30 of the minute are refused as unknown");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 1970, "the rest are told to slow down");
    let recorded = events(&app, "token.used").await;
    assert_eq!(recorded.len(), 1);
    assert_eq!((recorded[0].outcome, recorded[0].client_addr.as_deref()), (Outcome::Denied, Some("127.0.0.1")));
}

async fn over_https_the_session_cookie_is_host_only_and_secure(engine: Engine) {
    let app = TestApp::spawn_configured(engine, |config| {
        config.auth.public_url = Some(url::Url::parse("https://portal.example.com").expect("url"));
    })
    .await;
    let response = client().post(app.url("/auth/demo")).header("origin", "https://portal.example.com").form(&[("next", "/")]).send().await.expect("sign in");
    let cookie = response.headers()["set-cookie"].to_str().expect("ascii").to_owned();
    assert!(cookie.starts_with("__Host-portico_session=") && cookie.contains("Secure") && cookie.contains("Path=/"), "{cookie}");
    assert!(response.headers()["strict-transport-security"].to_str().expect("ascii").starts_with("max-age="));
}

on_both_engines!(
    sessions_and_tokens_follow_the_sign_in_rule_as_it_is_now,
    over_https_the_session_cookie_is_host_only_and_secure,
    a_flood_of_junk_tokens_grows_the_audit_log_by_a_bounded_amount,
    signed_out_visitors_are_sent_to_sign_in_and_the_api_answers_401,
    sign_in_and_out_are_audited_and_the_cookie_is_locked_down,
    a_refused_page_is_403_and_the_refusal_is_audited,
    cross_site_posts_are_refused,
    a_token_is_shown_once_acts_within_its_scope_and_stops_when_revoked,
    lowering_the_longest_token_lifetime_ends_older_tokens_sooner,
);
