//! JSON Schemas as trees a reader can follow: each node labelled in one line, objects with their
//! properties, `oneOf`/`anyOf` with their alternatives, `allOf` merged into one object.
//!
//! Local references are followed; one naming a schema that is already being expanded further up
//! is shown by name only, so a recursive schema ends. Trees are cut at [`MAX_SCHEMA_DEPTH`] and
//! by node budgets, one per tree ([`MAX_SCHEMA_NODES`]) and one per document
//! ([`MAX_DOCUMENT_SCHEMA_NODES`]).

use saphyr::Yaml;
use serde::{Deserialize, Serialize};

use super::label::{MAX_NESTING, element, has_insides, label};
use super::node::{Doc, entries, flag, get, items, prose, reference, reference_name, text};
use super::{Capped, MAX_DOCUMENT_SCHEMA_NODES, MAX_ITEMS, MAX_NAME_CHARS, MAX_SCHEMA_DEPTH, MAX_SCHEMA_NODES, clip};

/// How many names of a `required` list are read: only [`MAX_ITEMS`] properties are shown, and a
/// schema expanded in many places should not have a long list read each time.
const MAX_REQUIRED: usize = 1_000;

/// A schema, expanded as far as the bounds allow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// What the value is, in one line: `string (date-time)`, `array of Order`, `Order`,
    /// `enum: placed | paid`, `oneOf: Card | Transfer`, `Base & object` for an `allOf`.
    pub label: String,
    /// The name of the schema this is, when it was reached through a reference
    /// (`Order` for `#/components/schemas/Order`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// An object's properties in document order; an array's or a map's are those of its
    /// entries, an `allOf`'s those of all its members.
    #[serde(default, skip_serializing_if = "Capped::is_empty")]
    pub properties: Capped<Property>,
    /// The alternatives of a `oneOf` or an `anyOf`.
    #[serde(default, skip_serializing_if = "Capped::is_empty")]
    pub variants: Capped<Schema>,
    /// Why the insides are not shown, when they are not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elided: Option<Elided>,
}

/// One property of an object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Property {
    pub name: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    pub schema: Schema,
}

/// Trees are sent to the browser with the page, and most of their nodes are leaves with few
/// fields set: those left at their defaults are not written out.
fn is_false(value: &bool) -> bool {
    !value
}

/// Why a schema's insides are not shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Elided {
    /// It is a schema already being expanded further up: expanding it again would not end.
    Recursive,
    /// It is nested deeper than [`MAX_SCHEMA_DEPTH`].
    TooDeep,
    /// The tree or the document had used up its node budget.
    TooLarge,
    /// It is a reference to another file, or to nothing in this one.
    Unresolved,
}

/// Expands the schemas of one document, keeping count of the nodes made.
pub(super) struct Expander<'a, 'y> {
    doc: Doc<'a, 'y>,
    /// The references being expanded, outermost first.
    stack: Vec<&'a str>,
    /// How many expansions are under way, counting those a reader does not see as a level
    /// (an array's entries, a reference's target, `allOf` members).
    nesting: usize,
    tree_left: usize,
    document_left: usize,
}

impl<'a, 'y> Expander<'a, 'y> {
    pub fn new(doc: Doc<'a, 'y>) -> Self {
        Self { doc, stack: Vec::new(), nesting: 0, tree_left: 0, document_left: MAX_DOCUMENT_SCHEMA_NODES }
    }

    /// The tree of one schema: a request body's, a response's.
    pub fn tree(&mut self, node: &'a Yaml<'y>) -> Schema {
        self.tree_left = MAX_SCHEMA_NODES;
        if self.take() {
            return self.expand(node, 0);
        }
        let mut schema = self.leaf(node);
        schema.elided = has_insides(self.doc, node).then_some(Elided::TooLarge);
        schema
    }

    /// One node from both budgets, if both have one left.
    fn take(&mut self) -> bool {
        let left = self.tree_left > 0 && self.document_left > 0;
        if left {
            self.tree_left -= 1;
            self.document_left -= 1;
        }
        left
    }

    /// A node shown inside another, if the budgets allow one more.
    fn child(&mut self, node: &'a Yaml<'y>, depth: usize) -> Option<Schema> {
        self.take().then(|| self.expand(node, depth))
    }

    /// `node`'s label, name, description and flags, without its insides. A reference cut off
    /// here still shows what it names with its description.
    fn leaf(&self, node: &'a Yaml<'y>) -> Schema {
        let described = |node: &Yaml<'_>| prose(node, "description");
        Schema {
            label: label(self.doc, node),
            name: reference(node).map(reference_name),
            description: described(node).or_else(|| self.doc.resolve(node).and_then(described)),
            deprecated: flag(node, "deprecated"),
            properties: Capped::default(),
            variants: Capped::default(),
            elided: None,
        }
    }

    fn expand(&mut self, node: &'a Yaml<'y>, depth: usize) -> Schema {
        if depth >= MAX_SCHEMA_DEPTH || self.nesting >= MAX_NESTING {
            let mut schema = self.leaf(node);
            schema.elided = has_insides(self.doc, node).then_some(Elided::TooDeep);
            return schema;
        }
        self.nesting += 1;
        let schema = match reference(node) {
            Some(reference) => self.expand_reference(node, reference, depth),
            None => self.expand_inline(node, depth),
        };
        self.nesting -= 1;
        schema
    }

    fn expand_reference(&mut self, node: &'a Yaml<'y>, reference: &'a str, depth: usize) -> Schema {
        let mut schema = self.leaf(node);
        if self.stack.contains(&reference) {
            schema.elided = Some(Elided::Recursive);
            return schema;
        }
        let Some(target) = self.doc.resolve(node) else {
            schema.elided = Some(Elided::Unresolved);
            return schema;
        };
        self.stack.push(reference);
        let expanded = self.expand(target, depth);
        self.stack.pop();
        // A description written beside the reference (OpenAPI 3.1) says more than the target's.
        Schema {
            label: schema.label,
            name: schema.name,
            description: schema.description.or(expanded.description),
            deprecated: schema.deprecated || expanded.deprecated,
            ..expanded
        }
    }

    fn expand_inline(&mut self, node: &'a Yaml<'y>, depth: usize) -> Schema {
        let mut schema = self.leaf(node);
        if let Some(entry) = element(node) {
            let inner = self.expand(entry, depth);
            schema.properties = inner.properties;
            schema.variants = inner.variants;
            schema.elided = inner.elided;
            return schema;
        }
        self.add_properties(&mut schema, node, depth);
        for member in items(get(node, "allOf")) {
            if !self.take() {
                schema.elided = schema.elided.or(Some(Elided::TooLarge));
                break;
            }
            let merged = self.expand(member, depth);
            for property in merged.properties.items {
                if !schema.properties.items.iter().any(|known| known.name == property.name) {
                    schema.properties.push(property, MAX_ITEMS);
                }
            }
            schema.properties.left_out += merged.properties.left_out;
            for variant in merged.variants.items {
                schema.variants.push(variant, MAX_ITEMS);
            }
            schema.variants.left_out += merged.variants.left_out;
            schema.elided = schema.elided.or(merged.elided);
        }
        // Marked after merging: a schema may require the properties its `allOf` brings in.
        let required = required(node);
        for property in &mut schema.properties.items {
            property.required |= required.contains(&property.name);
        }
        for member in items(get(node, "oneOf")).iter().chain(items(get(node, "anyOf"))) {
            let variant = if schema.variants.items.len() < MAX_ITEMS { self.child(member, depth + 1) } else { None };
            match variant {
                Some(variant) => schema.variants.items.push(variant),
                None => schema.variants.left_out += 1,
            }
        }
        schema
    }

    /// `node`'s own properties, not yet marked required.
    fn add_properties(&mut self, schema: &mut Schema, node: &'a Yaml<'y>, depth: usize) {
        for (name, property) in entries(get(node, "properties")) {
            let child = if schema.properties.items.len() < MAX_ITEMS { self.child(property, depth + 1) } else { None };
            match child {
                Some(child) => {
                    let name = clip(&name, MAX_NAME_CHARS);
                    schema.properties.items.push(Property { name, required: false, schema: child });
                }
                None => schema.properties.left_out += 1,
            }
        }
    }
}

/// The names a schema's `required` lists, the first [`MAX_REQUIRED`] of them.
fn required(node: &Yaml<'_>) -> Vec<String> {
    items(get(node, "required")).iter().take(MAX_REQUIRED).filter_map(text).collect()
}
