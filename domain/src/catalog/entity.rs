use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Declared, EntityKind, EntityRef, Environment, Problem};

/// Where an entity was declared: the manifest file and the line its document starts on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// `spec.owner` as people read it ([`EntityRef::humanised`] with `group` understood): a
    /// team's bare name (`payments`), which the access rules match against team names, or
    /// another kind written out (`user:guest`).
    pub owner: String,
    /// `spec.system` as people read it, `system` understood.
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

/// Any entity of the catalog, of every kind: what its page, the relations, the graph and the
/// search show. A `Component` is also a [`Service`], which carries what Portico runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub kind: EntityKind,
    /// Lowercase; `default` when the manifest names none.
    pub namespace: String,
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub links: Vec<Link>,
    pub annotations: BTreeMap<String, String>,
    /// `spec.type`: service, openapi, database, team...
    pub spec_type: Option<String>,
    /// `spec.lifecycle`, for the kinds that have one.
    pub lifecycle: Option<String>,
    /// `spec.owner`, for the kinds that have one.
    pub owner: Option<EntityRef>,
    /// The relations its manifest declares, each in the direction written.
    pub declared: Vec<Declared>,
    /// What only some kinds have.
    pub details: Details,
    pub source: SourceLocation,
}

impl Entity {
    /// The reference that names this entity.
    pub fn reference(&self) -> EntityRef {
        EntityRef::new(self.kind.key(), &self.namespace, &self.name)
    }

    /// The name people read: the title, else the name.
    pub fn display_name(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }
}

/// The fields of one kind that the others do not have.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Details {
    #[default]
    None,
    /// A `Group` or a `User`: `spec.profile`.
    Profile(Profile),
    /// An `API`: its definition, in the format `spec.type` names.
    Api(ApiDefinition),
    /// An `API` of type `mcp-server`: where its clients connect.
    McpServer { remotes: Vec<Remote> },
    /// A `Location`: the targets it points at, and whether they may be absent
    /// (`spec.presence: optional`).
    Location { targets: Vec<LocationTarget>, optional: bool },
    /// A `Template`: the parameters a person fills in.
    Template { parameters: Vec<TemplateParameter> },
}

/// One of a `Location`'s targets: as written, where it is written (so that a target that
/// cannot be followed is reported there), and the files following it brought into the catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationTarget {
    pub target: String,
    /// `spec.target` or `spec.targets[2]`.
    pub field: String,
    pub line: usize,
    /// The files it names, as problems name them; filled in by the source that follows it.
    #[serde(default)]
    pub files: Vec<String>,
}

/// `spec.profile` of a team or a person.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub picture: Option<String>,
}

/// An API's `spec.definition`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiDefinition {
    /// The definition's text, as written or as read from the file `$text` names.
    pub text: String,
    /// The file `$text` named, when the text came from one.
    pub from: Option<String>,
}

/// One of an MCP server's `spec.remotes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remote {
    /// The transport: `streamable-http`, `sse`.
    pub kind: String,
    pub url: String,
}

/// One parameter of a template's form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateParameter {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The JSON schema type: string, number, boolean, array, object.
    pub kind: Option<String>,
    pub required: bool,
}

/// Everything read from the catalog sources: the valid entities, and a problem for each
/// document or field that could not be read. One bad file never hides the rest.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub services: Vec<Service>,
    /// Every entity, services' components included.
    pub entities: Vec<Entity>,
    pub problems: Vec<Problem>,
}

impl Catalog {
    /// The entities of one kind, in the order they were read.
    pub fn of_kind(&self, kind: EntityKind) -> impl Iterator<Item = &Entity> {
        self.entities.iter().filter(move |entity| entity.kind == kind)
    }

    /// Adds what another source read to this catalog.
    pub fn extend(&mut self, other: Catalog) {
        self.services.extend(other.services);
        self.entities.extend(other.entities);
        self.problems.extend(other.problems);
    }
}
