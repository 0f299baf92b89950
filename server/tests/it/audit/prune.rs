//! Retention: pruning the oldest events keeps the rest verifiable and still tamper-evident.

use std::time::{Duration, SystemTime};

use domain::audit::{AuditQuery, Origin, Outcome};
use domain::store::AuditStore;
use server::audit_retention;
use server::store::audit::prune;

use super::{append_samples, assert_intact, first_problem, sql};
use crate::support::{Engine, TestDb, on_both_engines};

on_both_engines!(
    pruning_keeps_the_rest_verifiable_and_records_itself,
    tampering_after_pruning_is_still_caught,
    retention_prunes_only_past_its_period,
);

/// Two prunes at once on PostgreSQL: the one with the later cutoff gets in first and holds its
/// transaction open while one with an earlier cutoff starts. The second must find nothing left
/// to prune instead of moving the chain's start back over the first one's deletions.
#[tokio::test]
async fn concurrent_prunes_never_move_the_start_back() {
    let db = TestDb::new(Engine::Postgres).await;
    let store = db.store().await;
    let events = append_samples(&store, 300).await;
    let server::store::Store::Postgres(pool) = &store else { unreachable!("a PostgreSQL store") };

    // The first prune, step by step as `prune` takes them, through event 200.
    let mut first = server::store::Tx::Postgres(pool.begin().await.expect("begin"));
    let server::store::Tx::Postgres(conn) = &mut first else { unreachable!() };
    sqlx::query("UPDATE audit_chain SET pruned_through_seq = pruned_through_seq WHERE id = 1").execute(&mut **conn).await.expect("lock");
    sqlx::query("DELETE FROM audit_events WHERE seq <= 200").execute(&mut **conn).await.expect("delete");
    sqlx::query("UPDATE audit_chain SET pruned_through_seq = 200, pruned_through_hash = $1 WHERE id = 1")
        .bind(&events[199].hash)
        .execute(&mut **conn)
        .await
        .expect("move the start");
    let record = domain::audit::NewEvent::new("system", Origin::System, "audit.pruned", Outcome::Success)
        .inputs(serde_json::json!({ "count": 200, "through_seq": 200, "through_hash": events[199].hash }));
    server::store::append_in(&mut first, &record).await.expect("record the pruning");

    // The second, with a cutoff that keeps everything after event 50, while the first is open.
    let second = tokio::spawn({
        let store = store.clone();
        let cutoff = events[50].at;
        async move { prune(&store, cutoff).await }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    first.commit().await.expect("commit");
    assert_eq!(second.await.expect("joined").expect("prune"), 0, "nothing older is left");
    assert_eq!(assert_intact(&store).await, 101, "events 201 to 300 and the pruning's record");
}

async fn pruning_keeps_the_rest_verifiable_and_records_itself(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let events = append_samples(&store, 10).await;
    assert_eq!(prune(&store, events[0].at).await.expect("prune"), 0, "nothing is older than the first event");
    assert_eq!(store.audit_event(11).await.expect("read"), None, "an empty pruning is not recorded");

    let cutoff = events[6].at;
    let old = events.iter().filter(|e| e.at < cutoff).count();
    let pruned = prune(&store, cutoff).await.expect("prune");
    assert_eq!(pruned, u64::try_from(old).expect("count"));
    let through = events[old - 1].seq;
    assert_eq!(store.audit_event(through).await.expect("read"), None);
    let record = store.audit_event(11).await.expect("read").expect("the pruning is recorded");
    assert_eq!((record.actor.as_str(), record.origin, record.outcome), ("system", Origin::System, Outcome::Success));
    assert_eq!(record.action, "audit.pruned");
    assert_eq!(record.inputs["count"], pruned);
    assert_eq!(record.inputs["through_seq"], through);
    assert_eq!(record.prev_hash, events[9].hash);
    assert_eq!(assert_intact(&store).await, 10 - pruned + 1);
    let page = store.audit_page(&AuditQuery::default()).await.expect("page");
    assert_eq!(page.items.len(), 10 - old + 1);

    // Pruning again, everything this time, still leaves a log that verifies.
    let later = store.audit_event(11).await.expect("read").expect("exists").at + 1;
    prune(&store, later).await.expect("prune");
    assert_eq!(assert_intact(&store).await, 1);
    append_samples(&store, 2).await;
    assert_eq!(assert_intact(&store).await, 3);
}

async fn tampering_after_pruning_is_still_caught(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let events = append_samples(&store, 10).await;
    let pruned = prune(&store, events[4].at).await.expect("prune");
    let first_kept = i64::try_from(pruned).expect("count") + 1;
    sql(&store, &format!("UPDATE audit_events SET actor = 'mallory' WHERE seq = {first_kept}")).await;
    assert!(first_problem(&store).await.starts_with(&format!("event {first_kept} (")));

    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let events = append_samples(&store, 10).await;
    let first_kept = i64::try_from(prune(&store, events[4].at).await.expect("prune")).expect("count") + 1;
    sql(&store, &format!("DELETE FROM audit_events WHERE seq = {first_kept}")).await;
    assert_eq!(first_problem(&store).await, format!("event {first_kept} is missing (deleted)"));
    // Hiding the deletion by moving the chain's start onto it is caught too.
    let hash = &events[usize::try_from(first_kept).expect("index") - 1].hash;
    sql(&store, &format!("UPDATE audit_chain SET pruned_through_seq = {first_kept}, pruned_through_hash = '{hash}'")).await;
    assert_eq!(
        first_problem(&store).await,
        format!("the log starts after event {first_kept} but no audit.pruned event records pruning it there")
    );
}

async fn retention_prunes_only_past_its_period(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    append_samples(&store, 5).await;
    let now = SystemTime::now();
    assert_eq!(audit_retention::run_once(&store, 0, now + Duration::from_secs(400 * 86_400)).await.expect("run"), 0, "0 keeps everything");
    assert_eq!(audit_retention::run_once(&store, 30, now).await.expect("run"), 0);
    assert_eq!(audit_retention::run_once(&store, 30, now + Duration::from_secs(31 * 86_400)).await.expect("run"), 5);
    assert_eq!(assert_intact(&store).await, 1);
}
