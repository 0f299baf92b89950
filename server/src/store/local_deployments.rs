//! Versions the portal deployed to local environments, kept across restarts (the local runtime
//! holds them in memory only).

use std::collections::HashMap;

use domain::store::StoreError;

use super::{Store, db_error, on_pool};

/// A deployment remembered for one local environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalDeployment {
    pub version: String,
    /// What the catalog declared when it was deployed; empty when it declared nothing.
    pub declared_version: String,
}

impl Store {
    /// Remembers that `version` now runs in a local environment whose catalog declares
    /// `declared`.
    pub async fn remember_local_deployment(&self, service: &str, environment: &str, version: &str, declared: Option<&str>, now: i64) -> Result<(), StoreError> {
        let sql = "INSERT INTO local_deployments (service, environment, version, declared_version, deployed_at) VALUES ($1, $2, $3, $4, $5) \
                   ON CONFLICT (service, environment) DO UPDATE SET version = excluded.version, \
                   declared_version = excluded.declared_version, deployed_at = excluded.deployed_at";
        on_pool!(self, pool => sqlx::query(sql).bind(service).bind(environment).bind(version).bind(declared.unwrap_or_default()).bind(now)
            .execute(pool).await.map(|_| ()).map_err(db_error))
    }

    /// Every remembered local deployment, by service and environment.
    pub async fn local_deployments(&self) -> Result<HashMap<(String, String), LocalDeployment>, StoreError> {
        let sql = "SELECT service, environment, version, declared_version FROM local_deployments";
        let rows: Vec<(String, String, String, String)> = on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await.map_err(db_error)?);
        Ok(rows.into_iter().map(|(service, environment, version, declared_version)| ((service, environment), LocalDeployment { version, declared_version })).collect())
    }
}
