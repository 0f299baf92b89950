//! The chain's head, and any event's hash, for comparing with a head kept outside the database.

use domain::store::StoreError;

use super::super::{Store, db_error, on_pool};

/// Where the chain ends: the newest event's sequence number and hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

impl Store {
    /// The head as `audit_chain` records it.
    pub async fn audit_head(&self) -> Result<Head, StoreError> {
        let chain = self.chain().await?;
        Ok(Head { seq: chain.last_seq, hash: chain.last_hash })
    }

    /// The stored hash of event `seq`, if the event is there.
    pub async fn audit_hash(&self, seq: i64) -> Result<Option<String>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query_scalar("SELECT hash FROM audit_events WHERE seq = $1").bind(seq).fetch_optional(pool).await.map_err(db_error)
        })
    }
}
