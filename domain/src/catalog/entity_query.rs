//! Searching the whole catalog: one box over every kind, with the kind as a filter. Like the
//! services list, the query lives in the URL and any URL gives a usable query.

use serde::{Deserialize, Serialize};

use super::query::{DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_SEARCH_LEN, page_count};
use super::{EntityKind, EntitySummary};

/// Search text and kind over entities of every kind, and the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityQuery {
    /// Matched, case-insensitively, against name, title, description and tags.
    pub q: Option<String>,
    pub kind: Option<EntityKind>,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl Default for EntityQuery {
    fn default() -> Self {
        Self { q: None, kind: None, page: 1, per_page: DEFAULT_PER_PAGE }
    }
}

impl EntityQuery {
    /// Reads the query from URL parameters (`q`, `kind`, `page`, `per_page`); values it cannot
    /// use fall back to the defaults, an unknown kind to every kind.
    pub fn from_params<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Self {
        let q = get("q")
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(|text| text.chars().take(MAX_SEARCH_LEN).collect());
        let number = |key: &str| get(key).and_then(|value| value.trim().parse::<u32>().ok());
        Self {
            q,
            kind: get("kind").and_then(|key| EntityKind::from_key(key.trim())),
            page: number("page").unwrap_or(1),
            per_page: number("per_page").unwrap_or(DEFAULT_PER_PAGE),
        }
        .normalised()
    }

    /// The query with page and page size inside their bounds.
    pub fn normalised(mut self) -> Self {
        self.page = self.page.max(1);
        self.per_page = if self.per_page == 0 { DEFAULT_PER_PAGE } else { self.per_page.min(MAX_PER_PAGE) };
        if let Some(q) = &self.q {
            self.q = Some(q.chars().take(MAX_SEARCH_LEN).collect());
        }
        self
    }

    /// Rows to skip for the current page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page)
    }

    /// URL parameters for this query, leaving out defaults so links stay short.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if let Some(q) = &self.q {
            params.push(("q", q.clone()));
        }
        if let Some(kind) = self.kind {
            params.push(("kind", kind.key().to_owned()));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            params.push(("per_page", self.per_page.to_string()));
        }
        if self.page > 1 {
            params.push(("page", self.page.to_string()));
        }
        params
    }

    /// The same search on another page.
    pub fn with_page(&self, page: u32) -> Self {
        Self { page, ..self.clone() }
    }

    /// The same search over one kind (or every kind), from its first page.
    pub fn with_kind(&self, kind: Option<EntityKind>) -> Self {
        Self { kind, page: 1, ..self.clone() }
    }
}

/// How many entities of one kind match the search text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    pub kind: EntityKind,
    pub count: u64,
}

/// One page of a search across kinds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityList {
    pub items: Vec<EntitySummary>,
    /// Entities matching the text and kind across all pages.
    pub total: u64,
    /// The query as the server applied it (bounds enforced).
    pub query: EntityQuery,
    /// Matches of the text per kind, whatever the kind filter, in [`EntityKind::ALL`]'s order;
    /// kinds without a match are left out.
    pub kinds: Vec<KindCount>,
}

impl EntityList {
    pub fn page_count(&self) -> u32 {
        page_count(self.total, self.query.per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&'static str, &'static str)]) -> EntityQuery {
        EntityQuery::from_params(|key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
    }

    #[test]
    fn the_kind_is_read_without_regard_to_case_and_an_unknown_one_means_every_kind() {
        assert_eq!(query(&[("kind", "API")]).kind, Some(EntityKind::Api));
        assert_eq!(query(&[("kind", "spaceship")]).kind, None);
    }

    #[test]
    fn params_round_trip_through_the_url() {
        let q = query(&[("q", "pay"), ("kind", "group"), ("page", "2"), ("per_page", "10")]);
        let params = q.to_params();
        let back = EntityQuery::from_params(|key| params.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str()));
        assert_eq!(back, q);
        assert_eq!(q.offset(), 10);
        assert!(EntityQuery::default().to_params().is_empty());
    }

    #[test]
    fn bounds_are_enforced() {
        let q = query(&[("page", "0"), ("per_page", "100000"), ("q", "   ")]);
        assert_eq!((q.page, q.per_page, q.q.clone()), (1, MAX_PER_PAGE, None));
        assert_eq!(q.with_kind(Some(EntityKind::User)).with_page(3).with_kind(None).page, 1);
    }
}
