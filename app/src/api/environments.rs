//! Where services run: the environments grid, one service's environments, and what the logs
//! page needs to know before it opens the live stream.

#[cfg(feature = "ssr")]
use domain::access::{Permission, logs_refusal};
use domain::catalog::ServiceQuery;
use domain::delivery::DeploymentPage;
use domain::delivery::code::ServiceDelivery;
use domain::runtime::{GridCell, GridPage};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ApiError;
#[cfg(feature = "ssr")]
use super::Services;

/// The logs page's header and whether the visitor may follow the stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogPage {
    pub service: String,
    pub environment: String,
    pub production: bool,
    /// `local`, `kubernetes` or `ecs`.
    pub runtime: String,
    /// Why the visitor may not read these logs; `None` when they may.
    pub refusal: Option<String>,
}

/// One page of the services × environments grid for the services matching `query`.
#[server(input = Json, endpoint = "environments/grid")]
pub async fn environment_grid(query: ServiceQuery) -> Result<GridPage, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewCatalog).await?;
    services.environments.environment_grid(&query).await.map_err(ApiError::internal)
}

/// A service's environments in promotion order; empty when it declares none.
#[server(input = Json, endpoint = "environments/service")]
pub async fn service_environments(name: String) -> Result<Vec<GridCell>, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewCatalog).await?;
    services.environments.service_environments(&name).await.map_err(ApiError::internal)
}

/// One page of a service's deployment history in every environment, newest first; `before` is
/// the cursor of an older page.
#[server(input = Json, endpoint = "environments/deployments")]
pub async fn service_deployments(name: String, before: Option<i64>) -> Result<DeploymentPage, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewCatalog).await?;
    services.environments.deployments(&name, before).await.map_err(ApiError::internal)
}

/// Each environment's commit and what each promotion along the path would ship; `None` when the
/// catalog has no such service.
#[server(input = Json, endpoint = "environments/delivery")]
pub async fn get_delivery(name: String) -> Result<Option<ServiceDelivery>, ApiError> {
    use domain::delivery::code::{REPOSITORY_ANNOTATION, service_delivery};
    let services = Services::current()?;
    services.require(Permission::ViewCatalog).await?;
    let Some(detail) = services.catalog.service(&name).await.map_err(ApiError::internal)? else { return Ok(None) };
    let Some(repository) = detail.service.annotations.get(REPOSITORY_ANNOTATION).cloned() else {
        return Ok(Some(ServiceDelivery::NoRepository));
    };
    let Some(code) = services.code.as_deref() else { return Ok(Some(ServiceDelivery::NoHistory { repository })) };
    let cells = services.environments.service_environments(&name).await.map_err(ApiError::internal)?;
    Ok(Some(service_delivery(code, &repository, &cells).await))
}

/// What the logs page of `service` in `environment` shows; `None` when the catalog has no such
/// environment. A refusal is part of the answer, not an error, so the page can say what is
/// missing; the stream itself checks again (and audits) when it is opened.
#[server(input = Json, endpoint = "environments/log-view")]
pub async fn log_view(service: String, environment: String) -> Result<Option<LogPage>, ApiError> {
    let services = Services::current()?;
    let principal = services.require(Permission::ViewCatalog).await?;
    let Some(detail) = services.environments.placement(&service, &environment).await.map_err(ApiError::internal)? else {
        return Ok(None);
    };
    let production = detail.placement.environment.production;
    let refusal = services.policy.may_read_logs(&principal, &detail.owner, &environment, production).err()
        .map(|refusal| logs_refusal(&service, &environment, &refusal));
    Ok(Some(LogPage {
        runtime: detail.placement.environment.target.kind().to_owned(),
        service,
        environment,
        production,
        refusal,
    }))
}
