//! `metadata`, the part every kind shares: name, title, description, tags, links, annotations.

use std::collections::BTreeMap;

use super::super::reference::{DEFAULT_NAMESPACE, check_namespace};
use super::super::Link;
use super::node::{Field, Reader};
use super::rules;

/// What `metadata` holds, read and checked.
pub(super) struct Metadata {
    pub name: String,
    /// Lowercase, `default` when absent.
    pub namespace: String,
    /// The line of `metadata.name`, where a duplicate name is reported.
    pub name_line: usize,
    pub title: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub links: Vec<Link>,
    pub annotations: BTreeMap<String, String>,
}

/// Reads `metadata`. Returns `None` when it or its name is missing or unusable; every other
/// field is still checked, so all of the section's problems are reported in one go.
pub(super) fn read(r: &mut Reader<'_>, root: &Field<'_, '_>) -> Option<Metadata> {
    let metadata = r.required(root, "metadata").and_then(|field| r.map(field))?;
    let name = r.required_text(&metadata, "name").and_then(|(name, field)| match rules::check_name(&name) {
        Ok(()) => Some((name, field.line)),
        Err(message) => {
            r.fail(&field, message);
            None
        }
    });
    let namespace = match r.optional_text(&metadata, "namespace") {
        None => Some(DEFAULT_NAMESPACE.to_owned()),
        Some((namespace, field)) => match check_namespace(&namespace) {
            Ok(()) => Some(namespace),
            Err(message) => {
                r.fail(&field, message);
                None
            }
        },
    };
    let title = r.optional_str(&metadata, "title");
    let description = r.optional_str(&metadata, "description");
    let tags = tags(r, &metadata);
    let links = links(r, &metadata);
    let annotations = annotations(r, &metadata);
    let (name, name_line) = name?;
    Some(Metadata { name, namespace: namespace?, name_line, title, description, tags, links, annotations })
}

/// `metadata.tags`: a list of Backstage tags.
fn tags(r: &mut Reader<'_>, metadata: &Field<'_, '_>) -> Vec<String> {
    let Some(items) = r.optional(metadata, "tags").and_then(|field| r.list(&field)) else {
        return Vec::new();
    };
    let mut tags = Vec::new();
    for item in items {
        let Some(tag) = r.string(&item) else { continue };
        match rules::check_tag(&tag) {
            Ok(()) => tags.push(tag),
            Err(message) => r.fail(&item, message),
        }
    }
    tags
}

/// `metadata.links`: a list of maps with a `url` and an optional `title` and `icon`. Other
/// Backstage link fields (`type`) are accepted and ignored.
pub(super) fn links(r: &mut Reader<'_>, metadata: &Field<'_, '_>) -> Vec<Link> {
    let Some(items) = r.optional(metadata, "links").and_then(|field| r.list(&field)) else {
        return Vec::new();
    };
    let mut links = Vec::new();
    for item in items {
        let Some(item) = r.map(item) else { continue };
        let url = r.required_text(&item, "url").and_then(|(url, field)| match rules::check_url(&url) {
            Ok(()) => Some(url),
            Err(message) => {
                r.fail(&field, message);
                None
            }
        });
        let title = r.optional_str(&item, "title");
        let icon = r.optional_str(&item, "icon");
        if let Some(url) = url {
            links.push(Link { url, title, icon });
        }
    }
    links
}

/// `metadata.annotations`: a map of strings to strings.
fn annotations(r: &mut Reader<'_>, metadata: &Field<'_, '_>) -> BTreeMap<String, String> {
    let Some(field) = r.optional(metadata, "annotations").and_then(|field| r.map(field)) else {
        return BTreeMap::new();
    };
    let mut annotations = BTreeMap::new();
    for (key, value) in r.entries(&field) {
        if let Some(text) = r.string(&value) {
            annotations.insert(key, text);
        }
    }
    annotations
}
