//! What is not an OpenAPI document that can be read is shown as source, saying why; nothing
//! panics.

use super::super::{ApiView, Language, api_view};
use super::{ORDERS, openapi, source};

#[test]
fn an_empty_definition_is_empty() {
    assert_eq!(api_view(Some("openapi"), ""), ApiView::Empty);
    assert_eq!(api_view(Some("graphql"), " \n\t\n"), ApiView::Empty);
}

#[test]
fn a_malformed_document_is_shown_as_source_with_the_line_at_fault() {
    let broken = ORDERS.replacen("  title: Orders API\n", "  title: Orders API\n    oops: [\n", 1);
    let shown = source(Some("openapi"), &broken);
    assert_eq!(shown.language, Language::YamlOrJson);
    let notice = shown.notice.expect("a notice");
    assert!(notice.starts_with("Shown as source: line 4: "), "{notice}");
    let text: String = shown.lines.items[0].spans.iter().map(|span| span.text.as_str()).collect();
    assert_eq!(text, "openapi: 3.0.3");
}

#[test]
fn an_error_at_the_end_points_at_the_last_line() {
    let shown = source(Some("openapi"), "openapi: 3.0.0\ninfo:\n  title: \"never closed\n\n\n");
    let notice = shown.notice.expect("a notice");
    assert!(notice.starts_with("Shown as source: line 3: "), "{notice}");
}

#[test]
fn a_document_that_is_not_openapi_says_so() {
    let notice = |text: &str| source(Some("openapi"), text).notice.expect("a notice");
    assert_eq!(
        notice("asyncapi: 2.6.0\n"),
        "Shown as source: the definition names no OpenAPI version (`openapi: 3.0.3`, `swagger: \"2.0\"`)"
    );
    assert_eq!(
        notice("openapi: 4.0.0\n"),
        "Shown as source: OpenAPI 4.0.0 is not read here, only 3.0, 3.1 and Swagger 2.0"
    );
    assert_eq!(notice("- a list\n"), "Shown as source: the definition is not a map of fields");
    assert_eq!(notice("# only a comment\n"), "Shown as source: the definition holds no document");
}

#[test]
fn anchors_that_expand_without_end_are_refused() {
    let mut text = "openapi: 3.0.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n".to_owned();
    for level in 1..9 {
        let previous = format!("*a{}", level - 1);
        text.push_str(&format!("a{level}: &a{level} [{}]\n", vec![previous; 10].join(", ")));
    }
    let notice = source(Some("openapi"), &text).notice.expect("a notice");
    assert!(notice.contains("alias expansion"), "{notice}");
}

#[test]
fn json_is_read_like_yaml_even_indented_with_tabs() {
    let json = "{\n\t\"openapi\": \"3.1.0\",\n\t\"info\": {\"title\": \"Tiny\", \"version\": \"1.0\"},\n\t\"paths\": {\n\t\t\"/ping\": \
                {\"get\": {\"operationId\": \"ping\", \"responses\": {\"204\": {\"description\": \"pong\"}}}}\n\t}\n}\n";
    let doc = openapi(json);
    assert_eq!(doc.title.as_deref(), Some("Tiny"));
    assert_eq!(doc.tags[0].operations[0].path, "/ping");
    assert_eq!(doc.tags[0].operations[0].responses.items[0].status, "204");
}

#[test]
fn versions_and_statuses_yaml_reads_as_numbers_stay_as_written() {
    let text = "openapi: 3.1.0\ninfo: {title: T, version: 1.0}\npaths:\n  /x:\n    get:\n      responses:\n        200: {description: ok}\n";
    let doc = openapi(text);
    assert_eq!(doc.version.as_deref(), Some("1.0"));
    assert_eq!(doc.tags[0].operations[0].responses.items[0].status, "200");
}

#[test]
fn other_definition_types_are_highlighted_in_their_language() {
    let language = |spec_type: Option<&str>| source(spec_type, "x").language;
    assert_eq!(language(Some("asyncapi")), Language::YamlOrJson);
    assert_eq!(language(Some("GraphQL")), Language::GraphQl);
    assert_eq!(language(Some("grpc")), Language::Protobuf);
    assert_eq!(language(Some("trpc")), Language::Plain);
    assert_eq!(language(None), Language::Plain);
    assert_eq!(source(Some("asyncapi"), "x").notice, None);
}

#[test]
fn the_spec_type_is_matched_without_regard_to_case() {
    assert!(matches!(api_view(Some("OpenAPI"), ORDERS), ApiView::OpenApi(_)));
}

#[test]
fn the_view_survives_the_trip_to_the_browser() {
    for view in [api_view(Some("openapi"), ORDERS), api_view(Some("graphql"), "type Query { a: Int }")] {
        let json = serde_json::to_string(&view).expect("serialises");
        let back: ApiView = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(back, view);
    }
}
