//! The audit log on SQLite and PostgreSQL: appending, the hash chain and its verification,
//! the viewer's pages, pruning and the `portico audit` command.

mod bench;
mod chain;
mod cli;
mod paging;
mod prune;
mod tamper;

use domain::audit::{Event, NewEvent, Origin, Outcome};
use domain::store::AuditStore;
use serde_json::json;
use server::store::Store;
use server::store::audit::verify;

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
