//! Links that carry the services list's state in their query string.

use domain::catalog::ServiceQuery;

/// `/services` with `query` in the query string.
pub fn services_href(query: &ServiceQuery) -> String {
    let params = query.to_params();
    if params.is_empty() {
        return "/services".to_owned();
    }
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter().map(|(key, value)| (*key, value.as_str())))
        .finish();
    format!("/services?{encoded}")
}

/// The services list filtered to one owner.
pub fn owner_href(owner: &str) -> String {
    services_href(&ServiceQuery { owner: Some(owner.to_owned()), ..ServiceQuery::default().normalised() })
}

/// The services list filtered to one system.
pub fn system_href(system: &str) -> String {
    services_href(&ServiceQuery { system: Some(system.to_owned()), ..ServiceQuery::default().normalised() })
}

/// A service's page.
pub fn service_href(name: &str) -> String {
    format!("/services/{}", form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>())
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
}
