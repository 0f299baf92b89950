//! One-line summaries of schemas: `string (date-time)`, `array of Order`, `enum: a | b`.

use saphyr::Yaml;

use super::node::{Doc, get, items, reference, reference_name, text};
use super::{MAX_ENUM_VALUES, MAX_NAME_CHARS, clip};

/// How many steps inside a schema one expansion or one check takes, through entries,
/// references and members, before giving up: a document nesting `items` thousands deep must not
/// exhaust the stack.
pub(super) const MAX_NESTING: usize = 32;

/// How deeply a label looks into inline schemas: `array of array of …`. A label is made for every
/// node shown, and one longer than a line is cut anyway.
const MAX_LABEL_NESTING: usize = 3;

/// What `node` is, in one line. A reference is named, not looked into, unless what it names is
/// a plain value: `Order`, but `Status (enum: placed | paid)`.
pub(super) fn label(doc: Doc<'_, '_>, node: &Yaml<'_>) -> String {
    clip(&label_at(doc, node, 0), MAX_NAME_CHARS)
}

fn label_at(doc: Doc<'_, '_>, node: &Yaml<'_>, level: usize) -> String {
    if level > MAX_LABEL_NESTING {
        return "…".to_owned();
    }
    if let Some(reference) = reference(node) {
        let name = reference_name(reference);
        return match doc.resolve(node).and_then(value_label) {
            Some(value) => format!("{name} ({value})"),
            None => name,
        };
    }
    let composed = [("allOf", " & ", ""), ("oneOf", " | ", "oneOf: "), ("anyOf", " | ", "anyOf: ")];
    for (key, separator, prefix) in composed {
        let members = items(get(node, key));
        if !members.is_empty() {
            let labels = members.iter().map(|member| label_at(doc, member, level + 1));
            return format!("{prefix}{}", join(labels, members.len(), separator));
        }
    }
    let mut label = match value_label(node) {
        Some(value) => value,
        None => {
            let types: Vec<String> = match get(node, "type") {
                Some(Yaml::Sequence(types)) => types.iter().filter_map(text).collect(),
                Some(kind) => text(kind).into_iter().collect(),
                None if get(node, "properties").is_some() => vec!["object".to_owned()],
                None if get(node, "items").is_some() => vec!["array".to_owned()],
                None => vec!["any".to_owned()],
            };
            join(types.iter().map(|kind| typed(doc, node, kind, level)), types.len(), " | ")
        }
    };
    // OpenAPI 3.0 says `nullable: true` where 3.1 lists `null` among the types.
    if get(node, "nullable").and_then(Yaml::as_bool) == Some(true) && !label.split(" | ").any(|kind| kind == "null") {
        label.push_str(" | null");
    }
    label
}

/// The label of a value that has no insides to expand: an enum, a constant, or a scalar type.
fn value_label(node: &Yaml<'_>) -> Option<String> {
    if let Some(values) = get(node, "enum").and_then(Yaml::as_sequence) {
        let names = values.iter().map(|value| text(value).unwrap_or_else(|| "null".to_owned()));
        return Some(format!("enum: {}", join(names, values.len(), " | ")));
    }
    if let Some(value) = get(node, "const").and_then(text) {
        return Some(format!("const: {value}"));
    }
    let kind = get(node, "type").and_then(text)?;
    matches!(kind.as_str(), "string" | "integer" | "number" | "boolean").then(|| with_format(node, kind))
}

/// The label of `node` read as the type `kind`, one of those a 3.1 type list may name.
fn typed(doc: Doc<'_, '_>, node: &Yaml<'_>, kind: &str, level: usize) -> String {
    match kind {
        "array" => match get(node, "items") {
            Some(element) => format!("array of {}", label_at(doc, element, level + 1)),
            None => "array".to_owned(),
        },
        "object" => match get(node, "additionalProperties") {
            Some(value) if value.is_mapping() && get(node, "properties").is_none() => {
                format!("map of {}", label_at(doc, value, level + 1))
            }
            _ => "object".to_owned(),
        },
        "null" => "null".to_owned(),
        _ => with_format(node, kind.to_owned()),
    }
}

/// `string (date-time)`.
fn with_format(node: &Yaml<'_>, kind: String) -> String {
    match get(node, "format").and_then(text) {
        Some(format) => format!("{kind} ({format})"),
        None => kind,
    }
}

/// The first [`MAX_ENUM_VALUES`] of `labels`, then `…` when there were more.
fn join(labels: impl Iterator<Item = String>, count: usize, separator: &str) -> String {
    let mut shown: Vec<String> = labels.take(MAX_ENUM_VALUES).collect();
    if count > MAX_ENUM_VALUES {
        shown.push("…".to_owned());
    }
    shown.join(separator)
}

/// What an array's or a map's entries are, when they are schemas: the page shows their insides
/// as those of the container.
pub(super) fn element<'a, 'y>(node: &'a Yaml<'y>) -> Option<&'a Yaml<'y>> {
    if let Some(element) = get(node, "items").filter(|element| element.is_mapping()) {
        return Some(element);
    }
    let value = get(node, "additionalProperties").filter(|value| value.is_mapping());
    value.filter(|_| get(node, "properties").is_none())
}

/// Whether `node` has insides to expand: properties, members, or entries that have them.
pub(super) fn has_insides(doc: Doc<'_, '_>, node: &Yaml<'_>) -> bool {
    let mut node = node;
    for _ in 0..MAX_NESTING {
        let Some(resolved) = doc.resolve(node) else { return false };
        let composed = ["properties", "allOf", "oneOf", "anyOf"];
        if composed.iter().any(|key| get(resolved, key).is_some_and(|value| !is_empty(value))) {
            return true;
        }
        match element(resolved) {
            Some(inner) => node = inner,
            None => return false,
        }
    }
    false
}

fn is_empty(node: &Yaml<'_>) -> bool {
    match node {
        Yaml::Mapping(map) => map.is_empty(),
        Yaml::Sequence(list) => list.is_empty(),
        _ => true,
    }
}
