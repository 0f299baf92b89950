//! Links: lists that carry their state (the services list, the environments grid, the audit
//! log) in their query string, and the pages and streams of one service.

use domain::actions::RunQuery;
use domain::audit::{AuditQuery, DEFAULT_PER_PAGE};
use domain::catalog::graph::GraphQuery;
use domain::catalog::{EntityKind, EntityQuery, EntityRef, ServiceQuery};

/// `path` with `params` as its query string.
fn with_params(path: &str, params: &[(&str, String)]) -> String {
    if params.is_empty() {
        return path.to_owned();
    }
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter().map(|(key, value)| (*key, value.as_str())))
        .finish();
    format!("{path}?{encoded}")
}

/// `/services` with `query` in the query string.
pub fn services_href(query: &ServiceQuery) -> String {
    with_params("/services", &query.to_params())
}

/// The audit log viewer showing `query`.
pub fn audit_href(query: &AuditQuery) -> String {
    with_params("/audit", &query.to_params())
}

/// The download of every event matching `query`'s filters, as `csv` or `json`.
pub fn audit_export_href(query: &AuditQuery, format: &str) -> String {
    let filters = AuditQuery { before: None, per_page: DEFAULT_PER_PAGE, ..query.clone() };
    with_params(&format!("/audit/export.{format}"), &filters.to_params())
}

/// One audit event's page.
pub fn audit_event_href(seq: i64) -> String {
    format!("/audit/{seq}")
}

/// The services list filtered to one owner.
pub fn owner_href(owner: &str) -> String {
    services_href(&ServiceQuery { owner: Some(owner.to_owned()), ..ServiceQuery::default().normalised() })
}

/// The services list filtered to one system.
pub fn system_href(system: &str) -> String {
    services_href(&ServiceQuery { system: Some(system.to_owned()), ..ServiceQuery::default().normalised() })
}

/// An entity's page, of any kind: `/catalog/group/default/payments`.
pub fn entity_href(reference: &EntityRef) -> String {
    format!("/catalog/{}/{}/{}", segment(&reference.kind), segment(&reference.namespace), segment(&reference.name))
}

/// The catalog's search across kinds with `query` in the query string.
pub fn catalog_href(query: &EntityQuery) -> String {
    with_params("/catalog", &query.to_params())
}

/// The catalog list of one kind: what an entity page's breadcrumb leads back to.
pub fn kind_href(kind: EntityKind) -> String {
    catalog_href(&EntityQuery { kind: Some(kind), ..EntityQuery::default() })
}

/// The relations graph around an entity.
pub fn graph_href(reference: &EntityRef, query: &GraphQuery) -> String {
    with_params(&format!("{}/graph", entity_href(reference)), &query.to_params())
}

/// What breaks if an entity goes down.
pub fn impact_href(reference: &EntityRef) -> String {
    format!("{}/impact", entity_href(reference))
}

/// A service's page.
pub fn service_href(name: &str) -> String {
    format!("/services/{}", segment(name))
}

/// A service's page showing the deployments older than `before` (the newest when `None`), at
/// its deployments section.
pub fn service_deployments_href(name: &str, before: Option<i64>) -> String {
    match before {
        Some(id) => format!("{}?deployments_before={id}#deployments", service_href(name)),
        None => format!("{}#deployments", service_href(name)),
    }
}

/// The anchor of what promoting `from` to `to` ships, in the Delivery section of a service's page.
pub fn promotion_anchor(from: &str, to: &str) -> String {
    format!("ships-{from}-to-{to}")
}

/// The environments grid with `query` in the query string.
pub fn environments_href(query: &ServiceQuery) -> String {
    with_params("/environments", &query.to_params())
}

/// The live logs page of one environment of a service.
pub fn logs_href(service: &str, environment: &str) -> String {
    format!("/services/{}/logs/{}", segment(service), segment(environment))
}

/// The server-sent events stream of one environment's logs.
pub fn logs_stream_href(service: &str, environment: &str) -> String {
    format!("/api/logs/{}/{}", segment(service), segment(environment))
}

/// The lines the portal keeps for one environment, as a text file.
pub fn logs_download_href(service: &str, environment: &str) -> String {
    format!("{}/download", logs_stream_href(service, environment))
}

/// The form of `action` on `service`, in `environment` (or on the service as a whole).
pub fn action_href(service: &str, action: &str, environment: Option<&str>) -> String {
    let path = format!("/services/{}/actions/{}", segment(service), segment(action));
    let params: Vec<(&str, String)> = environment.map(|e| ("environment", e.to_owned())).into_iter().collect();
    with_params(&path, &params)
}

/// One run's page.
pub fn run_href(id: &str) -> String {
    format!("/runs/{}", segment(id))
}

/// The runs list showing `query`.
pub fn runs_href(query: &RunQuery) -> String {
    with_params("/runs", &query.to_params())
}

/// One page of the approvals inbox.
pub fn approvals_href(page: u32) -> String {
    if page > 1 { format!("/approvals?page={page}") } else { "/approvals".to_owned() }
}

/// `value` escaped for use as one path segment.
fn segment(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_escaped() {
        let query = ServiceQuery { q: Some("a&b c".into()), ..ServiceQuery::default().normalised() };
        assert_eq!(services_href(&query), "/services?q=a%26b+c");
        assert_eq!(owner_href("team-a"), "/services?owner=team-a");
        assert_eq!(services_href(&ServiceQuery::default().normalised()), "/services");
    }

    #[test]
    fn environment_links_keep_the_filters_and_escape_names() {
        let query = ServiceQuery { owner: Some("team a".into()), page: 2, ..ServiceQuery::default().normalised() };
        assert_eq!(environments_href(&query), "/environments?owner=team+a&page=2");
        assert_eq!(logs_href("checkout", "prod"), "/services/checkout/logs/prod");
        assert_eq!(logs_download_href("a/b", "prod"), "/api/logs/a%2Fb/prod/download");
    }

    #[test]
    fn action_and_run_links_escape_and_keep_filters() {
        assert_eq!(action_href("checkout", "restart", Some("prod")), "/services/checkout/actions/restart?environment=prod");
        assert_eq!(action_href("a b", "deploy", None), "/services/a+b/actions/deploy");
        assert_eq!(run_href("r/1"), "/runs/r%2F1");
        let query = RunQuery { service: Some("checkout".into()), page: 3, ..RunQuery::default() };
        assert_eq!(runs_href(&query), "/runs?service=checkout&page=3");
        assert_eq!(approvals_href(1), "/approvals");
        assert_eq!(approvals_href(2), "/approvals?page=2");
    }

    #[test]
    fn exports_keep_the_filters_and_drop_the_cursor() {
        let query = AuditQuery { actor: Some("ada".into()), before: Some(40), per_page: 20, ..AuditQuery::default().normalised() };
        assert_eq!(audit_href(&query), "/audit?actor=ada&before=40&per_page=20");
        assert_eq!(audit_export_href(&query, "csv"), "/audit/export.csv?actor=ada");
        assert_eq!(audit_export_href(&AuditQuery::default().normalised(), "json"), "/audit/export.json");
    }
}
