//! Who a catalog name belongs to. Names are unique per kind and namespace across every source,
//! compared without regard to case; a name belongs
//! to the source that declared it first and stays with it, so a manifest pushed later to some
//! other repository cannot take a service over: it becomes a problem pointing at the owner.
//! Among sources that declare a new name in the same read, the catalog folders come first and
//! repositories follow oldest first (by GitHub id), never by name.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::json;

use super::reference::DEFAULT_NAMESPACE;
use super::{Catalog, Entity, EntityKind, Problem, Service, SourceLocation, target_text};

/// The source that is the portal's own catalog folders.
pub const FOLDERS: &str = "folders";

/// What one source declares, in the order sources are tried for a new name.
#[derive(Clone, Debug)]
pub struct SourcePart {
    /// [`FOLDERS`] or `github:<repository>`.
    pub source: String,
    pub catalog: Catalog,
    /// Read without any problem. A source whose manifest is broken keeps its names even if it
    /// does not declare them right now.
    pub clean: bool,
}

/// A name held by a source, with the facts about it that the audit log follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    pub source: String,
    /// For services: owner, environments, their runtime targets and production guards, as JSON.
    /// Empty for other kinds.
    pub summary: String,
}

/// Claims by kind (`Component`, `System`, `Group`...) and [`claim_name`].
pub type Claims = BTreeMap<(String, String), Claim>;

/// The name an entity's claim is kept under: its name in lowercase, after `namespace/` when it
/// is not in the default namespace.
pub fn claim_name(entity: &Entity) -> String {
    let name = entity.name.to_ascii_lowercase();
    if entity.namespace == DEFAULT_NAMESPACE { name } else { format!("{}/{name}", entity.namespace) }
}

pub const COMPONENT: &str = "Component";

/// The catalog the sources make together under the names `held` gives them, and the claims
/// after it.
pub fn merge(parts: Vec<SourcePart>, held: &Claims) -> (Catalog, Claims) {
    let sources: Vec<(String, bool)> = parts.iter().map(|part| (part.source.clone(), part.clean)).collect();
    let mut catalog = Catalog::default();
    let mut entities = Vec::new();
    // A service is known by its part and the place its component is declared.
    let mut services: HashMap<(usize, SourceLocation), Service> = HashMap::new();
    for (index, part) in parts.into_iter().enumerate() {
        entities.extend(part.catalog.entities.into_iter().map(|entity| (index, entity)));
        services.extend(part.catalog.services.into_iter().map(|service| ((index, service.source.clone()), service)));
        catalog.problems.extend(part.catalog.problems);
    }
    let mut claims = Claims::new();
    let mut decide = Decide { sources: &sources, held, problems: &mut catalog.problems, claims: &mut claims };
    let summary = |index: usize, entity: &Entity| match services.get(&(index, entity.source.clone())) {
        Some(service) if entity.kind == EntityKind::Component => service_summary(service),
        _ => String::new(),
    };
    let kept = decide.entities(entities, summary);
    let won: HashSet<(usize, SourceLocation)> =
        kept.iter().filter(|(_, entity)| entity.kind == EntityKind::Component).map(|(index, entity)| (*index, entity.source.clone())).collect();
    let mut kept_services: Vec<(usize, Service)> =
        services.into_iter().filter(|(key, _)| won.contains(key)).map(|((index, _), service)| (index, service)).collect();
    // Keep the order the sources declared them in.
    kept_services.sort_by(|(a, x), (b, y)| (a, &x.source.file, x.source.line).cmp(&(b, &y.source.file, y.source.line)));
    catalog.services = kept_services.into_iter().map(|(_, service)| service).collect();
    catalog.entities = kept.into_iter().map(|(_, entity)| entity).collect();
    catalog.problems.extend(super::resolve(&catalog.entities).1);
    // A name whose owner is broken right now and declares nothing stays with it.
    for (key, claim) in held {
        if !claims.contains_key(key) && sources.iter().any(|(source, clean)| *source == claim.source && !clean) {
            claims.insert(key.clone(), claim.clone());
        }
    }
    (catalog, claims)
}

struct Decide<'a> {
    sources: &'a [(String, bool)],
    held: &'a Claims,
    problems: &'a mut Vec<Problem>,
    claims: &'a mut Claims,
}

impl Decide<'_> {
    /// The entities that keep their name, each with the index of its part.
    fn entities(&mut self, declared: Vec<(usize, Entity)>, summary: impl Fn(usize, &Entity) -> String) -> Vec<(usize, Entity)> {
        let mut order: Vec<(String, String)> = Vec::new();
        let mut by_name: HashMap<(String, String), Vec<(usize, Entity)>> = HashMap::new();
        for (index, entity) in declared {
            let key = (entity.kind.as_str().to_owned(), claim_name(&entity));
            by_name.entry(key.clone()).or_insert_with(|| {
                order.push(key);
                Vec::new()
            }).push((index, entity));
        }
        let mut kept = Vec::new();
        for key in order {
            let candidates = by_name.remove(&key).unwrap_or_default();
            let (kind, name) = (&key.0, &key.1);
            let held = self.held.get(&key).filter(|claim| self.holds(claim, &candidates));
            let winner = match held {
                Some(claim) => candidates.iter().position(|(index, _)| self.sources[*index].0 == claim.source),
                None => Some(0),
            };
            let first = winner.map(|at| {
                let (index, entity) = &candidates[at];
                (entity.source.clone(), self.sources[*index].0.clone())
            });
            for (at, (index, entity)) in candidates.into_iter().enumerate() {
                if Some(at) == winner {
                    let claim = Claim { source: self.sources[index].0.clone(), summary: summary(index, &entity) };
                    self.claims.insert(key.clone(), claim);
                    kept.push((index, entity));
                    continue;
                }
                let source = &entity.source;
                let message = match (&first, held) {
                    (Some((location, owner)), _) if *owner != self.sources[index].0 => format!(
                        "a {kind} named `{name}` is already declared at {}:{}; it belongs to {}, which declared it first",
                        location.file,
                        location.line,
                        source_name(owner)
                    ),
                    (Some((location, _)), _) => format!("a {kind} named `{name}` is already declared at {}:{}", location.file, location.line),
                    (None, Some(claim)) => format!(
                        "a {kind} named `{name}` belongs to {}, which declared it first; its manifest has problems right now, \
                         and the name stays with it",
                        source_name(&claim.source)
                    ),
                    (None, None) => format!("a {kind} named `{name}` is already declared"),
                };
                self.problems.push(Problem {
                    file: source.file.clone(),
                    line: Some(source.line),
                    field: Some("metadata.name".to_owned()),
                    message,
                });
            }
        }
        kept
    }

    /// Whether a held claim still stands: its source still declares the name, or is broken.
    fn holds(&self, claim: &Claim, candidates: &[(usize, Entity)]) -> bool {
        candidates.iter().any(|(index, _)| self.sources[*index].0 == claim.source)
            || self.sources.iter().any(|(source, clean)| *source == claim.source && !clean)
    }
}

/// A source as messages name it.
pub fn source_name(source: &str) -> String {
    match source.strip_prefix("github:") {
        Some(repository) => format!("repository {repository}"),
        None => "the catalog folders".to_owned(),
    }
}

/// What the audit log compares about a service: its owner and each environment's name, runtime
/// target and production guard.
pub fn service_summary(service: &Service) -> String {
    let environments: Vec<serde_json::Value> = service
        .environments
        .iter()
        .map(|e| json!({ "name": e.name, "production": e.production, "runtime": e.target.kind(), "target": target_text(&e.target) }))
        .collect();
    json!({ "owner": service.owner, "environments": environments }).to_string()
}

mod changes;
pub use changes::changes;

#[cfg(test)]
mod tests;
