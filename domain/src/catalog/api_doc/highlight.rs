//! Source text split into lines of classified spans, for the page to colour. Each language is
//! read by a small tokenizer that carries its state from line to line (a block comment, a
//! multi-line string); it marks what a reader scans for and need not be a full parser.
//! Concatenating a line's spans gives the line back, as [`str::lines`] splits the text.

mod graphql;
mod protobuf;
mod scan;
mod yaml;

use serde::{Deserialize, Serialize};

use self::scan::Spans;
use super::{Capped, MAX_LINE_CHARS, MAX_SOURCE_LINES};

/// The family of languages a definition is written in, as far as highlighting goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Language {
    /// YAML, and JSON, which reads as YAML: OpenAPI, AsyncAPI, JSON Schema, Avro.
    YamlOrJson,
    /// GraphQL SDL.
    GraphQl,
    /// Protocol Buffers, as gRPC services are defined.
    Protobuf,
    /// Anything else, shown without colour.
    Plain,
}

impl Language {
    /// The language a definition of type `spec_type` (an API's `spec.type`) is written in.
    pub fn for_spec_type(spec_type: Option<&str>) -> Self {
        let spec_type = spec_type.unwrap_or_default().to_ascii_lowercase();
        match spec_type.as_str() {
            "openapi" | "swagger" | "asyncapi" | "json" | "yaml" | "json-schema" | "jsonschema" | "avro" => {
                Self::YamlOrJson
            }
            "graphql" => Self::GraphQl,
            "grpc" | "protobuf" | "proto" => Self::Protobuf,
            _ => Self::Plain,
        }
    }
}

/// What a span of source is, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenClass {
    Plain,
    Keyword,
    String,
    Number,
    Comment,
    Punctuation,
    /// A map key, a field name.
    Key,
}

/// A run of characters of one class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub class: TokenClass,
    pub text: String,
}

/// One line of source, without its line break.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLine {
    pub spans: Vec<Span>,
    /// Characters cut from the end of a line longer than [`MAX_LINE_CHARS`]; not written out
    /// when none are, as for nearly every line.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub chars_left_out: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

/// A definition's text, highlighted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HighlightedSource {
    pub language: Language,
    /// The first [`MAX_SOURCE_LINES`] lines.
    pub lines: Capped<SourceLine>,
    /// Why the definition is shown as source when it was meant to be read, as an OpenAPI
    /// document that cannot be.
    pub notice: Option<String>,
}

/// `text` split into lines and highlighted as `language`.
pub fn highlight(language: Language, text: &str) -> HighlightedSource {
    let mut tokenizer = Tokenizer::new(language);
    let mut lines = Capped::default();
    for line in text.lines() {
        if lines.items.len() >= MAX_SOURCE_LINES {
            lines.left_out += 1;
            continue;
        }
        let (kept, chars_left_out) = match line.char_indices().nth(MAX_LINE_CHARS) {
            Some((end, _)) => (&line[..end], line[end..].chars().count()),
            None => (line, 0),
        };
        lines.items.push(SourceLine { spans: tokenizer.line(kept), chars_left_out });
    }
    HighlightedSource { language, lines, notice: None }
}

/// One language's tokenizer, with what it carries from one line to the next.
enum Tokenizer {
    Yaml(yaml::State),
    GraphQl(graphql::State),
    Protobuf(protobuf::State),
    Plain,
}

impl Tokenizer {
    fn new(language: Language) -> Self {
        match language {
            Language::YamlOrJson => Self::Yaml(yaml::State::default()),
            Language::GraphQl => Self::GraphQl(graphql::State::default()),
            Language::Protobuf => Self::Protobuf(protobuf::State::default()),
            Language::Plain => Self::Plain,
        }
    }

    fn line(&mut self, line: &str) -> Vec<Span> {
        let mut spans = Spans::default();
        match self {
            Self::Yaml(state) => yaml::line(state, line, &mut spans),
            Self::GraphQl(state) => graphql::line(state, line, &mut spans),
            Self::Protobuf(state) => protobuf::line(state, line, &mut spans),
            Self::Plain => spans.push(TokenClass::Plain, line),
        }
        spans.into_vec()
    }
}
