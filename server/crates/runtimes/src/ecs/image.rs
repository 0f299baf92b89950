//! Container images in task definitions: which container is the service's, what version its
//! image is, and the image a new version means.

use aws_sdk_ecs::types::ContainerDefinition;
use domain::runtime::ProviderError;
use domain::runtime::version::{is_digest, is_version};

/// The service's own container: the only one, else the one named like the ECS service (a
/// sidecar such as a log router or a proxy usually comes first), else the first.
pub(super) fn main_container<'a>(
    containers: &'a [ContainerDefinition],
    service: &str,
) -> Option<&'a ContainerDefinition> {
    match containers {
        [only] => Some(only),
        _ => containers.iter().find(|c| c.name.as_deref() == Some(service)).or(containers.first()),
    }
}

/// The version an image reference names: its digest (`sha256:…`), its tag, or `latest` when
/// it has neither, as Docker reads it.
pub(super) fn version(image: &str) -> String {
    match split(image).1 {
        Some(Version::Digest(digest)) => digest.to_owned(),
        Some(Version::Tag(tag)) => tag.to_owned(),
        None => "latest".to_owned(),
    }
}

/// The image `image` becomes when `version` is deployed: the same repository with the new tag,
/// or pinned to the new digest.
pub(super) fn with_version(image: &str, version: &str) -> Result<String, ProviderError> {
    check_version(version)?;
    let (repository, _) = split(image);
    let separator = if is_digest(version) { '@' } else { ':' };
    Ok(format!("{repository}{separator}{version}"))
}

/// A version must be an image tag or a digest: anything else could point the service at
/// another repository.
pub(super) fn check_version(version: &str) -> Result<(), ProviderError> {
    if is_version(version) {
        Ok(())
    } else {
        Err(ProviderError::Invalid(format!("\"{version}\" is not an image tag or digest")))
    }
}

enum Version<'a> {
    Tag(&'a str),
    Digest(&'a str),
}

/// Splits `registry:5000/shop/checkout:1.4.2` into the repository and its tag or digest. A
/// colon only starts a tag after the last slash: before it, it separates a registry's port.
fn split(image: &str) -> (&str, Option<Version<'_>>) {
    if let Some((named, digest)) = image.split_once('@') {
        let (repository, _) = split(named);
        return (repository, Some(Version::Digest(digest)));
    }
    let name_start = image.rfind('/').map_or(0, |slash| slash + 1);
    match image[name_start..].rfind(':') {
        Some(colon) => (&image[..name_start + colon], Some(Version::Tag(&image[name_start + colon + 1..]))),
        None => (image, None),
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn the_version_is_the_tag_or_digest_of_the_image() {
        assert_eq!(version("registry.example.com/shop/checkout:1.4.2"), "1.4.2");
        assert_eq!(version("registry.example.com:5000/shop/checkout"), "latest");
        assert_eq!(version(&format!("shop/checkout:1.4.2@{DIGEST}")), DIGEST);
    }

    #[test]
    fn a_new_version_keeps_the_repository_and_its_registry_port() {
        let image = "registry.example.com:5000/shop/checkout:1.4.2";
        assert_eq!(with_version(image, "1.5.0").expect("a tag"), "registry.example.com:5000/shop/checkout:1.5.0");
        assert_eq!(
            with_version(image, DIGEST).expect("a digest"),
            format!("registry.example.com:5000/shop/checkout@{DIGEST}")
        );
        assert_eq!(with_version(&format!("shop/checkout@{DIGEST}"), "2").expect("a tag"), "shop/checkout:2");
    }

    #[test]
    fn a_version_that_is_no_tag_is_refused() {
        for bad in ["", "1.5 beta", "other/image:1", ".hidden", "sha256:short"] {
            assert!(matches!(with_version("shop/checkout:1", bad), Err(ProviderError::Invalid(_))), "{bad:?}");
        }
    }

    #[test]
    fn the_container_named_like_the_service_is_chosen_among_several() {
        let container = |name: &str| ContainerDefinition::builder().name(name).build();
        let containers = [container("log-router"), container("checkout")];
        assert_eq!(main_container(&containers, "checkout").and_then(|c| c.name.as_deref()), Some("checkout"));
        assert_eq!(main_container(&containers, "payments").and_then(|c| c.name.as_deref()), Some("log-router"));
        assert!(main_container(&[], "checkout").is_none());
    }
}
