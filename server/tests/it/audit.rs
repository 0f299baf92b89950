//! The audit log on SQLite and PostgreSQL: appending, the hash chain and its verification,
//! the viewer's pages, pruning and the `portico audit` command.

mod bench;
mod chain;
mod cli;
mod export;
mod paging;
mod prune;
mod tamper;

use domain::audit::{Event, GENESIS_HASH, NewEvent, Origin, Outcome, canonical_json, event_hash};
use domain::store::AuditStore;
use serde_json::json;
use server::store::Store;
use server::store::audit::verify;
use sqlx::QueryBuilder;

/// The `i`th event of a sample log: three actors, two actions, two services, every outcome.
pub fn sample(i: usize) -> NewEvent {
    let actor = ["ada", "bob", "cy"][i % 3];
    let action = if i.is_multiple_of(2) { "service.deploy" } else { "service.restart" };
    let outcome = [Outcome::Success, Outcome::Denied, Outcome::Success, Outcome::Failure][i % 4];
    NewEvent::new(actor, Origin::Web, action, outcome)
        .service(if i.is_multiple_of(5) { "billing" } else { "search" })
        .environment("production")
        .inputs(json!({ "n": i, "api_token": "secret-value" }))
        .request(Some(format!("req-{i}")), Some("127.0.0.1".into()))
}

/// Appends `count` sample events, each in its own transaction.
pub async fn append_samples(store: &Store, count: usize) -> Vec<Event> {
    let mut events = Vec::with_capacity(count);
    for i in 0..count {
        events.push(store.append(&sample(i)).await.expect("append"));
    }
    events
}

/// Runs one statement outside the portal, as someone with database access would.
pub async fn sql(store: &Store, statement: &str) {
    match store {
        Store::Sqlite(pool) => sqlx::query(statement).execute(pool).await.map(|_| ()),
        Store::Postgres(pool) => sqlx::query(statement).execute(pool).await.map(|_| ()),
    }
    .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

/// The first problem verification reports, as the command prints it.
pub async fn first_problem(store: &Store) -> String {
    let report = verify(store).await.expect("verify");
    report.first_problem.map(|problem| problem.to_string()).expect("a problem is reported")
}

/// Asserts that the chain verifies, and returns how many events it holds.
pub async fn assert_intact(store: &Store) -> u64 {
    let report = verify(store).await.expect("verify");
    assert_eq!(report.first_problem, None);
    report.checked
}

/// Writes `(at, event)` pairs straight into an empty log, chained as the store chains them:
/// logs too long to append one by one. Returns how many were written.
pub async fn insert_chain(store: &Store, events: impl IntoIterator<Item = (i64, NewEvent)>) -> i64 {
    let (mut seq, mut prev_hash) = (0, GENESIS_HASH.to_owned());
    let mut rows = Vec::new();
    let mut events = events.into_iter().peekable();
    while events.peek().is_some() {
        rows.clear();
        for (at, event) in events.by_ref().take(1_000) {
            seq += 1;
            let hash = event_hash(&prev_hash, seq, at, &event);
            rows.push((seq, at, event, std::mem::replace(&mut prev_hash, hash.clone()), hash));
        }
        macro_rules! insert {
            ($pool:expr) => {
                QueryBuilder::new(
                    "INSERT INTO audit_events (seq, at, actor, token_id, origin, action, service, environment, inputs, \
                     outcome, reason, request_id, client_addr, prev_hash, hash) ",
                )
                .push_values(&rows, |mut b, (seq, at, e, prev_hash, hash)| {
                    b.push_bind(*seq).push_bind(*at).push_bind(&e.actor).push_bind(&e.token_id)
                        .push_bind(e.origin.as_str()).push_bind(&e.action).push_bind(&e.service).push_bind(&e.environment)
                        .push_bind(canonical_json(&e.inputs)).push_bind(e.outcome.as_str()).push_bind(&e.reason)
                        .push_bind(&e.request_id).push_bind(&e.client_addr).push_bind(prev_hash).push_bind(hash);
                })
                .build()
                .execute($pool)
                .await
                .map(|_| ())
            };
        }
        match store {
            Store::Sqlite(pool) => insert!(pool),
            Store::Postgres(pool) => insert!(pool),
        }
        .expect("insert");
    }
    sql(store, &format!("UPDATE audit_chain SET last_seq = {seq}, last_hash = '{prev_hash}' WHERE id = 1")).await;
    seq
}
