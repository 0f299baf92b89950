//! Tests of `api_view`: OpenAPI read into operations (`openapi`, `swagger`), schemas as trees
//! (`schema`), the bounds (`bounds`), what falls back to source (`fallback`), and highlighting
//! (`highlight`).

mod bounds;
mod fallback;
mod highlight;
mod openapi;
mod schema;
mod swagger;

use super::{ApiView, HighlightedSource, OpenApiDoc, Operation, Schema, api_view};

/// An orders and payments API: several tags, path-level parameters, references to shared
/// parameters, bodies, responses and schemas, an `allOf`, a `oneOf` and a recursive schema.
const ORDERS: &str = include_str!("orders.yaml");

fn openapi(text: &str) -> OpenApiDoc {
    match api_view(Some("openapi"), text) {
        ApiView::OpenApi(doc) => doc,
        other => panic!("not read as OpenAPI: {other:#?}"),
    }
}

fn source(spec_type: Option<&str>, text: &str) -> HighlightedSource {
    match api_view(spec_type, text) {
        ApiView::Source(source) => source,
        other => panic!("not shown as source: {other:#?}"),
    }
}

/// The first listing of the operation `id`.
fn operation<'d>(doc: &'d OpenApiDoc, id: &str) -> &'d Operation {
    let mut operations = doc.tags.iter().flat_map(|tag| &tag.operations);
    operations.find(|operation| operation.operation_id.as_deref() == Some(id)).expect("the operation is listed")
}

/// The property `name` of `schema`.
fn property<'s>(schema: &'s Schema, name: &str) -> &'s Schema {
    let found = schema.properties.items.iter().find(|property| property.name == name);
    &found.unwrap_or_else(|| panic!("no property {name} in {schema:#?}")).schema
}

fn property_names(schema: &Schema) -> Vec<&str> {
    schema.properties.items.iter().map(|property| property.name.as_str()).collect()
}

/// The schema of an operation's response `status`, in its first content type.
fn response_schema<'d>(operation: &'d Operation, status: &str) -> &'d Schema {
    let response = operation.responses.items.iter().find(|response| response.status == status).expect("the response");
    response.content.items[0].schema.as_ref().expect("a schema")
}

/// The schema of an operation's request body, in its first content type.
fn body_schema(operation: &Operation) -> &Schema {
    let body = operation.request_body.as_ref().expect("a request body");
    body.content.items[0].schema.as_ref().expect("a schema")
}
