//! The export's walk: every event a query matches, newest first, one batch per query.
//!
//! Unlike the viewer's pages, an export is not cut short after a budget of rows: it reads
//! every match, so the work is the size of the log whatever the filters. Keyset paging on
//! `seq` keeps each query as cheap as the first, and only one batch is held at a time.

use domain::audit::{AuditQuery, Event};
use domain::store::StoreError;

use super::rows::EventRow;
use super::walk::filters;
use super::super::Store;

/// Events the portal's export reads per query: large enough that per-query overhead is small
/// next to encoding, small enough that a batch is a few hundred kilobytes.
pub const EXPORT_BATCH: u32 = 1_000;

/// An export under way. Each [`AuditExport::next_batch`] is a query of its own, so no
/// connection or transaction is held while the client reads: a slow download never blocks
/// appenders, pruning or checkpoints. Events pruned meanwhile are simply not reached.
pub struct AuditExport {
    store: Store,
    /// The filters; the cursor and page size are not used.
    query: AuditQuery,
    /// The table expression to read, with SQLite's index choice when there are several filters.
    table: String,
    low: Option<i64>,
    /// Exclusive: the oldest event read so far, or just past the head at the start.
    high: i64,
    batch: u32,
    done: bool,
}

impl Store {
    /// Starts an export of the events `query`'s filters match (`before` and `per_page` are
    /// ignored), newest first, `batch` events per query. Only events recorded before this call
    /// are included, so an export of a busy log has an end.
    pub async fn audit_export(&self, query: &AuditQuery, batch: u32) -> Result<AuditExport, StoreError> {
        let query = AuditQuery { before: None, ..query.clone() }.normalised();
        let head = self.chain().await?.last_seq;
        let mut export = AuditExport {
            store: self.clone(),
            query,
            table: "audit_events".to_owned(),
            low: None,
            high: head.saturating_add(1),
            batch: batch.max(1),
            done: false,
        };
        let Some(range) = self.seq_range(export.query.from, export.query.to).await? else {
            export.done = true;
            return Ok(export);
        };
        export.low = range.low;
        export.high = range.high.map_or(export.high, |high| high.min(export.high));
        // Planned once, oldest-first so that the walk is never cut short: the export reads
        // every match, and the narrowest index stays the narrowest batch after batch.
        let walk = self.walk(&filters(&export.query), export.low, Some(export.high), false).await?;
        export.table = walk.table;
        Ok(export)
    }
}

impl AuditExport {
    /// The next batch, newest first; `None` once every matching event has been returned.
    pub async fn next_batch(&mut self) -> Result<Option<Vec<Event>>, StoreError> {
        if self.done {
            return Ok(None);
        }
        let filters = filters(&self.query);
        let rows = self.store.select(&self.table, &filters, self.low, Some(self.high), true, self.batch).await;
        // After an error the export is over: the caller ends the download as failed.
        let rows = rows.inspect_err(|_| self.done = true)?;
        // A short batch is the last: unlike a viewer's page, this walk is never cut short.
        if rows.len() < usize::try_from(self.batch).unwrap_or(usize::MAX) {
            self.done = true;
        }
        let Some(oldest) = rows.last() else { return Ok(None) };
        self.high = oldest.seq;
        Ok(Some(rows.into_iter().map(EventRow::into_event).collect()))
    }
}
