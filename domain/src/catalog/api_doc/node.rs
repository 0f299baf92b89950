//! Reading values out of a parsed definition, and following its local `$ref`s.
//!
//! Definitions are read leniently: a field of the wrong type is treated as absent, as the page
//! shows what it can rather than reporting on the document.

use saphyr::{Scalar, Yaml};

use super::{MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, clip};

/// How many `$ref`s in a row are followed before giving up: a reference to itself, or two
/// that name each other, would otherwise never end.
const MAX_REF_HOPS: usize = 16;

/// The entry `key` of the map `node`.
pub(super) fn get<'a, 'y>(node: &'a Yaml<'y>, key: &str) -> Option<&'a Yaml<'y>> {
    node.as_mapping_get(key)
}

/// A scalar as text: YAML reads `200`, `3.1` or `true` as numbers and booleans, where OpenAPI
/// means names and versions.
pub(super) fn text(node: &Yaml<'_>) -> Option<String> {
    match node {
        Yaml::Value(Scalar::String(text)) => Some(text.to_string()),
        Yaml::Value(Scalar::Integer(number)) => Some(number.to_string()),
        // `{:?}` keeps the `.0` of `1.0`, which `{}` drops.
        Yaml::Value(Scalar::FloatingPoint(number)) => Some(format!("{:?}", number.into_inner())),
        Yaml::Value(Scalar::Boolean(value)) => Some(value.to_string()),
        _ => None,
    }
}

/// The entry `key` as a name (a path, a tag, an identifier), cut to [`MAX_NAME_CHARS`]; absent
/// when empty.
pub(super) fn name(node: &Yaml<'_>, key: &str) -> Option<String> {
    let text = get(node, key).and_then(text)?;
    let text = text.trim();
    (!text.is_empty()).then(|| clip(text, MAX_NAME_CHARS))
}

/// The entry `key` as prose, cut to [`MAX_DESCRIPTION_CHARS`]; absent when blank.
pub(super) fn prose(node: &Yaml<'_>, key: &str) -> Option<String> {
    let text = get(node, key).and_then(text)?;
    let text = text.trim();
    (!text.is_empty()).then(|| clip(text, MAX_DESCRIPTION_CHARS))
}

/// Whether the entry `key` is `true`.
pub(super) fn flag(node: &Yaml<'_>, key: &str) -> bool {
    get(node, key).and_then(Yaml::as_bool) == Some(true)
}

/// The entries of the map `node` whose keys are scalars, in document order; none when it is not
/// a map.
pub(super) fn entries<'a, 'y>(node: Option<&'a Yaml<'y>>) -> impl Iterator<Item = (String, &'a Yaml<'y>)> {
    let map = node.and_then(Yaml::as_mapping).into_iter().flatten();
    map.filter_map(|(key, value)| Some((text(key)?, value)))
}

/// The items of the list `node`; none when it is not a list.
pub(super) fn items<'a, 'y>(node: Option<&'a Yaml<'y>>) -> &'a [Yaml<'y>] {
    node.and_then(Yaml::as_sequence).map_or(&[], Vec::as_slice)
}

/// The `$ref` of `node`, when it is a reference.
pub(super) fn reference<'a>(node: &'a Yaml<'_>) -> Option<&'a str> {
    get(node, "$ref").and_then(Yaml::as_str)
}

/// The name a reference gives what it points at: `Order` for `#/components/schemas/Order`.
pub(super) fn reference_name(reference: &str) -> String {
    let last = reference.rsplit(['/', '#']).next().unwrap_or(reference);
    let last = if last.is_empty() { reference } else { last };
    clip(&last.replace("~1", "/").replace("~0", "~"), MAX_NAME_CHARS)
}

/// A parsed document, to follow the references inside it.
#[derive(Clone, Copy)]
pub(super) struct Doc<'a, 'y> {
    pub root: &'a Yaml<'y>,
}

impl<'a, 'y> Doc<'a, 'y> {
    /// What the local reference `reference` (`#/components/schemas/Order`) points at; `None`
    /// for a reference to another file, or to nothing.
    pub fn target(&self, reference: &str) -> Option<&'a Yaml<'y>> {
        let pointer = reference.strip_prefix('#').filter(|pointer| pointer.is_empty() || pointer.starts_with('/'))?;
        let mut node = self.root;
        for segment in pointer.split('/').skip(1) {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            node = match node {
                Yaml::Sequence(items) => items.get(segment.parse::<usize>().ok()?)?,
                // A key YAML reads as a number (`200`) is looked up as one.
                _ => get(node, &segment).or_else(|| {
                    let number = Yaml::Value(Scalar::Integer(segment.parse().ok()?));
                    node.as_mapping()?.get(&number)
                })?,
            };
        }
        Some(node)
    }

    /// `node`, or what its chain of references ends at; `None` when one cannot be followed.
    pub fn resolve(&self, node: &'a Yaml<'y>) -> Option<&'a Yaml<'y>> {
        let mut node = node;
        for _ in 0..MAX_REF_HOPS {
            match reference(node) {
                Some(reference) => node = self.target(reference)?,
                None => return Some(node),
            }
        }
        None
    }
}
