//! The audit store port: appending on its own, and the viewer's queries.

use domain::audit::{AuditPage, AuditQuery, Event, NewEvent};
use domain::store::{AuditStore, BoxFuture, StoreError};
use sqlx::QueryBuilder;

use super::append_in;
use super::rows::{EVENT_COLUMNS, EventRow};
use super::super::{Store, db_error, on_pool};

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
            let query = query.clone().normalised();
            // Read before the page: an event appended in between is then newer than
            // `newest_seq` and left to live updates, instead of being missed by both.
            let head = self.chain().await?.last_seq;
            let newest_seq = (head > 0).then_some(head);
            let Some(range) = self.seq_range(query.from, query.to).await? else {
                return Ok(AuditPage { items: Vec::new(), next_before: None, newest_seq });
            };
            let high = [query.before, range.high, Some(head + 1)].into_iter().flatten().min();
            let per_page = usize::try_from(query.per_page).unwrap_or(usize::MAX);
            // One row more than the page tells whether an older page exists.
            let mut rows = self.select(&query, range.low, high, true, query.per_page + 1).await?;
            let more = rows.len() > per_page;
            rows.truncate(per_page);
            let items: Vec<Event> = rows.into_iter().map(EventRow::into_event).collect();
            let next_before = if more { items.last().map(|event| event.seq) } else { None };
            Ok(AuditPage { items, next_before, newest_seq })
        })
    }

    fn audit_since<'a>(&'a self, query: &'a AuditQuery, after: i64, limit: u32) -> BoxFuture<'a, Result<Vec<Event>, StoreError>> {
        Box::pin(async move {
            let Some(range) = self.seq_range(query.from, query.to).await? else {
                return Ok(Vec::new());
            };
            let low = range.low.map_or(after.saturating_add(1), |low| low.max(after.saturating_add(1)));
            let rows = self.select(query, Some(low), range.high, false, limit).await?;
            Ok(rows.into_iter().map(EventRow::into_event).collect())
        })
    }

    fn audit_event<'a>(&'a self, seq: i64) -> BoxFuture<'a, Result<Option<Event>, StoreError>> {
        Box::pin(async move {
            let sql = format!("SELECT {EVENT_COLUMNS} FROM audit_events WHERE seq = $1");
            let row: Option<EventRow> =
                on_pool!(self, pool => sqlx::query_as(&sql).bind(seq).fetch_optional(pool).await.map_err(db_error)?);
            Ok(row.map(EventRow::into_event))
        })
    }
}

impl Store {
    /// Events matching the query's equality filters with `low <= seq < high`, newest or oldest
    /// first. Each filter has an index on `(column, seq)`, so this walks one index range in
    /// `seq` order and stops after `limit` rows, however deep the cursor.
    async fn select(
        &self,
        query: &AuditQuery,
        low: Option<i64>,
        high: Option<i64>,
        newest_first: bool,
        limit: u32,
    ) -> Result<Vec<EventRow>, StoreError> {
        let filters = [
            ("actor", query.actor.as_deref()),
            ("action", query.action.as_deref()),
            ("service", query.service.as_deref()),
            ("environment", query.environment.as_deref()),
            ("outcome", query.outcome.map(|o| o.as_str())),
        ];
        // The limit is written into the statement, not bound: the planner then knows how few
        // rows are wanted and prefers walking an index in order over sorting.
        let order = if newest_first { "DESC" } else { "ASC" };
        let tail = format!(" ORDER BY seq {order} LIMIT {limit}");
        on_pool!(self, pool => {
            let mut sql = QueryBuilder::new(format!("SELECT {EVENT_COLUMNS} FROM audit_events WHERE 1 = 1"));
            if let Some(low) = low {
                sql.push(" AND seq >= ").push_bind(low);
            }
            if let Some(high) = high {
                sql.push(" AND seq < ").push_bind(high);
            }
            for (column, value) in filters {
                if let Some(value) = value {
                    sql.push(format!(" AND {column} = ")).push_bind(value);
                }
            }
            sql.push(&tail);
            sql.build_query_as().fetch_all(pool).await.map_err(db_error)
        })
    }
}
