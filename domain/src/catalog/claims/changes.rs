//! The audit events a catalog replacement records: one per service added, removed, or changed in
//! its owner, environments, runtime targets or production guards, naming the source.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::{COMPONENT, Claim, Claims, source_name};
use crate::audit::{NewEvent, Origin, Outcome, kinds};
use crate::catalog::Catalog;

/// The events that record going from the claims `before` to `after` (the services of
/// `catalog`). The first catalog a database stores (no claims before) is its starting point and
/// records nothing: there is nothing it changed.
pub fn changes(before: &Claims, after: &Claims, catalog: &Catalog) -> Vec<NewEvent> {
    if before.is_empty() {
        return Vec::new();
    }
    // Claims know a service by its name in lowercase; events name it as written.
    let written: HashMap<String, (&str, &str)> = catalog
        .services
        .iter()
        .map(|s| (s.name.to_ascii_lowercase(), (s.name.as_str(), s.source.file.as_str())))
        .collect();
    let (old, new) = (services(before), services(after));
    let mut events = Vec::new();
    for (name, claim) in &new {
        let previous = old.get(name);
        let change = match previous {
            None => "added",
            Some(previous) if previous.summary != claim.summary || previous.source != claim.source => "changed",
            Some(_) => continue,
        };
        let inputs = json!({
            "change": change,
            "source": source_name(&claim.source),
            "file": written.get(*name).map(|(_, file)| file),
            "before": previous.map_or(Value::Null, |p| summary(&p.summary)),
            "after": summary(&claim.summary),
        });
        events.push(event(written.get(*name).map_or(name, |(service, _)| service), inputs));
    }
    for (name, claim) in old.iter().filter(|(name, _)| !new.contains_key(*name)) {
        let inputs = json!({ "change": "removed", "source": source_name(&claim.source), "before": summary(&claim.summary), "after": Value::Null });
        events.push(event(name, inputs));
    }
    // HashMap order is arbitrary; the log reads better in name order.
    events.sort_by(|a, b| a.service.cmp(&b.service));
    events
}

/// The services' claims, by name: the components of the default namespace.
fn services(claims: &Claims) -> HashMap<&str, &Claim> {
    claims.iter().filter(|((kind, name), _)| kind == COMPONENT && !name.contains('/')).map(|((_, name), claim)| (name.as_str(), claim)).collect()
}

fn summary(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn event(service: &str, inputs: Value) -> NewEvent {
    NewEvent::new("system", Origin::System, kinds::CATALOG_CHANGED, Outcome::Success).service(service).inputs(inputs)
}
