//! Appending: sequence, links, transactions and concurrency.

use domain::audit::{GENESIS_HASH, NewEvent, Origin, Outcome};
use domain::store::AuditStore;
use server::store::{Store, Tx, append_in};

use super::{append_samples, assert_intact, sample};
use crate::support::{Engine, TestDb, on_both_engines};

on_both_engines!(
    events_are_numbered_chained_and_verified,
    secrets_in_inputs_are_never_stored,
    an_event_commits_or_rolls_back_with_its_change,
    concurrent_appends_make_one_unbroken_chain,
);

async fn events_are_numbered_chained_and_verified(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    assert_eq!(assert_intact(&store).await, 0, "an empty log verifies");
    let events = append_samples(&store, 5).await;
    assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    assert_eq!(events[0].prev_hash, GENESIS_HASH);
    for pair in events.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
        assert!(pair[1].at >= pair[0].at, "time never runs backwards");
    }
    assert!(events.iter().all(|e| e.verify_hash()));
    assert_eq!(store.audit_event(3).await.expect("read"), Some(events[2].clone()));
    assert_eq!(store.audit_event(99).await.expect("read"), None);
    assert_eq!(assert_intact(&store).await, 5);
}

async fn secrets_in_inputs_are_never_stored(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let event = sample(1).inputs(serde_json::json!({ "env": { "DB_PASSWORD": "hunter2" }, "token_id": "tok_1" }));
    let recorded = store.append(&event).await.expect("append");
    let stored = store.audit_event(recorded.seq).await.expect("read").expect("stored");
    assert_eq!(stored.inputs, serde_json::json!({ "env": { "DB_PASSWORD": "[redacted]" }, "token_id": "tok_1" }));
    assert_eq!(stored, recorded);
}

/// Runs a write of its own in `tx`, as a store module recording a change would.
async fn write_in(tx: &mut Tx<'_>, file: &str) {
    let sql = "INSERT INTO catalog_problems (file, message) VALUES ($1, 'recorded with an event')";
    match tx {
        Tx::Sqlite(tx) => sqlx::query(sql).bind(file).execute(&mut **tx).await.map(|_| ()),
        Tx::Postgres(tx) => sqlx::query(sql).bind(file).execute(&mut **tx).await.map(|_| ()),
    }
    .expect("own write");
}

async fn problem_files(store: &Store) -> Vec<String> {
    let sql = "SELECT file FROM catalog_problems ORDER BY file";
    match store {
        Store::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
        Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
    }
    .expect("read")
}

async fn an_event_commits_or_rolls_back_with_its_change(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let change = NewEvent::new("ada", Origin::Web, "catalog.note", Outcome::Success);

    let mut tx = store.begin().await.expect("begin");
    write_in(&mut tx, "rolled-back").await;
    let lost = append_in(&mut tx, &change).await.expect("append");
    assert_eq!(lost.seq, 1);
    tx.rollback().await.expect("rollback");
    let mut tx = store.begin().await.expect("begin");
    write_in(&mut tx, "dropped").await;
    append_in(&mut tx, &change).await.expect("append");
    drop(tx);
    assert!(problem_files(&store).await.is_empty());
    assert_eq!(store.audit_event(1).await.expect("read"), None);

    let mut tx = store.begin().await.expect("begin");
    write_in(&mut tx, "kept").await;
    let kept = append_in(&mut tx, &change).await.expect("append");
    tx.commit().await.expect("commit");
    assert_eq!(kept.seq, 1, "rolled-back events leave no gap");
    assert_eq!(problem_files(&store).await, ["kept"]);
    assert_eq!(store.audit_event(1).await.expect("read"), Some(kept));
    assert_eq!(assert_intact(&store).await, 1);
}

async fn concurrent_appends_make_one_unbroken_chain(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let tasks: Vec<_> = (0..20)
        .map(|task| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut seqs = Vec::new();
                for i in 0..10 {
                    seqs.push(store.append(&sample(task * 10 + i)).await.expect("append").seq);
                }
                seqs
            })
        })
        .collect();
    let mut seqs = Vec::new();
    for task in tasks {
        seqs.extend(task.await.expect("task"));
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=200).collect::<Vec<i64>>());
    assert_eq!(assert_intact(&store).await, 200);
}
