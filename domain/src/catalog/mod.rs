//! The software catalog: services (Backstage `Component`), systems and teams (`Group`), read
//! from Backstage-style `catalog-info.yaml` manifests.

mod entity;
mod environment;
pub(crate) mod parse;
mod problem;
mod query;

pub use entity::{Catalog, Link, Service, SourceLocation, System, Team};
pub use environment::{EcsTarget, Environment, KubernetesTarget, LocalTarget, RuntimeTarget};
pub use parse::{MAX_LOCAL_REPLICAS, parse_manifest};
pub use problem::Problem;
pub use query::{Facets, ServicePage, ServiceQuery, ServiceSort, ServiceSummary};
