//! Tests of `parse_manifest`: what loads (`valid`), what is reported (`problems`, `syntax`), and
//! the real manifests kept in the repository (`files`).

mod environments;
mod files;
mod kinds;
mod problems;
mod syntax;
mod valid;

use super::super::{Catalog, Problem};
use super::parse_manifest;

/// The file name every inline test manifest is read under.
const FILE: &str = "catalog-info.yaml";

fn parse(text: &str) -> Catalog {
    parse_manifest(FILE, text)
}

fn problem(line: usize, field: Option<&str>, message: &str) -> Problem {
    Problem { file: FILE.to_owned(), line: Some(line), field: field.map(str::to_owned), message: message.to_owned() }
}

/// The problems of `text`, asserting that nothing loaded.
fn problems_only(text: &str) -> Vec<Problem> {
    let catalog = parse(text);
    assert!(catalog.services.is_empty() && catalog.entities.is_empty(), "{catalog:#?}");
    catalog.problems
}

/// A valid component named `name`, to stand beside broken documents.
fn component(name: &str) -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n\
         spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
    )
}

fn names(catalog: &Catalog) -> Vec<&str> {
    catalog.services.iter().map(|service| service.name.as_str()).collect()
}
