//! The audit export through HTTP, as an auditor's browser or script fetches it, and its
//! batched walk directly: order, filters, batches, hashes, permission, the formula guard.

use axum::body::Body;
use domain::access::ApiToken;
use domain::audit::{AuditQuery, Event, NewEvent, Origin, Outcome};
use domain::store::AuditStore;
use futures_util::StreamExt;
use server::http::audit_export::{Format, body};
use server::store::Store;

use super::{append_samples, sample};
use crate::support::{Engine, TestApp, TestDb, grant, on_both_engines};

const HEADER: &str =
    "seq,time,at_micros,actor,token_id,origin,action,service,environment,inputs,outcome,reason,request_id,client_addr,prev_hash,hash";

/// Every event in the log, newest first.
async fn all_events(store: &Store) -> Vec<Event> {
    store.audit_export(&AuditQuery::default(), 1_000).await.expect("export").next_batch().await.expect("batch").unwrap_or_default()
}

/// The CSV's records after the header.
fn records(csv_text: &str) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    reader.records().map(|record| record.expect("a well-formed record")).collect()
}

async fn csv_has_the_header_and_every_match_newest_first(engine: Engine) {
    let app = TestApp::spawn(engine, vec![]).await;
    append_samples(&app.store, 24).await;
    let response = app.get("/audit/export.csv?actor=Ada&service=search&before=3&per_page=1").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let disposition = response.headers()["content-disposition"].to_str().expect("ascii").to_owned();
    let name = disposition.strip_prefix("attachment; filename=\"portico-audit-").and_then(|rest| rest.strip_suffix(".csv\""));
    assert!(name.is_some_and(|stamp| stamp.len() == 15 && stamp.as_bytes()[8] == b'-'), "{disposition}");
    let text = response.text().await.expect("body");
    assert_eq!(text.split("\r\n").next(), Some(HEADER));

    // `before` and `per_page` are the viewer's paging: an export holds every match.
    let expected: Vec<Event> =
        all_events(&app.store).await.into_iter().filter(|e| e.actor == "ada" && e.service.as_deref() == Some("search")).collect();
    assert_eq!(expected.len(), 6);
    let rows = records(&text);
    assert_eq!(rows.iter().map(|r| r[0].parse::<i64>().expect("seq")).collect::<Vec<_>>(), expected.iter().map(|e| e.seq).collect::<Vec<_>>());
    let (row, event) = (&rows[0], &expected[0]);
    assert_eq!(row.len(), 16);
    assert_eq!(&row[1], domain::audit::format_time_exact(event.at).expect("time"));
    assert!(row[1].ends_with('Z') && row[1].len() == 27, "{}", &row[1]);
    assert_eq!((&row[2], &row[3], &row[4], &row[5]), (event.at.to_string().as_str(), "ada", "", "web"));
    assert_eq!(&row[9], domain::audit::canonical_json(&event.inputs));
    assert!(row[9].contains("\"api_token\":\"[redacted]\""), "{}", &row[9]);
    assert_eq!((&row[14], &row[15]), (event.prev_hash.as_str(), event.hash.as_str()));

    let recorded = app.store.audit_page(&AuditQuery { action: Some("audit.export".into()), ..AuditQuery::default() }.normalised()).await;
    let recorded = recorded.expect("page").items;
    assert_eq!(recorded.len(), 1, "the export is audited");
    assert_eq!((recorded[0].actor.as_str(), recorded[0].outcome), ("demo", Outcome::Success));
    assert_eq!(recorded[0].inputs, serde_json::json!({ "format": "csv", "filters": { "actor": "ada", "service": "search" } }));
}

async fn json_is_one_array_whose_events_rehash_and_link(engine: Engine) {
    let app = TestApp::spawn(engine, vec![]).await;
    append_samples(&app.store, 10).await;
    let response = app.get("/audit/export.json").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let events: Vec<Event> = serde_json::from_str(&response.text().await.expect("body")).expect("one JSON array of events");
    // The sign-in, ten samples, and the export itself, recorded before it started.
    assert_eq!(events.len(), 12);
    assert_eq!(events[0].action, "audit.export");
    assert_eq!(events[0].inputs, serde_json::json!({ "format": "json", "filters": {} }));
    for pair in events.windows(2) {
        assert_eq!(pair[0].seq, pair[1].seq + 1, "newest first, nothing missing");
        assert_eq!(pair[0].prev_hash, pair[1].hash, "each links to the one before it");
    }
    for event in &events {
        let hash = domain::audit::event_hash(&event.prev_hash, event.seq, event.at, &event.to_new_event());
        assert_eq!(hash, event.hash, "event {} re-hashes to its stored hash", event.seq);
    }
    assert_eq!(events.last().map(|e| e.prev_hash.as_str()), Some(domain::audit::GENESIS_HASH));
}

/// What a case's query should match, checked by hand.
type Matches = fn(&Event) -> bool;

/// Every match over batches of 7, against the same filters applied by hand.
async fn batches_miss_nothing_and_repeat_nothing(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let base = 1_800_000_000_000_000_i64;
    let written = super::insert_chain(&store, (0..60).map(|i| (base + i64::try_from(i).expect("small") * 60_000_000, sample(i)))).await;
    assert_eq!(written, 60);
    let all = all_events(&store).await;
    let minute = |m: i64| Some(base + m * 60_000_000);
    let cases: Vec<(AuditQuery, Matches)> = vec![
        (AuditQuery::default(), |_| true),
        (AuditQuery { actor: Some("bob".into()), ..Default::default() }, |e| e.actor == "bob"),
        (AuditQuery { actor: Some("cy".into()), outcome: Some(Outcome::Success), ..Default::default() }, |e| {
            e.actor == "cy" && e.outcome == Outcome::Success
        }),
        (AuditQuery { from: minute(10), to: minute(45), service: Some("search".into()), ..Default::default() }, |e| {
            (11..=45).contains(&e.seq) && e.service.as_deref() == Some("search")
        }),
        (AuditQuery { actor: Some("nobody".into()), ..Default::default() }, |_| false),
    ];
    for (query, matches) in cases {
        let expected: Vec<i64> = all.iter().filter(|e| matches(e)).map(|e| e.seq).collect();
        let mut export = store.audit_export(&query, 7).await.expect("export");
        let mut seen = Vec::new();
        while let Some(batch) = export.next_batch().await.expect("batch") {
            assert!(!batch.is_empty() && batch.len() <= 7);
            seen.extend(batch.iter().map(|e| e.seq));
        }
        assert_eq!(seen, expected, "{query:?}");
    }
    // The encoders join batches correctly: one valid array, one header.
    let events: Vec<Event> = serde_json::from_str(&whole(&store, Format::Json).await).expect("JSON");
    assert_eq!(events, all);
    let csv_text = whole(&store, Format::Csv).await;
    assert_eq!(csv_text.matches("seq,time").count(), 1);
    assert_eq!(records(&csv_text).len(), 60);
}

/// The whole export body, read over batches of 7.
async fn whole(store: &Store, format: Format) -> String {
    let export = store.audit_export(&AuditQuery::default(), 7).await.expect("export");
    let bytes = axum::body::to_bytes(body(format, export, None), usize::MAX).await.expect("complete body");
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

/// A storage failure part-way ends the body with an error, not with a short file.
async fn a_failure_part_way_breaks_the_download(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    super::insert_chain(&store, (0..30).map(|i| (1_800_000_000_000_000 + i64::try_from(i).expect("small"), sample(i)))).await;
    let export = store.audit_export(&AuditQuery::default(), 7).await.expect("export");
    let mut chunks = Body::into_data_stream(body(Format::Json, export, None));
    assert_eq!(chunks.next().await.expect("opening").expect("ok"), "[");
    assert!(chunks.next().await.expect("first batch").is_ok());
    store.close().await;
    assert!(chunks.next().await.expect("an item").is_err(), "the stream ends in an error");
    assert!(chunks.next().await.is_none(), "and nothing follows it");
}

async fn viewers_are_refused_and_the_refusal_is_audited(engine: Engine) {
    let app = TestApp::spawn_configured(engine, |config| config.access.grants.clear()).await;
    for path in ["/audit/export.csv", "/audit/export.json?actor=x"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 403);
        assert_eq!(response.text().await.expect("body"), "This needs the operator role; you have viewer.\n");
    }
    let denials = app.store.audit_page(&AuditQuery { action: Some("access.denied".into()), ..Default::default() }.normalised()).await;
    let denials = denials.expect("page").items;
    assert_eq!(denials.len(), 2);
    assert!(denials.iter().all(|d| d.actor == "demo" && d.inputs["permission"] == "view_audit"));
    assert!(all_events(&app.store).await.iter().all(|e| e.action != "audit.export"), "nothing was exported");
}

async fn signed_out_requests_are_refused_and_tokens_work(engine: Engine) {
    let app = TestApp::spawn_configured(engine, |config| config.access.grants = vec![grant("operator", &["demo"], &[])]).await;
    for path in ["/audit/export.csv", "/audit/export.json"] {
        let response = app.anonymous.get(app.url(path)).send().await.expect("get");
        assert_eq!(response.status(), 401);
        assert_eq!(response.text().await.expect("body"), "Sign in to continue.\n");
    }
    assert_eq!(app.get("/audit/export.csv").await.status(), 200, "an operator may export");
    let script = reqwest::Client::new();
    for (scope, status) in [(domain::access::Role::Operator, 200), (domain::access::Role::Viewer, 403)] {
        let secret = format!("portico_test_{scope}");
        let token = ApiToken {
            id: format!("tok_{scope}"),
            name: "export".into(),
            scope,
            created_at: domain::clock::now_seconds(),
            expires_at: i64::MAX,
            last_used_at: None,
            revoked_at: None,
        };
        let event = NewEvent::new("demo", Origin::Web, "token.created", Outcome::Success);
        app.store.create_token("demo", &token, &server::auth::hash_secret(&secret), &event).await.expect("token");
        let response = script.get(app.url("/audit/export.json")).bearer_auth(&secret).send().await.expect("get");
        assert_eq!(response.status(), status, "a {scope} token");
    }
    let exports: Vec<Event> = all_events(&app.store).await.into_iter().filter(|e| e.action == "audit.export").collect();
    assert_eq!(exports.len(), 2);
    assert_eq!((exports[0].origin, exports[0].token_id.as_deref()), (Origin::Api, Some("tok_operator")));
}

/// Browsers ask for compression: the compressed download must end cleanly too.
async fn a_compressed_download_completes(engine: Engine) {
    let app = TestApp::spawn(engine, vec![]).await;
    append_samples(&app.store, 5).await;
    for path in ["/audit/export.csv", "/audit/export.json"] {
        let response = app.client.get(app.url(path)).header("accept-encoding", "gzip").send().await.expect("get");
        assert_eq!(response.headers()["content-encoding"], "gzip");
        let bytes = response.bytes().await.expect("the whole body arrives");
        assert!(bytes.starts_with(&[0x1f, 0x8b]), "gzip data");
    }
}

async fn formula_looking_cells_are_neutralised_in_csv_only(engine: Engine) {
    let app = TestApp::spawn(engine, vec![]).await;
    let event = NewEvent::new("=cmd|' /c calc'!A1", Origin::Web, "+sum", Outcome::Failure)
        .service("-svc")
        .environment("@env")
        .reason("\tlead")
        .request(Some("\rreq".into()), Some("192.0.2.1".into()));
    app.store.append(&event).await.expect("append");
    let text = app.get("/audit/export.csv?outcome=failure").await.text().await.expect("body");
    let rows = records(&text);
    assert_eq!(rows.len(), 1);
    let cells: Vec<&str> = [3, 6, 7, 8, 11, 12].into_iter().map(|i| &rows[0][i]).collect();
    assert_eq!(cells, ["'=cmd|' /c calc'!A1", "'+sum", "'-svc", "'@env", "'\tlead", "'\rreq"]);
    assert_eq!(&rows[0][13], "192.0.2.1", "other cells are untouched");
    let events: Vec<Event> = serde_json::from_str(&app.get("/audit/export.json?outcome=failure").await.text().await.expect("body")).expect("JSON");
    assert_eq!((events[0].actor.as_str(), events[0].reason.as_deref()), ("=cmd|' /c calc'!A1", Some("\tlead")), "JSON is exact");
}

on_both_engines!(
    a_compressed_download_completes,
    csv_has_the_header_and_every_match_newest_first,
    json_is_one_array_whose_events_rehash_and_link,
    batches_miss_nothing_and_repeat_nothing,
    a_failure_part_way_breaks_the_download,
    viewers_are_refused_and_the_refusal_is_audited,
    signed_out_requests_are_refused_and_tokens_work,
    formula_looking_cells_are_neutralised_in_csv_only,
);
