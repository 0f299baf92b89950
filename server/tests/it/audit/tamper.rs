//! Editing the log behind the portal's back, with plain SQL: verification names what changed.

use domain::audit::{Event, event_hash};
use domain::store::AuditStore;
use server::store::Store;

use super::{append_samples, first_problem, sql};
use crate::support::{Engine, TestDb, on_both_engines};

on_both_engines!(
    an_edited_actor_is_named_with_its_event,
    edited_inputs_or_values_the_portal_never_writes_are_caught,
    a_deleted_event_is_named,
    deleted_last_events_are_named,
    swapped_events_are_caught,
    a_rewritten_event_with_a_fresh_hash_breaks_the_next_link,
    a_rewritten_last_event_no_longer_matches_the_head,
    an_inserted_event_is_caught,
);

/// A store holding ten sample events.
async fn ten(engine: Engine) -> (TestDb, Store, Vec<Event>) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let events = append_samples(&store, 10).await;
    (db, store, events)
}

async fn an_edited_actor_is_named_with_its_event(engine: Engine) {
    let (_db, store, events) = ten(engine).await;
    sql(&store, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 4").await;
    let problem = first_problem(&store).await;
    let when = domain::audit::format_time(events[3].at);
    assert_eq!(problem, format!("event 4 (service.restart by mallory at {when}) was altered: its content no longer matches its hash"));
    let report = server::store::audit::verify(&store).await.expect("verify");
    assert_eq!(report.checked, 3, "the events before it are intact");
}

async fn edited_inputs_or_values_the_portal_never_writes_are_caught(engine: Engine) {
    let (_db, store, _) = ten(engine).await;
    sql(&store, r#"UPDATE audit_events SET inputs = '{"n":5}' WHERE seq = 6"#).await;
    assert!(first_problem(&store).await.starts_with("event 6 ("));
    let (_db, store, _) = ten(engine).await;
    // Same value to a reader, but not what was hashed: the stored text must be canonical.
    sql(&store, r#"UPDATE audit_events SET inputs = '{ "api_token":"[redacted]", "n":2 }' WHERE seq = 3"#).await;
    assert!(first_problem(&store).await.starts_with("event 3 ("));
    let (_db, store, _) = ten(engine).await;
    sql(&store, "UPDATE audit_events SET outcome = 'SUCCESS' WHERE seq = 1").await;
    assert!(first_problem(&store).await.starts_with("event 1 ("));
}

async fn a_deleted_event_is_named(engine: Engine) {
    let (_db, store, _) = ten(engine).await;
    sql(&store, "DELETE FROM audit_events WHERE seq = 5").await;
    assert_eq!(first_problem(&store).await, "event 5 is missing (deleted)");
    sql(&store, "DELETE FROM audit_events WHERE seq IN (1, 2)").await;
    assert_eq!(first_problem(&store).await, "events 1\u{2013}2 are missing (deleted)");
}

async fn deleted_last_events_are_named(engine: Engine) {
    let (_db, store, _) = ten(engine).await;
    sql(&store, "DELETE FROM audit_events WHERE seq = 10").await;
    assert_eq!(first_problem(&store).await, "event 10 is missing (deleted)");
    sql(&store, "DELETE FROM audit_events WHERE seq = 9").await;
    assert_eq!(first_problem(&store).await, "events 9\u{2013}10 are missing (deleted)");
}

async fn swapped_events_are_caught(engine: Engine) {
    let (_db, store, _) = ten(engine).await;
    for statement in [
        "UPDATE audit_events SET seq = -1 WHERE seq = 3",
        "UPDATE audit_events SET seq = 3 WHERE seq = 4",
        "UPDATE audit_events SET seq = 4 WHERE seq = -1",
    ] {
        sql(&store, statement).await;
    }
    assert!(first_problem(&store).await.starts_with("event 3 ("));
}

/// Edits event `seq` and recomputes its hash, as someone who knows the rule would.
async fn rewrite(store: &Store, seq: i64) {
    let mut event = store.audit_event(seq).await.expect("read").expect("exists");
    event.actor = "mallory".into();
    let hash = event_hash(&event.prev_hash, event.seq, event.at, &event.to_new_event());
    sql(store, &format!("UPDATE audit_events SET actor = 'mallory', hash = '{hash}' WHERE seq = {seq}")).await;
}

async fn a_rewritten_event_with_a_fresh_hash_breaks_the_next_link(engine: Engine) {
    let (_db, store, _) = ten(engine).await;
    rewrite(&store, 4).await;
    assert_eq!(
        first_problem(&store).await,
        "event 5 does not link to the event before it: events were reordered, inserted or replaced"
    );
}

async fn a_rewritten_last_event_no_longer_matches_the_head(engine: Engine) {
    let (_db, store, _) = ten(engine).await;
    rewrite(&store, 10).await;
    assert_eq!(
        first_problem(&store).await,
        "event 10, the last one, is not the event the chain's head records: it was replaced"
    );
}

async fn an_inserted_event_is_caught(engine: Engine) {
    let (_db, store, _) = ten(engine).await;
    sql(&store, "INSERT INTO audit_events SELECT 11, at, actor, token_id, origin, action, service, environment, inputs, \
                 outcome, reason, request_id, client_addr, prev_hash, hash FROM audit_events WHERE seq = 10").await;
    assert_eq!(first_problem(&store).await, "event 11 comes after the last recorded event (10): it was inserted");
}
