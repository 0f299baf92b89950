//! Relations between entities, as Backstage names them. Each is stored in both directions: a
//! component's `dependsOn: [resource:db]` is `dependsOn` from the component and `dependencyOf`
//! from the database.

use std::collections::{BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use super::{Entity, EntityRef, Problem};

/// A relation type. The names on the wire are Backstage's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RelationType {
    OwnedBy,
    OwnerOf,
    PartOf,
    HasPart,
    DependsOn,
    DependencyOf,
    ProvidesApi,
    ApiProvidedBy,
    ConsumesApi,
    ApiConsumedBy,
    ParentOf,
    ChildOf,
    MemberOf,
    HasMember,
}

impl RelationType {
    pub const ALL: [Self; 14] = [
        Self::OwnedBy,
        Self::OwnerOf,
        Self::PartOf,
        Self::HasPart,
        Self::DependsOn,
        Self::DependencyOf,
        Self::ProvidesApi,
        Self::ApiProvidedBy,
        Self::ConsumesApi,
        Self::ApiConsumedBy,
        Self::ParentOf,
        Self::ChildOf,
        Self::MemberOf,
        Self::HasMember,
    ];

    /// Backstage's name: `ownedBy`, `apiProvidedBy`...
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OwnedBy => "ownedBy",
            Self::OwnerOf => "ownerOf",
            Self::PartOf => "partOf",
            Self::HasPart => "hasPart",
            Self::DependsOn => "dependsOn",
            Self::DependencyOf => "dependencyOf",
            Self::ProvidesApi => "providesApi",
            Self::ApiProvidedBy => "apiProvidedBy",
            Self::ConsumesApi => "consumesApi",
            Self::ApiConsumedBy => "apiConsumedBy",
            Self::ParentOf => "parentOf",
            Self::ChildOf => "childOf",
            Self::MemberOf => "memberOf",
            Self::HasMember => "hasMember",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|relation| relation.as_str() == name)
    }

    /// The same relation seen from the other end.
    pub fn reverse(self) -> Self {
        match self {
            Self::OwnedBy => Self::OwnerOf,
            Self::OwnerOf => Self::OwnedBy,
            Self::PartOf => Self::HasPart,
            Self::HasPart => Self::PartOf,
            Self::DependsOn => Self::DependencyOf,
            Self::DependencyOf => Self::DependsOn,
            Self::ProvidesApi => Self::ApiProvidedBy,
            Self::ApiProvidedBy => Self::ProvidesApi,
            Self::ConsumesApi => Self::ApiConsumedBy,
            Self::ApiConsumedBy => Self::ConsumesApi,
            Self::ParentOf => Self::ChildOf,
            Self::ChildOf => Self::ParentOf,
            Self::MemberOf => Self::HasMember,
            Self::HasMember => Self::MemberOf,
        }
    }

    /// What an entity's page calls the entities at the other end of this relation.
    pub fn label(self) -> &'static str {
        match self {
            Self::OwnedBy => "Owner",
            Self::OwnerOf => "Owns",
            Self::PartOf => "Part of",
            Self::HasPart => "Parts",
            Self::DependsOn => "Depends on",
            Self::DependencyOf => "Dependents",
            Self::ProvidesApi => "Provides APIs",
            Self::ApiProvidedBy => "Provided by",
            Self::ConsumesApi => "Consumes APIs",
            Self::ApiConsumedBy => "Consumed by",
            Self::ParentOf => "Sub-teams",
            Self::ChildOf => "Parent team",
            Self::MemberOf => "Member of",
            Self::HasMember => "Members",
        }
    }
}

/// A relation an entity's manifest declares, with the field and line that declare it, so that a
/// reference to an entity that does not exist can be reported where it is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declared {
    pub relation: RelationType,
    pub target: EntityRef,
    /// The dotted path of the field, such as `spec.dependsOn[0]`.
    pub field: String,
    pub line: usize,
}

/// One stored relation: `source` is `relation` to `target`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    pub source: EntityRef,
    pub relation: RelationType,
    pub target: EntityRef,
}

/// Every relation between `entities`, in both directions, each once; and a problem for each
/// reference to an entity that is not in the catalog, where it is written. The relation to a
/// missing entity is kept, as Backstage keeps it, so the page can show the broken reference.
pub fn resolve(entities: &[Entity]) -> (Vec<Relation>, Vec<Problem>) {
    let known: HashSet<String> = entities.iter().map(|entity| entity.reference().key()).collect();
    let mut seen = BTreeSet::new();
    let mut relations = Vec::new();
    let mut problems = Vec::new();
    for entity in entities {
        let source = entity.reference();
        for declared in &entity.declared {
            if !known.contains(&declared.target.key()) {
                problems.push(Problem {
                    file: entity.source.file.clone(),
                    line: Some(declared.line),
                    field: Some(declared.field.clone()),
                    message: format!("`{}` is not in the catalog: no entity has this reference", declared.target),
                });
            }
            for (from, relation, to) in [
                (&source, declared.relation, &declared.target),
                (&declared.target, declared.relation.reverse(), &source),
            ] {
                if seen.insert((from.key(), relation, to.key())) {
                    relations.push(Relation { source: from.clone(), relation, target: to.clone() });
                }
            }
        }
    }
    (relations, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_relation_has_its_pair_and_a_name_that_reads_back() {
        for relation in RelationType::ALL {
            assert_ne!(relation.reverse(), relation);
            assert_eq!(relation.reverse().reverse(), relation);
            assert_eq!(RelationType::from_name(relation.as_str()), Some(relation));
        }
    }
}
