//! Sessions live in the portal's own database, on whichever engine it uses, through
//! tower-sessions' sqlx stores.

use async_trait::async_trait;
use tower_sessions::ExpiredDeletion;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Result, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::background::Background;
use crate::store::Store;

/// tower-sessions' store for the engine the portal runs on.
#[derive(Clone, Debug)]
pub enum SessionBackend {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl SessionBackend {
    /// The store on `store`'s pool; creates its table when missing (the crate owns that schema).
    pub async fn new(store: &Store) -> std::result::Result<Self, sqlx::Error> {
        Ok(match store {
            Store::Sqlite(pool) => {
                let sessions = SqliteStore::new(pool.clone());
                sessions.migrate().await?;
                Self::Sqlite(sessions)
            }
            Store::Postgres(pool) => {
                let sessions = PostgresStore::new(pool.clone());
                sessions.migrate().await?;
                Self::Postgres(sessions)
            }
        })
    }

    /// Deletes expired sessions every `period`, and sign-ins over for a month, so neither table
    /// grows forever (a month of them stays for the admin's questions).
    pub fn spawn_cleanup(&self, background: &Background, store: Store, period: std::time::Duration) {
        const KEPT: i64 = 30 * 24 * 3600;
        let backend = self.clone();
        background.spawn_loop(async move {
            let mut ticks = tokio::time::interval(period);
            loop {
                ticks.tick().await;
                if let Err(error) = backend.delete_expired().await {
                    tracing::warn!(%error, "could not delete expired sessions");
                }
                if let Err(error) = store.forget_sign_ins(domain::clock::now_seconds() - KEPT).await {
                    tracing::warn!(%error, "could not delete old sign-ins");
                }
            }
        });
    }
}

#[async_trait]
impl SessionStore for SessionBackend {
    async fn create(&self, record: &mut Record) -> Result<()> {
        match self {
            Self::Sqlite(store) => store.create(record).await,
            Self::Postgres(store) => store.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        match self {
            Self::Sqlite(store) => store.save(record).await,
            Self::Postgres(store) => store.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        match self {
            Self::Sqlite(store) => store.load(id).await,
            Self::Postgres(store) => store.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        match self {
            Self::Sqlite(store) => store.delete(id).await,
            Self::Postgres(store) => store.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for SessionBackend {
    async fn delete_expired(&self) -> Result<()> {
        match self {
            Self::Sqlite(store) => store.delete_expired().await,
            Self::Postgres(store) => store.delete_expired().await,
        }
    }
}
