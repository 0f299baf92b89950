//! Value readers the action format needs beyond the catalog's: whole numbers in a range,
//! true/false, numbers, lists of text, scalars taken as text, and the check that every key of
//! a map is one the format knows. Like the catalog's, each records its problem and carries on.

use saphyr::{Scalar, YamlData};

use crate::catalog::parse::node::{Field, Reader};

/// Reports every key of the map `field` that is not in `allowed`. `what` names the map in the
/// message ("an action", "`approval`").
pub(super) fn known_keys(r: &mut Reader<'_>, field: &Field<'_, '_>, allowed: &[&str], what: &str) {
    for (key, entry) in r.entries(field) {
        if !allowed.contains(&key.as_str()) {
            r.fail(&entry, unknown_key(&key, allowed, what));
        }
    }
}

/// The message for a key the format does not know, with the nearest known key when the
/// unknown one looks like a typo of it.
pub(super) fn unknown_key(key: &str, allowed: &[&str], what: &str) -> String {
    // A short key is close to many others: only suggest what is clearly the same word.
    let typo =
        allowed.iter().map(|known| (distance(key, known), known)).min().filter(|(d, _)| *d <= 2.min(key.len() / 3));
    let truncated = || allowed.iter().find(|known| key.len() >= 4 && known.starts_with(key));
    match typo.map(|(_, known)| known).or_else(truncated) {
        Some(known) => format!("is not a field of {what}: did you mean `{known}`?"),
        None => format!("is not a field of {what}; its fields are {}", allowed.join(", ")),
    }
}

/// Edit distance (insertions, deletions, substitutions), case-insensitive: keys are short.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The optional whole number `key` of `parent`, from `min` to `max`; `default` when absent.
/// On a problem the default is returned too: the problem already keeps the definition out.
pub(super) fn count(
    r: &mut Reader<'_>,
    parent: &Field<'_, '_>,
    key: &str,
    (min, max): (u32, u32),
    default: u32,
) -> u32 {
    let Some(field) = r.optional(parent, key) else { return default };
    match field.node.data {
        YamlData::Value(Scalar::Integer(n)) if (i64::from(min)..=i64::from(max)).contains(&n) => {
            u32::try_from(n).unwrap_or(default)
        }
        YamlData::Value(Scalar::Integer(n)) => {
            r.fail(&field, format!("must be from {min} to {max}, found {n}"));
            default
        }
        _ => {
            let found = r.describe(field.node);
            r.fail(&field, format!("must be a whole number from {min} to {max}, found {found}"));
            default
        }
    }
}

/// The optional `true`/`false` entry `key` of `parent`; false when absent.
pub(super) fn flag(r: &mut Reader<'_>, parent: &Field<'_, '_>, key: &str) -> bool {
    let Some(field) = r.optional(parent, key) else { return false };
    if let YamlData::Value(Scalar::Boolean(value)) = field.node.data {
        return value;
    }
    let found = r.describe(field.node);
    r.fail(&field, format!("must be true or false, found {found}"));
    false
}

/// The optional number entry `key` of `parent` (whole or not).
pub(super) fn number(r: &mut Reader<'_>, parent: &Field<'_, '_>, key: &str) -> Option<f64> {
    let field = r.optional(parent, key)?;
    match &field.node.data {
        YamlData::Value(Scalar::Integer(n)) => Some(*n as f64),
        YamlData::Value(Scalar::FloatingPoint(n)) if n.is_finite() => Some(n.into_inner()),
        _ => {
            let found = r.describe(field.node);
            r.fail(&field, format!("must be a number, found {found}"));
            None
        }
    }
}

/// A scalar as text: a string as it is, a number or true/false as written (so `1.10` stays
/// `1.10`). Lists, maps and empty values are reported.
pub(super) fn scalar_text(r: &mut Reader<'_>, field: &Field<'_, '_>) -> Option<String> {
    match &field.node.data {
        YamlData::Value(Scalar::String(text)) => Some(text.to_string()),
        YamlData::Value(Scalar::Integer(_) | Scalar::FloatingPoint(_) | Scalar::Boolean(_)) => {
            r.written_text(field.node)
        }
        _ => {
            let found = r.describe(field.node);
            r.fail(field, format!("must be a single value (text, a number or true/false), found {found}"));
            None
        }
    }
}

/// The optional list of strings `key` of `parent`, each checked by `rule`; empty when absent.
pub(super) fn text_list(
    r: &mut Reader<'_>,
    parent: &Field<'_, '_>,
    key: &str,
    rule: impl Fn(&str) -> Result<(), String>,
) -> Vec<String> {
    let Some(field) = r.optional(parent, key) else { return Vec::new() };
    let Some(items) = r.list(&field) else { return Vec::new() };
    let mut texts = Vec::new();
    for item in items {
        let Some(text) = r.string(&item) else { continue };
        match rule(&text) {
            Ok(()) => texts.push(text),
            Err(message) => r.fail(&item, message),
        }
    }
    texts
}

/// Any text that is not blank.
pub(super) fn not_blank(text: &str) -> Result<(), String> {
    if text.trim().is_empty() { Err("must not be empty".to_owned()) } else { Ok(()) }
}

/// A required, non-empty string checked by `rule`.
pub(super) fn checked_text(
    r: &mut Reader<'_>,
    parent: &Field<'_, '_>,
    key: &str,
    rule: impl Fn(&str) -> Result<(), String>,
) -> Option<String> {
    let (text, field) = r.required_text(parent, key)?;
    match rule(&text) {
        Ok(()) => Some(text),
        Err(message) => {
            r.fail(&field, message);
            None
        }
    }
}
