//! The `labelSelector` query parameter: equality (`a=b`, `a==b`, `a!=b`) and set-based
//! (`a in (x,y)`, `a notin (x,y)`, `a`, `!a`) requirements, all of which must hold.

use serde_json::Value;

enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

pub struct Selector(Vec<Requirement>);

impl Selector {
    pub fn parse(text: &str) -> Result<Self, String> {
        split_top_level(text).into_iter().filter(|term| !term.is_empty()).map(requirement).collect::<Result<_, _>>().map(Self)
    }

    /// Whether an object's `metadata.labels` satisfy every requirement.
    pub fn matches(&self, object: &Value) -> bool {
        let label = |key: &str| object["metadata"]["labels"][key].as_str().map(str::to_owned);
        self.0.iter().all(|requirement| match requirement {
            Requirement::Equals(key, value) => label(key).as_ref() == Some(value),
            Requirement::NotEquals(key, value) => label(key).as_ref() != Some(value),
            Requirement::In(key, values) => label(key).is_some_and(|l| values.contains(&l)),
            Requirement::NotIn(key, values) => label(key).is_none_or(|l| !values.contains(&l)),
            Requirement::Exists(key) => label(key).is_some(),
            Requirement::DoesNotExist(key) => label(key).is_none(),
        })
    }
}

/// Splits at the commas that are not inside a `(…)` value set.
fn split_top_level(text: &str) -> Vec<&str> {
    let (mut terms, mut depth, mut start) = (Vec::new(), 0, 0);
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                terms.push(text[start..at].trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    terms.push(text[start..].trim());
    terms
}

fn requirement(term: &str) -> Result<Requirement, String> {
    let set = |rest: &str| -> Result<Vec<String>, String> {
        let inner = rest.trim().strip_prefix('(').and_then(|r| r.strip_suffix(')')).ok_or_else(|| format!("bad value set in `{term}`"))?;
        Ok(inner.split(',').map(|v| v.trim().to_owned()).collect())
    };
    if let Some((key, value)) = term.split_once("!=") {
        return Ok(Requirement::NotEquals(key.trim().into(), value.trim().into()));
    }
    if let Some((key, value)) = term.split_once("==").or_else(|| term.split_once('=')) {
        return Ok(Requirement::Equals(key.trim().into(), value.trim().into()));
    }
    if let Some((key, rest)) = term.split_once(" notin ") {
        return Ok(Requirement::NotIn(key.trim().into(), set(rest)?));
    }
    if let Some((key, rest)) = term.split_once(" in ") {
        return Ok(Requirement::In(key.trim().into(), set(rest)?));
    }
    match term.strip_prefix('!') {
        Some(key) => Ok(Requirement::DoesNotExist(key.trim().into())),
        None => Ok(Requirement::Exists(term.into())),
    }
}
