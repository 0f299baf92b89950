//! Who a catalog name belongs to. Names are unique per kind across every source; a name belongs
//! to the source that declared it first and stays with it, so a manifest pushed later to some
//! other repository cannot take a service over: it becomes a problem pointing at the owner.
//! Among sources that declare a new name in the same read, the catalog folders come first and
//! repositories follow oldest first (by GitHub id), never by name.

use std::collections::{BTreeMap, HashMap};

use serde_json::json;

use super::{Catalog, Problem, Service, SourceLocation, target_text};

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

/// Claims by kind (`Component`, `System`, `Group`) and name.
pub type Claims = BTreeMap<(String, String), Claim>;

pub const COMPONENT: &str = "Component";

/// The catalog the sources make together under the names `held` gives them, and the claims
/// after it.
pub fn merge(parts: Vec<SourcePart>, held: &Claims) -> (Catalog, Claims) {
    let sources: Vec<(String, bool)> = parts.iter().map(|part| (part.source.clone(), part.clean)).collect();
    let mut catalog = Catalog::default();
    let (mut services, mut systems, mut teams) = (Vec::new(), Vec::new(), Vec::new());
    for (index, part) in parts.into_iter().enumerate() {
        services.extend(part.catalog.services.into_iter().map(|entity| (index, entity)));
        systems.extend(part.catalog.systems.into_iter().map(|entity| (index, entity)));
        teams.extend(part.catalog.teams.into_iter().map(|entity| (index, entity)));
        catalog.problems.extend(part.catalog.problems);
    }
    let mut claims = Claims::new();
    let mut decide = Decide { sources: &sources, held, problems: &mut catalog.problems, claims: &mut claims };
    catalog.services = decide.kind(COMPONENT, services, |s| (&s.name, &s.source), service_summary);
    catalog.systems = decide.kind("System", systems, |s| (&s.name, &s.source), |_| String::new());
    catalog.teams = decide.kind("Group", teams, |t| (&t.name, &t.source), |_| String::new());
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
    fn kind<T>(
        &mut self,
        kind: &str,
        declared: Vec<(usize, T)>,
        key: impl Fn(&T) -> (&String, &SourceLocation),
        summary: impl Fn(&T) -> String,
    ) -> Vec<T> {
        let mut order: Vec<String> = Vec::new();
        let mut by_name: HashMap<String, Vec<(usize, T)>> = HashMap::new();
        for (index, entity) in declared {
            let name = key(&entity).0.clone();
            by_name.entry(name.clone()).or_insert_with(|| {
                order.push(name);
                Vec::new()
            }).push((index, entity));
        }
        let mut kept = Vec::new();
        for name in order {
            let candidates = by_name.remove(&name).unwrap_or_default();
            let held = self.held.get(&(kind.to_owned(), name.clone())).filter(|claim| self.holds(claim, &candidates));
            let winner = match held {
                Some(claim) => candidates.iter().position(|(index, _)| self.sources[*index].0 == claim.source),
                None => Some(0),
            };
            let first = winner.map(|at| {
                let (index, entity) = &candidates[at];
                (key(entity).1.clone(), self.sources[*index].0.clone())
            });
            for (at, (index, entity)) in candidates.into_iter().enumerate() {
                if Some(at) == winner {
                    let claim = Claim { source: self.sources[index].0.clone(), summary: summary(&entity) };
                    self.claims.insert((kind.to_owned(), name.clone()), claim);
                    kept.push(entity);
                    continue;
                }
                let source = key(&entity).1;
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
    fn holds<T>(&self, claim: &Claim, candidates: &[(usize, T)]) -> bool {
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
