//! What the local runtime must remember across the portal's restarts: its processes live in
//! memory, so the version deployed to each local environment is kept through this port, which
//! the store implements.

use std::collections::HashMap;

use crate::future::BoxFuture;
use crate::store::StoreError;

/// A deployment remembered for one local environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalDeployment {
    pub version: String,
    /// What the catalog declared when it was deployed; empty when it declared nothing.
    pub declared_version: String,
}

/// Every remembered deployment, by service and environment.
pub type KeptDeployments = HashMap<(String, String), LocalDeployment>;

/// Versions deployed to local environments, by service and environment.
pub trait LocalDeployments: Send + Sync {
    /// Remembers that `version` now runs in a local environment whose catalog declares
    /// `declared`.
    fn remember_local<'a>(&'a self, service: &'a str, environment: &'a str, version: &'a str, declared: Option<&'a str>) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Every remembered deployment.
    fn local_deployments(&self) -> BoxFuture<'_, Result<KeptDeployments, StoreError>>;
}
