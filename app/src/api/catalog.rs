//! Reading the catalog: the services list, a service's page, any entity's page, the catalog's
//! problems and the state of the sources it is read from.

#[cfg(feature = "ssr")]
use domain::access::Permission;
use domain::catalog::api_doc::ApiView;
use domain::catalog::graph::{EntityGraph, GraphQuery};
use domain::catalog::impact::Impact;
use domain::catalog::{EntityDetail, EntityList, EntityQuery, EntityRef, Problem, ServiceList, ServiceQuery, SourceStatus};
use domain::store::ServiceDetail;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

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

/// What an entity's page shows: the entity with its relations and, for an API, its definition
/// as the server read it. The definition's text is sent only inside that reading, not twice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityPageData {
    pub detail: EntityDetail,
    pub definition: Option<ApiView>,
}

/// An entity of any kind by its kind (`group`, `api`...), namespace and name, with its
/// relations; `None` when there is no such entity.
#[server(input = Json, endpoint = "catalog/entity")]
pub async fn get_entity(kind: String, namespace: String, name: String) -> Result<Option<EntityPageData>, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewCatalog).await?;
    let Some(kind) = domain::catalog::EntityKind::from_key(&kind) else { return Ok(None) };
    let detail = services.catalog.entity(kind, &namespace.to_ascii_lowercase(), &name).await.map_err(ApiError::internal)?;
    Ok(detail.map(|mut detail| {
        let spec_type = detail.entity.spec_type.clone();
        let definition = match &mut detail.entity.details {
            domain::catalog::Details::Api(definition) => {
                Some(domain::catalog::api_doc::api_view(spec_type.as_deref(), &std::mem::take(&mut definition.text)))
            }
            _ => None,
        };
        EntityPageData { detail, definition }
    }))
}

/// One page of a search across every kind of entity.
#[server(input = Json, endpoint = "catalog/search")]
pub async fn search_catalog(query: EntityQuery) -> Result<EntityList, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewCatalog).await?;
    services.catalog.search_entities(&query).await.map_err(ApiError::internal)
}

/// The relations graph around an entity; `None` when there is no such entity.
#[server(input = Json, endpoint = "catalog/graph")]
pub async fn get_entity_graph(entity: EntityRef, query: GraphQuery) -> Result<Option<EntityGraph>, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewCatalog).await?;
    services.catalog.entity_graph(&entity, &query).await.map_err(ApiError::internal)
}

/// Everything that depends on an entity, directly or not; `None` when there is no such entity.
#[server(input = Json, endpoint = "catalog/impact")]
pub async fn get_impact(entity: EntityRef) -> Result<Option<Impact>, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewCatalog).await?;
    services.catalog.impact(&entity).await.map_err(ApiError::internal)
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
