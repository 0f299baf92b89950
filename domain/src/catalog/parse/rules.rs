//! Backstage's rules for the values Portico reads: API versions, kinds, tags and link URLs
//! (names and references are in `catalog::reference`). Each check returns the message shown to
//! the manifest's author, so the wording lives in one place.

pub(super) use super::super::reference::check_name;
use super::super::EntityKind;

/// Longest tag Backstage accepts (the Kubernetes label limit it borrows).
const MAX_LEN: usize = 63;

/// `apiVersion` must be one Backstage accepts for the kind: `backstage.io/v1alpha1` or
/// `backstage.io/v1beta1`, and `scaffolder.backstage.io/v1beta3` for a `Template`.
pub(super) fn check_api_version(kind: EntityKind, value: &str) -> Result<(), String> {
    let versions = kind.api_versions();
    if versions.contains(&value) {
        return Ok(());
    }
    let expected = versions.iter().map(|version| format!("`{version}`")).collect::<Vec<_>>().join(" or ");
    Err(format!("`{value}` is not an API version of {}: use {expected}", kind.as_str()))
}

/// The message for a `kind` Backstage does not define. Kinds are case-sensitive in Backstage,
/// so a near miss such as `component` gets a hint rather than a silent fix.
pub(super) fn unknown_kind(value: &str) -> String {
    match EntityKind::ALL.iter().find(|kind| kind.as_str().eq_ignore_ascii_case(value)) {
        Some(kind) => format!("`{value}` is not a known kind: kinds are case-sensitive, write `{}`", kind.as_str()),
        None => {
            let kinds = EntityKind::ALL.iter().map(|kind| kind.as_str()).collect::<Vec<_>>().join(", ");
            format!("`{value}` is not a kind Backstage defines: use one of {kinds}")
        }
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
