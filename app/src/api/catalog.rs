//! Reading the catalog: the services list, a service's page, any entity's page, the catalog's
//! problems and the state of the sources it is read from.

#[cfg(feature = "ssr")]
use domain::access::Permission;
use domain::catalog::{EntityDetail, Problem, ServiceList, ServiceQuery, SourceStatus};
use domain::store::ServiceDetail;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::ApiError;
#[cfg(feature = "ssr")]
use super::Services;

/// One page of services matching `query`.
#[server(input = Json, endpoint = "catalog/services")]
pub async fn list_services(query: ServiceQuery) -> Result<ServiceList, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewCatalog).await?;
    services.catalog.list_services(&query).await.map_err(ApiError::internal)
}

/// A service by name; `None` when there is no such service.
#[server(input = Json, endpoint = "catalog/service")]
pub async fn get_service(name: String) -> Result<Option<ServiceDetail>, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewCatalog).await?;
    services.catalog.service(&name).await.map_err(ApiError::internal)
}

/// An entity of any kind by its kind (`group`, `api`...), namespace and name, with its
/// relations; `None` when there is no such entity.
#[server(input = Json, endpoint = "catalog/entity")]
pub async fn get_entity(kind: String, namespace: String, name: String) -> Result<Option<EntityDetail>, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewCatalog).await?;
    let Some(kind) = domain::catalog::EntityKind::from_key(&kind) else { return Ok(None) };
    services.catalog.entity(kind, &namespace.to_ascii_lowercase(), &name).await.map_err(ApiError::internal)
}

/// Every problem found when the catalog was last read.
#[server(input = Json, endpoint = "catalog/problems")]
pub async fn catalog_problems() -> Result<Vec<Problem>, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewCatalog).await?;
    services.catalog.problems().await.map_err(ApiError::internal)
}

/// Each catalog source with when it was last read.
#[server(input = Json, endpoint = "catalog/sources")]
pub async fn catalog_sources() -> Result<Vec<SourceStatus>, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewCatalog).await?;
    Ok(services.catalog_sources.sources())
}
