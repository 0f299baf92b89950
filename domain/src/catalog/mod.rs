//! The software catalog: services (Backstage `Component`), systems and teams (`Group`), read
//! from Backstage-style `catalog-info.yaml` manifests.

pub mod claims;
mod entity;
mod environment;
pub(crate) mod parse;
mod problem;
mod query;
mod sources;
mod trust;

pub use entity::{Catalog, Link, Service, SourceLocation, System, Team};
pub use environment::{EcsTarget, Environment, KubernetesTarget, LocalTarget, RuntimeTarget};
pub use parse::{MAX_LOCAL_REPLICAS, parse_manifest};
pub use problem::Problem;
pub use query::{Facets, ServiceList, ServiceQuery, ServiceSort, ServiceSummary};
pub use sources::{SourceReport, SourceStatus};
pub use trust::{DEFAULT_NAME, EcsPattern, KubernetesPattern, ProductionNames, TargetRule, TargetRules, glob, target_text};
