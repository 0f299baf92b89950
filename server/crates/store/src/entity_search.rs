//! Search across every kind: the catalog page's one box, with the kind as a filter and a count
//! of the matches of each kind beside it.

use domain::catalog::{EntityKind, EntityList, EntityQuery, EntitySummary, KindCount};
use domain::store::StoreError;

use super::rows::from_json;
use super::service_filter::{escape_like, text_clause};
use super::{Store, db_error, on_pool};

impl Store {
    pub(super) async fn search_entities(&self, query: &EntityQuery) -> Result<EntityList, StoreError> {
        let query = query.clone().normalised();
        let index = matches!(self, Store::Sqlite(_)).then_some("entity_search");
        let mut binds: Vec<String> = Vec::new();
        let mut text_filter = Vec::new();
        if let Some(text) = &query.q {
            let (clause, bind) = text_clause(text, index, 1);
            text_filter.push(clause);
            binds.push(bind);
        }
        let counts_sql = format!("SELECT kind, COUNT(*) FROM catalog_entities{} GROUP BY kind", where_of(&text_filter));
        let mut list_filter = text_filter.clone();
        if let Some(kind) = query.kind {
            binds.push(kind.key().to_owned());
            list_filter.push(format!("kind = ${}", binds.len()));
        }
        // A name that is the search text, then one that starts with it, come before the rest.
        let rank = match &query.q {
            Some(text) => {
                binds.push(text.to_lowercase());
                binds.push(format!("{}%", escape_like(&text.to_lowercase())));
                format!("CASE WHEN sort_name = ${} THEN 0 WHEN sort_name LIKE ${} ESCAPE '\\' THEN 1 ELSE 2 END, ", binds.len() - 1, binds.len())
            }
            None => String::new(),
        };
        let list_sql = format!(
            "SELECT summary FROM catalog_entities{} ORDER BY {rank}sort_name, ref LIMIT {} OFFSET {}",
            where_of(&list_filter),
            query.per_page,
            query.offset()
        );
        let text_binds = usize::from(query.q.is_some());
        let (rows, counts) = on_pool!(self, pool => {
            let mut list = sqlx::query_scalar::<_, String>(&list_sql);
            for value in &binds {
                list = list.bind(value);
            }
            let mut count = sqlx::query_as::<_, (String, i64)>(&counts_sql);
            for value in &binds[..text_binds] {
                count = count.bind(value);
            }
            (list.fetch_all(pool).await.map_err(db_error)?, count.fetch_all(pool).await.map_err(db_error)?)
        });
        let kinds: Vec<KindCount> = EntityKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let count = counts.iter().find(|(key, _)| key == kind.key()).map(|(_, n)| u64::try_from(*n).unwrap_or_default())?;
                Some(KindCount { kind, count })
            })
            .collect();
        let total = kinds.iter().filter(|c| query.kind.is_none_or(|kind| kind == c.kind)).map(|c| c.count).sum();
        let items = rows.iter().map(|text| from_json::<EntitySummary>(text)).collect::<Result<_, _>>()?;
        Ok(EntityList { items, total, query, kinds })
    }
}

fn where_of(clauses: &[String]) -> String {
    if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) }
}
