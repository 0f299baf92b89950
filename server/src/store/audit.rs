//! The audit log's tables: appending in the caller's transaction, and the viewer's queries.

use domain::audit::{AuditPage, AuditQuery, Event, NewEvent, Origin, Outcome, canonical_json, event_hash};
use domain::store::{AuditStore, BoxFuture, StoreError};
use sqlx::QueryBuilder;

use super::{Store, Tx, db_error, on_pool, on_tx};

/// Appends `event` inside `tx`: it commits or rolls back with the change it records.
pub async fn append_in(tx: &mut Tx<'_>, event: &NewEvent) -> Result<Event, StoreError> {
    let at = now_micros();
    let inputs = canonical_json(&event.inputs);
    on_tx!(tx, conn => {
        // Taking the next number updates the chain's one row: a lock every appender waits for.
        let (seq, prev_hash): (i64, String) = sqlx::query_as(
            "UPDATE audit_chain SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq, last_hash",
        )
        .fetch_one(&mut *conn).await.map_err(db_error)?;
        let hash = event_hash(&prev_hash, seq, at, event);
        sqlx::query(
            "INSERT INTO audit_events (seq, at, actor, token_id, origin, action, service, environment, inputs,
                                       outcome, reason, request_id, client_addr, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(seq).bind(at).bind(&event.actor).bind(&event.token_id).bind(event.origin.as_str()).bind(&event.action)
        .bind(&event.service).bind(&event.environment).bind(&inputs).bind(event.outcome.as_str()).bind(&event.reason)
        .bind(&event.request_id).bind(&event.client_addr).bind(&prev_hash).bind(&hash)
        .execute(&mut *conn).await.map_err(db_error)?;
        sqlx::query("UPDATE audit_chain SET last_hash = $1 WHERE id = 1")
            .bind(&hash).execute(&mut *conn).await.map_err(db_error)?;
        Ok(Event { seq, at, event: event.clone(), prev_hash, hash })
    })
}

fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_micros()).unwrap_or(i64::MAX))
}

pub(super) const EVENT_COLUMNS: &str = "seq, at, actor, token_id, origin, action, service, environment, inputs, outcome, reason, request_id, client_addr, prev_hash, hash";

/// Adds the query's filters as `AND …` clauses.
fn push_filters<'q, DB: sqlx::Database>(sql: &mut QueryBuilder<'q, DB>, query: &'q AuditQuery)
where
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    for (column, value) in [("actor", &query.actor), ("action", &query.action), ("service", &query.service), ("environment", &query.environment)] {
        if let Some(value) = value {
            sql.push(format!(" AND {column} = ")).push_bind(value.as_str());
        }
    }
    if let Some(outcome) = query.outcome {
        sql.push(" AND outcome = ").push_bind(outcome.as_str());
    }
    if let Some(from) = query.from {
        sql.push(" AND at >= ").push_bind(from);
    }
    if let Some(to) = query.to {
        sql.push(" AND at < ").push_bind(to);
    }
}

impl AuditStore for Store {
    fn append<'a>(&'a self, event: &'a NewEvent) -> BoxFuture<'a, Result<Event, StoreError>> {
        Box::pin(async move {
            let mut tx = self.begin().await?;
            let event = append_in(&mut tx, event).await?;
            tx.commit().await?;
            Ok(event)
        })
    }

    fn audit_page<'a>(&'a self, query: &'a AuditQuery) -> BoxFuture<'a, Result<AuditPage, StoreError>> {
        Box::pin(async move {
            let limit = i64::from(query.per_page) + 1;
            let mut rows: Vec<EventRow> = on_pool!(self, pool => {
                let mut sql = QueryBuilder::new(format!("SELECT {EVENT_COLUMNS} FROM audit_events WHERE 1 = 1"));
                push_filters(&mut sql, query);
                if let Some(before) = query.before {
                    sql.push(" AND seq < ").push_bind(before);
                }
                sql.push(" ORDER BY seq DESC LIMIT ").push_bind(limit);
                sql.build_query_as().fetch_all(pool).await.map_err(db_error)?
            });
            // One row more than the page tells whether an older page exists.
            let more = rows.len() > query.per_page as usize;
            rows.truncate(query.per_page as usize);
            let items = rows.into_iter().map(EventRow::into_event).collect::<Result<Vec<_>, _>>()?;
            let next_before = if more { items.last().map(|e| e.seq) } else { None };
            Ok(AuditPage { items, next_before })
        })
    }

    fn audit_since<'a>(&'a self, query: &'a AuditQuery, after: i64, limit: u32) -> BoxFuture<'a, Result<Vec<Event>, StoreError>> {
        Box::pin(async move {
            let rows: Vec<EventRow> = on_pool!(self, pool => {
                let mut sql = QueryBuilder::new(format!("SELECT {EVENT_COLUMNS} FROM audit_events WHERE seq > "));
                sql.push_bind(after);
                push_filters(&mut sql, query);
                sql.push(" ORDER BY seq LIMIT ").push_bind(i64::from(limit));
                sql.build_query_as().fetch_all(pool).await.map_err(db_error)?
            });
            rows.into_iter().map(EventRow::into_event).collect()
        })
    }

    fn audit_event<'a>(&'a self, seq: i64) -> BoxFuture<'a, Result<Option<Event>, StoreError>> {
        Box::pin(async move {
            let sql = format!("SELECT {EVENT_COLUMNS} FROM audit_events WHERE seq = $1");
            let row: Option<EventRow> = on_pool!(self, pool => sqlx::query_as(&sql).bind(seq).fetch_optional(pool).await.map_err(db_error)?);
            row.map(EventRow::into_event).transpose()
        })
    }
}

/// An `audit_events` row as stored.
#[derive(sqlx::FromRow)]
pub(super) struct EventRow {
    seq: i64,
    at: i64,
    actor: String,
    token_id: Option<String>,
    origin: String,
    action: String,
    service: Option<String>,
    environment: Option<String>,
    inputs: String,
    outcome: String,
    reason: Option<String>,
    request_id: Option<String>,
    client_addr: Option<String>,
    prev_hash: String,
    hash: String,
}

impl EventRow {
    /// The event as recorded. A row whose text no longer parses is still returned (verification
    /// will flag it): unknown origins and outcomes read as `system` and `failure`, bad JSON as a string.
    pub(super) fn into_event(self) -> Result<Event, StoreError> {
        let inputs = serde_json::from_str(&self.inputs).unwrap_or(serde_json::Value::String(self.inputs));
        Ok(Event {
            seq: self.seq,
            at: self.at,
            event: NewEvent {
                actor: self.actor,
                token_id: self.token_id,
                origin: Origin::parse(&self.origin).unwrap_or(Origin::System),
                action: self.action,
                service: self.service,
                environment: self.environment,
                inputs,
                outcome: Outcome::parse(&self.outcome).unwrap_or(Outcome::Failure),
                reason: self.reason,
                request_id: self.request_id,
                client_addr: self.client_addr,
            },
            prev_hash: self.prev_hash,
            hash: self.hash,
        })
    }
}
