//! One document: its envelope (`apiVersion`, `kind`), then the reader for its kind.

use saphyr::MarkedYaml;

use super::super::SourceLocation;
use super::kinds::{self, Entity};
use super::metadata;
use super::node::Reader;
use super::rules::{self, READ_KINDS, SKIPPED_KINDS};

/// An entity read from a document, with the line of its `metadata.name`.
pub(super) struct Read {
    pub entity: Entity,
    pub name_line: usize,
}

/// Reads the document `node`, whose text as written is `manifest`. Returns `None`, with
/// problems in `r`, when it cannot be used; also `None`, without problems, for an empty
/// document or a Backstage kind Portico does not show.
pub(super) fn read(r: &mut Reader<'_>, node: &MarkedYaml<'_>, manifest: &str) -> Option<Read> {
    // A lone `---`, or a stretch of comments: nothing declared, nothing wrong.
    if node.data.is_null() {
        return None;
    }
    let root = r.root(node);
    if !node.data.is_mapping() {
        let found = r.describe(node);
        r.report(
            root.line,
            None,
            format!("a catalog document must be a map with apiVersion, kind, metadata and spec, found {found}"),
        );
        return None;
    }
    if let Some((version, field)) = r.required_text(&root, "apiVersion")
        && let Err(message) = rules::check_api_version(&version)
    {
        r.fail(&field, message);
    }
    let (kind, kind_field) = r.required_text(&root, "kind")?;
    if SKIPPED_KINDS.contains(&kind.as_str()) {
        return None;
    }
    if !READ_KINDS.contains(&kind.as_str()) {
        // The rest of the document follows another schema: checking it would only add noise.
        r.fail(&kind_field, rules::unknown_kind(&kind));
        return None;
    }
    let metadata = metadata::read(r, &root, kind == "Component");
    let name_line = metadata.as_ref().map(|metadata| metadata.name_line);
    let spec = r.required(&root, "spec").and_then(|field| r.map(field));
    let source = SourceLocation { file: r.file().to_owned(), line: root.line };
    let entity = match kind.as_str() {
        "Component" => kinds::component(r, spec.as_ref(), metadata, source, manifest),
        "System" => kinds::system(r, spec.as_ref(), metadata, source),
        "Group" => kinds::group(r, spec.as_ref(), metadata, source),
        _ => None,
    }?;
    Some(Read { entity, name_line: name_line? })
}
