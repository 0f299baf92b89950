//! An API's definition as its page shows it: an OpenAPI (or Swagger 2.0) document read into its
//! operations, grouped by tag, with their parameters, bodies and responses; any other definition
//! as its source text, highlighted.
//!
//! The model is computed on the server and sent to the browser with the page, so everything in
//! it is bounded: a definition of any size, or one written to be hostile, yields a page of
//! bounded size, and each list that was cut says how many entries it left out.

mod highlight;
mod label;
mod load;
mod node;
mod openapi;
mod operation;
mod schema;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use highlight::{HighlightedSource, Language, SourceLine, Span, TokenClass, highlight};
pub use openapi::{MediaType, OpenApiDoc, Operation, Parameter, ParameterLocation, RequestBody, Response, TagGroup};
pub use schema::{Elided, Property, Schema};

/// The most operations a document shows, counting an operation once under each of its tags.
pub const MAX_OPERATIONS: usize = 300;
/// The most entries any other list shows: properties of one schema, variants of a `oneOf`,
/// parameters or responses of one operation, content types, servers.
pub const MAX_ITEMS: usize = 100;
/// How deep a schema is expanded: a property of a property of the root is at depth 2.
pub const MAX_SCHEMA_DEPTH: usize = 6;
/// The most schema nodes one request body or response expands into.
pub const MAX_SCHEMA_NODES: usize = 300;
/// The most schema nodes the whole document expands into, so that many large responses cannot
/// add up to a huge page; past it, schemas are named but not expanded.
pub const MAX_DOCUMENT_SCHEMA_NODES: usize = 10_000;
/// The most values an `enum` label names.
pub const MAX_ENUM_VALUES: usize = 10;
/// The longest description kept, in characters; longer ones are cut and end in `…`.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;
/// The longest name, path or label kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// The most lines of source shown.
pub const MAX_SOURCE_LINES: usize = 5_000;
/// The most characters of one source line shown: minified JSON is one very long line.
pub const MAX_LINE_CHARS: usize = 500;

/// What an API's page shows of its definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApiView {
    /// An OpenAPI or Swagger 2.0 document, read.
    OpenApi(OpenApiDoc),
    /// The definition's text, highlighted; with a notice when it was meant to be read as OpenAPI
    /// and could not be.
    Source(HighlightedSource),
    /// The definition is empty.
    Empty,
}

/// The view of a definition of type `spec_type` (the entity's `spec.type`) whose text is
/// `text`. Never fails: a document that cannot be read as OpenAPI is shown as source, with a
/// notice saying why.
pub fn api_view(spec_type: Option<&str>, text: &str) -> ApiView {
    if text.trim().is_empty() {
        return ApiView::Empty;
    }
    let spec_type = spec_type.map(str::to_ascii_lowercase);
    let notice = match spec_type.as_deref() {
        Some("openapi" | "swagger") => match openapi::read(text) {
            Ok(doc) => return ApiView::OpenApi(doc),
            Err(why) => Some(format!("Shown as source: {why}")),
        },
        _ => None,
    };
    let mut source = highlight(Language::for_spec_type(spec_type.as_deref()), text);
    source.notice = notice;
    ApiView::Source(source)
}

/// A list cut to a bound, with the number of entries left out so that the page can say "and N
/// more".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capped<T> {
    pub items: Vec<T>,
    pub left_out: usize,
}

impl<T> Default for Capped<T> {
    fn default() -> Self {
        Self { items: Vec::new(), left_out: 0 }
    }
}

impl<T> Capped<T> {
    /// The first `max` of `items`, counting the rest.
    fn of(items: impl IntoIterator<Item = T>, max: usize) -> Self {
        let mut capped = Self::default();
        for item in items {
            capped.push(item, max);
        }
        capped
    }

    /// Adds `item` if fewer than `max` are kept, else counts it.
    fn push(&mut self, item: T, max: usize) {
        if self.items.len() < max {
            self.items.push(item);
        } else {
            self.left_out += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.left_out == 0
    }
}

/// `text` cut to `max` characters, ending in `…` when cut.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}
