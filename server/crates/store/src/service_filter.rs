//! The SQL that turns a services query into a `WHERE` and an `ORDER BY`. Values are always
//! bound, never spliced; only fixed column names and directions are written into the text.

use domain::catalog::{ServiceQuery, ServiceSort};

/// Shortest search text the trigram index can answer; shorter text is matched by a scan.
const TRIGRAM: usize = 3;

/// ` WHERE …` for the query's search and filters, with its bound values in `$n` order.
/// `trigram_index`: the SQLite trigram index `catalog_search` exists.
pub(super) fn where_clause(query: &ServiceQuery, trigram_index: bool) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut binds = Vec::new();
    if let Some(text) = &query.q {
        let index = trigram_index.then_some("catalog_search");
        let (clause, bind) = text_clause(text, index, binds.len() + 1);
        clauses.push(clause);
        binds.push(bind);
    }
    let filters = [
        ("owner", &query.owner),
        ("system", &query.system),
        ("lifecycle", &query.lifecycle),
        ("kind", &query.kind),
    ];
    for (column, value) in filters {
        if let Some(value) = value {
            binds.push(value.clone());
            clauses.push(format!("{column} = ${}", binds.len()));
        }
    }
    let filter = if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) };
    (filter, binds)
}

/// The clause matching `text` anywhere in a table's `search_text`, as placeholder `$n`, with its
/// bound value: through the SQLite trigram index `index` (over the table's rowid) when there is
/// one and the text is long enough for it, else by a scan.
pub(super) fn text_clause(text: &str, index: Option<&str>, n: usize) -> (String, String) {
    let text = text.to_lowercase();
    match index {
        Some(index) if text.chars().count() >= TRIGRAM => (
            format!("rowid IN (SELECT rowid FROM {index} WHERE {index} MATCH ${n})"),
            // A quoted FTS5 phrase: every character is literal except `"`, written twice.
            format!("\"{}\"", text.replace('"', "\"\"")),
        ),
        _ => (format!("search_text LIKE ${n} ESCAPE '\\'"), format!("%{}%", escape_like(&text))),
    }
}

/// Search text is matched literally: `%` and `_` typed by a user are not wildcards.
pub(super) fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

pub(super) fn order_by(sort: ServiceSort) -> &'static str {
    match sort {
        ServiceSort::Name => "name ASC",
        ServiceSort::NameDesc => "name DESC",
        ServiceSort::Owner => "owner ASC, name ASC",
        ServiceSort::Lifecycle => "lifecycle ASC, name ASC",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> ServiceQuery {
        ServiceQuery { q: Some(q.to_owned()), owner: Some("payments".to_owned()), ..ServiceQuery::default().normalised() }
    }

    #[test]
    fn values_are_bound_in_placeholder_order() {
        let (filter, binds) = where_clause(&query("Pay"), false);
        assert_eq!(filter, " WHERE search_text LIKE $1 ESCAPE '\\' AND owner = $2");
        assert_eq!(binds, ["%pay%", "payments"]);
    }

    #[test]
    fn like_wildcards_typed_by_a_user_are_escaped() {
        let (_, binds) = where_clause(&query("50%_off\\"), false);
        assert_eq!(binds[0], "%50\\%\\_off\\\\%");
    }

    #[test]
    fn the_trigram_index_gets_a_quoted_phrase_from_three_characters() {
        let (filter, binds) = where_clause(&query("say \"hi\""), true);
        assert!(filter.contains("catalog_search MATCH $1"), "{filter}");
        assert_eq!(binds[0], "\"say \"\"hi\"\"\"");
        let (filter, _) = where_clause(&query("ab"), true);
        assert!(filter.contains("LIKE $1"), "two characters are scanned: {filter}");
    }
}
