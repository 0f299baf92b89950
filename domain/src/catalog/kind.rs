//! The kinds of entity Backstage defines, which are the kinds Portico reads.

use serde::{Deserialize, Serialize};

/// An entity's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityKind {
    Component,
    #[serde(rename = "API")]
    Api,
    Resource,
    System,
    Domain,
    Group,
    User,
    Location,
    Template,
    /// Context that AI coding tools read (skills, rules), added to Backstage's model in 2026.
    AiResource,
}

impl EntityKind {
    pub const ALL: [Self; 10] = [
        Self::Component,
        Self::Api,
        Self::Resource,
        Self::System,
        Self::Domain,
        Self::Group,
        Self::User,
        Self::Location,
        Self::Template,
        Self::AiResource,
    ];

    /// As written in a manifest's `kind`: `Component`, `API`...
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Component => "Component",
            Self::Api => "API",
            Self::Resource => "Resource",
            Self::System => "System",
            Self::Domain => "Domain",
            Self::Group => "Group",
            Self::User => "User",
            Self::Location => "Location",
            Self::Template => "Template",
            Self::AiResource => "AiResource",
        }
    }

    /// As written in references and URLs: `component`, `api`...
    pub fn key(self) -> &'static str {
        match self {
            Self::Component => "component",
            Self::Api => "api",
            Self::Resource => "resource",
            Self::System => "system",
            Self::Domain => "domain",
            Self::Group => "group",
            Self::User => "user",
            Self::Location => "location",
            Self::Template => "template",
            Self::AiResource => "airesource",
        }
    }

    /// The kind `kind` names as written in a manifest, which is case-sensitive.
    pub fn from_manifest(kind: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|known| known.as_str() == kind)
    }

    /// The kind a reference or URL names, without regard to case.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|known| known.key().eq_ignore_ascii_case(key))
    }

    /// The `apiVersion`s Backstage accepts for this kind.
    pub fn api_versions(self) -> &'static [&'static str] {
        match self {
            Self::Template => &["scaffolder.backstage.io/v1beta3"],
            Self::AiResource => &["backstage.io/v1alpha1"],
            _ => &["backstage.io/v1alpha1", "backstage.io/v1beta1"],
        }
    }

    /// What the kind is called in a sentence or a heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::Component => "component",
            Self::Api => "API",
            Self::Resource => "resource",
            Self::System => "system",
            Self::Domain => "domain",
            Self::Group => "team",
            Self::User => "person",
            Self::Location => "location",
            Self::Template => "template",
            Self::AiResource => "AI resource",
        }
    }

    /// The plural of [`EntityKind::label`], capitalised, for lists and filters.
    pub fn plural(self) -> &'static str {
        match self {
            Self::Component => "Components",
            Self::Api => "APIs",
            Self::Resource => "Resources",
            Self::System => "Systems",
            Self::Domain => "Domains",
            Self::Group => "Teams",
            Self::User => "People",
            Self::Location => "Locations",
            Self::Template => "Templates",
            Self::AiResource => "AI resources",
        }
    }
}
