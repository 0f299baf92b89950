//! The software catalog: every entity of Backstage's kinds, the relations between them, and the
//! services (components in the default namespace) Portico runs, read from Backstage-style
//! `catalog-info.yaml` manifests.

pub mod api_doc;
pub mod claims;
mod entity;
mod entity_query;
mod environment;
pub mod follow;
pub mod graph;
pub mod graph_layout;
pub mod impact;
mod kind;
pub(crate) mod parse;
mod problem;
mod query;
pub mod reference;
mod relation;
mod sources;
mod trust;
mod view;
mod yaml_depth;

pub use entity_query::{EntityList, EntityQuery, KindCount};
pub use entity::{ApiDefinition, Catalog, Details, Entity, Link, LocationTarget, Profile, Remote, Service, SourceLocation, TemplateParameter};
pub use kind::EntityKind;
pub use reference::EntityRef;
pub use relation::{Declared, Relation, RelationType, resolve};
pub use environment::{EcsTarget, Environment, KubernetesTarget, LocalTarget, RuntimeTarget};
pub use parse::{MAX_LOCAL_REPLICAS, parse_manifest};
pub use problem::Problem;
pub use query::{Facets, ServiceList, ServiceQuery, ServiceSort, ServiceSummary};
pub use sources::{SourceReport, SourceStatus};
pub use view::{EntityDetail, EntitySummary, RELATED_PER_TYPE, Related, RelatedGroup};
pub use trust::{DEFAULT_NAME, EcsPattern, KubernetesPattern, ProductionNames, TargetRule, TargetRules, glob, target_text};
