//! The local runtime's deployments, kept across restarts (see [`LocalDeployments`]).

use domain::clock::now_micros;
use domain::future::BoxFuture;
use domain::runtime::{KeptDeployments, LocalDeployment, LocalDeployments};
use domain::store::StoreError;

use super::{Store, db_error, on_pool};

impl LocalDeployments for Store {
    fn remember_local<'a>(&'a self, service: &'a str, environment: &'a str, version: &'a str, declared: Option<&'a str>) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let sql = "INSERT INTO local_deployments (service, environment, version, declared_version, deployed_at) VALUES ($1, $2, $3, $4, $5) \
                       ON CONFLICT (service, environment) DO UPDATE SET version = excluded.version, \
                       declared_version = excluded.declared_version, deployed_at = excluded.deployed_at";
            on_pool!(self, pool => sqlx::query(sql).bind(service).bind(environment).bind(version).bind(declared.unwrap_or_default()).bind(now_micros())
                .execute(pool).await.map(|_| ()).map_err(db_error))
        })
    }

    fn local_deployments(&self) -> BoxFuture<'_, Result<KeptDeployments, StoreError>> {
        Box::pin(async move {
            let sql = "SELECT service, environment, version, declared_version FROM local_deployments";
            let rows: Vec<(String, String, String, String)> = on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await.map_err(db_error)?);
            Ok(rows.into_iter().map(|(service, environment, version, declared_version)| ((service, environment), LocalDeployment { version, declared_version })).collect())
        })
    }
}
