//! Where a redirect may go after a form or a sign-in: a path on this site only. Both the HTTP
//! handlers and the sign-in routes ask, so it belongs to neither.

/// Only paths on this site: never `//other.host` or an absolute URL (no open redirect).
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') && !path.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert!(is_local_path("/services?owner=payments"));
        assert!(!is_local_path("//evil.example/"));
        assert!(!is_local_path("https://evil.example/"));
        assert!(!is_local_path("/\\evil.example"));
    }
}
