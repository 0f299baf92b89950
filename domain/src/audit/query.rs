use serde::{Deserialize, Serialize};

use super::event::{Event, Outcome};
use super::time_text::{minute_text, parse_minute};

/// Events per page when the URL does not ask for another number.
pub const DEFAULT_PER_PAGE: u32 = 50;
/// Upper bound on the page size.
pub const MAX_PER_PAGE: u32 = 200;
const MAX_FILTER_LEN: usize = 200;

/// Which events the audit viewer shows, newest first. Lives in the URL; [`AuditQuery::from_params`]
/// accepts any URL and never fails. Paging is by keyset (`before` a sequence number), so a page
/// deep in a million events costs the same as the first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub service: Option<String>,
    pub environment: Option<String>,
    pub outcome: Option<Outcome>,
    /// Unix microseconds, inclusive.
    pub from: Option<i64>,
    /// Unix microseconds, exclusive.
    pub to: Option<i64>,
    /// Only events older than this sequence number: the cursor of the next page.
    pub before: Option<i64>,
    pub per_page: u32,
}

impl AuditQuery {
    /// Reads the query from URL parameters (`actor`, `action`, `service`, `environment`,
    /// `outcome`, `from`, `to` as `YYYY-MM-DDTHH:MM` UTC, `before`, `per_page`).
    pub fn from_params<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Self {
        let text = |key: &str| {
            get(key)
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(|value| value.chars().take(MAX_FILTER_LEN).collect::<String>())
        };
        Self {
            // Logins are stored lowercase, as GitHub compares them case-insensitively.
            actor: text("actor").map(|a| a.to_lowercase()),
            action: text("action"),
            service: text("service"),
            environment: text("environment"),
            outcome: get("outcome").and_then(|o| Outcome::parse(o.trim())),
            from: get("from").and_then(parse_minute),
            to: get("to").and_then(parse_minute),
            before: get("before").and_then(|b| b.trim().parse::<i64>().ok()).filter(|b| *b > 0),
            per_page: get("per_page").and_then(|n| n.trim().parse::<u32>().ok()).unwrap_or(DEFAULT_PER_PAGE),
        }
        .normalised()
    }

    /// The page size inside its bounds.
    pub fn normalised(mut self) -> Self {
        self.per_page = if self.per_page == 0 { DEFAULT_PER_PAGE } else { self.per_page.min(MAX_PER_PAGE) };
        self
    }

    /// URL parameters for this query, leaving out defaults.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        for (key, value) in [("actor", &self.actor), ("action", &self.action), ("service", &self.service), ("environment", &self.environment)] {
            if let Some(value) = value {
                params.push((key, value.clone()));
            }
        }
        if let Some(outcome) = self.outcome {
            params.push(("outcome", outcome.as_str().to_owned()));
        }
        for (key, value) in [("from", self.from), ("to", self.to)] {
            if let Some(text) = value.and_then(minute_text) {
                params.push((key, text));
            }
        }
        if let Some(before) = self.before {
            params.push(("before", before.to_string()));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            params.push(("per_page", self.per_page.to_string()));
        }
        params
    }

    /// The same filters from the newest event on.
    pub fn first_page(&self) -> Self {
        Self { before: None, ..self.clone() }
    }

    /// Whether any filter (not the cursor) is set.
    pub fn is_filtered(&self) -> bool {
        self.actor.is_some()
            || self.action.is_some()
            || self.service.is_some()
            || self.environment.is_some()
            || self.outcome.is_some()
            || self.from.is_some()
            || self.to.is_some()
    }
}

/// One page of events, newest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub items: Vec<Event>,
    /// The cursor of the next, older page; `None` on the last page. With several filters that
    /// rarely meet, the server stops a page after a bounded amount of work: the page may then
    /// be short, even empty, and still have a next page. Only `None` means the end.
    pub next_before: Option<i64>,
    /// The newest event in the whole log when the page was read (`None` while the log is
    /// empty). A first page holds nothing newer, so live updates continue from here with
    /// `AuditStore::audit_since`, missing nothing and repeating nothing.
    pub newest_seq: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> AuditQuery {
        AuditQuery::from_params(|key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
    }

    #[test]
    fn a_url_round_trips_and_bad_values_fall_back() {
        let query = parse(&[("actor", " Ada "), ("outcome", "denied"), ("from", "2026-11-01T00:00"), ("before", "120")]);
        assert_eq!(query.actor.as_deref(), Some("ada"));
        assert_eq!(query.outcome, Some(Outcome::Denied));
        let again = AuditQuery::from_params(|key| {
            let params = query.to_params();
            params.iter().find(|(k, _)| *k == key).map(|(_, v)| Box::leak(v.clone().into_boxed_str()) as &str)
        });
        assert_eq!(again, query);
        let bad = parse(&[("outcome", "maybe"), ("from", "soon"), ("before", "-3"), ("per_page", "100000")]);
        assert_eq!((bad.outcome, bad.from, bad.before, bad.per_page), (None, None, None, MAX_PER_PAGE));
    }

    #[test]
    fn defaults_bounds_and_time_filters() {
        let empty = parse(&[]);
        assert_eq!(empty.per_page, DEFAULT_PER_PAGE);
        assert!(!empty.is_filtered() && empty.to_params().is_empty());
        assert_eq!(parse(&[("per_page", "0")]).per_page, DEFAULT_PER_PAGE);
        let long = "x".repeat(500);
        let query = parse(&[("service", &long), ("from", "2026-11-22T10:00"), ("to", "2026-11-22T11:00"), ("environment", " ")]);
        assert_eq!(query.service.as_ref().map(String::len), Some(MAX_FILTER_LEN));
        assert_eq!(query.environment, None);
        assert_eq!(query.to.zip(query.from).map(|(to, from)| to - from), Some(3_600_000_000));
        assert!(query.is_filtered());
        let next = AuditQuery { before: Some(7), ..query.clone() };
        assert_eq!(next.first_page(), query);
    }
}
