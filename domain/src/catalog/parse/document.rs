//! One document: its envelope (`apiVersion`, `kind`), its `metadata`, then the `spec` of its
//! kind. A `Component` in the default namespace is also a service.

use saphyr::MarkedYaml;

use super::super::reference::DEFAULT_NAMESPACE;
use super::super::{Details, Entity, EntityKind, Service, SourceLocation};
use super::kinds;
use super::metadata;
use super::node::Reader;
use super::refs::Refs;
use super::rules;

/// An entity read from a document, with the line of its `metadata.name`.
pub(super) struct Read {
    pub entity: Entity,
    /// The service a `Component` in the default namespace is.
    pub service: Option<Service>,
    pub name_line: usize,
}

/// Reads the document `node`, whose text as written is `manifest`. Returns `None`, with
/// problems in `r`, when it cannot be used; also `None`, without problems, for an empty
/// document.
pub(super) fn read(r: &mut Reader<'_>, node: &MarkedYaml<'_>, manifest: &str) -> Option<Read> {
    // A lone `---`, or a stretch of comments: nothing declared, nothing wrong.
    if node.data.is_null() {
        return None;
    }
    let root = r.root(node);
    if !node.data.is_mapping() {
        let found = r.describe(node);
        r.report(
            root.line,
            None,
            format!("a catalog document must be a map with apiVersion, kind, metadata and spec, found {found}"),
        );
        return None;
    }
    let version = r.required_text(&root, "apiVersion");
    let (written_kind, kind_field) = r.required_text(&root, "kind")?;
    let Some(kind) = EntityKind::from_manifest(&written_kind) else {
        // The rest of the document follows another schema: checking it would only add noise.
        r.fail(&kind_field, rules::unknown_kind(&written_kind));
        return None;
    };
    if let Some((version, field)) = version
        && let Err(message) = rules::check_api_version(kind, &version)
    {
        r.fail(&field, message);
    }
    let metadata = metadata::read(r, &root);
    // Only a Location may leave its spec out.
    let spec = match kind {
        EntityKind::Location => r.optional(&root, "spec"),
        _ => r.required(&root, "spec"),
    }
    .and_then(|field| r.map(field));
    let namespace = metadata.as_ref().map_or(DEFAULT_NAMESPACE, |metadata| metadata.namespace.as_str());
    let mut refs = Refs::new(namespace);
    let spec = spec.map(|spec| kinds::read(kind, r, &spec, &mut refs));
    // A half-read entity would show wrong data in the portal.
    if !r.problems.is_empty() {
        return None;
    }
    let (metadata, spec) = (metadata?, spec.unwrap_or_else(kinds::Spec::empty));
    let source = SourceLocation { file: r.file().to_owned(), line: root.line };
    // A team or a person is known by the display name of its profile, as Backstage shows it.
    let title = match &spec.details {
        Details::Profile(profile) => profile.display_name.clone().or(metadata.title),
        _ => metadata.title,
    };
    let entity = Entity {
        kind,
        namespace: metadata.namespace,
        name: metadata.name,
        title,
        description: metadata.description,
        tags: metadata.tags,
        links: metadata.links,
        annotations: metadata.annotations,
        spec_type: spec.spec_type,
        lifecycle: spec.lifecycle,
        owner: spec.owner,
        declared: refs.declared,
        details: spec.details,
        source,
    };
    let service = match kind {
        EntityKind::Component => service(r, &entity, spec.system, spec.environments?, manifest),
        _ => None,
    };
    Some(Read { entity, service, name_line: metadata.name_line })
}

/// The service a component is, with what Portico runs of it. Portico runs the services of the
/// default namespace, whose names are unique: a component elsewhere is shown in the catalog,
/// and environments it declares are reported as not run.
fn service(
    r: &mut Reader<'_>,
    entity: &Entity,
    system: Option<super::super::EntityRef>,
    environments: Vec<super::super::Environment>,
    manifest: &str,
) -> Option<Service> {
    if entity.namespace != DEFAULT_NAMESPACE {
        if !environments.is_empty() {
            r.warn(
                entity.source.line,
                "spec.environments",
                format!(
                    "Portico runs the environments of components in the `default` namespace only: \
                     `{}` is in `{}`, so it is shown in the catalog without them",
                    entity.name, entity.namespace
                ),
            );
        }
        return None;
    }
    Some(Service {
        name: entity.name.clone(),
        title: entity.title.clone(),
        description: entity.description.clone(),
        kind: entity.spec_type.clone().unwrap_or_default(),
        lifecycle: entity.lifecycle.clone().unwrap_or_default(),
        owner: entity.owner.as_ref().map(|owner| owner.humanised(Some("group"))).unwrap_or_default(),
        system: system.map(|system| system.humanised(Some("system"))),
        tags: entity.tags.clone(),
        links: entity.links.clone(),
        annotations: entity.annotations.clone(),
        environments,
        source: entity.source.clone(),
        manifest: manifest.to_owned(),
    })
}
