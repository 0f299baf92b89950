//! Container image references (`registry:5000/shop/checkout:1.4.2`, `…@sha256:…`) and the
//! version the portal reads from and writes into them.

use domain::runtime::ProviderError;
use domain::runtime::version::{is_digest, is_tag};

/// The version an image runs: its digest when pinned by one (in full, `sha256:` and 64 hex
/// digits, so that it can be deployed elsewhere as it is), else its tag, else `latest`, which
/// is what the container runtime pulls for an image without one.
pub fn version_of(image: &str) -> String {
    if let Some((_, digest)) = image.split_once('@') {
        return digest.to_owned();
    }
    match tag_start(image) {
        Some(at) => image[at + 1..].to_owned(),
        None => "latest".to_owned(),
    }
}

/// `image` with its tag or digest replaced by `version`: pinned with `@` when `version` is a
/// digest, tagged with `:` otherwise.
pub fn with_version(image: &str, version: &str) -> Result<String, ProviderError> {
    let repository = repository(image);
    if repository.is_empty() {
        return Err(ProviderError::Invalid("the container has no image to deploy a version of".to_owned()));
    }
    if version.starts_with("sha256:") {
        if is_digest(version) {
            return Ok(format!("{repository}@{version}"));
        }
        return Err(ProviderError::Invalid(format!("`{version}` is not a sha256 digest (64 lowercase hex digits)")));
    }
    if is_tag(version) {
        Ok(format!("{repository}:{version}"))
    } else {
        Err(ProviderError::Invalid(format!(
            "`{version}` is not an image tag (up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`) or a sha256 digest"
        )))
    }
}

/// The image without tag or digest.
fn repository(image: &str) -> &str {
    let named = image.split_once('@').map_or(image, |(name, _)| name);
    tag_start(named).map_or(named, |at| &named[..at])
}

/// Where the `:` before the tag is: after the last `/`, so that a registry port is not taken
/// for a tag.
fn tag_start(image: &str) -> Option<usize> {
    let last_part = image.rfind('/').map_or(0, |slash| slash + 1);
    image[last_part..].find(':').map(|colon| last_part + colon)
}


#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:4f1c8a3d2e6b7c9a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2";

    #[test]
    fn the_version_is_the_tag_or_the_digest() {
        assert_eq!(version_of("registry.example.com/shop/checkout:1.4.2"), "1.4.2");
        assert_eq!(version_of("registry.example.com:5000/shop/checkout:1.4.2"), "1.4.2");
        assert_eq!(version_of("registry.example.com:5000/shop/checkout"), "latest");
        assert_eq!(version_of("nginx"), "latest");
        assert_eq!(version_of(&format!("shop/checkout@{DIGEST}")), DIGEST);
        assert_eq!(version_of(&format!("shop/checkout:1.4.2@{DIGEST}")), DIGEST);
    }

    #[test]
    fn a_new_version_replaces_the_tag_or_the_digest() {
        let tagged = "registry.example.com:5000/shop/checkout:1.4.2";
        assert_eq!(with_version(tagged, "1.5.0"), Ok("registry.example.com:5000/shop/checkout:1.5.0".into()));
        assert_eq!(with_version(tagged, DIGEST), Ok(format!("registry.example.com:5000/shop/checkout@{DIGEST}")));
        assert_eq!(with_version(&format!("shop/checkout:1.4.2@{DIGEST}"), "2.0.0"), Ok("shop/checkout:2.0.0".into()));
        assert_eq!(with_version("registry.example.com:5000/checkout", "v2"), Ok("registry.example.com:5000/checkout:v2".into()));
    }

    #[test]
    fn versions_that_cannot_be_an_image_reference_are_refused() {
        for bad in ["", "-rc1", "1.0 beta", "1.0/x", "sha256:abc", &"a".repeat(129)] {
            assert!(matches!(with_version("shop/checkout:1", bad), Err(ProviderError::Invalid(_))), "{bad:?}");
        }
    }
}
