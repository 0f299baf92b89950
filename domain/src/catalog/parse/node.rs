//! Typed access to one parsed YAML document. Every accessor that finds something wrong records a
//! [`Problem`] naming the file, line and field, and carries on, so that all of a document's
//! problems are reported at once instead of one per edit-and-retry.

use saphyr::{MarkedYaml, Scalar, YamlData};

use super::super::Problem;

/// A value in a document, with what is needed to point at it: its dotted path (`spec.owner`,
/// `metadata.links[1].url`) and the line to show. For a map entry the line is the key's, which
/// is where an author looks for the field, even when the value spans several lines.
#[derive(Clone)]
pub(crate) struct Field<'a, 'y> {
    pub node: &'a MarkedYaml<'y>,
    pub path: String,
    pub line: usize,
}

/// Reads one document and collects its problems.
pub(crate) struct Reader<'f> {
    file: &'f str,
    /// The document's text, to quote values as they are written.
    source: &'f str,
    /// Lines of the file before this document: the parser counts from the document's start.
    lines_before: usize,
    pub problems: Vec<Problem>,
    /// Problems that do not stop the document's entity from loading.
    pub warnings: Vec<Problem>,
}

impl<'f> Reader<'f> {
    pub fn new(file: &'f str, source: &'f str, lines_before: usize) -> Self {
        Self { file, source, lines_before, problems: Vec::new(), warnings: Vec::new() }
    }

    /// The file's name, as problems and sources show it.
    pub fn file(&self) -> &'f str {
        self.file
    }

    /// The 1-based line of `node` in the file.
    pub fn line(&self, node: &MarkedYaml<'_>) -> usize {
        self.lines_before + node.span.start.line()
    }

    /// The document itself, as the parent of its top-level fields.
    pub fn root<'a, 'y>(&self, node: &'a MarkedYaml<'y>) -> Field<'a, 'y> {
        Field { node, path: String::new(), line: self.line(node) }
    }

    /// Records a problem about the document as a whole (`field` is `None`) or one field.
    pub fn report(&mut self, line: usize, field: Option<&str>, message: impl Into<String>) {
        let problem = Problem {
            file: self.file.to_owned(),
            line: Some(line),
            field: field.map(str::to_owned),
            message: message.into(),
        };
        self.problems.push(problem);
    }

    /// Records a problem about `field` that leaves the entity loaded.
    pub fn warn(&mut self, line: usize, field: &str, message: impl Into<String>) {
        let problem = Problem { file: self.file.to_owned(), line: Some(line), field: Some(field.to_owned()), message: message.into() };
        self.warnings.push(problem);
    }

    /// Records a problem about `field`.
    pub fn fail(&mut self, field: &Field<'_, '_>, message: impl Into<String>) {
        self.report(field.line, Some(&field.path), message);
    }

    /// The entry `key` of the map `parent`, even if its value is empty; `None` when absent or
    /// when `parent` is not a map (callers check that first with [`Reader::map`]).
    pub fn entry<'a, 'y>(&self, parent: &Field<'a, 'y>, key: &str) -> Option<Field<'a, 'y>> {
        let map = parent.node.data.as_mapping()?;
        let (name, node) = map.iter().find(|(name, _)| name.data.as_str() == Some(key))?;
        Some(Field { node, path: child_path(&parent.path, key), line: self.line(name) })
    }

    /// The entry `key` of `parent` if it is there and has a value: an empty value (`title:`
    /// alone on its line) counts as absent, as it does in Backstage.
    pub fn optional<'a, 'y>(&self, parent: &Field<'a, 'y>, key: &str) -> Option<Field<'a, 'y>> {
        self.entry(parent, key).filter(|field| !field.node.data.is_null())
    }

    /// The entry `key` of `parent`, reporting it if it is absent or empty.
    pub fn required<'a, 'y>(&mut self, parent: &Field<'a, 'y>, key: &str) -> Option<Field<'a, 'y>> {
        match self.entry(parent, key) {
            None => {
                self.report(parent.line, Some(&child_path(&parent.path, key)), "is required");
                None
            }
            Some(field) if field.node.data.is_null() => {
                self.fail(&field, "is required but has no value");
                None
            }
            Some(field) => Some(field),
        }
    }

    /// `field` itself if it is a map.
    pub fn map<'a, 'y>(&mut self, field: Field<'a, 'y>) -> Option<Field<'a, 'y>> {
        if field.node.data.is_mapping() {
            Some(field)
        } else {
            self.fail(&field, format!("must be a map of fields, found {}", self.describe(field.node)));
            None
        }
    }

    /// The text of `field`, which must be a string.
    pub fn string(&mut self, field: &Field<'_, '_>) -> Option<String> {
        if let Some(text) = field.node.data.as_str() {
            return Some(text.to_owned());
        }
        let found = self.describe(field.node);
        // YAML silently reads `1.0`, `2024` or `true` as non-strings; say how to keep them text.
        let typed = matches!(
            field.node.data,
            YamlData::Value(Scalar::Boolean(_) | Scalar::Integer(_) | Scalar::FloatingPoint(_))
        );
        let hint = if typed { ": put it in quotes" } else { "" };
        self.fail(field, format!("must be a string, found {found}{hint}"));
        None
    }

    /// The items of `field`, which must be a list, each with its own path and line.
    pub fn list<'a, 'y>(&mut self, field: &Field<'a, 'y>) -> Option<Vec<Field<'a, 'y>>> {
        let Some(items) = field.node.data.as_sequence() else {
            self.fail(field, format!("must be a list, found {}", self.describe(field.node)));
            return None;
        };
        let items = items.iter().enumerate();
        Some(
            items
                .map(|(i, node)| Field { node, path: format!("{}[{i}]", field.path), line: self.line(node) })
                .collect(),
        )
    }

    /// The entries of the map `field`, keyed by their text; a key that is not a string is
    /// reported and left out.
    pub fn entries<'a, 'y>(&mut self, field: &Field<'a, 'y>) -> Vec<(String, Field<'a, 'y>)> {
        let Some(map) = field.node.data.as_mapping() else {
            return Vec::new();
        };
        let mut entries = Vec::new();
        for (key, node) in map {
            match key.data.as_str() {
                Some(name) => entries
                    .push((name.to_owned(), Field { node, path: child_path(&field.path, name), line: self.line(key) })),
                None => self.report(
                    self.line(key),
                    Some(&field.path),
                    format!("keys must be strings, found {}", self.describe(key)),
                ),
            }
        }
        entries
    }

    /// A required, non-empty string entry, with the field it came from for further checks.
    pub fn required_text<'a, 'y>(&mut self, parent: &Field<'a, 'y>, key: &str) -> Option<(String, Field<'a, 'y>)> {
        let field = self.required(parent, key)?;
        let text = self.string(&field)?;
        if text.trim().is_empty() {
            self.fail(&field, "must not be empty");
            return None;
        }
        Some((text, field))
    }

    /// An optional string entry, with the field it came from.
    pub fn optional_text<'a, 'y>(&mut self, parent: &Field<'a, 'y>, key: &str) -> Option<(String, Field<'a, 'y>)> {
        let field = self.optional(parent, key)?;
        let text = self.string(&field)?;
        Some((text, field))
    }

    /// What a value is, in the words of a problem message: "found a list". Numbers and
    /// booleans are quoted as written, as YAML may read `1.10` back as `1.1`.
    pub fn describe(&self, node: &MarkedYaml<'_>) -> String {
        let written =
            |value: &dyn std::fmt::Display| self.written(node).map_or_else(|| value.to_string(), str::to_owned);
        match &node.data {
            YamlData::Value(Scalar::String(_)) => "a string".to_owned(),
            YamlData::Value(Scalar::Null) => "an empty value".to_owned(),
            YamlData::Value(Scalar::Boolean(value)) => format!("`{}`, which YAML reads as true/false", written(value)),
            YamlData::Value(Scalar::Integer(value)) => format!("`{}`, which YAML reads as a number", written(value)),
            YamlData::Value(Scalar::FloatingPoint(value)) => {
                format!("`{}`, which YAML reads as a number", written(value))
            }
            YamlData::Sequence(_) => "a list".to_owned(),
            YamlData::Mapping(_) => "a map".to_owned(),
            YamlData::Tagged(tag, _) => format!("a value tagged `{tag}`"),
            YamlData::Representation(..) | YamlData::Alias(_) | YamlData::BadValue => {
                "a value that cannot be read".to_owned()
            }
        }
    }

    /// The text of a scalar as written in the document. The parser counts in characters, not
    /// bytes, hence the walk.
    fn written(&self, node: &MarkedYaml<'_>) -> Option<&'f str> {
        let byte = |chars: usize| self.source.char_indices().map(|(i, _)| i).chain([self.source.len()]).nth(chars);
        let text = self.source.get(byte(node.span.start.index())?..byte(node.span.end.index())?)?;
        (!text.is_empty()).then_some(text)
    }

    /// A scalar's text as written, for numbers that must stay as the author wrote them.
    pub fn written_text(&self, node: &MarkedYaml<'_>) -> Option<String> {
        self.written(node).map(str::to_owned)
    }

    /// An optional string entry.
    pub fn optional_str(&mut self, parent: &Field<'_, '_>, key: &str) -> Option<String> {
        self.optional_text(parent, key).map(|(text, _)| text)
    }
}

/// `parent.key`, or `parent["key"]` when the key would make the dotted path ambiguous (an
/// annotation such as `github.com/project-slug`).
fn child_path(parent: &str, key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (parent.is_empty(), plain) {
        (true, true) => key.to_owned(),
        (false, true) => format!("{parent}.{key}"),
        (_, false) => format!("{parent}[\"{key}\"]"),
    }
}
