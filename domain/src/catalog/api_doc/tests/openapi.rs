//! A realistic OpenAPI 3.0 document, read as its page shows it.

use super::super::{ParameterLocation, Property};
use super::{ORDERS, body_schema, openapi, operation, property, property_names, response_schema};

#[test]
fn the_document_is_named_with_its_version_servers_and_description() {
    let doc = openapi(ORDERS);
    assert_eq!(doc.format, "OpenAPI 3.0.3");
    assert_eq!(doc.title.as_deref(), Some("Orders API"));
    assert_eq!(doc.version.as_deref(), Some("2.4.0"));
    let description = doc.description.as_deref().expect("a description");
    assert!(description.starts_with("Place orders, follow them"), "{description}");
    assert_eq!(doc.servers.items, ["https://orders.example.internal/v2", "http://localhost:8080/v2"]);
    assert_eq!(doc.operations_left_out, 0);
}

#[test]
fn declared_tags_come_first_then_tags_seen_on_operations_then_the_untagged() {
    let doc = openapi(ORDERS);
    let names: Vec<Option<&str>> = doc.tags.iter().map(|tag| tag.name.as_deref()).collect();
    // `reports` is declared but has no operation: no empty section.
    assert_eq!(names, [Some("orders"), Some("payments"), Some("fulfilment"), None]);
    assert_eq!(doc.tags[0].description.as_deref(), Some("Orders and their lines."));
    assert_eq!(doc.tags[2].description, None);
}

#[test]
fn each_tag_lists_its_operations_in_document_order() {
    let doc = openapi(ORDERS);
    let listed = |tag: usize| -> Vec<(String, String)> {
        doc.tags[tag].operations.iter().map(|operation| (operation.method.clone(), operation.path.clone())).collect()
    };
    let expected = [
        ("GET", "/orders"),
        ("POST", "/orders"),
        ("GET", "/orders/{orderId}"),
        ("DELETE", "/orders/{orderId}"),
        ("POST", "/orders/{orderId}/payments"),
    ];
    assert_eq!(listed(0), expected.map(|(method, path)| (method.to_owned(), path.to_owned())));
    // An operation with two tags is under both.
    assert_eq!(listed(1), [("POST".to_owned(), "/orders/{orderId}/payments".to_owned())]);
    assert_eq!(listed(3), [("GET".to_owned(), "/health".to_owned())]);
    let cancel = operation(&doc, "cancelOrder");
    assert!(cancel.deprecated);
    assert_eq!(cancel.summary.as_deref(), Some("Cancel an order"));
    assert!(!operation(&doc, "getOrder").deprecated);
}

#[test]
fn path_parameters_merge_with_the_operation_s_which_win() {
    let doc = openapi(ORDERS);
    let parameters = &operation(&doc, "getOrder").parameters.items;
    let read: Vec<(&str, ParameterLocation, bool)> =
        parameters.iter().map(|parameter| (parameter.name.as_str(), parameter.location, parameter.required)).collect();
    assert_eq!(read, [("orderId", ParameterLocation::Path, true), ("X-Trace-Id", ParameterLocation::Header, true)]);
    assert_eq!(parameters[0].schema.as_deref(), Some("string (uuid)"));
    assert_eq!(parameters[0].description.as_deref(), Some("The order's id."));
    assert_eq!(parameters[1].description.as_deref(), Some("Required here, unlike elsewhere."));

    // Without an override, the path item's shared header is kept, read from its reference.
    let cancel = &operation(&doc, "cancelOrder").parameters.items;
    assert_eq!(cancel.len(), 2);
    assert!(!cancel[1].required);
    assert_eq!(cancel[1].description.as_deref(), Some("Ties the request to a trace."));
}

#[test]
fn query_parameters_say_what_they_take_in_one_line() {
    let doc = openapi(ORDERS);
    let parameters = &operation(&doc, "listOrders").parameters.items;
    let read: Vec<(&str, ParameterLocation, Option<&str>)> = parameters
        .iter()
        .map(|parameter| (parameter.name.as_str(), parameter.location, parameter.schema.as_deref()))
        .collect();
    assert_eq!(
        read,
        [
            ("status", ParameterLocation::Query, Some("OrderStatus (enum: placed | paid | shipped | cancelled)")),
            ("limit", ParameterLocation::Query, Some("integer (int32)")),
            ("X-Trace-Id", ParameterLocation::Header, Some("string")),
        ]
    );
    assert!(parameters.iter().all(|parameter| !parameter.required));
}

#[test]
fn a_referenced_request_body_is_read_with_its_schema_s_fields() {
    let doc = openapi(ORDERS);
    let place = operation(&doc, "placeOrder");
    let body = place.request_body.as_ref().expect("a request body");
    assert_eq!(body.description.as_deref(), Some("The order to place."));
    assert!(body.required);
    assert_eq!(body.content.items[0].content_types, ["application/json"]);
    let schema = body_schema(place);
    assert_eq!(schema.name.as_deref(), Some("NewOrder"));
    assert_eq!(schema.label, "NewOrder");
    let fields: Vec<(&str, bool, &str)> = schema
        .properties
        .items
        .iter()
        .map(|Property { name, required, schema }| (name.as_str(), *required, schema.label.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("customerId", true, "string (uuid)"),
            ("lines", true, "array of OrderLine"),
            ("note", false, "string | null")
        ]
    );
    assert_eq!(property_names(property(schema, "lines")), ["sku", "quantity", "bundle"]);
}

#[test]
fn responses_are_read_in_order_with_shared_ones_resolved() {
    let doc = openapi(ORDERS);
    let list = operation(&doc, "listOrders");
    let statuses: Vec<&str> = list.responses.items.iter().map(|response| response.status.as_str()).collect();
    assert_eq!(statuses, ["200", "400"]);
    let bad = &list.responses.items[1];
    assert_eq!(bad.description.as_deref(), Some("The request is malformed."));
    assert_eq!(bad.content.items[0].content_types, ["application/problem+json"]);
    assert_eq!(response_schema(list, "400").name.as_deref(), Some("Problem"));
    assert_eq!(property_names(response_schema(list, "400")), ["title", "detail"]);
    assert!(operation(&doc, "cancelOrder").responses.items[0].content.is_empty());
}

#[test]
fn an_all_of_merges_its_members_fields_and_their_required_flags() {
    let doc = openapi(ORDERS);
    let orders = response_schema(operation(&doc, "listOrders"), "200");
    assert_eq!(orders.label, "array of Order");
    assert_eq!(property_names(orders), ["customerId", "lines", "note", "id", "status", "placedAt"]);
    let required: Vec<&str> = orders
        .properties
        .items
        .iter()
        .filter(|property| property.required)
        .map(|property| property.name.as_str())
        .collect();
    assert_eq!(required, ["customerId", "lines", "id", "status"]);
    assert_eq!(property(orders, "placedAt").label, "string (date-time)");
    assert_eq!(property(orders, "status").name.as_deref(), Some("OrderStatus"));
}

#[test]
fn content_types_sharing_a_schema_are_listed_together() {
    let doc = openapi(ORDERS);
    let get = operation(&doc, "getOrder");
    let ok = &get.responses.items[0];
    assert_eq!(ok.content.items.len(), 1);
    assert_eq!(ok.content.items[0].content_types, ["application/json", "application/xml"]);
}

#[test]
fn a_one_of_lists_its_alternatives_with_their_fields() {
    let doc = openapi(ORDERS);
    let payment = body_schema(operation(&doc, "payOrder"));
    assert_eq!(payment.label, "Payment");
    let method = property(payment, "method");
    assert_eq!(method.label, "oneOf: Card | BankTransfer");
    let variants: Vec<(Option<&str>, Vec<&str>)> =
        method.variants.items.iter().map(|variant| (variant.name.as_deref(), property_names(variant))).collect();
    assert_eq!(variants, [(Some("Card"), vec!["last4"]), (Some("BankTransfer"), vec!["iban"])]);
    let amount = property(payment, "amount");
    assert_eq!(amount.label, "Money");
    assert_eq!(property(amount, "currency").description.as_deref(), Some("ISO 4217 code."));
    assert_eq!(property(amount, "minorUnits").label, "integer (int64)");
}
