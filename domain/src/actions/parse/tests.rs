//! Tests of reading action files: what loads (`valid`), what is reported (`problems`,
//! `kinds`, `fields`), ids across files (`unique`), the form validation the defaults go through
//! (`validation`), and the files kept in the repository (`files`).

mod fields;
mod files;
mod kinds;
mod problems;
mod unique;
mod valid;
mod validation;

use super::super::definition::ActionDef;
use super::parse_actions;
use crate::catalog::Problem;

/// The file name every inline test file is read under.
const FILE: &str = "actions.yaml";

fn problem(line: usize, field: Option<&str>, message: &str) -> Problem {
    Problem { file: FILE.to_owned(), line: Some(line), field: field.map(str::to_owned), message: message.to_owned() }
}

/// The definitions of `text`, asserting that nothing was wrong.
fn valid(text: &str) -> Vec<ActionDef> {
    let (defs, problems) = parse_actions(FILE, text);
    assert_eq!(problems, vec![], "{text}");
    defs
}

/// The one definition of `text`.
fn one(text: &str) -> ActionDef {
    let mut defs = valid(text);
    assert_eq!(defs.len(), 1, "{defs:#?}");
    defs.remove(0)
}

/// The problems of `text`, asserting that nothing loaded.
fn problems_only(text: &str) -> Vec<Problem> {
    let (defs, problems) = parse_actions(FILE, text);
    assert!(defs.is_empty(), "{defs:#?}");
    problems
}

fn ids(defs: &[ActionDef]) -> Vec<&str> {
    defs.iter().map(|def| def.id.as_str()).collect()
}
