//! A transaction on either engine, so a change and its audit event commit together.

use domain::store::StoreError;
use sqlx::{Postgres, Sqlite, Transaction};

use super::{Store, db_error};

/// An open transaction; dropped without [`Tx::commit`], it rolls back.
pub enum Tx<'c> {
    Sqlite(Transaction<'c, Sqlite>),
    Postgres(Transaction<'c, Postgres>),
}

/// Runs `$body` with `$conn` bound to the transaction's connection, for either engine.
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::store::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::store::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

impl Store {
    /// Starts a write transaction. On SQLite it takes the write lock at once: a transaction
    /// that reads before it writes could otherwise fail when another writer got in between.
    pub async fn begin(&self) -> Result<Tx<'static>, StoreError> {
        match self {
            Self::Sqlite(pool) => pool.begin_with("BEGIN IMMEDIATE").await.map(Tx::Sqlite),
            Self::Postgres(pool) => pool.begin().await.map(Tx::Postgres),
        }
        .map_err(db_error)
    }
}

impl Tx<'_> {
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(tx) => tx.commit().await,
            Self::Postgres(tx) => tx.commit().await,
        }
        .map_err(db_error)
    }
}
