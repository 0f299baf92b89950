//! The references a `spec` writes, read with the default kind of their field and recorded as
//! the relations they declare (Backstage's `BuiltinKindsEntityProcessor` is the reference for
//! which field makes which relation).

use super::super::{Declared, EntityRef, RelationType};
use super::node::{Field, Reader};

/// The relations one entity declares, in its own namespace.
pub(super) struct Refs {
    pub namespace: String,
    pub declared: Vec<Declared>,
}

/// Whether a field must be there.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Need {
    Required,
    Optional,
}

impl Refs {
    pub fn new(namespace: &str) -> Self {
        Self { namespace: namespace.to_owned(), declared: Vec::new() }
    }

    /// A field holding one reference, such as `spec.owner`.
    pub fn one(
        &mut self,
        r: &mut Reader<'_>,
        spec: &Field<'_, '_>,
        key: &str,
        default_kind: Option<&str>,
        relation: RelationType,
        need: Need,
    ) -> Option<EntityRef> {
        let (value, field) = match need {
            Need::Required => r.required_text(spec, key)?,
            Need::Optional => r.optional_text(spec, key)?,
        };
        self.add(r, &field, &value, default_kind, relation)
    }

    /// A field holding a list of references, such as `spec.dependsOn`.
    pub fn many(
        &mut self,
        r: &mut Reader<'_>,
        spec: &Field<'_, '_>,
        key: &str,
        default_kind: Option<&str>,
        relation: RelationType,
        need: Need,
    ) {
        let field = match need {
            Need::Required => r.required(spec, key),
            Need::Optional => r.optional(spec, key),
        };
        for item in field.and_then(|field| r.list(&field)).unwrap_or_default() {
            if let Some(value) = r.string(&item) {
                self.add(r, &item, &value, default_kind, relation);
            }
        }
    }

    fn add(
        &mut self,
        r: &mut Reader<'_>,
        field: &Field<'_, '_>,
        value: &str,
        default_kind: Option<&str>,
        relation: RelationType,
    ) -> Option<EntityRef> {
        match EntityRef::parse(value.trim(), default_kind, &self.namespace) {
            Ok(target) => {
                let declared = Declared { relation, target: target.clone(), field: field.path.clone(), line: field.line };
                self.declared.push(declared);
                Some(target)
            }
            Err(message) => {
                r.fail(field, message);
                None
            }
        }
    }
}
