use serde::{Deserialize, Serialize};

/// Page size of the services list when the URL does not ask for another.
pub const DEFAULT_PER_PAGE: u32 = 25;
/// Upper bound on the page size, so one request cannot ask the server for the whole catalog.
pub const MAX_PER_PAGE: u32 = 100;
/// Longest search text accepted; longer input is cut rather than refused.
pub(super) const MAX_SEARCH_LEN: usize = 200;

/// The order of the services list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServiceSort {
    #[default]
    Name,
    NameDesc,
    Owner,
    Lifecycle,
}

impl ServiceSort {
    pub const ALL: [ServiceSort; 4] = [Self::Name, Self::NameDesc, Self::Owner, Self::Lifecycle];

    /// The value this order has in a URL.
    pub fn as_param(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::NameDesc => "-name",
            Self::Owner => "owner",
            Self::Lifecycle => "lifecycle",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "Name (A to Z)",
            Self::NameDesc => "Name (Z to A)",
            Self::Owner => "Owner",
            Self::Lifecycle => "Lifecycle",
        }
    }

    fn from_param(value: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|sort| sort.as_param() == value)
            .unwrap_or_default()
    }
}

/// What the services list shows: search text, filters, order and page. It lives in the URL so
/// that a filtered view can be shared; [`ServiceQuery::from_params`] accepts any URL and never
/// fails, falling back to defaults for values it cannot use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceQuery {
    /// Matched, case-insensitively, against name, title, description and tags.
    pub q: Option<String>,
    pub owner: Option<String>,
    pub system: Option<String>,
    pub lifecycle: Option<String>,
    /// `spec.type`.
    pub kind: Option<String>,
    pub sort: ServiceSort,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl ServiceQuery {
    /// Reads the query from URL parameters (`q`, `owner`, `system`, `lifecycle`, `type`, `sort`,
    /// `page`, `per_page`). Empty values mean "no filter".
    pub fn from_params<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Self {
        let text = |key: &str| {
            get(key)
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(|value| value.chars().take(MAX_SEARCH_LEN).collect::<String>())
        };
        let number = |key: &str| get(key).and_then(|value| value.trim().parse::<u32>().ok());
        Self {
            q: text("q"),
            owner: text("owner"),
            system: text("system"),
            lifecycle: text("lifecycle"),
            kind: text("type"),
            sort: get("sort").map(ServiceSort::from_param).unwrap_or_default(),
            page: number("page").filter(|page| *page >= 1).unwrap_or(1),
            per_page: number("per_page")
                .map(|n| n.clamp(1, MAX_PER_PAGE))
                .unwrap_or(DEFAULT_PER_PAGE),
        }
        .normalised()
    }

    /// The query with page and page size inside their bounds.
    pub fn normalised(mut self) -> Self {
        self.page = self.page.max(1);
        self.per_page = if self.per_page == 0 {
            DEFAULT_PER_PAGE
        } else {
            self.per_page.min(MAX_PER_PAGE)
        };
        self
    }

    /// Rows to skip for the current page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page)
    }

    /// URL parameters for this query, leaving out defaults so links stay short.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        let filters = [
            ("q", &self.q),
            ("owner", &self.owner),
            ("system", &self.system),
            ("lifecycle", &self.lifecycle),
            ("type", &self.kind),
        ];
        for (key, value) in filters {
            if let Some(value) = value {
                params.push((key, value.clone()));
            }
        }
        if self.sort != ServiceSort::default() {
            params.push(("sort", self.sort.as_param().to_owned()));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            params.push(("per_page", self.per_page.to_string()));
        }
        if self.page > 1 {
            params.push(("page", self.page.to_string()));
        }
        params
    }

    /// The same query on another page.
    pub fn with_page(&self, page: u32) -> Self {
        Self { page, ..self.clone() }
    }

    /// Whether any search text or filter narrows the list.
    pub fn is_filtered(&self) -> bool {
        self.q.is_some()
            || self.owner.is_some()
            || self.system.is_some()
            || self.lifecycle.is_some()
            || self.kind.is_some()
    }
}

/// One row of the services list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSummary {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub kind: String,
    pub lifecycle: String,
    pub owner: String,
    pub system: Option<String>,
    pub tags: Vec<String>,
}

/// The values each filter can take, for the filter controls.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub owners: Vec<String>,
    pub systems: Vec<String>,
    pub lifecycles: Vec<String>,
    pub kinds: Vec<String>,
}

/// One page of the services list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceList {
    pub items: Vec<ServiceSummary>,
    /// Services matching the query across all pages.
    pub total: u64,
    /// The query as the server applied it (bounds enforced).
    pub query: ServiceQuery,
    pub facets: Facets,
    /// How many catalog problems there are, so the list can point at them.
    pub problem_count: u64,
}

impl ServiceList {
    pub fn page_count(&self) -> u32 {
        page_count(self.total, self.query.per_page)
    }
}

/// Pages of `per_page` that `total` rows fill: never zero, so that "page 1 of 1" shows for an
/// empty list.
pub(super) fn page_count(total: u64, per_page: u32) -> u32 {
    u32::try_from(total.div_ceil(u64::from(per_page.max(1)))).unwrap_or(u32::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&'static str, &'static str)]) -> ServiceQuery {
        ServiceQuery::from_params(|key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
    }

    #[test]
    fn defaults_when_the_url_has_nothing() {
        let q = query(&[]);
        assert_eq!(q.page, 1);
        assert_eq!(q.per_page, DEFAULT_PER_PAGE);
        assert_eq!(q.sort, ServiceSort::Name);
        assert!(!q.is_filtered());
        assert!(q.to_params().is_empty());
    }

    #[test]
    fn nonsense_values_fall_back_instead_of_failing() {
        let q = query(&[("page", "-3"), ("per_page", "100000"), ("sort", "drop table"), ("owner", "  ")]);
        assert_eq!(q.page, 1);
        assert_eq!(q.per_page, MAX_PER_PAGE);
        assert_eq!(q.sort, ServiceSort::Name);
        assert_eq!(q.owner, None);
    }

    #[test]
    fn params_round_trip_through_the_url() {
        let q = query(&[("q", "pay"), ("owner", "team-a"), ("type", "website"), ("sort", "-name"), ("page", "3")]);
        let params = q.to_params();
        let back = ServiceQuery::from_params(|key| {
            params.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
        });
        assert_eq!(back, q);
        assert_eq!(q.offset(), 2 * u64::from(DEFAULT_PER_PAGE));
    }

    #[test]
    fn page_count_rounds_up_and_is_never_zero() {
        let page = |total| ServiceList { items: vec![], total, query: query(&[]), facets: Facets::default(), problem_count: 0 };
        assert_eq!(page(0).page_count(), 1);
        assert_eq!(page(25).page_count(), 1);
        assert_eq!(page(26).page_count(), 2);
    }
}
