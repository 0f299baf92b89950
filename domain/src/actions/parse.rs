//! Reading action files: the YAML that declares which self-service actions the portal offers
//! (the format is described for authors in `docs/actions.md`).
//!
//! A file holds one or more YAML documents, each a map with a single `actions:` list. Reading
//! follows the catalog's rules, and uses its reader: every problem is reported at once with the
//! file, the 1-based line and the dotted path of the field (`actions[2].inputs[0].pattern`); an
//! action with any problem is left out and the others still load; a YAML syntax error loses
//! only the document it is in. Unknown keys are problems, so a typo such as `aproval:` cannot
//! quietly drop an approval rule.

mod action;
mod document;
mod inputs;
mod kinds;
#[cfg(test)]
mod tests;
mod values;

use std::collections::HashMap;

use saphyr::{LoadableYamlNode, MarkedYaml};

use super::definition::ActionDef;
use crate::catalog::Problem;
use crate::catalog::parse::node::Reader;
use crate::catalog::parse::{split, syntax_problem};

/// Reads one action file (a YAML document with a top-level `actions:` list, or several `---`
/// documents each with `actions:`). `file` is the name used in problems. Returns the
/// definitions that are valid and one [`Problem`] per thing wrong; a definition with a problem
/// is left out, the others still load.
///
/// Ids must be unique within the file: the first definition is kept and each later one is
/// reported on its `id`. Across files, see [`check_unique`].
pub fn parse_actions(file: &str, source: &str) -> (Vec<ActionDef>, Vec<Problem>) {
    let (located, problems) = parse_actions_with_lines(file, source);
    (located.into_iter().map(|(def, _)| def).collect(), problems)
}

/// [`parse_actions`], with the 1-based line of each definition's `id`: what [`check_unique`]
/// needs to point at a duplicate.
pub fn parse_actions_with_lines(file: &str, source: &str) -> (Vec<(ActionDef, usize)>, Vec<Problem>) {
    // A byte order mark would hide a `---` on the first line from the splitter.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut problems = Vec::new();
    let mut kept: Vec<(ActionDef, usize)> = Vec::new();
    let mut declared: HashMap<String, usize> = HashMap::new();
    for chunk in split::documents(source) {
        let nodes = match MarkedYaml::load_from_str(chunk.yaml) {
            Ok(nodes) => nodes,
            Err(error) => {
                problems.push(syntax_problem(file, &chunk, &error));
                continue;
            }
        };
        // One node per chunk, or none for a chunk of comments.
        for node in &nodes {
            let mut reader = Reader::new(file, chunk.yaml, chunk.lines_before);
            let read = document::read(&mut reader, node);
            for found in read {
                if let Some(first) = declared.get(&found.def.id) {
                    let message = format!("an action with id `{}` is already declared at {file}:{first}", found.def.id);
                    reader.report(found.id_line, Some(&found.id_path), message);
                    continue;
                }
                declared.insert(found.def.id.clone(), found.id_line);
                kept.push((found.def, found.id_line));
            }
            // Fields are checked in a fixed order; show the problems in the file's order.
            reader.problems.sort_by_key(|problem| problem.line);
            problems.append(&mut reader.problems);
        }
    }
    (kept, problems)
}

/// Checks definitions read from several files together. Each comes with the file it was read
/// from and the line of its `id` (as [`parse_actions_with_lines`] gives them). Ids must be
/// unique across files: the first definition of an id is kept, and every later one is left out
/// and reported at its own file and line, naming where the first one is.
pub fn check_unique(defs: Vec<(ActionDef, String, usize)>) -> (Vec<ActionDef>, Vec<Problem>) {
    let mut first: HashMap<String, (String, usize)> = HashMap::new();
    let mut kept = Vec::new();
    let mut problems = Vec::new();
    for (def, file, line) in defs {
        if let Some((first_file, first_line)) = first.get(&def.id) {
            problems.push(Problem {
                message: format!("an action with id `{}` is already declared at {first_file}:{first_line}", def.id),
                file,
                line: Some(line),
                field: None,
            });
            continue;
        }
        first.insert(def.id.clone(), (file, line));
        kept.push(def);
    }
    (kept, problems)
}
