//! One document of an action file: a map whose only key is `actions`, a list of definitions.

use saphyr::MarkedYaml;

use super::action::{self, Found};
use super::values::known_keys;
use crate::catalog::parse::node::Reader;

/// Reads the document `node`: the definitions without problems, in the order written. The
/// problems are left in `r`.
pub(super) fn read(r: &mut Reader<'_>, node: &MarkedYaml<'_>) -> Vec<Found> {
    // A lone `---`, or a stretch of comments: nothing declared, nothing wrong.
    if node.data.is_null() {
        return Vec::new();
    }
    let root = r.root(node);
    if !node.data.is_mapping() {
        let found = r.describe(node);
        r.report(root.line, None, format!("an action file must be a map with an `actions:` list, found {found}"));
        return Vec::new();
    }
    known_keys(r, &root, &["actions"], "an action file");
    let Some(list) = r.required(&root, "actions") else { return Vec::new() };
    let Some(items) = r.list(&list) else { return Vec::new() };
    items.into_iter().filter_map(|item| action::read(r, item)).collect()
}
