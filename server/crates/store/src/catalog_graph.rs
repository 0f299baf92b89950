//! The relations graph around an entity, one query per step outwards. Each query keeps at most
//! `DRAWN_PER_RELATION` relations per entity and type (a window over the relation rows, before
//! any entity is joined) and counts the rest, so an entity with thousands of relations costs
//! the same few milliseconds as one with three.

use std::collections::{BTreeSet, HashMap};

use domain::catalog::graph::{DRAWN_PER_RELATION, EntityGraph, GraphEdge, GraphMore, GraphNode, GraphQuery, MAX_NODES, RelationPair};
use domain::catalog::{EntityRef, EntitySummary, RelationType};
use domain::store::StoreError;

use super::catalog_impact::placeholders;
use super::rows::from_json;
use super::{Store, db_error, on_pool};

#[derive(sqlx::FromRow)]
struct NeighbourRow {
    source: String,
    relation: String,
    target: String,
    target_written: String,
    summary: Option<String>,
    total: i64,
}

impl Store {
    pub(super) async fn entity_graph(&self, key: &str, query: &GraphQuery) -> Result<Option<EntityGraph>, StoreError> {
        let query = query.clone().normalised();
        let Some(root) = self.entity_summary(key).await? else { return Ok(None) };
        let relations: Vec<&str> = query.relations().into_iter().map(RelationType::as_str).collect();
        let mut nodes = vec![GraphNode { reference: root.reference(), entity: Some(root), depth: 0 }];
        let mut index: HashMap<String, usize> = HashMap::from([(key.to_owned(), 0)]);
        let mut edges = BTreeSet::new();
        let mut more: Vec<GraphMore> = Vec::new();
        let mut frontier = vec![0];
        for depth in 1..=query.depth {
            if frontier.is_empty() {
                break;
            }
            let keys: Vec<String> = frontier.iter().map(|i: &usize| nodes[*i].reference.key()).collect();
            let mut rows = self.neighbours(&keys, &relations).await?;
            // In the order the sources were reached, so that neighbours stay together on the page.
            rows.sort_by_key(|row| (index.get(&row.source).copied(), RelationType::from_name(&row.relation), row.target.clone()));
            let mut left_out: Vec<(usize, RelationType, u64)> = Vec::new();
            let mut next = Vec::new();
            for row in rows {
                let (Some(&from), Some(relation)) = (index.get(&row.source), RelationType::from_name(&row.relation)) else { continue };
                let counted = match left_out.iter_mut().find(|(node, r, _)| *node == from && *r == relation) {
                    Some(entry) => entry,
                    None => {
                        let shown = u64::try_from(row.total).unwrap_or_default().min(u64::from(DRAWN_PER_RELATION));
                        left_out.push((from, relation, u64::try_from(row.total).unwrap_or_default() - shown));
                        left_out.last_mut().expect("just pushed")
                    }
                };
                let to = match index.get(&row.target) {
                    Some(&to) => to,
                    None if nodes.len() >= MAX_NODES => {
                        counted.2 += 1;
                        continue;
                    }
                    None => {
                        let entity = row.summary.as_deref().map(from_json::<EntitySummary>).transpose()?;
                        let reference: EntityRef = from_json(&row.target_written)?;
                        nodes.push(GraphNode { reference, entity, depth });
                        index.insert(row.target.clone(), nodes.len() - 1);
                        next.push(nodes.len() - 1);
                        nodes.len() - 1
                    }
                };
                let pair = RelationPair::of(relation);
                let (from, to) = if relation == pair.forward() { (from, to) } else { (to, from) };
                edges.insert(GraphEdge { from, to, pair });
            }
            more.extend(left_out.into_iter().filter(|(_, _, count)| *count > 0).map(|(node, relation, count)| GraphMore { node, relation, count }));
            frontier = next;
        }
        Ok(Some(EntityGraph { nodes, edges: edges.into_iter().collect(), more, query }))
    }

    /// The first relations of each of `sources` of the `relations` types, with each type's total.
    async fn neighbours(&self, sources: &[String], relations: &[&str]) -> Result<Vec<NeighbourRow>, StoreError> {
        let sql = format!(
            "SELECT ranked.source, ranked.relation, ranked.target, ranked.target_written, e.summary, ranked.total FROM ( \
               SELECT source, relation, target, target_written, \
                      ROW_NUMBER() OVER (PARTITION BY source, relation ORDER BY target) AS n, \
                      COUNT(*) OVER (PARTITION BY source, relation) AS total \
               FROM catalog_relations WHERE source IN ({}) AND relation IN ({})) ranked \
             LEFT JOIN catalog_entities e ON e.ref = ranked.target \
             WHERE ranked.n <= {DRAWN_PER_RELATION}",
            placeholders(sources.len(), 1),
            placeholders(relations.len(), sources.len() + 1),
        );
        on_pool!(self, pool => {
            let mut select = sqlx::query_as::<_, NeighbourRow>(&sql);
            for source in sources {
                select = select.bind(source);
            }
            for relation in relations {
                select = select.bind(*relation);
            }
            select.fetch_all(pool).await.map_err(db_error)
        })
    }
}
