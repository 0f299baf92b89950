//! The chain's head row, and time turned into sequence numbers.
//!
//! Appending never lets time run backwards along the chain, so "events between two times" is a
//! contiguous run of sequence numbers. Filtering on that run rather than on `at` keeps every
//! query an index range walked in `seq` order: a time filter over a million events costs two
//! index probes instead of a scan or a sort.

use domain::store::StoreError;

use super::super::{Store, db_error, on_pool};

/// The first event at or after a time (ties on `at` resolved to the lowest `seq`).
pub(super) const FIRST_AT_OR_AFTER: &str = "SELECT MIN(seq) FROM audit_events \
     WHERE at = (SELECT at FROM audit_events WHERE at >= $1 ORDER BY at LIMIT 1)";
/// The last event before a time.
pub(super) const LAST_BEFORE: &str = "SELECT MAX(seq) FROM audit_events \
     WHERE at = (SELECT at FROM audit_events WHERE at < $1 ORDER BY at DESC LIMIT 1)";

/// `audit_chain`'s one row: the head of the chain and where pruning left its start.
#[derive(Clone, Debug, sqlx::FromRow)]
pub(super) struct Chain {
    pub last_seq: i64,
    pub last_hash: String,
    pub pruned_through_seq: i64,
    pub pruned_through_hash: String,
}

pub(super) const CHAIN: &str =
    "SELECT last_seq, last_hash, pruned_through_seq, pruned_through_hash FROM audit_chain WHERE id = 1";

/// The sequence numbers a query's time filters allow: `low` inclusive, `high` exclusive.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct SeqRange {
    pub low: Option<i64>,
    pub high: Option<i64>,
}

impl Store {
    pub(super) async fn chain(&self) -> Result<Chain, StoreError> {
        on_pool!(self, pool => sqlx::query_as(CHAIN).fetch_one(pool).await.map_err(db_error))
    }

    /// The run of events recorded in `[from, to)`, or `None` when no event can match.
    pub(super) async fn seq_range(&self, from: Option<i64>, to: Option<i64>) -> Result<Option<SeqRange>, StoreError> {
        let mut range = SeqRange::default();
        if let Some(from) = from {
            match self.first_at_or_after(from).await? {
                Some(seq) => range.low = Some(seq),
                None => return Ok(None),
            }
        }
        if let Some(to) = to {
            // Nothing recorded at or after `to`: no upper bound.
            range.high = self.first_at_or_after(to).await?;
        }
        Ok(Some(range))
    }

    async fn first_at_or_after(&self, at: i64) -> Result<Option<i64>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar(FIRST_AT_OR_AFTER).bind(at).fetch_one(pool).await.map_err(db_error))
    }
}
