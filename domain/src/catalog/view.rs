//! What the entity pages show: an entity with the entities it is related to, by relation type,
//! each list bounded so that an entity with thousands of relations still answers at once.

use serde::{Deserialize, Serialize};

use super::{Entity, EntityKind, EntityRef, RelationType};

/// The most entities an entity's page lists for one relation type; the rest are counted.
pub const RELATED_PER_TYPE: u32 = 50;

/// An entity as a row of a list: enough to name it, link it and say what it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntitySummary {
    pub kind: EntityKind,
    pub namespace: String,
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub spec_type: Option<String>,
    pub lifecycle: Option<String>,
    pub owner: Option<EntityRef>,
}

impl EntitySummary {
    pub fn of(entity: &Entity) -> Self {
        Self {
            kind: entity.kind,
            namespace: entity.namespace.clone(),
            name: entity.name.clone(),
            title: entity.title.clone(),
            description: entity.description.clone(),
            spec_type: entity.spec_type.clone(),
            lifecycle: entity.lifecycle.clone(),
            owner: entity.owner.clone(),
        }
    }

    pub fn reference(&self) -> EntityRef {
        EntityRef::new(self.kind.key(), &self.namespace, &self.name)
    }

    pub fn display_name(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }
}

/// The far end of a relation: the entity, or only its reference when the catalog has no such
/// entity (a broken reference, shown as such).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub target: EntityRef,
    pub entity: Option<EntitySummary>,
}

/// The entities at the far end of one relation type, the first [`RELATED_PER_TYPE`] by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedGroup {
    pub relation: RelationType,
    pub items: Vec<Related>,
    /// How many there are in all.
    pub total: u64,
}

/// An entity's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityDetail {
    pub entity: Entity,
    /// In [`RelationType::ALL`]'s order; types without relations are left out.
    pub related: Vec<RelatedGroup>,
    /// Whether the entity is also a service Portico runs, with its own page.
    pub is_service: bool,
}

impl EntityDetail {
    /// The group of one relation type, if the entity has any.
    pub fn group(&self, relation: RelationType) -> Option<&RelatedGroup> {
        self.related.iter().find(|group| group.relation == relation)
    }
}
