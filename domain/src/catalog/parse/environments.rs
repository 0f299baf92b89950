//! `spec.environments`: a service's promotion path, each environment on one runtime.

use std::collections::BTreeMap;

use saphyr::{Scalar, YamlData};

use super::super::{EcsTarget, Environment, KubernetesTarget, LocalTarget, RuntimeTarget};
use super::node::{Field, Reader};
use super::rules;

/// The most processes a local environment may ask for: the portal's host is one machine.
pub const MAX_LOCAL_REPLICAS: u32 = 32;

const RUNTIMES: [&str; 3] = ["local", "kubernetes", "ecs"];

/// Reads `spec.environments` when present; every problem is reported and the list is `None`
/// if any environment is unusable, so a service never shows half its path.
pub(super) fn read(r: &mut Reader<'_>, spec: &Field<'_, '_>) -> Option<Vec<Environment>> {
    let Some(field) = r.optional(spec, "environments") else {
        return Some(Vec::new());
    };
    let items = r.list(&field)?;
    let before = r.problems.len();
    let mut environments: Vec<Environment> = Vec::new();
    let mut lines: BTreeMap<String, usize> = BTreeMap::new();
    for item in items {
        let Some(item) = r.map(item) else { continue };
        let Some(environment) = environment(r, &item) else { continue };
        if let Some(first) = lines.get(&environment.name) {
            let name = r.entry(&item, "name").unwrap_or(item.clone());
            r.fail(&name, format!("environment `{}` is already declared at line {first}", environment.name));
            continue;
        }
        lines.insert(environment.name.clone(), item.line);
        environments.push(environment);
    }
    (r.problems.len() == before).then_some(environments)
}

fn environment(r: &mut Reader<'_>, item: &Field<'_, '_>) -> Option<Environment> {
    let name = r.required_text(item, "name").and_then(|(name, field)| match rules::check_name(&name) {
        Ok(()) => Some(name),
        Err(message) => {
            r.fail(&field, message);
            None
        }
    });
    let production = r.optional(item, "production").and_then(|field| boolean(r, &field));
    let mut declared: Vec<Field<'_, '_>> = RUNTIMES.iter().filter_map(|key| r.optional(item, key)).collect();
    declared.sort_by_key(|field| field.line);
    let target = match declared.as_slice() {
        [] => {
            r.report(item.line, Some(&item.path), "needs a runtime: one of `local`, `kubernetes` or `ecs`");
            None
        }
        [field] => target(r, field),
        [first, second, ..] => {
            // The first one is still read, so its own mistakes show in the same pass.
            target(r, first);
            r.fail(second, "an environment runs on one runtime: keep one of `local`, `kubernetes` or `ecs`");
            None
        }
    };
    // Names such as `prod` are production by the portal's configuration, applied once every
    // source is read; here only what the manifest itself says.
    Some(Environment { name: name?, production: production.unwrap_or(false), target: target?, line: item.line })
}

fn target(r: &mut Reader<'_>, field: &Field<'_, '_>) -> Option<RuntimeTarget> {
    let key = field.path.rsplit('.').next().unwrap_or_default().to_owned();
    let field = r.map(field.clone())?;
    match key.as_str() {
        "local" => local(r, &field).map(RuntimeTarget::Local),
        "kubernetes" => kubernetes(r, &field).map(RuntimeTarget::Kubernetes),
        _ => ecs(r, &field).map(RuntimeTarget::Ecs),
    }
}

fn local(r: &mut Reader<'_>, field: &Field<'_, '_>) -> Option<LocalTarget> {
    let command = r.required_text(field, "command").map(|(text, _)| text);
    let replicas = match r.optional(field, "replicas") {
        Some(replicas) => count(r, &replicas, MAX_LOCAL_REPLICAS),
        None => Some(1),
    };
    let version = r.optional(field, "version").and_then(|v| scalar_text(r, &v));
    let mut env = BTreeMap::new();
    if let Some(vars) = r.optional(field, "env").and_then(|vars| r.map(vars)) {
        for (name, value) in r.entries(&vars) {
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                r.fail(&value, "variable names are letters, digits and `_`");
            } else if let Some(text) = scalar_text(r, &value) {
                env.insert(name, text);
            }
        }
    }
    Some(LocalTarget { command: command?, replicas: replicas?, version, env, workdir: None })
}

fn kubernetes(r: &mut Reader<'_>, field: &Field<'_, '_>) -> Option<KubernetesTarget> {
    let cluster = r.optional_str(field, "cluster");
    let namespace = dns_label(r, field, "namespace");
    let deployment = dns_label(r, field, "deployment");
    let container = r.optional_str(field, "container");
    Some(KubernetesTarget { cluster, namespace: namespace?, deployment: deployment?, container })
}

fn ecs(r: &mut Reader<'_>, field: &Field<'_, '_>) -> Option<EcsTarget> {
    let region = r.optional_str(field, "region");
    let cluster = r.required_text(field, "cluster").map(|(text, _)| text);
    let service = r.required_text(field, "service").map(|(text, _)| text);
    let log_group = r.optional_str(field, "logGroup");
    Some(EcsTarget { region, cluster: cluster?, service: service?, log_group })
}

/// A Kubernetes object name: lowercase letters, digits and `-`, at most 63 characters.
fn dns_label(r: &mut Reader<'_>, parent: &Field<'_, '_>, key: &str) -> Option<String> {
    let (text, field) = r.required_text(parent, key)?;
    let valid = text.len() <= 63
        && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.starts_with('-')
        && !text.ends_with('-');
    if valid {
        Some(text)
    } else {
        r.fail(&field, "must be a Kubernetes name: lowercase letters, digits and `-`, at most 63 characters");
        None
    }
}

/// A whole number from 0 to `max`.
fn count(r: &mut Reader<'_>, field: &Field<'_, '_>, max: u32) -> Option<u32> {
    if let YamlData::Value(Scalar::Integer(value)) = field.node.data
        && let Ok(value) = u32::try_from(value)
        && value <= max
    {
        return Some(value);
    }
    let found = r.describe(field.node);
    r.fail(field, format!("must be a whole number from 0 to {max}, found {found}"));
    None
}

fn boolean(r: &mut Reader<'_>, field: &Field<'_, '_>) -> Option<bool> {
    if let YamlData::Value(Scalar::Boolean(value)) = field.node.data {
        return Some(value);
    }
    let found = r.describe(field.node);
    r.fail(field, format!("must be true or false, found {found}"));
    None
}

/// A version label or a variable's value: text, or a number kept as written (`1.10` stays
/// `1.10`), since both are written bare in YAML.
fn scalar_text(r: &mut Reader<'_>, field: &Field<'_, '_>) -> Option<String> {
    match &field.node.data {
        YamlData::Value(Scalar::String(text)) => Some(text.to_string()),
        YamlData::Value(Scalar::Integer(_) | Scalar::FloatingPoint(_) | Scalar::Boolean(_)) => {
            Some(r.written_text(field.node).unwrap_or_default())
        }
        _ => {
            let found = r.describe(field.node);
            r.fail(field, format!("must be text, found {found}"));
            None
        }
    }
}
