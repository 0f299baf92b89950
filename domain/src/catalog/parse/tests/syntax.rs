//! YAML the parser rejects: one problem per broken document, at the scanner's line, and the
//! other documents of the file still load.

use super::{component, names, parse, problem};

#[test]
fn a_syntax_error_loses_only_its_own_document() {
    let broken = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: b\n    title: oops\n";
    let text = format!("{}---\n{broken}---\n{}", component("a"), component("c"));
    let catalog = parse(&text);
    assert_eq!(names(&catalog), ["a", "c"]);
    let message = "YAML syntax error at column 10: mapping values are not allowed in this context";
    assert_eq!(catalog.problems, vec![problem(14, None, message)]);
}

#[test]
fn a_key_written_twice_is_a_syntax_error() {
    let text = component("a").replace("  owner: team-a\n", "  owner: team-a\n  owner: team-b\n");
    let catalog = parse(&text);
    assert!(catalog.services.is_empty());
    assert_eq!(catalog.problems, vec![problem(9, None, "YAML syntax error at column 3: duplicated key in mapping")]);
}

#[test]
fn an_error_at_the_end_of_the_file_points_at_its_last_line() {
    let text = format!("{}  title: \"never closed\n\n\n", component("a"));
    let catalog = parse(&text);
    assert_eq!(catalog.problems.len(), 1, "{:?}", catalog.problems);
    assert_eq!(catalog.problems[0].line, Some(9));
    assert_eq!(catalog.problems[0].field, None);
    assert!(catalog.problems[0].message.starts_with("YAML syntax error"), "{}", catalog.problems[0].message);
}

#[test]
fn an_error_just_before_the_next_document_stays_in_its_own() {
    let text = format!("{}  title: [never closed\n---\n{}", component("a"), component("b"));
    let catalog = parse(&text);
    assert_eq!(names(&catalog), ["b"]);
    assert_eq!(catalog.problems.len(), 1, "{:?}", catalog.problems);
    assert_eq!(catalog.problems[0].line, Some(9));
}

#[test]
fn tabs_used_for_indentation_are_reported() {
    let text = component("a").replace("  type: service", "\ttype: service");
    let catalog = parse(&text);
    assert!(catalog.services.is_empty());
    let message = "YAML syntax error at column 2: tabs disallowed within this context (block indentation)";
    assert_eq!(catalog.problems, vec![problem(6, None, message)]);
}
