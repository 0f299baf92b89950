//! The `spec` of each kind, as Backstage's schemas define it: which fields are required, and
//! which references declare which relation. What only some kinds have (a profile, an API
//! definition, a template's parameters) is read in `details`.

use super::super::{Details, EntityKind, EntityRef, Environment, RelationType as R};
use super::details;
use super::environments;
use super::node::{Field, Reader};
use super::refs::{Need, Refs};

/// What a `spec` holds, read and checked.
pub(super) struct Spec {
    pub spec_type: Option<String>,
    pub lifecycle: Option<String>,
    pub owner: Option<EntityRef>,
    pub system: Option<EntityRef>,
    pub details: Details,
    /// A component's `spec.environments`; `None` when they could not be read.
    pub environments: Option<Vec<Environment>>,
}

impl Spec {
    /// What a kind without a `spec` (a Location may leave it out) has.
    pub fn empty() -> Self {
        Self {
            spec_type: None,
            lifecycle: None,
            owner: None,
            system: None,
            details: Details::None,
            environments: Some(Vec::new()),
        }
    }
}

/// Reads the `spec` of an entity of `kind`, recording its references in `refs`. Problems go to
/// `r`; the caller keeps the entity only when there are none.
pub(super) fn read(kind: EntityKind, r: &mut Reader<'_>, spec: &Field<'_, '_>, refs: &mut Refs) -> Spec {
    let mut out = Spec::empty();
    let text = |r: &mut Reader<'_>, key: &str, need: Need| match need {
        Need::Required => r.required_text(spec, key).map(|(text, _)| text),
        Need::Optional => r.optional_str(spec, key),
    };
    let owner = |r: &mut Reader<'_>, refs: &mut Refs, need: Need| refs.one(r, spec, "owner", Some("group"), R::OwnedBy, need);
    let system = |r: &mut Reader<'_>, refs: &mut Refs| refs.one(r, spec, "system", Some("system"), R::PartOf, Need::Optional);
    match kind {
        EntityKind::Component => {
            out.spec_type = text(r, "type", Need::Required);
            out.lifecycle = text(r, "lifecycle", Need::Required);
            out.owner = owner(r, refs, Need::Required);
            out.system = system(r, refs);
            refs.one(r, spec, "subcomponentOf", Some("component"), R::PartOf, Need::Optional);
            refs.many(r, spec, "providesApis", Some("api"), R::ProvidesApi, Need::Optional);
            refs.many(r, spec, "consumesApis", Some("api"), R::ConsumesApi, Need::Optional);
            dependencies(r, spec, refs);
            out.environments = environments::read(r, spec);
        }
        EntityKind::Api => {
            out.spec_type = text(r, "type", Need::Required);
            out.lifecycle = text(r, "lifecycle", Need::Required);
            out.owner = owner(r, refs, Need::Required);
            out.system = system(r, refs);
            out.details = details::api(r, spec, out.spec_type.as_deref());
        }
        EntityKind::Resource => {
            out.spec_type = text(r, "type", Need::Required);
            out.owner = owner(r, refs, Need::Required);
            out.system = system(r, refs);
            dependencies(r, spec, refs);
        }
        EntityKind::System => {
            out.spec_type = text(r, "type", Need::Optional);
            out.owner = owner(r, refs, Need::Required);
            refs.one(r, spec, "domain", Some("domain"), R::PartOf, Need::Optional);
        }
        EntityKind::Domain => {
            out.spec_type = text(r, "type", Need::Optional);
            out.owner = owner(r, refs, Need::Required);
            refs.one(r, spec, "subdomainOf", Some("domain"), R::PartOf, Need::Optional);
        }
        EntityKind::Group => {
            out.spec_type = text(r, "type", Need::Required);
            out.details = Details::Profile(details::profile(r, spec));
            refs.one(r, spec, "parent", Some("group"), R::ChildOf, Need::Optional);
            refs.many(r, spec, "children", Some("group"), R::ParentOf, Need::Required);
            refs.many(r, spec, "members", Some("user"), R::HasMember, Need::Optional);
        }
        EntityKind::User => {
            out.details = Details::Profile(details::profile(r, spec));
            refs.many(r, spec, "memberOf", Some("group"), R::MemberOf, Need::Required);
        }
        EntityKind::Location => {
            out.spec_type = text(r, "type", Need::Optional);
            out.details = details::location(r, spec);
        }
        EntityKind::Template => {
            out.spec_type = text(r, "type", Need::Required);
            out.owner = owner(r, refs, Need::Optional);
            out.details = details::template(r, spec);
        }
        EntityKind::AiResource => {
            out.spec_type = text(r, "type", Need::Required);
            out.lifecycle = text(r, "lifecycle", Need::Required);
            out.owner = owner(r, refs, Need::Required);
            out.system = system(r, refs);
            match out.spec_type.as_deref() {
                Some("skill") => refs.many(r, spec, "dependsOn", Some("airesource"), R::DependsOn, Need::Optional),
                Some("plugin") => refs.many(r, spec, "skills", Some("airesource"), R::HasPart, Need::Optional),
                Some("marketplace") => refs.many(r, spec, "plugins", Some("airesource"), R::HasPart, Need::Optional),
                _ => {}
            }
        }
    }
    out
}

/// `spec.dependsOn` and `spec.dependencyOf`, whose references must name their kind.
fn dependencies(r: &mut Reader<'_>, spec: &Field<'_, '_>, refs: &mut Refs) {
    refs.many(r, spec, "dependsOn", None, R::DependsOn, Need::Optional);
    refs.many(r, spec, "dependencyOf", None, R::DependencyOf, Need::Optional);
}
