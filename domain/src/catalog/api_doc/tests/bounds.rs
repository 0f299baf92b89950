//! A definition of any size yields a page of bounded size, and says what it left out.

use super::super::{
    Elided, Language, MAX_DESCRIPTION_CHARS, MAX_DOCUMENT_SCHEMA_NODES, MAX_ITEMS, MAX_LINE_CHARS, MAX_OPERATIONS,
    MAX_SOURCE_LINES, Schema, highlight,
};
use super::{openapi, operation, response_schema};

fn header() -> String {
    "openapi: 3.0.0\ninfo: {title: Big, version: '1'}\npaths:\n".to_owned()
}

#[test]
fn operations_past_the_cap_are_counted() {
    let mut text = header();
    for i in 0..MAX_OPERATIONS + 50 {
        text.push_str(&format!(
            "  /items/{i}:\n    get:\n      tags: [items]\n      responses: {{'200': {{description: ok}}}}\n"
        ));
    }
    let doc = openapi(&text);
    assert_eq!(doc.tags[0].operations.len(), MAX_OPERATIONS);
    assert_eq!(doc.operations_left_out, 50);
}

#[test]
fn an_operation_under_many_tags_counts_once_per_tag() {
    let tags: Vec<String> = (0..MAX_OPERATIONS + 5).map(|i| format!("t{i}")).collect();
    let text = format!("{}  /x:\n    get:\n      tags: [{}]\n      responses: {{}}\n", header(), tags.join(", "));
    let doc = openapi(&text);
    assert_eq!(doc.tags.len(), MAX_OPERATIONS);
    assert_eq!(doc.operations_left_out, 5);
}

#[test]
fn properties_past_the_cap_are_counted() {
    let mut text = header();
    text.push_str(
        "  /x:\n    get:\n      operationId: x\n      responses:\n        '200':\n          description: ok\n",
    );
    text.push_str(
        "          content:\n            application/json:\n              schema:\n                properties:\n",
    );
    for i in 0..MAX_ITEMS + 20 {
        text.push_str(&format!("                  p{i}: {{type: string}}\n"));
    }
    let doc = openapi(&text);
    let schema = response_schema(operation(&doc, "x"), "200");
    assert_eq!(schema.properties.items.len(), MAX_ITEMS);
    assert_eq!(schema.properties.left_out, 20);
}

/// How many nodes a tree has.
fn nodes(schema: &Schema) -> usize {
    let properties: usize = schema.properties.items.iter().map(|property| nodes(&property.schema)).sum();
    1 + properties + schema.variants.items.iter().map(nodes).sum::<usize>()
}

#[test]
fn a_schema_that_fans_out_is_cut_by_the_node_budgets() {
    // Each level refers to the next one ten times: 10^6 nodes if fully expanded, from a few
    // hundred bytes. Every operation answers with it.
    let mut text = header();
    for i in 0..MAX_OPERATIONS {
        text.push_str(&format!("  /x{i}:\n    get:\n      operationId: x{i}\n      responses:\n        '200':\n"));
        text.push_str("          description: ok\n          content:\n            application/json:\n");
        text.push_str("              schema: {$ref: '#/components/schemas/L0'}\n");
    }
    text.push_str("components:\n  schemas:\n");
    for level in 0..7 {
        let fields: Vec<String> =
            (0..10).map(|f| format!("f{f}: {{$ref: '#/components/schemas/L{}'}}", level + 1)).collect();
        text.push_str(&format!("    L{level}: {{type: object, properties: {{{}}}}}\n", fields.join(", ")));
    }
    text.push_str("    L7: {type: string}\n");
    let doc = openapi(&text);
    let trees: Vec<&Schema> =
        (0..MAX_OPERATIONS).map(|i| response_schema(operation(&doc, &format!("x{i}")), "200")).collect();
    let total: usize = trees.iter().map(|tree| nodes(tree)).sum();
    // Past the document's budget, each response still names its schema: one node apiece.
    assert!(total <= MAX_DOCUMENT_SCHEMA_NODES + MAX_OPERATIONS, "{total} nodes");
    let first = trees[0];
    assert!(first.properties.left_out > 0, "{first:#?}");
    let last = trees[MAX_OPERATIONS - 1];
    assert_eq!((last.label.as_str(), last.elided), ("L0", Some(Elided::TooLarge)));
}

#[test]
fn long_descriptions_are_cut() {
    let long = "word ".repeat(1_000);
    let text = format!(
        "{}  /x:\n    get:\n      operationId: x\n      description: {long}\n      responses: {{}}\n",
        header()
    );
    let doc = openapi(&text);
    let description = operation(&doc, "x").description.clone().expect("a description");
    assert_eq!(description.chars().count(), MAX_DESCRIPTION_CHARS + 1);
    assert!(description.ends_with('…'));
}

#[test]
fn enum_labels_name_the_first_values() {
    let values: Vec<String> = (0..15).map(|i| format!("v{i}")).collect();
    let text = format!(
        "{}  /x:\n    get:\n      operationId: x\n      parameters:\n        - {{name: q, in: query, schema: {{enum: [{}]}}}}\n      responses: {{}}\n",
        header(),
        values.join(", ")
    );
    let doc = openapi(&text);
    let label = operation(&doc, "x").parameters.items[0].schema.clone().expect("a schema");
    assert_eq!(label, "enum: v0 | v1 | v2 | v3 | v4 | v5 | v6 | v7 | v8 | v9 | …");
}

#[test]
fn source_past_the_line_cap_is_counted() {
    let text = "a: 1\n".repeat(MAX_SOURCE_LINES + 100);
    let source = highlight(Language::YamlOrJson, &text);
    assert_eq!(source.lines.items.len(), MAX_SOURCE_LINES);
    assert_eq!(source.lines.left_out, 100);
}

#[test]
fn a_long_line_is_cut_and_counted() {
    let text = format!("x: {}", "é".repeat(MAX_LINE_CHARS + 97));
    let source = highlight(Language::YamlOrJson, &text);
    let line = &source.lines.items[0];
    let kept: String = line.spans.iter().map(|span| span.text.as_str()).collect();
    assert_eq!(kept.chars().count(), MAX_LINE_CHARS);
    assert_eq!(line.chars_left_out, 100);
}

#[test]
fn all_of_members_that_fan_out_are_cut_by_the_node_budgets() {
    // Each level merges the next one ten times over: without a budget, 10^8 expansions.
    let mut text = header();
    text.push_str(
        "  /x:\n    get:\n      operationId: x\n      responses:\n        '200':\n          description: ok\n",
    );
    text.push_str(
        "          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A0'}\n",
    );
    text.push_str("components:\n  schemas:\n");
    for level in 0..8 {
        let members = vec![format!("{{$ref: '#/components/schemas/A{}'}}", level + 1); 10];
        text.push_str(&format!("    A{level}: {{allOf: [{}]}}\n", members.join(", ")));
    }
    text.push_str("    A8: {type: object, properties: {leaf: {type: string}}}\n");
    let doc = openapi(&text);
    let schema = response_schema(operation(&doc, "x"), "200");
    assert_eq!(schema.properties.items.iter().map(|property| property.name.as_str()).collect::<Vec<_>>(), ["leaf"]);
    assert_eq!(schema.elided, Some(Elided::TooLarge));
}

#[test]
fn a_document_nested_deeper_than_the_parser_can_bear_is_refused() {
    let mut text = "openapi: 3.0.0\ninfo: {title: Deep, version: '1'}\nx:\n".to_owned();
    for level in 0..300 {
        text.push_str(&format!("{}k{level}:\n", " ".repeat(level + 1)));
    }
    let notice = super::source(Some("openapi"), &text).notice.expect("a notice");
    assert_eq!(notice, "Shown as source: line 204: nested too deeply to be read");
}
