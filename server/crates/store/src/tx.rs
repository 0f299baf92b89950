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
            $crate::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::Tx::Postgres(tx) => {
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

    /// Starts a read-only transaction that sees one consistent state of the database for its
    /// whole length, however long a read (such as verifying the audit log) takes.
    pub(crate) async fn snapshot(&self) -> Result<Tx<'static>, StoreError> {
        match self {
            // A deferred transaction reads from one WAL snapshot, taken at its first read.
            Self::Sqlite(pool) => pool.begin().await.map(Tx::Sqlite),
            Self::Postgres(pool) => pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await.map(Tx::Postgres),
        }
        .map_err(db_error)
    }
}

impl Tx<'_> {
    /// Makes the transaction's changes, audit events included, visible to everyone at once.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(tx) => tx.commit().await,
            Self::Postgres(tx) => tx.commit().await,
        }
        .map_err(db_error)
    }

    /// Ends the transaction without keeping its changes.
    pub async fn rollback(self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(tx) => tx.rollback().await,
            Self::Postgres(tx) => tx.rollback().await,
        }
        .map_err(db_error)
    }
}
