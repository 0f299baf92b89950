//! An OpenAPI 3.0/3.1 or Swagger 2.0 document read into its operations, grouped by tag.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use saphyr::Yaml;
use serde::{Deserialize, Serialize};

use super::load::load;
use super::node::{Doc, entries, get, items, name, prose, text};
use super::operation::{Dialect, Reader};
use super::schema::Schema;
use super::{Capped, MAX_ITEMS, MAX_NAME_CHARS, MAX_OPERATIONS, clip};

/// The methods a path item may hold operations for, as OpenAPI names them.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// A document, read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenApiDoc {
    /// What the document says it is: `OpenAPI 3.1.0`, `Swagger 2.0`.
    pub format: String,
    pub title: Option<String>,
    /// The API's version (`info.version`), not OpenAPI's.
    pub version: Option<String>,
    pub description: Option<String>,
    /// The base URLs of the API's servers.
    pub servers: Capped<String>,
    /// The tags that have operations: those the document declares, in its order, then those
    /// only operations name, as first seen, then the operations without a tag.
    pub tags: Vec<TagGroup>,
    /// How many operations were left out past [`MAX_OPERATIONS`]; an
    /// operation with several tags is listed, and counted, under each.
    pub operations_left_out: usize,
}

/// The operations of one tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagGroup {
    /// `None` for the operations that have no tag, which come last.
    pub name: Option<String>,
    pub description: Option<String>,
    pub operations: Vec<Operation>,
}

/// One method on one path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// `GET`, `POST`...
    pub method: String,
    /// The path as written, with its `{parameters}`.
    pub path: String,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// The path item's parameters and the operation's, an operation's replacing the path
    /// item's of the same name and location; path parameters first, then query, header and
    /// cookie ones, each in document order.
    pub parameters: Capped<Parameter>,
    pub request_body: Option<RequestBody>,
    /// In document order.
    pub responses: Capped<Response>,
}

/// A parameter of an operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    pub location: ParameterLocation,
    /// Always true for a path parameter.
    pub required: bool,
    pub deprecated: bool,
    /// Its schema in one line: `string (uuid)`, `array of string`.
    pub schema: Option<String>,
    pub description: Option<String>,
}

/// Where a parameter goes (its `in`), in the order the page lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// What an operation takes as its body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestBody {
    pub description: Option<String>,
    pub required: bool,
    pub content: Capped<MediaType>,
}

/// One response of an operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `200`, `4XX`, `default`.
    pub status: String,
    pub description: Option<String>,
    pub content: Capped<MediaType>,
}

/// A body's schema and the content types it is sent as; content types sharing one schema are
/// listed together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaType {
    /// `application/json`...; empty when the document does not say (a Swagger 2.0 document
    /// without `consumes` or `produces`).
    pub content_types: Vec<String>,
    pub schema: Option<Schema>,
}

/// Reads `text` as OpenAPI, or says in a few words why it cannot be.
pub(super) fn read(text: &str) -> Result<OpenApiDoc, String> {
    let root = &load(text)?;
    if !root.is_mapping() {
        return Err("the definition is not a map of fields".to_owned());
    }
    let (dialect, format) = dialect(root)?;
    let doc = Doc { root };
    let info = get(root, "info");
    let mut shown = OpenApiDoc {
        format,
        title: info.and_then(|info| name(info, "title")),
        version: info.and_then(|info| name(info, "version")),
        description: info.and_then(|info| prose(info, "description")),
        servers: servers(root, dialect),
        tags: Vec::new(),
        operations_left_out: 0,
    };
    let mut groups = Groups::declared(root);
    let mut reader = Reader::new(doc, dialect);
    for (path, item) in entries(get(root, "paths")) {
        let Some(item) = doc.resolve(item) else { continue };
        let shared = items(get(item, "parameters"));
        for (method, operation) in entries(Some(item)) {
            if !METHODS.contains(&method.as_str()) || !operation.is_mapping() {
                continue;
            }
            let tags = operation_tags(operation);
            let room = MAX_OPERATIONS.saturating_sub(groups.listed);
            if room == 0 {
                shown.operations_left_out += tags.len();
                continue;
            }
            let read_operation = reader.operation(&path, &method, operation, shared);
            shown.operations_left_out += tags.len().saturating_sub(room);
            for tag in tags.into_iter().take(room) {
                groups.add(tag, read_operation.clone());
            }
        }
    }
    shown.tags = groups.finish();
    Ok(shown)
}

/// Which of the formats read here the document is in, and its name for the page.
fn dialect(root: &Yaml<'_>) -> Result<(Dialect, String), String> {
    if let Some(version) = get(root, "openapi").and_then(text) {
        return if version == "3" || version.starts_with("3.") {
            Ok((Dialect::OpenApi3, format!("OpenAPI {version}")))
        } else {
            Err(format!("OpenAPI {version} is not read here, only 3.0, 3.1 and Swagger 2.0"))
        };
    }
    match get(root, "swagger").and_then(text) {
        Some(version) if version == "2" || version.starts_with("2.") => {
            Ok((Dialect::Swagger2, format!("Swagger {version}")))
        }
        Some(version) => Err(format!("Swagger {version} is not read here, only 2.0")),
        None => Err("the definition names no OpenAPI version (`openapi: 3.0.3`, `swagger: \"2.0\"`)".to_owned()),
    }
}

/// The servers' base URLs; Swagger 2.0 spells one as scheme, host and base path.
fn servers(root: &Yaml<'_>, dialect: Dialect) -> Capped<String> {
    if dialect == Dialect::OpenApi3 {
        return Capped::of(items(get(root, "servers")).iter().filter_map(|server| name(server, "url")), MAX_ITEMS);
    }
    let base = name(root, "basePath").unwrap_or_default();
    let Some(host) = name(root, "host") else {
        return Capped::of((!base.is_empty()).then_some(base), MAX_ITEMS);
    };
    let schemes: Vec<String> = items(get(root, "schemes")).iter().filter_map(text).collect();
    let schemes = if schemes.is_empty() { vec!["https".to_owned()] } else { schemes };
    Capped::of(schemes.iter().map(|scheme| format!("{scheme}://{host}{base}")), MAX_ITEMS)
}

/// The distinct tags an operation names, or `[None]` for one without a tag.
fn operation_tags(operation: &Yaml<'_>) -> Vec<Option<String>> {
    let mut seen = HashSet::new();
    let tags = items(get(operation, "tags")).iter().filter_map(text);
    let tags: Vec<Option<String>> = tags
        .map(|tag| clip(tag.trim(), MAX_NAME_CHARS))
        .filter(|tag| !tag.is_empty() && seen.insert(tag.clone()))
        .map(Some)
        .collect();
    if tags.is_empty() { vec![None] } else { tags }
}

/// The groups being filled, in the order the page shows them.
struct Groups {
    named: Vec<TagGroup>,
    /// Where each named group is in `named`.
    index: HashMap<String, usize>,
    untagged: Vec<Operation>,
    /// Operations placed so far, counting each listing.
    listed: usize,
}

impl Groups {
    /// The tags the document declares, with their descriptions, before any operation.
    fn declared(root: &Yaml<'_>) -> Self {
        let mut groups = Self { named: Vec::new(), index: HashMap::new(), untagged: Vec::new(), listed: 0 };
        for tag in items(get(root, "tags")) {
            if let Some(tag_name) = name(tag, "name") {
                groups.group(tag_name, || prose(tag, "description"));
            }
        }
        groups
    }

    /// The group of `tag`, made at the end if it is new.
    fn group(&mut self, tag: String, description: impl FnOnce() -> Option<String>) -> &mut TagGroup {
        let at = match self.index.entry(tag) {
            Entry::Occupied(at) => *at.get(),
            Entry::Vacant(at) => {
                let name = Some(at.key().clone());
                self.named.push(TagGroup { name, description: description(), operations: Vec::new() });
                *at.insert(self.named.len() - 1)
            }
        };
        &mut self.named[at]
    }

    fn add(&mut self, tag: Option<String>, operation: Operation) {
        self.listed += 1;
        match tag {
            Some(tag) => self.group(tag, || None).operations.push(operation),
            None => self.untagged.push(operation),
        }
    }

    /// The groups that have operations, the untagged last.
    fn finish(self) -> Vec<TagGroup> {
        let mut groups: Vec<TagGroup> = self.named.into_iter().filter(|group| !group.operations.is_empty()).collect();
        if !self.untagged.is_empty() {
            groups.push(TagGroup { name: None, description: None, operations: self.untagged });
        }
        groups
    }
}
