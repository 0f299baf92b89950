//! Schemas as trees: recursion ends, depth is bounded, references that cannot be followed are
//! named.

use super::super::{Elided, MAX_SCHEMA_DEPTH, Schema};
use super::{ORDERS, body_schema, openapi, operation, property, response_schema};

/// A document whose one operation answers with `schema` (YAML, indented for `schema:`), next to
/// the component schemas `components` (indented for `schemas:`).
fn answering(schema: &str, components: &str) -> String {
    format!(
        "openapi: 3.1.0\ninfo: {{title: T, version: '1'}}\npaths:\n  /x:\n    get:\n      operationId: x\n      \
         responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              \
         schema:\n{schema}components:\n  schemas:\n{components}"
    )
}

fn answer(schema: &str, components: &str) -> Schema {
    let doc = openapi(&answering(schema, components));
    response_schema(operation(&doc, "x"), "200").clone()
}

#[test]
fn a_schema_that_contains_itself_is_named_where_it_recurs() {
    let doc = openapi(ORDERS);
    let lines = property(body_schema(operation(&doc, "placeOrder")), "lines");
    let bundle = property(lines, "bundle");
    assert_eq!(bundle.label, "array of OrderLine");
    assert_eq!(bundle.elided, Some(Elided::Recursive));
    assert!(bundle.properties.items.is_empty());
    assert_eq!(bundle.description.as_deref(), Some("Lines sold together with this one."));
}

#[test]
fn schemas_that_refer_to_each_other_end() {
    let components = "    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/B'}\n    \
                      B:\n      type: object\n      properties:\n        a: {$ref: '#/components/schemas/A'}\n";
    let a = answer("                $ref: '#/components/schemas/A'\n", components);
    let b = property(&a, "b");
    assert_eq!(b.name.as_deref(), Some("B"));
    let again = property(b, "a");
    assert_eq!((again.label.as_str(), again.elided), ("A", Some(Elided::Recursive)));
}

#[test]
fn a_reference_to_itself_ends() {
    let components = "    Loop:\n      $ref: '#/components/schemas/Loop'\n";
    let schema = answer("                $ref: '#/components/schemas/Loop'\n", components);
    assert_eq!(schema.label, "Loop");
    assert_eq!(schema.elided, Some(Elided::Unresolved));
}

#[test]
fn nesting_is_cut_at_the_depth_limit() {
    let mut schema = String::from("                type: object\n");
    let mut indent = "                ".to_owned();
    for level in 0..10 {
        schema.push_str(&format!("{indent}properties:\n{indent}  level{level}:\n{indent}    type: object\n"));
        indent.push_str("    ");
    }
    let mut node = answer(&schema, "    Unused: {type: string}\n");
    let mut depth = 0;
    while let Some(child) = node.properties.items.first() {
        node = child.schema.clone();
        depth += 1;
    }
    assert_eq!(depth, MAX_SCHEMA_DEPTH);
    assert_eq!(node.elided, Some(Elided::TooDeep));
    assert_eq!(node.label, "object");
}

#[test]
fn a_reference_to_another_file_is_named_but_not_followed() {
    let schema = answer("                $ref: 'pets.yaml#/components/schemas/Pet'\n", "    Unused: {type: string}\n");
    assert_eq!((schema.label.as_str(), schema.name.as_deref()), ("Pet", Some("Pet")));
    assert_eq!(schema.elided, Some(Elided::Unresolved));
}

#[test]
fn labels_read_openapi_3_1_types_maps_and_enums() {
    let schema = "                type: object\n                properties:\n                  \
                  when: {type: [string, 'null'], format: date}\n                  \
                  counts: {type: object, additionalProperties: {type: integer}}\n                  \
                  pets: {type: object, additionalProperties: {$ref: '#/components/schemas/Pet'}}\n                  \
                  kind: {const: cat}\n                  \
                  any: {}\n";
    let components = "    Pet:\n      type: object\n      properties:\n        name: {type: string}\n";
    let schema = answer(schema, components);
    let labels: Vec<&str> = schema.properties.items.iter().map(|property| property.schema.label.as_str()).collect();
    assert_eq!(labels, ["string (date) | null", "map of integer", "map of Pet", "const: cat", "any"]);
    // A map shows the fields of its values.
    assert_eq!(property(&schema, "pets").properties.items[0].name, "name");
}
