//! The storage port. The server implements it once per database engine family; the rest of the
//! portal only sees this trait.

use crate::audit::{AuditPage, AuditQuery, Event, NewEvent};
use crate::catalog::graph::{EntityGraph, GraphQuery};
use crate::catalog::impact::Impact;
use crate::catalog::{Catalog, EntityDetail, EntityKind, EntityList, EntityQuery, EntityRef, EntitySummary, Problem, Service, ServiceList, ServiceQuery};
use crate::delivery::DeploymentPage;
use crate::future::BoxFuture;
use crate::runtime::{GridCell, GridPage, Observation, Placement};

/// A storage failure. Details are for the logs; pages only ever say that storage failed.
#[derive(Debug, thiserror::Error)]
#[error("storage failed: {0}")]
pub struct StoreError(pub String);

/// A service with what its page shows about its owner and system.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServiceDetail {
    pub service: Service,
    /// The owner (a team, a person...), when the catalog has it.
    pub owner: Option<EntitySummary>,
    /// The system, when the catalog has it.
    pub system: Option<EntitySummary>,
}

/// Catalog storage: the last catalog read from the sources, queried by the pages.
pub trait CatalogStore: Send + Sync {
    /// Replaces the stored catalog (entities and problems) with `catalog`, atomically: readers
    /// see either the old catalog or the new one, never a mix.
    fn replace_catalog<'a>(&'a self, catalog: &'a Catalog) -> BoxFuture<'a, Result<(), StoreError>>;

    /// One page of services matching `query` (page and page size brought inside their bounds),
    /// with the filter values available.
    fn list_services<'a>(&'a self, query: &'a ServiceQuery) -> BoxFuture<'a, Result<ServiceList, StoreError>>;

    /// A service by name, or `None` when no such service exists.
    fn service<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Result<Option<ServiceDetail>, StoreError>>;

    /// One entity of any kind with its relations, by kind, namespace and name (compared without
    /// regard to case).
    fn entity<'a>(
        &'a self,
        kind: EntityKind,
        namespace: &'a str,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Option<EntityDetail>, StoreError>>;

    /// One page of entities of every kind (or of one) matching `query`, with the matches per kind.
    fn search_entities<'a>(&'a self, query: &'a EntityQuery) -> BoxFuture<'a, Result<EntityList, StoreError>>;

    /// The bounded relations graph around `entity`, or `None` when there is no such entity.
    fn entity_graph<'a>(&'a self, entity: &'a EntityRef, query: &'a GraphQuery) -> BoxFuture<'a, Result<Option<EntityGraph>, StoreError>>;

    /// What depends on `entity`, directly or not, or `None` when there is no such entity.
    fn impact<'a>(&'a self, entity: &'a EntityRef) -> BoxFuture<'a, Result<Option<Impact>, StoreError>>;

    /// The problems found when the catalog was last read, by file and line.
    fn problems<'a>(&'a self) -> BoxFuture<'a, Result<Vec<Problem>, StoreError>>;

    /// How many problems the catalog has.
    fn problem_count<'a>(&'a self) -> BoxFuture<'a, Result<u64, StoreError>>;
}

/// The audit log: appended to by the server (see its store), read by the viewer.
pub trait AuditStore: Send + Sync {
    /// Appends one event in a transaction of its own, for events that record no other change
    /// (sign-in refusals, permission denials).
    fn append<'a>(&'a self, event: &'a NewEvent) -> BoxFuture<'a, Result<Event, StoreError>>;

    /// One page of events matching the query, newest first.
    fn audit_page<'a>(&'a self, query: &'a AuditQuery) -> BoxFuture<'a, Result<AuditPage, StoreError>>;

    /// Events matching the query's filters recorded after `after`, oldest first, at most
    /// `limit`: the viewer's live updates.
    fn audit_since<'a>(&'a self, query: &'a AuditQuery, after: i64, limit: u32) -> BoxFuture<'a, Result<Vec<Event>, StoreError>>;

    /// One event by its sequence number.
    fn audit_event<'a>(&'a self, seq: i64) -> BoxFuture<'a, Result<Option<Event>, StoreError>>;
}

/// An environment found in the catalog, with the owner of its service (for permissions).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlacementDetail {
    pub placement: Placement,
    pub owner: String,
}

/// Environments as the catalog declares them and as their runtimes last reported them.
pub trait EnvironmentStore: Send + Sync {
    /// One page of the grid: the services matching `query`, each with its environments.
    fn environment_grid<'a>(&'a self, query: &'a ServiceQuery) -> BoxFuture<'a, Result<GridPage, StoreError>>;

    /// One service's environments in promotion order; empty when it declares none.
    fn service_environments<'a>(&'a self, service: &'a str) -> BoxFuture<'a, Result<Vec<GridCell>, StoreError>>;

    /// One environment of one service, or `None` when the catalog has no such thing.
    fn placement<'a>(&'a self, service: &'a str, environment: &'a str) -> BoxFuture<'a, Result<Option<PlacementDetail>, StoreError>>;

    /// Every environment of every service, for the status poller.
    fn placements<'a>(&'a self) -> BoxFuture<'a, Result<Vec<Placement>, StoreError>>;

    /// Keeps what a runtime said about an environment, replacing the previous answer; a
    /// version not seen there last joins the deployment history.
    fn record_observation<'a>(
        &'a self,
        service: &'a str,
        environment: &'a str,
        observation: &'a Observation,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// One page of `service`'s deployment history in every environment, newest first, older
    /// than the deployment `before` when given.
    fn deployments<'a>(&'a self, service: &'a str, before: Option<i64>) -> BoxFuture<'a, Result<DeploymentPage, StoreError>>;
}
