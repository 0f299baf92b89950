//! What breaks if an entity goes down: a walk outwards along the relations that carry a
//! failure (see `domain::catalog::impact`), one query per step, then the summaries and
//! environments of the dependents it lists.

use std::collections::{HashMap, HashSet};

use domain::catalog::impact::{CARRIERS, Dependent, Impact, MAX_DEPENDENTS};
use domain::catalog::reference::DEFAULT_NAMESPACE;
use domain::catalog::{EntityKind, EntityRef, EntitySummary, RelationType};
use domain::store::StoreError;

use super::catalog::INSERT_CHUNK;
use super::rows::from_json;
use super::{Store, db_error, on_pool};

/// The most entities the walk visits: past this, a count of dependents would cost more than it
/// tells anyone.
const MAX_VISITED: usize = 20_000;

/// `$from, $from+1, …`: `count` numbered placeholders for an `IN (…)` list.
pub(super) fn placeholders(count: usize, from: usize) -> String {
    (from..from + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

impl Store {
    pub(super) async fn impact(&self, key: &str) -> Result<Option<Impact>, StoreError> {
        let Some(entity) = self.entity_summary(key).await? else { return Ok(None) };
        let mut visited: HashSet<String> = HashSet::from([key.to_owned()]);
        let mut listed: Vec<(String, Dependent)> = Vec::new();
        let mut not_listed = 0u64;
        let mut frontier = vec![(key.to_owned(), entity.reference())];
        let mut distance = 0;
        while !frontier.is_empty() && visited.len() < MAX_VISITED {
            distance += 1;
            let via: HashMap<String, EntityRef> = frontier.into_iter().collect();
            let mut next = Vec::new();
            for (source, relation, target, written) in self.carriers(&via.keys().cloned().collect::<Vec<_>>()).await? {
                if !visited.insert(target.clone()) {
                    continue;
                }
                let reference: EntityRef = from_json(&written)?;
                next.push((target.clone(), reference.clone()));
                if listed.len() >= MAX_DEPENDENTS {
                    not_listed += 1;
                    continue;
                }
                let how = match RelationType::from_name(&relation) {
                    Some(RelationType::DependencyOf) => RelationType::DependsOn,
                    Some(RelationType::ApiConsumedBy) => RelationType::ConsumesApi,
                    _ => RelationType::ProvidesApi,
                };
                let Some(via) = via.get(&source).cloned() else { continue };
                listed.push((target, Dependent { reference, entity: None, distance, via, how, environments: Vec::new() }));
            }
            frontier = next;
        }
        self.describe(&mut listed).await?;
        let mut dependents: Vec<Dependent> = listed.into_iter().map(|(_, dependent)| dependent).collect();
        dependents.sort_by(|a, b| a.distance.cmp(&b.distance).then_with(|| a.reference.key().cmp(&b.reference.key())));
        let owners = Impact::owners_of(&dependents);
        Ok(Some(Impact { entity, dependents, not_listed, owners }))
    }

    /// The relation rows that carry a failure out of `sources`.
    async fn carriers(&self, sources: &[String]) -> Result<Vec<(String, String, String, String)>, StoreError> {
        let mut rows = Vec::new();
        for chunk in sources.chunks(INSERT_CHUNK) {
            let sql = format!(
                "SELECT source, relation, target, target_written FROM catalog_relations \
                 WHERE source IN ({}) AND relation IN ({}) ORDER BY source, target",
                placeholders(chunk.len(), 1),
                placeholders(CARRIERS.len(), chunk.len() + 1)
            );
            let found = on_pool!(self, pool => {
                let mut select = sqlx::query_as::<_, (String, String, String, String)>(&sql);
                for source in chunk {
                    select = select.bind(source);
                }
                for relation in CARRIERS {
                    select = select.bind(relation.as_str());
                }
                select.fetch_all(pool).await.map_err(db_error)?
            });
            rows.extend(found);
        }
        Ok(rows)
    }

    /// Fills in each dependent's summary and, for a service, its environments.
    async fn describe(&self, listed: &mut [(String, Dependent)]) -> Result<(), StoreError> {
        let keys: Vec<String> = listed.iter().map(|(key, _)| key.clone()).collect();
        let mut summaries: HashMap<String, EntitySummary> = HashMap::new();
        for chunk in keys.chunks(INSERT_CHUNK) {
            let sql = format!("SELECT ref, summary FROM catalog_entities WHERE ref IN ({})", placeholders(chunk.len(), 1));
            let rows = on_pool!(self, pool => {
                let mut select = sqlx::query_as::<_, (String, String)>(&sql);
                for key in chunk {
                    select = select.bind(key);
                }
                select.fetch_all(pool).await.map_err(db_error)?
            });
            for (key, summary) in rows {
                summaries.insert(key, from_json(&summary)?);
            }
        }
        let services: Vec<String> = summaries
            .values()
            .filter(|s| s.kind == EntityKind::Component && s.namespace == DEFAULT_NAMESPACE)
            .map(|s| s.name.clone())
            .collect();
        let mut environments: HashMap<String, Vec<String>> = HashMap::new();
        for chunk in services.chunks(INSERT_CHUNK) {
            let sql = format!(
                "SELECT service, name FROM catalog_environments WHERE service IN ({}) ORDER BY service, production DESC, position",
                placeholders(chunk.len(), 1)
            );
            let rows = on_pool!(self, pool => {
                let mut select = sqlx::query_as::<_, (String, String)>(&sql);
                for name in chunk {
                    select = select.bind(name);
                }
                select.fetch_all(pool).await.map_err(db_error)?
            });
            for (service, name) in rows {
                environments.entry(service).or_default().push(name);
            }
        }
        for (key, dependent) in listed.iter_mut() {
            dependent.entity = summaries.remove(key.as_str());
            if let Some(entity) = dependent.entity.as_ref().filter(|e| e.kind == EntityKind::Component && e.namespace == DEFAULT_NAMESPACE) {
                dependent.environments = environments.remove(&entity.name).unwrap_or_default();
            }
        }
        Ok(())
    }
}
