use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Environment, Problem};

/// Where an entity was declared: the manifest file and the line its document starts on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLocation {
    pub file: String,
    pub line: usize,
}

/// A link shown on an entity's page (runbook, dashboard, repository...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub url: String,
    pub title: Option<String>,
    pub icon: Option<String>,
}

/// A deployable piece of software: a Backstage `Component`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Unique identifier (`metadata.name`), kept as written: Backstage name rules, URL-safe.
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// `spec.type`: service, website, library...
    pub kind: String,
    /// `spec.lifecycle`: experimental, production, deprecated...
    pub lifecycle: String,
    /// `spec.owner`: the name of the owning team (a `Group`), without any `group:` prefix.
    pub owner: String,
    /// `spec.system`, without any `system:` prefix.
    pub system: Option<String>,
    pub tags: Vec<String>,
    pub links: Vec<Link>,
    pub annotations: BTreeMap<String, String>,
    /// `spec.environments`: where it runs, in promotion order (dev, then staging, then prod).
    /// Empty for services that declare none, such as plain Backstage components.
    #[serde(default)]
    pub environments: Vec<Environment>,
    pub source: SourceLocation,
    /// The YAML document this service was read from, exactly as written.
    pub manifest: String,
}

/// A group of services that together deliver one capability: a Backstage `System`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct System {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub owner: String,
    pub tags: Vec<String>,
    pub links: Vec<Link>,
    pub source: SourceLocation,
}

/// A team: a Backstage `Group`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub name: String,
    /// `spec.profile.displayName`, falling back to `metadata.title`.
    pub title: Option<String>,
    pub description: Option<String>,
    /// `spec.profile.email`.
    pub email: Option<String>,
    pub parent: Option<String>,
    pub links: Vec<Link>,
    pub source: SourceLocation,
}

/// Everything read from the catalog sources: the valid entities, and a problem for each
/// document or field that could not be read. One bad file never hides the rest.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub services: Vec<Service>,
    pub systems: Vec<System>,
    pub teams: Vec<Team>,
    pub problems: Vec<Problem>,
}

impl Catalog {
    /// Adds what another source read to this catalog.
    pub fn extend(&mut self, other: Catalog) {
        self.services.extend(other.services);
        self.systems.extend(other.systems);
        self.teams.extend(other.teams);
        self.problems.extend(other.problems);
    }
}
