//! One operation read: its parameters, request body and responses, in OpenAPI 3 or in Swagger
//! 2.0, which puts bodies among the parameters and content types beside the operations.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use saphyr::Yaml;

use super::label::label;
use super::node::{Doc, entries, flag, get, items, name, prose, text};
use super::openapi::{MediaType, Operation, Parameter, ParameterLocation, RequestBody, Response};
use super::schema::{Expander, Property, Schema};
use super::{Capped, MAX_ITEMS, MAX_NAME_CHARS, clip};

/// The two shapes of document read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dialect {
    OpenApi3,
    Swagger2,
}

/// Reads the operations of one document, sharing its schema budget.
pub(super) struct Reader<'a, 'y> {
    doc: Doc<'a, 'y>,
    dialect: Dialect,
    schemas: Expander<'a, 'y>,
}

impl<'a, 'y> Reader<'a, 'y> {
    pub fn new(doc: Doc<'a, 'y>, dialect: Dialect) -> Self {
        Self { doc, dialect, schemas: Expander::new(doc) }
    }

    /// The operation `method` of `path`, whose path item declares the parameters `shared`.
    pub fn operation(&mut self, path: &str, method: &str, node: &'a Yaml<'y>, shared: &'a [Yaml<'y>]) -> Operation {
        let parameters = self.merged_parameters(shared, items(get(node, "parameters")));
        let mut request_body = match self.dialect {
            Dialect::OpenApi3 => get(node, "requestBody").and_then(|body| self.doc.resolve(body)).map(|body| {
                let content = self.content(get(body, "content"));
                RequestBody { description: prose(body, "description"), required: flag(body, "required"), content }
            }),
            Dialect::Swagger2 => None,
        };
        let mut listed = Capped::default();
        let mut form = Vec::new();
        for (location, parameter) in parameters {
            match location {
                Location::Listed(_) if listed.items.len() >= MAX_ITEMS => listed.left_out += 1,
                Location::Listed(location) => listed.items.push(self.parameter(location, parameter)),
                Location::Body => request_body = Some(self.swagger_body(node, parameter)),
                Location::Form => form.push(parameter),
            }
        }
        if !form.is_empty() {
            request_body = Some(self.swagger_form(node, &form));
        }
        let mut responses = Capped::default();
        for (status, response) in entries(get(node, "responses")) {
            let Some(response) = self.doc.resolve(response) else { continue };
            if responses.items.len() < MAX_ITEMS {
                responses.items.push(self.response(node, status, response));
            } else {
                responses.left_out += 1;
            }
        }
        Operation {
            method: method.to_ascii_uppercase(),
            path: clip(path, MAX_NAME_CHARS),
            operation_id: name(node, "operationId"),
            summary: prose(node, "summary"),
            description: prose(node, "description"),
            deprecated: flag(node, "deprecated"),
            parameters: listed,
            request_body,
            responses,
        }
    }

    /// The path item's parameters overridden by the operation's of the same name and location,
    /// sorted by location, each resolved.
    fn merged_parameters(&self, shared: &'a [Yaml<'y>], own: &'a [Yaml<'y>]) -> Vec<(Location, &'a Yaml<'y>)> {
        let mut merged: Vec<(Location, &'a Yaml<'y>)> = Vec::new();
        let mut known: HashMap<(String, Location), usize> = HashMap::new();
        for parameter in shared.iter().chain(own) {
            let Some(parameter) = self.doc.resolve(parameter) else { continue };
            let location = get(parameter, "in").and_then(Location::of);
            // Bodies among the parameters are Swagger 2.0's alone.
            let location = location
                .filter(|location| self.dialect == Dialect::Swagger2 || matches!(location, Location::Listed(_)));
            let (Some(name), Some(location)) = (name(parameter, "name"), location) else { continue };
            match known.entry((name, location)) {
                Entry::Occupied(at) => merged[*at.get()].1 = parameter,
                Entry::Vacant(at) => {
                    at.insert(merged.len());
                    merged.push((location, parameter));
                }
            }
        }
        merged.sort_by_key(|(location, _)| *location);
        merged
    }

    fn parameter(&self, location: ParameterLocation, node: &'a Yaml<'y>) -> Parameter {
        // OpenAPI 3 gives a schema, or a one-entry `content` map; Swagger 2.0 writes the type
        // on the parameter itself.
        let schema = match self.dialect {
            Dialect::OpenApi3 => get(node, "schema")
                .or_else(|| entries(get(node, "content")).find_map(|(_, media)| get(media, "schema"))),
            Dialect::Swagger2 => get(node, "type").map(|_| node),
        };
        Parameter {
            name: name(node, "name").unwrap_or_default(),
            location,
            required: location == ParameterLocation::Path || flag(node, "required"),
            deprecated: flag(node, "deprecated"),
            schema: schema.map(|schema| label(self.doc, schema)),
            description: prose(node, "description"),
        }
    }

    fn response(&mut self, operation: &'a Yaml<'y>, status: String, node: &'a Yaml<'y>) -> Response {
        let content = match self.dialect {
            Dialect::OpenApi3 => self.content(get(node, "content")),
            Dialect::Swagger2 => match get(node, "schema") {
                Some(schema) => {
                    let schema = Some(self.schemas.tree(schema));
                    Capped::of([MediaType { content_types: self.swagger_types(operation, "produces"), schema }], 1)
                }
                None => Capped::default(),
            },
        };
        Response { status: clip(&status, MAX_NAME_CHARS), description: prose(node, "description"), content }
    }

    /// An OpenAPI 3 `content` map, the content types that share a schema together; past
    /// [`MAX_ITEMS`] content types, the rest are counted.
    fn content(&mut self, node: Option<&'a Yaml<'y>>) -> Capped<MediaType> {
        let mut read: Vec<(Option<&'a Yaml<'y>>, MediaType)> = Vec::new();
        let all = entries(node).count();
        for (content_type, media) in entries(node).take(MAX_ITEMS) {
            let content_type = clip(&content_type, MAX_NAME_CHARS);
            let schema = get(media, "schema");
            match read.iter_mut().find(|(known, _)| *known == schema) {
                Some((_, shared)) => shared.content_types.push(content_type),
                None => {
                    let tree = schema.map(|schema| self.schemas.tree(schema));
                    read.push((schema, MediaType { content_types: vec![content_type], schema: tree }));
                }
            }
        }
        Capped { items: read.into_iter().map(|(_, media)| media).collect(), left_out: all.saturating_sub(MAX_ITEMS) }
    }

    /// A Swagger 2.0 `in: body` parameter, as the request body it describes.
    fn swagger_body(&mut self, operation: &'a Yaml<'y>, node: &'a Yaml<'y>) -> RequestBody {
        let schema = get(node, "schema").map(|schema| self.schemas.tree(schema));
        let media = MediaType { content_types: self.swagger_types(operation, "consumes"), schema };
        RequestBody {
            description: prose(node, "description"),
            required: flag(node, "required"),
            content: Capped::of([media], 1),
        }
    }

    /// Swagger 2.0 `in: formData` parameters, as one form whose fields they are.
    fn swagger_form(&mut self, operation: &'a Yaml<'y>, fields: &[&'a Yaml<'y>]) -> RequestBody {
        let mut form = Schema {
            label: "object".to_owned(),
            name: None,
            description: None,
            deprecated: false,
            properties: Capped::default(),
            variants: Capped::default(),
            elided: None,
        };
        for field in fields {
            let property = Property {
                name: name(field, "name").unwrap_or_default(),
                required: flag(field, "required"),
                schema: self.schemas.tree(field),
            };
            form.properties.push(property, MAX_ITEMS);
        }
        let required = fields.iter().any(|field| flag(field, "required"));
        let media = MediaType { content_types: self.swagger_types(operation, "consumes"), schema: Some(form) };
        RequestBody { description: None, required, content: Capped::of([media], 1) }
    }

    /// The operation's `consumes` or `produces`, else the document's.
    fn swagger_types(&self, operation: &Yaml<'_>, key: &str) -> Vec<String> {
        let own = get(operation, key).or_else(|| get(self.doc.root, key));
        items(own).iter().filter_map(text).take(MAX_ITEMS).map(|kind| clip(&kind, MAX_NAME_CHARS)).collect()
    }
}

/// Where a parameter is read to: the list of parameters, or, in Swagger 2.0, the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Location {
    Listed(ParameterLocation),
    Body,
    Form,
}

impl Location {
    fn of(node: &Yaml<'_>) -> Option<Self> {
        Some(match node.as_str()? {
            "path" => Self::Listed(ParameterLocation::Path),
            "query" => Self::Listed(ParameterLocation::Query),
            "header" => Self::Listed(ParameterLocation::Header),
            "cookie" => Self::Listed(ParameterLocation::Cookie),
            "body" => Self::Body,
            "formData" => Self::Form,
            _ => return None,
        })
    }
}
