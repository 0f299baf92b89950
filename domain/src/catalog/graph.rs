//! The relations graph around one entity: which relations it follows and how far, and the
//! bounded neighbourhood the store finds. Large neighbourhoods are summarised ("and 240 more
//! dependents") instead of drawn, so the page stays light whatever the catalog holds.

use serde::{Deserialize, Serialize};

use super::{EntityRef, EntitySummary, RelationType};

/// The farthest a graph reaches from its entity.
pub const MAX_DEPTH: u8 = 3;
/// The most entities drawn for one node and relation type; the rest are counted.
pub const DRAWN_PER_RELATION: u32 = 12;
/// The most entities one graph draws.
pub const MAX_NODES: usize = 60;

/// A pair of relation types, both directions of one kind of link, as the graph's filter offers
/// them: following "dependencies" follows `dependsOn` and `dependencyOf`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RelationPair {
    Ownership,
    Parts,
    Dependencies,
    ProvidedApis,
    ConsumedApis,
    Teams,
    Membership,
}

impl RelationPair {
    pub const ALL: [Self; 7] =
        [Self::Parts, Self::Dependencies, Self::ProvidedApis, Self::ConsumedApis, Self::Ownership, Self::Teams, Self::Membership];
    /// What a graph follows when the URL does not say.
    pub const DEFAULT: [Self; 5] = [Self::Parts, Self::Dependencies, Self::ProvidedApis, Self::ConsumedApis, Self::Teams];

    /// The direction an arrow is drawn in: from the entity that declares the link.
    pub fn forward(self) -> RelationType {
        match self {
            Self::Ownership => RelationType::OwnedBy,
            Self::Parts => RelationType::PartOf,
            Self::Dependencies => RelationType::DependsOn,
            Self::ProvidedApis => RelationType::ProvidesApi,
            Self::ConsumedApis => RelationType::ConsumesApi,
            Self::Teams => RelationType::ChildOf,
            Self::Membership => RelationType::MemberOf,
        }
    }

    /// The pair a relation type belongs to.
    pub fn of(relation: RelationType) -> Self {
        Self::ALL.into_iter().find(|pair| pair.forward() == relation || pair.forward().reverse() == relation).unwrap_or(Self::Parts)
    }

    /// Both relation types, forward first.
    pub fn relations(self) -> [RelationType; 2] {
        [self.forward(), self.forward().reverse()]
    }

    pub fn as_param(self) -> &'static str {
        match self {
            Self::Ownership => "ownership",
            Self::Parts => "parts",
            Self::Dependencies => "dependencies",
            Self::ProvidedApis => "provided-apis",
            Self::ConsumedApis => "consumed-apis",
            Self::Teams => "teams",
            Self::Membership => "membership",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Ownership => "Ownership",
            Self::Parts => "Systems and parts",
            Self::Dependencies => "Dependencies",
            Self::ProvidedApis => "APIs provided",
            Self::ConsumedApis => "APIs consumed",
            Self::Teams => "Team hierarchy",
            Self::Membership => "Membership",
        }
    }

    /// What an arrow of this pair says, read from its tail: "checkout depends on orders-db".
    pub fn verb(self) -> &'static str {
        match self {
            Self::Ownership => "is owned by",
            Self::Parts => "is part of",
            Self::Dependencies => "depends on",
            Self::ProvidedApis => "provides",
            Self::ConsumedApis => "consumes",
            Self::Teams => "is a sub-team of",
            Self::Membership => "is a member of",
        }
    }

    fn from_param(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|pair| pair.as_param() == value)
    }
}

/// How far the graph reaches and which relations it follows; in the URL as
/// `?depth=2&follow=dependencies&follow=parts`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphQuery {
    pub depth: u8,
    /// In [`RelationPair::ALL`]'s order, without repeats.
    pub follow: Vec<RelationPair>,
}

impl Default for GraphQuery {
    fn default() -> Self {
        Self { depth: 2, follow: RelationPair::DEFAULT.to_vec() }
    }
}

impl GraphQuery {
    /// Reads `depth` and every `follow` value; an unusable depth falls back to the default,
    /// unknown relations are ignored, and none at all means the default relations.
    pub fn from_params<'a>(depth: Option<&'a str>, follow: impl IntoIterator<Item = &'a str>) -> Self {
        let depth = depth.and_then(|value| value.trim().parse::<u8>().ok()).filter(|depth| (1..=MAX_DEPTH).contains(depth));
        let follow = follow.into_iter().flat_map(|value| value.split(',')).filter_map(|v| RelationPair::from_param(v.trim())).collect();
        Self { depth: depth.unwrap_or(Self::default().depth), follow }.normalised()
    }

    /// Depth inside its bounds and the relations in their fixed order, without repeats.
    pub fn normalised(mut self) -> Self {
        self.depth = self.depth.clamp(1, MAX_DEPTH);
        self.follow = RelationPair::ALL.into_iter().filter(|pair| self.follow.contains(pair)).collect();
        if self.follow.is_empty() {
            self.follow = RelationPair::DEFAULT.to_vec();
        }
        self
    }

    /// Every relation type the graph follows.
    pub fn relations(&self) -> Vec<RelationType> {
        self.follow.iter().flat_map(|pair| pair.relations()).collect()
    }

    /// URL parameters for this query, leaving out defaults.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if self.depth != Self::default().depth {
            params.push(("depth", self.depth.to_string()));
        }
        if self.follow != Self::default().follow {
            params.extend(self.follow.iter().map(|pair| ("follow", pair.as_param().to_owned())));
        }
        params
    }
}

/// An entity in the graph; `entity` is `None` for a reference the catalog has no entity for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphNode {
    pub reference: EntityRef,
    pub entity: Option<EntitySummary>,
    /// Steps from the graph's entity.
    pub depth: u8,
}

impl GraphNode {
    pub fn label(&self) -> String {
        match &self.entity {
            Some(entity) => entity.display_name().to_owned(),
            None => self.reference.humanised(None),
        }
    }
}

/// An arrow between two nodes (indexes into [`EntityGraph::nodes`]), drawn from the entity that
/// declares the link: "checkout depends on orders-db".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GraphEdge {
    pub from: usize,
    pub to: usize,
    pub pair: RelationPair,
}

/// Entities related to a node that the graph counts instead of drawing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphMore {
    pub node: usize,
    /// As seen from the node: `dependencyOf` for "and 240 more dependents".
    pub relation: RelationType,
    pub count: u64,
}

/// The neighbourhood of one entity, bounded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityGraph {
    /// Node 0 is the graph's entity.
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    pub more: Vec<GraphMore>,
    pub query: GraphQuery,
}

impl EntityGraph {
    /// Whether anything was counted rather than drawn.
    pub fn is_summarised(&self) -> bool {
        !self.more.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_gives_a_bounded_query_in_a_fixed_order() {
        let query = GraphQuery::from_params(Some("9"), ["teams", "dependencies,nonsense", "teams"]);
        assert_eq!(query.depth, 2, "a depth beyond the bound falls back to the default");
        assert_eq!(query.follow, [RelationPair::Dependencies, RelationPair::Teams]);
        let params = query.to_params();
        let back = GraphQuery::from_params(None, params.iter().filter(|(k, _)| *k == "follow").map(|(_, v)| v.as_str()));
        assert_eq!(back, query);
        assert_eq!(GraphQuery::from_params(Some("1"), []).follow, RelationPair::DEFAULT);
        assert!(GraphQuery::default().to_params().is_empty());
    }

    #[test]
    fn every_relation_type_belongs_to_exactly_one_pair() {
        for relation in RelationType::ALL {
            let pair = RelationPair::of(relation);
            assert!(pair.relations().contains(&relation), "{relation:?}");
        }
        let all: Vec<RelationType> = RelationPair::ALL.into_iter().flat_map(RelationPair::relations).collect();
        assert_eq!(all.len(), RelationType::ALL.len());
    }
}
