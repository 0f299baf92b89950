//! The audit store port: appending on its own, and the viewer's queries.

use domain::audit::{AuditPage, AuditQuery, Event, NewEvent};
use domain::future::BoxFuture;
use domain::store::{AuditStore, StoreError};

use super::append_in;
use super::rows::{EVENT_COLUMNS, EventRow};
use super::walk::filters;
use super::super::{Store, db_error, on_pool};

impl Store {
    /// Appends an event that accompanies no other change (a refusal, a reading of logs); a
    /// failure is logged, not shown: the refusal or reading stands either way.
    pub async fn append_or_log(&self, event: &NewEvent) {
        if let Err(error) = self.append(event).await {
            tracing::error!(%error, action = %event.action, "cannot write the audit event");
        }
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
            let filters = filters(&query);
            let walk = self.walk(&filters, range.low, high, true).await?;
            let low = [range.low, walk.stop].into_iter().flatten().max();
            // One row more than the page tells whether an older page exists.
            let mut rows = self.select(&walk.table, &filters, low, high, true, query.per_page + 1).await?;
            let full = rows.len() > per_page;
            rows.truncate(per_page);
            let items: Vec<Event> = rows.into_iter().map(EventRow::into_event).collect();
            // A walk cut short continues below where it stopped, even with a short page.
            let next_before = if full { items.last().map(|event| event.seq) } else { walk.stop };
            Ok(AuditPage { items, next_before, newest_seq })
        })
    }

    fn audit_since<'a>(&'a self, query: &'a AuditQuery, after: i64, limit: u32) -> BoxFuture<'a, Result<Vec<Event>, StoreError>> {
        Box::pin(async move {
            let Some(range) = self.seq_range(query.from, query.to).await? else {
                return Ok(Vec::new());
            };
            let low = range.low.map_or(after.saturating_add(1), |low| low.max(after.saturating_add(1)));
            let filters = filters(query);
            // Not cut short: live updates ask for the few events since the last ones seen.
            let walk = self.walk(&filters, Some(low), range.high, false).await?;
            let rows = self.select(&walk.table, &filters, Some(low), range.high, false, limit).await?;
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
