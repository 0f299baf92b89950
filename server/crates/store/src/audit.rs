//! The audit log's tables. Events are appended inside the caller's transaction, so an event
//! commits or rolls back with the change it records; the viewer pages through them by sequence
//! number; [`AuditExport`] streams every match; [`verify`] re-checks the whole chain and
//! [`prune`] drops the oldest events.

mod bounds;
mod export;
mod head;
mod prune;
mod query;
mod rows;
mod verify;
mod walk;

pub use export::{AuditExport, EXPORT_BATCH};
pub use head::Head;
pub use prune::prune;
pub use verify::{Problem, VerifyReport, verify};

use domain::audit::{Event, NewEvent, canonical_json};
use domain::clock::now_micros;
use domain::store::StoreError;

use super::{Tx, db_error, on_tx};

/// Appends `event` inside `tx`: it commits or rolls back with the change it records, and a
/// rolled-back event leaves no gap because its sequence number is rolled back too.
///
/// Taking the next number updates `audit_chain`'s one row, so appenders queue behind each other
/// until the holder commits (a row lock on PostgreSQL, the write lock on SQLite). Events
/// therefore become visible strictly in sequence order, which is what lets the viewer's live
/// updates ask for "everything after N". Append last, just before committing, so the lock is
/// held briefly and never taken before other rows (no lock-order deadlock).
pub async fn append_in(tx: &mut Tx<'_>, event: &NewEvent) -> Result<Event, StoreError> {
    let inputs = canonical_json(&event.inputs);
    on_tx!(tx, conn => {
        let (seq, prev_hash): (i64, String) = sqlx::query_as(
            "UPDATE audit_chain SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq, last_hash",
        )
        .fetch_one(&mut *conn).await.map_err(db_error)?;
        // Time never runs backwards along the chain, even if the clock is stepped back: the
        // viewer and pruning turn time ranges into sequence ranges and rely on it.
        let previous_at: Option<i64> = sqlx::query_scalar("SELECT at FROM audit_events WHERE seq = $1")
            .bind(seq - 1)
            .fetch_optional(&mut *conn).await.map_err(db_error)?;
        let at = now_micros().max(previous_at.unwrap_or(i64::MIN));
        let recorded = Event::chained(event.clone(), seq, at, prev_hash);
        sqlx::query(
            "INSERT INTO audit_events (seq, at, actor, token_id, origin, action, service, environment, inputs,
                                       outcome, reason, request_id, client_addr, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(seq).bind(at).bind(&event.actor).bind(&event.token_id).bind(event.origin.as_str()).bind(&event.action)
        .bind(&event.service).bind(&event.environment).bind(&inputs).bind(event.outcome.as_str()).bind(&event.reason)
        .bind(&event.request_id).bind(&event.client_addr).bind(&recorded.prev_hash).bind(&recorded.hash)
        .execute(&mut *conn).await.map_err(db_error)?;
        sqlx::query("UPDATE audit_chain SET last_hash = $1 WHERE id = 1")
            .bind(&recorded.hash)
            .execute(&mut *conn).await.map_err(db_error)?;
        Ok(recorded)
    })
}

