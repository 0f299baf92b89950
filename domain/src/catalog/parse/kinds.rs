//! One reader per kind Portico shows: `Component` (a service), `System` and `Group` (a team).
//!
//! Each reader checks every field it knows before deciding, and builds its entity only when
//! the document had no problem at all: a half-read entity would show wrong data in the portal.

use super::super::{Service, SourceLocation, System, Team};
use super::environments;
use super::metadata::Metadata;
use super::node::{Field, Reader};
use super::rules::{self, RefError};

/// What a document is turned into.
pub(super) enum Entity {
    Service(Service),
    System(System),
    Team(Team),
}

impl Entity {
    /// The Backstage kind and the name: names are unique per kind.
    pub fn identity(&self) -> (&'static str, &str) {
        match self {
            Self::Service(service) => ("Component", &service.name),
            Self::System(system) => ("System", &system.name),
            Self::Team(team) => ("Group", &team.name),
        }
    }
}

/// A `Component` document.
pub(super) fn component(
    r: &mut Reader<'_>,
    spec: Option<&Field<'_, '_>>,
    metadata: Option<Metadata>,
    source: SourceLocation,
    manifest: &str,
) -> Option<Entity> {
    let spec = spec?;
    let kind = r.required_text(spec, "type").map(|(text, _)| text);
    let lifecycle = r.required_text(spec, "lifecycle").map(|(text, _)| text);
    let owner = owner(r, spec);
    let system = r.optional_text(spec, "system").and_then(|(value, field)| {
        reference(r, &field, &value, "system", "a service belongs to a System, for example `system:checkout`")
    });
    let environments = environments::read(r, spec);
    // An unusable `system` was reported but left `None`: the check on problems below drops it.
    let metadata = metadata?;
    let service = Service {
        name: metadata.name,
        title: metadata.title,
        description: metadata.description,
        kind: kind?,
        lifecycle: lifecycle?,
        owner: owner?,
        system,
        tags: metadata.tags,
        links: metadata.links,
        annotations: metadata.annotations,
        environments: environments?,
        source,
        manifest: manifest.to_owned(),
    };
    r.problems.is_empty().then_some(Entity::Service(service))
}

/// A `System` document.
pub(super) fn system(
    r: &mut Reader<'_>,
    spec: Option<&Field<'_, '_>>,
    metadata: Option<Metadata>,
    source: SourceLocation,
) -> Option<Entity> {
    let owner = owner(r, spec?);
    let metadata = metadata?;
    let system = System {
        name: metadata.name,
        title: metadata.title,
        description: metadata.description,
        owner: owner?,
        tags: metadata.tags,
        links: metadata.links,
        source,
    };
    r.problems.is_empty().then_some(Entity::System(system))
}

/// A `Group` document.
pub(super) fn group(
    r: &mut Reader<'_>,
    spec: Option<&Field<'_, '_>>,
    metadata: Option<Metadata>,
    source: SourceLocation,
) -> Option<Entity> {
    let spec = spec?;
    // Backstage requires a type (team, business-unit...); Portico does not use it yet.
    let kind = r.required_text(spec, "type");
    let profile = r.optional(spec, "profile").and_then(|field| r.map(field));
    let display_name = profile.as_ref().and_then(|profile| r.optional_str(profile, "displayName"));
    let email = profile.as_ref().and_then(|profile| r.optional_str(profile, "email"));
    let parent = r.optional_text(spec, "parent").and_then(|(value, field)| {
        reference(r, &field, &value, "group", "a team's parent is another team, for example `group:engineering`")
    });
    let metadata = metadata?;
    kind?;
    let team = Team {
        name: metadata.name,
        title: display_name.or(metadata.title),
        description: metadata.description,
        email,
        parent,
        links: metadata.links,
        source,
    };
    r.problems.is_empty().then_some(Entity::Team(team))
}

/// `spec.owner`, which must name a team.
fn owner(r: &mut Reader<'_>, spec: &Field<'_, '_>) -> Option<String> {
    let (value, field) = r.required_text(spec, "owner")?;
    reference(r, &field, &value, "group", "Portico needs a team as owner, for example `group:payments`")
}

/// The name in the reference `value` to an entity of `kind`, or a problem on `field`. `need`
/// says what the field must name, for when it names another kind.
fn reference(r: &mut Reader<'_>, field: &Field<'_, '_>, value: &str, kind: &str, need: &str) -> Option<String> {
    match rules::entity_ref(value, kind) {
        Ok(name) => Some(name),
        Err(RefError::WrongKind(written)) => {
            r.fail(field, format!("`{value}` refers to a {}: {need}", written.to_ascii_lowercase()));
            None
        }
        Err(RefError::Invalid(message)) => {
            r.fail(field, message);
            None
        }
    }
}
