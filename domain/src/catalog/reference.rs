//! Entity references, `[kind:][namespace/]name`, read and compared as Backstage does: the kind
//! and namespace fall back to defaults given by the field, and two references name the same
//! entity when they agree without regard to case.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The namespace of an entity that declares none, and of a reference that names none.
pub const DEFAULT_NAMESPACE: &str = "default";

/// A reference to an entity. The kind and namespace are kept in lowercase, as Backstage writes
/// them in relations; the name is kept as written and compared without regard to case.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EntityRef {
    /// Lowercase: `component`, `group`, `api`...
    pub kind: String,
    /// Lowercase; [`DEFAULT_NAMESPACE`] when the reference names none.
    pub namespace: String,
    pub name: String,
}

impl EntityRef {
    pub fn new(kind: &str, namespace: &str, name: &str) -> Self {
        Self { kind: kind.to_ascii_lowercase(), namespace: namespace.to_ascii_lowercase(), name: name.to_owned() }
    }

    /// Reads `value`. `default_kind` is the kind a bare name means in the field it was written
    /// in (`group` for an owner); a field without one (`dependsOn`) needs the kind written.
    /// `namespace` is the referring entity's own, which a reference without one stays in.
    pub fn parse(value: &str, default_kind: Option<&str>, namespace: &str) -> Result<Self, String> {
        let (kind, rest) = match value.split_once(':') {
            Some((kind, rest)) => (Some(kind), rest),
            None => (None, value),
        };
        let kind = match kind.or(default_kind) {
            Some(kind) if !kind.is_empty() => kind,
            _ => {
                return Err(format!(
                    "`{value}` names no kind: write it as a reference with its kind, for example `component:{value}` or `resource:{value}`"
                ));
            }
        };
        check_kind(kind).map_err(|message| format!("`{value}`: {message}"))?;
        let (namespace, name) = match rest.split_once('/') {
            Some((namespace, name)) => {
                check_namespace(namespace).map_err(|message| format!("`{value}`: {message}"))?;
                (namespace, name)
            }
            None => (namespace, rest),
        };
        if name.is_empty() {
            return Err(format!("`{value}` has no name"));
        }
        check_name(name).map_err(|message| format!("`{value}`: {message}"))?;
        Ok(Self::new(kind, namespace, name))
    }

    /// The lowercase text two references are compared by: `component:default/checkout`.
    pub fn key(&self) -> String {
        format!("{}:{}/{}", self.kind, self.namespace, self.name.to_ascii_lowercase())
    }

    /// The reference as people read it: the kind left out when it is `default_kind`, the
    /// namespace when it is the default one (`payments`, `user:guest`, `group:ops/platform`).
    pub fn humanised(&self, default_kind: Option<&str>) -> String {
        let namespace =
            if self.namespace == DEFAULT_NAMESPACE { String::new() } else { format!("{}/", self.namespace) };
        match default_kind {
            Some(kind) if kind.eq_ignore_ascii_case(&self.kind) => format!("{namespace}{}", self.name),
            _ => format!("{}:{namespace}{}", self.kind, self.name),
        }
    }
}

impl PartialEq for EntityRef {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.namespace == other.namespace && self.name.eq_ignore_ascii_case(&other.name)
    }
}

impl Eq for EntityRef {}

impl fmt::Display for EntityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}/{}", self.kind, self.namespace, self.name)
    }
}

/// Longest name, namespace or kind Backstage accepts (the Kubernetes limit it borrows).
const MAX_LEN: usize = 63;

/// Backstage's object name rule: 1 to 63 letters and digits, possibly joined by `-`, `_` or
/// `.`, starting and ending with a letter or digit. Case is kept as written.
pub fn check_name(name: &str) -> Result<(), String> {
    let len = name.chars().count();
    if len == 0 {
        return Err("must not be empty".to_owned());
    }
    if len > MAX_LEN {
        return Err(format!("`{name}` is too long: names are at most {MAX_LEN} characters (this one has {len})"));
    }
    let allowed = name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if allowed && starts_and_ends_alphanumeric(name) {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a valid name: use letters, digits and `-`, `_` or `.` between them, \
             starting and ending with a letter or digit (1-63 characters)"
        ))
    }
}

/// Backstage's namespace rule, a DNS label: 1 to 63 lowercase letters, digits and `-`,
/// starting and ending with a letter or digit.
pub fn check_namespace(namespace: &str) -> Result<(), String> {
    let allowed = namespace.chars().all(|c| matches!(c, 'a'..='z' | '0'..='9' | '-'));
    if allowed && (1..=MAX_LEN).contains(&namespace.len()) && starts_and_ends_alphanumeric(namespace) {
        Ok(())
    } else {
        Err(format!(
            "`{namespace}` is not a valid namespace: use lowercase letters, digits and `-` between them (1-63 characters)"
        ))
    }
}

/// Backstage's kind rule: a letter, then letters and digits, at most 63.
fn check_kind(kind: &str) -> Result<(), String> {
    let mut chars = kind.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if first_ok && chars.all(|c| c.is_ascii_alphanumeric()) && kind.len() <= MAX_LEN {
        Ok(())
    } else {
        Err(format!("`{kind}` is not a valid kind: a letter, then letters and digits"))
    }
}

fn starts_and_ends_alphanumeric(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphanumeric()) && text.ends_with(|c: char| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(value: &str, default_kind: Option<&str>) -> Result<EntityRef, String> {
        EntityRef::parse(value, default_kind, DEFAULT_NAMESPACE)
    }

    #[test]
    fn defaults_fill_what_is_not_written() {
        assert_eq!(parse("payments", Some("group")).expect("present"), EntityRef::new("group", "default", "payments"));
        assert_eq!(parse("user:guest", Some("group")).expect("present"), EntityRef::new("user", "default", "guest"));
        assert_eq!(parse("ops/platform", Some("group")).expect("present"), EntityRef::new("group", "ops", "platform"));
        assert_eq!(
            EntityRef::parse("db", Some("resource"), "shop").expect("present"),
            EntityRef::new("resource", "shop", "db"),
            "a reference without a namespace stays in the referring entity's"
        );
    }

    #[test]
    fn references_compare_without_regard_to_case() {
        let written = parse("Group:default/Payments", None).expect("present");
        assert_eq!(written, EntityRef::new("group", "default", "payments"));
        assert_eq!(written.key(), "group:default/payments");
        assert_eq!(written.name, "Payments", "the name is kept as written for display");
    }

    #[test]
    fn a_field_without_a_default_kind_needs_one_written() {
        let error = parse("db", None).expect_err("refused");
        assert!(error.contains("names no kind"), "{error}");
        assert!(parse("resource:db", None).is_ok());
    }

    #[test]
    fn bad_parts_are_refused_with_the_part_named() {
        assert!(parse("group:Ops/platform", None).expect_err("refused").contains("not a valid namespace"));
        assert!(parse("group:ops/-x", None).expect_err("refused").contains("not a valid name"));
        assert!(parse("9kind:x", None).expect_err("refused").contains("not a valid kind"));
        assert!(parse("group:", None).is_err());
    }

    #[test]
    fn humanised_leaves_out_what_goes_without_saying() {
        assert_eq!(EntityRef::new("group", "default", "payments").humanised(Some("group")), "payments");
        assert_eq!(EntityRef::new("user", "default", "guest").humanised(Some("group")), "user:guest");
        assert_eq!(EntityRef::new("group", "ops", "platform").humanised(Some("group")), "ops/platform");
        assert_eq!(EntityRef::new("resource", "default", "db").humanised(None), "resource:db");
    }
}
