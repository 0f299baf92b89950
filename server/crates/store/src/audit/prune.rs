//! Retention: dropping the oldest events while keeping what remains verifiable.

use domain::audit::{NewEvent, Origin, Outcome, kinds};
use domain::store::StoreError;
use serde_json::json;

use super::append_in;
use super::bounds::LAST_BEFORE;
use super::super::{Store, db_error, on_tx};

/// Deletes every event recorded before `older_than_micros` (Unix microseconds), oldest first,
/// and returns how many. In the same transaction the chain's start moves to the last deleted
/// event, so verification starts from its hash, and an `audit.pruned` event records the cut,
/// so a start moved by hand is noticed. Nothing is recorded when nothing is old enough.
///
/// Prunes are serialised on the chain's row, taken before anything is read: two prunes at once
/// (the hourly retention of two portals, or `portico audit prune` beside one) would otherwise
/// both read the old start, and the one with the earlier cutoff, committing last, would move
/// the start back over events the other deleted, a false "deleted events" alarm.
pub async fn prune(store: &Store, older_than_micros: i64) -> Result<u64, StoreError> {
    let mut tx = store.begin().await?;
    let pruned = on_tx!(&mut tx, conn => {
        let pruned_through: i64 = sqlx::query_scalar(
            "UPDATE audit_chain SET pruned_through_seq = pruned_through_seq WHERE id = 1 RETURNING pruned_through_seq",
        )
        .fetch_one(&mut *conn).await.map_err(db_error)?;
        // Time never runs backwards along the chain, so everything up to the last old event is old.
        let through: Option<i64> = sqlx::query_scalar(LAST_BEFORE)
            .bind(older_than_micros)
            .fetch_one(&mut *conn).await.map_err(db_error)?;
        let Some(through) = through.filter(|through| *through > pruned_through) else { return Ok(0) };
        let hash: String = sqlx::query_scalar("SELECT hash FROM audit_events WHERE seq = $1")
            .bind(through)
            .fetch_one(&mut *conn).await.map_err(db_error)?;
        let deleted = sqlx::query("DELETE FROM audit_events WHERE seq <= $1")
            .bind(through)
            .execute(&mut *conn).await.map_err(db_error)?
            .rows_affected();
        sqlx::query("UPDATE audit_chain SET pruned_through_seq = $1, pruned_through_hash = $2 WHERE id = 1")
            .bind(through).bind(&hash)
            .execute(&mut *conn).await.map_err(db_error)?;
        (deleted, through, hash)
    });
    let (deleted, through, hash) = pruned;
    let event = NewEvent::new("system", Origin::System, kinds::AUDIT_PRUNED, Outcome::Success)
        .inputs(json!({ "count": deleted, "through_seq": through, "through_hash": hash }));
    append_in(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(deleted)
}
