//! Reading Backstage-style `catalog-info.yaml` manifests into the catalog.
//!
//! A file holds one or more YAML documents separated by `---`. Each document declares one
//! entity of one of Backstage's kinds; a `Component` in the default namespace is also a
//! service. Empty documents are ignored.
//!
//! A document with any problem yields no entity, and all of its problems are reported, each
//! with the file, the 1-based line and the dotted path of the field. Other documents still
//! load. This holds for YAML syntax errors too: documents are cut apart before parsing (see
//! [`split`]), so a syntax error is reported once, with the scanner's line, and only the
//! document it is in is lost; the documents before and after it are kept.

mod details;
mod document;
mod environments;
mod kinds;
mod metadata;
pub(crate) mod node;
mod refs;
mod rules;
pub(crate) mod split;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use saphyr::{LoadableYamlNode, MarkedYaml, ScanError};

use self::document::Read;
use self::node::Reader;
use self::split::Chunk;
pub use self::environments::MAX_LOCAL_REPLICAS;
use super::{Catalog, Problem};

/// Reads one manifest file (one or more YAML documents). `file` is the name used in problems
/// and in each entity's source. Never fails: whatever cannot be read becomes a problem in the
/// returned catalog, next to the entities that could.
///
/// Names must be unique per kind and namespace within the file, compared without regard to
/// case: the first declaration is kept and each later one is reported on its `metadata.name`.
/// Duplicates across files are left to the caller.
pub fn parse_manifest(file: &str, text: &str) -> Catalog {
    // A byte order mark would hide a `---` on the first line from the splitter.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut catalog = Catalog::default();
    let mut declared = HashMap::new();
    for chunk in split::documents(text) {
        if let Some(line) = super::yaml_depth::too_deep(chunk.yaml) {
            let message = format!("nested more than {} levels deep: not read", super::yaml_depth::MAX_LINE_NESTING);
            catalog.problems.push(Problem { file: file.to_owned(), line: Some(chunk.lines_before + line + 1), field: None, message });
            continue;
        }
        let nodes = match MarkedYaml::load_from_str(chunk.yaml) {
            Ok(nodes) => nodes,
            Err(error) => {
                catalog.problems.push(syntax_problem(file, &chunk, &error));
                continue;
            }
        };
        // One node per chunk, or none for a chunk of comments.
        for node in &nodes {
            let mut reader = Reader::new(file, chunk.yaml, chunk.lines_before);
            let read = document::read(&mut reader, node, chunk.manifest);
            // Fields are checked in a fixed order; show the problems in the file's order.
            reader.problems.append(&mut reader.warnings);
            reader.problems.sort_by_key(|problem| problem.line);
            catalog.problems.append(&mut reader.problems);
            if let Some(read) = read {
                add(&mut catalog, &mut declared, file, read);
            }
        }
    }
    catalog
}

/// Adds an entity unless one of the same kind, namespace and name came earlier in the file.
/// `declared` maps the entity's reference key to the line of the first declaration.
fn add(catalog: &mut Catalog, declared: &mut HashMap<String, usize>, file: &str, read: Read) {
    let key = read.entity.reference().key();
    if let Some(first) = declared.get(&key) {
        catalog.problems.push(Problem {
            file: file.to_owned(),
            line: Some(read.name_line),
            field: Some("metadata.name".to_owned()),
            message: format!("{} is already declared at {file}:{first}", read.entity.reference()),
        });
        return;
    }
    declared.insert(key, read.entity.source.line);
    catalog.entities.push(read.entity);
    catalog.services.extend(read.service);
}

/// The problem for a document the YAML parser rejected, at the line the scanner stopped on.
pub(crate) fn syntax_problem(file: &str, chunk: &Chunk<'_>, error: &ScanError) -> Problem {
    // At the end of the input the scanner points past the document's last line; show that
    // line instead, without a column that would then mean nothing.
    let last_line = chunk.lines_before + chunk.yaml.trim_end().lines().count().max(1);
    let line = chunk.lines_before + error.marker().line().max(1);
    let message = if line > last_line {
        format!("YAML syntax error: {}", error.info())
    } else {
        format!("YAML syntax error at column {}: {}", error.marker().col() + 1, error.info())
    };
    Problem { file: file.to_owned(), line: Some(line.min(last_line)), field: None, message }
}
