//! Storage on SQLite or PostgreSQL through sqlx. One `Store` type covers both engines: every
//! query is written once, with `$n` placeholders that both engines accept, and [`on_pool!`]
//! compiles it for each engine's pool.

pub mod audit;
mod catalog;
mod catalog_claims;
mod catalog_entities;
mod catalog_graph;
mod catalog_impact;
mod deployments;
mod entity_search;
mod environments;
mod people;
mod sign_ins;
mod tokens;
mod users;
mod local_deployments;
pub mod rows;
pub mod runs;
mod service_filter;
mod tx;

pub use audit::append_in;
pub use catalog_claims::ClaimedCatalog;
pub use deployments::RunDeployment;
pub use sign_ins::{ActiveSignIn, Revoked, SignInState};
pub use tokens::TokenOwner;
pub use users::{Person, Removal};
pub(crate) use tx::on_tx;
pub use tx::Tx;

use std::str::FromStr;
use std::time::Duration;

use domain::store::StoreError;
use secrecy::{ExposeSecret, SecretString};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{PgPool, SqlitePool};

/// Runs `$body` with `$pool` bound to whichever engine's pool the store holds.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::Store::Sqlite($pool) => $body,
            $crate::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// The portal's database.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// How long a request waits for a free connection before failing (and `/readyz` going red).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

impl Store {
    /// Connects to `url` (`sqlite://path` or `postgres://…`). An SQLite file and its folder are
    /// created when missing.
    pub async fn connect(url: &SecretString) -> Result<Self, StoreError> {
        let url = url.expose_secret();
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(db_error)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            if let Some(folder) = options.get_filename().parent().filter(|f| !f.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder)
                    .map_err(|e| StoreError(format!("cannot create {}: {e}", folder.display())))?;
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await
                .map_err(db_error)?;
            Ok(Self::Sqlite(pool))
        } else {
            let options = PgConnectOptions::from_str(url).map_err(db_error)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await
                .map_err(db_error)?;
            Ok(Self::Postgres(pool))
        }
    }

    /// Applies the migrations this binary carries that the database has not seen yet.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(pool) => sqlx::migrate!("../../../migrations/sqlite").run(pool).await,
            Self::Postgres(pool) => sqlx::migrate!("../../../migrations/postgres").run(pool).await,
        }
        .map_err(|e| StoreError(format!("migration failed: {e}")))
    }

    /// Whether the database answers: the readiness check.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()).map_err(db_error))
    }

    /// Closes every connection; used at shutdown.
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
    }
}

/// sqlx errors keep their text for the logs; callers never show it to users.
pub fn db_error(error: impl std::fmt::Display) -> StoreError {
    StoreError(error.to_string())
}
