//! Swagger 2.0: servers from host and base path, bodies and forms among the parameters,
//! content types from `consumes` and `produces`, schemas under `#/definitions/`.

use super::super::ParameterLocation;
use super::{body_schema, openapi, operation, property, response_schema};

const PETS: &str = r#"
swagger: "2.0"
info:
  title: Pet Store
  version: 1.0.0
host: pets.example.internal
basePath: /v1
schemes: [https]
produces: [application/json]
paths:
  /pets:
    post:
      tags: [pets]
      operationId: addPet
      consumes: [application/json, application/xml]
      parameters:
        - in: body
          name: pet
          required: true
          description: The pet to add.
          schema:
            $ref: '#/definitions/Pet'
      responses:
        200:
          description: The pet, added.
          schema:
            $ref: '#/definitions/Pet'
        405:
          description: Invalid input.
  /pets/{petId}:
    parameters:
      - $ref: '#/parameters/PetId'
    get:
      tags: [pets]
      operationId: getPet
      parameters:
        - name: fields
          in: query
          type: array
          items: {type: string}
      responses:
        200:
          description: The pet.
          schema:
            $ref: '#/definitions/Pet'
    post:
      tags: [pets]
      operationId: renamePet
      consumes: [application/x-www-form-urlencoded]
      parameters:
        - {name: name, in: formData, type: string, required: true, description: The new name.}
        - {name: status, in: formData, type: string, enum: [available, sold]}
      responses:
        204: {description: Renamed.}
parameters:
  PetId:
    name: petId
    in: path
    type: integer
    format: int64
definitions:
  Pet:
    type: object
    required: [name]
    properties:
      id: {type: integer, format: int64}
      name: {type: string}
      tags:
        type: array
        items: {$ref: '#/definitions/Tag'}
  Tag:
    type: object
    properties:
      label: {type: string}
"#;

#[test]
fn the_document_and_its_server_are_read() {
    let doc = openapi(PETS);
    assert_eq!(doc.format, "Swagger 2.0");
    assert_eq!(doc.version.as_deref(), Some("1.0.0"));
    assert_eq!(doc.servers.items, ["https://pets.example.internal/v1"]);
    let names: Vec<Option<&str>> = doc.tags.iter().map(|tag| tag.name.as_deref()).collect();
    assert_eq!(names, [Some("pets")]);
}

#[test]
fn a_body_parameter_is_the_request_body() {
    let doc = openapi(PETS);
    let add = operation(&doc, "addPet");
    assert!(add.parameters.items.is_empty());
    let body = add.request_body.as_ref().expect("a body");
    assert!(body.required);
    assert_eq!(body.description.as_deref(), Some("The pet to add."));
    assert_eq!(body.content.items[0].content_types, ["application/json", "application/xml"]);
    let pet = body_schema(add);
    assert_eq!(pet.name.as_deref(), Some("Pet"));
    assert_eq!(property(pet, "tags").label, "array of Tag");
    assert_eq!(property(property(pet, "tags"), "label").label, "string");
}

#[test]
fn responses_take_the_document_s_content_types() {
    let doc = openapi(PETS);
    let add = operation(&doc, "addPet");
    let ok = &add.responses.items[0];
    assert_eq!(
        (ok.status.as_str(), ok.content.items[0].content_types.as_slice()),
        ("200", ["application/json".to_owned()].as_slice())
    );
    assert_eq!(response_schema(add, "200").label, "Pet");
    assert!(add.responses.items[1].content.is_empty());
}

#[test]
fn parameters_carry_their_type_on_themselves() {
    let doc = openapi(PETS);
    let parameters = &operation(&doc, "getPet").parameters.items;
    let read: Vec<(&str, ParameterLocation, Option<&str>)> = parameters
        .iter()
        .map(|parameter| (parameter.name.as_str(), parameter.location, parameter.schema.as_deref()))
        .collect();
    assert_eq!(
        read,
        [
            ("petId", ParameterLocation::Path, Some("integer (int64)")),
            ("fields", ParameterLocation::Query, Some("array of string"))
        ]
    );
}

#[test]
fn form_parameters_are_the_fields_of_a_form_body() {
    let doc = openapi(PETS);
    let rename = operation(&doc, "renamePet");
    assert_eq!(rename.parameters.items.len(), 1);
    let body = rename.request_body.as_ref().expect("a body");
    assert_eq!(body.content.items[0].content_types, ["application/x-www-form-urlencoded"]);
    let form = body_schema(rename);
    let fields: Vec<(&str, bool, &str)> = form
        .properties
        .items
        .iter()
        .map(|field| (field.name.as_str(), field.required, field.schema.label.as_str()))
        .collect();
    assert_eq!(fields, [("name", true, "string"), ("status", false, "enum: available | sold")]);
    assert_eq!(form.properties.items[0].schema.description.as_deref(), Some("The new name."));
}
