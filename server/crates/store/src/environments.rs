//! The environments tables: what the catalog declares and what runtimes last reported.

use std::collections::HashMap;

use domain::catalog::{Environment, ServiceQuery};
use domain::runtime::{GridCell, GridPage, GridRow, Observation, Placement, drift};
use domain::delivery::DeploymentPage;
use domain::future::BoxFuture;
use domain::store::{CatalogStore, EnvironmentStore, PlacementDetail, StoreError};

use super::rows::{from_json, to_json};
use super::{Store, db_error, on_pool};

#[derive(sqlx::FromRow)]
struct CellRow {
    service: String,
    name: String,
    production: bool,
    runtime: String,
    observation: Option<String>,
}

impl CellRow {
    fn into_cell(self) -> Result<GridCell, StoreError> {
        let observation: Option<Observation> = self.observation.as_deref().map(from_json).transpose()?;
        Ok(GridCell {
            environment: self.name,
            production: self.production,
            runtime: self.runtime,
            observation,
            drift_from: None,
        })
    }
}

/// Each service's environments with their last observation, in promotion order. `names` is
/// at most one page of services, so the `IN` list stays short.
const CELLS: &str = "SELECT e.service, e.name, e.production, e.runtime, s.observation \
                     FROM catalog_environments e \
                     LEFT JOIN environment_status s ON s.service = e.service AND s.environment = e.name";

impl EnvironmentStore for Store {
    fn environment_grid<'a>(&'a self, query: &'a ServiceQuery) -> BoxFuture<'a, Result<GridPage, StoreError>> {
        Box::pin(async move {
            let services = self.list_services(query).await?;
            let names: Vec<&str> = services.items.iter().map(|s| s.name.as_str()).collect();
            let mut cells = self.cells(&names).await?;
            let rows = names
                .iter()
                .map(|name| {
                    let mut cells = cells.remove(*name).unwrap_or_default();
                    drift(&mut cells);
                    GridRow { service: (*name).to_owned(), cells }
                })
                .collect();
            Ok(GridPage::new(services, rows))
        })
    }

    fn service_environments<'a>(&'a self, service: &'a str) -> BoxFuture<'a, Result<Vec<GridCell>, StoreError>> {
        Box::pin(async move {
            let mut cells = self.cells(&[service]).await?.remove(service).unwrap_or_default();
            drift(&mut cells);
            Ok(cells)
        })
    }

    fn placement<'a>(&'a self, service: &'a str, environment: &'a str) -> BoxFuture<'a, Result<Option<PlacementDetail>, StoreError>> {
        Box::pin(async move {
            let sql = "SELECT e.body, c.owner FROM catalog_environments e JOIN catalog_services c ON c.name = e.service \
                       WHERE e.service = $1 AND e.name = $2";
            let row = on_pool!(self, pool => sqlx::query_as::<_, (String, String)>(sql)
                .bind(service).bind(environment).fetch_optional(pool).await.map_err(db_error)?);
            let Some((body, owner)) = row else { return Ok(None) };
            let environment: Environment = from_json(&body)?;
            Ok(Some(PlacementDetail { placement: Placement { service: service.to_owned(), environment }, owner }))
        })
    }

    fn placements<'a>(&'a self) -> BoxFuture<'a, Result<Vec<Placement>, StoreError>> {
        Box::pin(async move {
            let sql = "SELECT service, body FROM catalog_environments ORDER BY service, position";
            let rows = on_pool!(self, pool => sqlx::query_as::<_, (String, String)>(sql).fetch_all(pool).await.map_err(db_error)?);
            rows.into_iter()
                .map(|(service, body)| Ok(Placement { service, environment: from_json(&body)? }))
                .collect()
        })
    }

    fn record_observation<'a>(
        &'a self,
        service: &'a str,
        environment: &'a str,
        observation: &'a Observation,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let body = to_json(observation)?;
            let at = observation.observed_at.unix_timestamp();
            let sql = "INSERT INTO environment_status (service, environment, observation, observed_at) VALUES ($1, $2, $3, $4) \
                       ON CONFLICT (service, environment) DO UPDATE SET observation = excluded.observation, observed_at = excluded.observed_at";
            on_pool!(self, pool => sqlx::query(sql).bind(service).bind(environment).bind(&body).bind(at)
                .execute(pool).await.map(|_| ()).map_err(db_error)?);
            // Versions deployed outside the portal count too: the history shows them and a
            // rollback goes back to them.
            if let Some(version) = observation.version() {
                let micros = i64::try_from(observation.observed_at.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX);
                self.record_seen(service, environment, version, micros).await?;
            }
            Ok(())
        })
    }

    fn deployments<'a>(&'a self, service: &'a str, before: Option<i64>) -> BoxFuture<'a, Result<DeploymentPage, StoreError>> {
        Box::pin(self.deployment_page(service, before))
    }
}

impl Store {
    /// The cells of the services `names`, by service.
    async fn cells(&self, names: &[&str]) -> Result<HashMap<String, Vec<GridCell>>, StoreError> {
        if names.is_empty() {
            return Ok(HashMap::new());
        }
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
        let sql = format!("{CELLS} WHERE e.service IN ({}) ORDER BY e.service, e.position", placeholders.join(", "));
        let rows = on_pool!(self, pool => {
            let mut query = sqlx::query_as::<_, CellRow>(&sql);
            for name in names {
                query = query.bind(*name);
            }
            query.fetch_all(pool).await.map_err(db_error)?
        });
        let mut cells: HashMap<String, Vec<GridCell>> = HashMap::new();
        for row in rows {
            let service = row.service.clone();
            cells.entry(service).or_default().push(row.into_cell()?);
        }
        Ok(cells)
    }
}
