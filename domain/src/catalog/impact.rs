//! "What breaks if this goes down": every entity that depends on an entity, directly or
//! through others, and through the APIs it provides, with the owners and environments that
//! would notice.

use serde::{Deserialize, Serialize};

use super::{EntityRef, EntitySummary, RelationType};

/// The most dependents listed; a larger blast radius is counted.
pub const MAX_DEPENDENTS: usize = 500;

/// The relations that carry a failure from an entity to the ones that need it: those that
/// depend on it, the APIs it provides, and the consumers of those APIs.
pub const CARRIERS: [RelationType; 3] = [RelationType::DependencyOf, RelationType::ProvidesApi, RelationType::ApiConsumedBy];

/// One entity that would be affected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependent {
    pub reference: EntityRef,
    /// `None` for a reference the catalog has no entity for.
    pub entity: Option<EntitySummary>,
    /// Steps from the entity that goes down: 1 for a direct dependent.
    pub distance: u32,
    /// The entity it is reached through, and how: `dependsOn` or `consumesApi`, or `providesApi`
    /// for an API the failing entity serves.
    pub via: EntityRef,
    pub how: RelationType,
    /// The environments a dependent that is a service runs in, production first.
    pub environments: Vec<String>,
}

/// An owner and how many of the dependents it owns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedOwner {
    pub owner: EntityRef,
    pub dependents: u64,
}

/// The blast radius of one entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Impact {
    pub entity: EntitySummary,
    /// Nearest first, then by reference.
    pub dependents: Vec<Dependent>,
    /// Dependents found beyond [`MAX_DEPENDENTS`], not listed.
    pub not_listed: u64,
    /// Most affected first.
    pub owners: Vec<AffectedOwner>,
}

impl Impact {
    /// Owners of `dependents`, most affected first, then by reference.
    pub fn owners_of(dependents: &[Dependent]) -> Vec<AffectedOwner> {
        let mut owners: Vec<AffectedOwner> = Vec::new();
        for owner in dependents.iter().filter_map(|d| d.entity.as_ref().and_then(|e| e.owner.as_ref())) {
            match owners.iter_mut().find(|known| known.owner.key() == owner.key()) {
                Some(known) => known.dependents += 1,
                None => owners.push(AffectedOwner { owner: owner.clone(), dependents: 1 }),
            }
        }
        owners.sort_by(|a, b| b.dependents.cmp(&a.dependents).then_with(|| a.owner.key().cmp(&b.owner.key())));
        owners
    }

    /// How many dependents there are in all.
    pub fn total(&self) -> u64 {
        self.dependents.len() as u64 + self.not_listed
    }
}
