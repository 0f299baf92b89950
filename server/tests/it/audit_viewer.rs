//! The audit log viewer through HTTP: server-rendered pages (what a browser without JavaScript
//! gets), its live-update call, an event's page, and who may see them.

use domain::audit::{AuditQuery, Event, Outcome};
use domain::store::AuditStore;
use serde_json::json;

use crate::audit::sql;
use crate::support::{Engine, TestApp, grant, on_both_engines};

/// A portal where the demo user is an operator: it reads the audit log, not the admin pages.
async fn operator_portal(engine: Engine) -> TestApp {
    TestApp::spawn_configured(engine, |config| config.access.grants = vec![grant("operator", &["demo"], &[])]).await
}

async fn the_page_lists_filtered_events_newest_first(engine: Engine) {
    let app = operator_portal(engine).await;
    assert_eq!(app.get("/admin/access").await.status(), 403);
    let (status, html) = app.page("/audit").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"data-testid="audit-events""#) && html.contains(r#"href="/audit""#), "the table and the nav link");
    let table = &html[html.find("<tbody").expect("a table body")..];
    let denied = table.find(">access.denied<").expect("the refusal is listed");
    let sign_in = table.find(">auth.sign_in<").expect("the sign-in is listed");
    assert!(denied < sign_in, "newest first");

    let (_, html) = app.page("/audit?outcome=denied").await;
    assert!(html.contains(">access.denied<") && !html.contains(">auth.sign_in<"), "{html}");
    assert!(html.contains(r#"<option value="denied" selected"#), "the form keeps the filter");
    assert!(html.contains(r#"href="/audit/export.csv?outcome=denied""#), "export keeps the filter");
    assert!(html.contains(r#"<option value="access.denied">a refusal</option>"#), "actions are suggested");
    let (_, html) = app.page("/audit?actor=nobody").await;
    assert!(html.contains("No events match these filters"), "{html}");
}

async fn pages_follow_the_cursor_to_the_oldest_event(engine: Engine) {
    let app = operator_portal(engine).await;
    for _ in 0..4 {
        assert_eq!(app.get("/admin/access").await.status(), 403);
    }
    // Five events: the sign-in and four refusals.
    let (_, first) = app.page("/audit?per_page=2").await;
    assert!(first.contains(r#"href="/audit?before=4&amp;per_page=2""#), "{first}");
    let (_, second) = app.page("/audit?before=4&per_page=2").await;
    assert!(second.contains("Newest events") && second.contains(r#"href="/audit?before=2&amp;per_page=2""#), "{second}");
    let (_, last) = app.page("/audit?before=2&per_page=2").await;
    assert!(last.contains("auth.sign_in") && last.contains("No older events match."), "{last}");
}

async fn live_updates_return_what_is_new_in_order(engine: Engine) {
    let app = operator_portal(engine).await;
    let page = app.store.audit_page(&AuditQuery::default().normalised()).await.expect("page");
    let after = page.newest_seq.expect("the sign-in was recorded");
    for _ in 0..3 {
        app.get("/admin/access").await;
    }
    let query = AuditQuery { outcome: Some(Outcome::Denied), ..AuditQuery::default().normalised() };
    let response = app.client.post(app.url("/api/audit/since")).json(&json!({ "query": query, "after": after })).send().await.expect("post");
    assert_eq!(response.status(), 200);
    let events: Vec<Event> = response.json().await.expect("events");
    let seqs: Vec<i64> = events.iter().map(|event| event.seq).collect();
    assert_eq!(seqs, vec![after + 1, after + 2, after + 3]);
    assert!(events.iter().all(|event| event.action == "access.denied"));
}

async fn an_event_page_shows_its_fields_and_detects_tampering(engine: Engine) {
    let app = operator_portal(engine).await;
    app.get("/admin/access").await;
    let (status, html) = app.page("/audit/2").await;
    assert_eq!(status, 200);
    assert!(html.contains("Event 2") && html.contains("access.denied") && html.contains("administer"), "{html}");
    assert!(html.contains("content matches its hash and links to the event before it"), "{html}");
    assert!(html.contains(r#"href="/audit/1""#) && !html.contains(r#"href="/audit/3""#), "older link only");

    sql(&app.store, "UPDATE audit_events SET reason = 'nothing to see' WHERE seq = 2").await;
    let (_, html) = app.page("/audit/2").await;
    assert!(html.contains("altered: its content no longer matches its hash"), "{html}");
    let (status, html) = app.page("/audit/999").await;
    assert_eq!(status, 404);
    assert!(html.contains("No such event"), "{html}");
}

async fn viewers_are_refused_and_the_refusal_is_recorded(engine: Engine) {
    let app = TestApp::spawn_configured(engine, |config| config.access.grants.clear()).await;
    let (status, html) = app.page("/audit").await;
    assert_eq!(status, 403);
    assert!(html.contains("This needs the operator role; you have viewer.") && !html.contains(r#"href="/audit""#), "{html}");
    let response = app.client.post(app.url("/api/audit/event")).json(&json!({ "seq": 1 })).send().await.expect("post");
    assert_eq!(response.status(), 403);
    let query = AuditQuery { action: Some("access.denied".into()), ..AuditQuery::default().normalised() };
    let denials = app.store.audit_page(&query).await.expect("page").items;
    assert_eq!(denials.len(), 2);
    assert!(denials.iter().all(|event| event.inputs["permission"] == "view_audit"));
}

on_both_engines!(
    the_page_lists_filtered_events_newest_first,
    pages_follow_the_cursor_to_the_oldest_event,
    live_updates_return_what_is_new_in_order,
    an_event_page_shows_its_fields_and_detects_tampering,
    viewers_are_refused_and_the_refusal_is_recorded,
);
