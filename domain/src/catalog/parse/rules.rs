//! Backstage's rules for the values Portico reads: API versions, kinds, names, tags, link URLs
//! and entity references. Each check returns the message shown to the manifest's author, so the
//! wording lives in one place.

/// The kinds Portico turns into entities.
pub(super) const READ_KINDS: [&str; 3] = ["Component", "System", "Group"];

/// Valid Backstage kinds that Portico does not show yet: their documents are skipped without a
/// problem, so a repository's full Backstage catalog can be pointed at Portico as it is.
pub(super) const SKIPPED_KINDS: [&str; 6] = ["API", "Resource", "User", "Domain", "Location", "Template"];

/// Longest name or tag Backstage accepts (the Kubernetes label limit it borrows).
const MAX_LEN: usize = 63;

/// `apiVersion` must be one of Backstage's, such as `backstage.io/v1alpha1`.
pub(super) fn check_api_version(value: &str) -> Result<(), String> {
    match value.strip_prefix("backstage.io/") {
        Some(version) if !version.is_empty() => Ok(()),
        _ => Err(format!("`{value}` is not a Backstage API version: use `backstage.io/v1alpha1`")),
    }
}

/// The message for a `kind` that is neither read nor skipped. Kinds are case-sensitive in
/// Backstage, so a near miss such as `component` gets a hint rather than a silent fix.
pub(super) fn unknown_kind(value: &str) -> String {
    let near_miss = READ_KINDS.iter().chain(SKIPPED_KINDS.iter()).find(|kind| kind.eq_ignore_ascii_case(value));
    match near_miss {
        Some(kind) => format!("`{value}` is not a known kind: kinds are case-sensitive, write `{kind}`"),
        None => format!("`{value}` is not a kind Portico reads: use Component, System or Group"),
    }
}

/// Backstage's object name rule: 1 to 63 letters and digits, possibly joined by `-`, `_` or
/// `.`, starting and ending with a letter or digit. Case is kept as written.
pub(super) fn check_name(name: &str) -> Result<(), String> {
    let len = name.chars().count();
    if len == 0 {
        return Err("must not be empty".to_owned());
    }
    if len > MAX_LEN {
        return Err(format!("`{name}` is too long: names are at most {MAX_LEN} characters (this one has {len})"));
    }
    let allowed = name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let ends_ok =
        name.starts_with(|c: char| c.is_ascii_alphanumeric()) && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if allowed && ends_ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a valid name: use letters, digits and `-`, `_` or `.` between them, \
             starting and ending with a letter or digit (1-63 characters)"
        ))
    }
}

/// Backstage's tag rule: lowercase words of `a-z`, `0-9`, `:`, `+` or `#`, joined by single
/// dashes, at most 63 characters.
pub(super) fn check_tag(tag: &str) -> Result<(), String> {
    if tag.is_empty() {
        return Err("must not be empty".to_owned());
    }
    let word_ok =
        |word: &str| !word.is_empty() && word.chars().all(|c| matches!(c, 'a'..='z' | '0'..='9' | ':' | '+' | '#'));
    if tag.chars().count() <= MAX_LEN && tag.split('-').all(word_ok) {
        Ok(())
    } else {
        Err(format!(
            "`{tag}` is not a valid tag: use lowercase letters, digits, `:`, `+` or `#`, \
             in words joined by single dashes (1-63 characters)"
        ))
    }
}

/// Links open in the browser, so only web addresses are accepted.
pub(super) fn check_url(url: &str) -> Result<(), String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.contains(char::is_whitespace) => Ok(()),
        _ => Err(format!("`{url}` is not a web address: links must start with `https://` or `http://`")),
    }
}

/// Why an entity reference could not be used.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum RefError {
    /// The reference names another kind, e.g. `user:jane` where a Group is needed. Holds the
    /// kind as written.
    WrongKind(String),
    /// The namespace or name breaks the name rule; holds the message.
    Invalid(String),
}

/// Reads a Backstage entity reference, `[kind:][namespace/]name`, that must point at an entity
/// of `kind` (compared case-insensitively, as Backstage does) and returns the bare name.
///
/// Portico has a single namespace, as it ignores `metadata.namespace`, so any valid namespace
/// (usually `default/`) is dropped rather than refused: a reference then still finds the entity
/// it names.
pub(super) fn entity_ref(value: &str, kind: &str) -> Result<String, RefError> {
    let (written_kind, rest) = match value.split_once(':') {
        Some((prefix, rest)) => (Some(prefix), rest),
        None => (None, value),
    };
    if let Some(written) = written_kind.filter(|written| !written.eq_ignore_ascii_case(kind)) {
        return Err(RefError::WrongKind(written.to_owned()));
    }
    let name = match rest.split_once('/') {
        Some((namespace, name)) => {
            check_name(namespace).map_err(|message| RefError::Invalid(format!("namespace {message}")))?;
            name
        }
        None => rest,
    };
    check_name(name).map_err(RefError::Invalid)?;
    Ok(name.to_owned())
}
