//! Catalog names and the sources they belong to, stored with the catalog they decided, so that
//! a name keeps its owner across restarts and every portal on the database agrees on it.

use domain::audit::NewEvent;
use domain::catalog::Catalog;
use domain::catalog::claims::{Claim, Claims};
use domain::store::StoreError;
use sqlx::QueryBuilder;

use super::catalog::{INSERT_CHUNK, write_catalog};
use super::{Store, Tx, audit, db_error, on_tx};

/// What the refresher decided from the claims it was shown.
pub struct ClaimedCatalog {
    pub catalog: Catalog,
    pub claims: Claims,
    /// The audit events that record the change, written in the same transaction.
    pub events: Vec<NewEvent>,
}

impl Store {
    /// Replaces the catalog with what `decide` makes of the stored claims, with its claims and
    /// audit events, in one transaction. Replacements are serialised (SQLite's write lock, a
    /// table lock on PostgreSQL), so two portals never decide from the same old claims.
    /// `decide` answers `None` when nothing changed: then nothing is written.
    pub async fn replace_claimed_catalog(
        &self,
        decide: impl FnOnce(&Claims) -> Option<ClaimedCatalog>,
    ) -> Result<Option<ClaimedCatalog>, StoreError> {
        let mut tx = self.begin().await?;
        if let Tx::Postgres(pg) = &mut tx {
            sqlx::query("LOCK TABLE catalog_claims IN SHARE ROW EXCLUSIVE MODE").execute(&mut **pg).await.map_err(db_error)?;
        }
        let held = read_claims(&mut tx).await?;
        let Some(decided) = decide(&held) else {
            tx.rollback().await?;
            return Ok(None);
        };
        write_catalog(&mut tx, &decided.catalog).await?;
        write_claims(&mut tx, &decided.claims).await?;
        for event in &decided.events {
            audit::append_in(&mut tx, event).await?;
        }
        tx.commit().await?;
        self.analyze_catalog().await?;
        Ok(Some(decided))
    }
}

async fn read_claims(tx: &mut Tx<'_>) -> Result<Claims, StoreError> {
    let rows: Vec<(String, String, String, String)> = on_tx!(tx, conn => {
        sqlx::query_as("SELECT kind, name, source, summary FROM catalog_claims").fetch_all(&mut *conn).await.map_err(db_error)?
    });
    Ok(rows.into_iter().map(|(kind, name, source, summary)| ((kind, name), Claim { source, summary })).collect())
}

async fn write_claims(tx: &mut Tx<'_>, claims: &Claims) -> Result<(), StoreError> {
    let rows: Vec<(&(String, String), &Claim)> = claims.iter().collect();
    on_tx!(tx, conn => {
        sqlx::query("DELETE FROM catalog_claims").execute(&mut *conn).await.map_err(db_error)?;
        for chunk in rows.chunks(INSERT_CHUNK) {
            QueryBuilder::new("INSERT INTO catalog_claims (kind, name, source, summary) ")
                .push_values(chunk, |mut row, ((kind, name), claim)| {
                    row.push_bind(kind).push_bind(name).push_bind(&claim.source).push_bind(&claim.summary);
                })
                .build()
                .execute(&mut *conn)
                .await
                .map_err(db_error)?;
        }
        Ok(())
    })
}
