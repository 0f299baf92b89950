//! Highlighting: what a reader scans for is marked, and no character is lost.

use super::super::{HighlightedSource, Language, TokenClass, highlight};
use super::ORDERS;

/// The class of the span of line `line` (0-based) that is `token`, else of the first that
/// holds it.
fn class_of(source: &HighlightedSource, line: usize, token: &str) -> TokenClass {
    let spans = &source.lines.items[line].spans;
    let exact = spans.iter().find(|span| span.text.trim() == token);
    let span = exact.or_else(|| spans.iter().find(|span| span.text.contains(token)));
    span.unwrap_or_else(|| panic!("no {token:?} on line {line}: {spans:?}")).class
}

/// Every line of `text`, put back together from its spans.
fn assert_kept(language: Language, text: &str) {
    let source = highlight(language, text);
    let lines: Vec<String> =
        source.lines.items.iter().map(|line| line.spans.iter().map(|span| span.text.as_str()).collect()).collect();
    assert_eq!(lines, text.lines().collect::<Vec<_>>());
    let empty = source.lines.items.iter().flat_map(|line| &line.spans).any(|span| span.text.is_empty());
    assert!(!empty, "an empty span");
}

const YAML: &str = "# The orders API\nopenapi: 3.0.3  # pinned\ninfo:\n  title: 'Orders'\n  version: 2\n  \
                    description: |\n    Line one: not a key.\n    # not a comment\n  x-internal: true\n  \
                    tags: [a, \"b\"]\n  - &anchor item\n";

#[test]
fn yaml_marks_keys_strings_numbers_keywords_and_comments() {
    let source = highlight(Language::YamlOrJson, YAML);
    assert_eq!(class_of(&source, 0, "# The orders API"), TokenClass::Comment);
    assert_eq!(class_of(&source, 1, "openapi"), TokenClass::Key);
    assert_eq!(class_of(&source, 1, "3.0.3"), TokenClass::String);
    assert_eq!(class_of(&source, 1, "# pinned"), TokenClass::Comment);
    assert_eq!(class_of(&source, 3, "'Orders'"), TokenClass::String);
    assert_eq!(class_of(&source, 4, "2"), TokenClass::Number);
    assert_eq!(class_of(&source, 5, "|"), TokenClass::Punctuation);
    // A block scalar's lines are its text, whatever they look like.
    assert_eq!(class_of(&source, 6, "Line one: not a key."), TokenClass::String);
    assert_eq!(class_of(&source, 7, "# not a comment"), TokenClass::String);
    assert_eq!(class_of(&source, 8, "x-internal"), TokenClass::Key);
    assert_eq!(class_of(&source, 8, "true"), TokenClass::Keyword);
    assert_eq!(class_of(&source, 9, "a"), TokenClass::String);
    assert_eq!(class_of(&source, 9, "\"b\""), TokenClass::String);
    assert_eq!(class_of(&source, 10, "&anchor"), TokenClass::Keyword);
    assert_kept(Language::YamlOrJson, YAML);
}

#[test]
fn json_tells_keys_from_values() {
    let json = "{\n  \"name\": \"orders\",\n  \"port\": 8080, \"tls\": false,\n  \"tags\": [\"a:b\", null]\n}";
    let source = highlight(Language::YamlOrJson, json);
    assert_eq!(class_of(&source, 1, "\"name\""), TokenClass::Key);
    assert_eq!(class_of(&source, 1, "\"orders\""), TokenClass::String);
    assert_eq!(class_of(&source, 2, "8080"), TokenClass::Number);
    assert_eq!(class_of(&source, 2, "\"tls\""), TokenClass::Key);
    assert_eq!(class_of(&source, 2, "false"), TokenClass::Keyword);
    assert_eq!(class_of(&source, 3, "\"a:b\""), TokenClass::String);
    assert_eq!(class_of(&source, 3, "null"), TokenClass::Keyword);
    assert_kept(Language::YamlOrJson, json);
}

const GRAPHQL: &str = "# Orders\ntype Query {\n  \"\"\"\n  An order, by id.\n  \"\"\"\n  \
                       order(id: ID!, first: Int = 10): Order @deprecated(reason: \"use orders\")\n}\n\
                       enum Status { PLACED PAID }\n";

#[test]
fn graphql_marks_keywords_fields_strings_and_comments() {
    let source = highlight(Language::GraphQl, GRAPHQL);
    assert_eq!(class_of(&source, 0, "# Orders"), TokenClass::Comment);
    assert_eq!(class_of(&source, 1, "type"), TokenClass::Keyword);
    assert_eq!(class_of(&source, 1, "Query"), TokenClass::Plain);
    assert_eq!(class_of(&source, 3, "An order, by id."), TokenClass::String);
    assert_eq!(class_of(&source, 4, "\"\"\""), TokenClass::String);
    assert_eq!(class_of(&source, 5, "order"), TokenClass::Plain);
    assert_eq!(class_of(&source, 5, "id"), TokenClass::Key);
    assert_eq!(class_of(&source, 5, "10"), TokenClass::Number);
    assert_eq!(class_of(&source, 5, "@deprecated"), TokenClass::Keyword);
    assert_eq!(class_of(&source, 5, "\"use orders\""), TokenClass::String);
    assert_eq!(class_of(&source, 6, "}"), TokenClass::Punctuation);
    assert_eq!(class_of(&source, 7, "enum"), TokenClass::Keyword);
    assert_kept(Language::GraphQl, GRAPHQL);
}

const PROTO: &str = "syntax = \"proto3\";\n/* Orders,\n   and payments. */\npackage orders.v1;\n\n\
                     service Orders {\n  rpc Get(GetRequest) returns (Order); // one order\n}\n\
                     message Order {\n  string id = 1;\n  repeated Line lines = 2 [deprecated = true];\n  double total = 0x3;\n}\n";

#[test]
fn protobuf_marks_keywords_types_strings_numbers_and_comments() {
    let source = highlight(Language::Protobuf, PROTO);
    assert_eq!(class_of(&source, 0, "syntax"), TokenClass::Keyword);
    assert_eq!(class_of(&source, 0, "\"proto3\""), TokenClass::String);
    assert_eq!(class_of(&source, 1, "/* Orders,"), TokenClass::Comment);
    assert_eq!(class_of(&source, 2, "and payments. */"), TokenClass::Comment);
    assert_eq!(class_of(&source, 3, "package"), TokenClass::Keyword);
    assert_eq!(class_of(&source, 6, "rpc"), TokenClass::Keyword);
    assert_eq!(class_of(&source, 6, "returns"), TokenClass::Keyword);
    assert_eq!(class_of(&source, 6, "// one order"), TokenClass::Comment);
    assert_eq!(class_of(&source, 9, "string"), TokenClass::Keyword);
    assert_eq!(class_of(&source, 9, "1"), TokenClass::Number);
    assert_eq!(class_of(&source, 10, "repeated"), TokenClass::Keyword);
    assert_eq!(class_of(&source, 10, "true"), TokenClass::Keyword);
    assert_eq!(class_of(&source, 11, "0x3"), TokenClass::Number);
    assert_kept(Language::Protobuf, PROTO);
}

#[test]
fn other_text_is_one_plain_span_a_line() {
    let text = "export const router = t.router({\n  hello: t.procedure.query(() => 'hi'),\n});";
    let source = highlight(Language::Plain, text);
    assert!(source.lines.items.iter().all(|line| line.spans.len() == 1 && line.spans[0].class == TokenClass::Plain));
    assert_kept(Language::Plain, text);
}

#[test]
fn no_character_is_lost_whatever_the_text() {
    let awkward = "ключ: «значение» # 注释\n\t\"unclosed: 'x\n  - ? : ] } , ' '' '\n\"\"\" /* */ */ \\\" @ $ 1e- -0x\r\nend\u{feff}";
    for language in [Language::YamlOrJson, Language::GraphQl, Language::Protobuf, Language::Plain] {
        for text in [ORDERS, YAML, GRAPHQL, PROTO, awkward] {
            assert_kept(language, text);
        }
    }
}
