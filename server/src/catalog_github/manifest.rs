//! A manifest read from a repository: decoded, checked and parsed, with what a repository may
//! not declare taken out.

use domain::catalog::{Catalog, Problem, RuntimeTarget, TargetRules, parse_manifest, target_text};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::api::FileBody;

/// Files larger than this are refused, as they are in catalog folders.
pub(super) use crate::yaml_files::MAX_FILE_BYTES as MAX_MANIFEST_BYTES;

/// The catalog a file of `repository` declares, with only the runtime targets `targets` allow
/// it; `name` (`checkout/catalog-info.yaml`) is how problems call it.
pub(super) fn read(name: &str, file: &FileBody, repository: &str, targets: &TargetRules) -> Catalog {
    match text(file) {
        Ok(text) => only_allowed_targets(parse_manifest(name, &text), repository, targets),
        Err(message) => whole_file(name, &message),
    }
}

/// A file's text, or why it cannot be read: a folder, too large, not sent inline as base64,
/// not UTF-8.
pub(super) fn text(file: &FileBody) -> Result<String, String> {
    if file.kind != "file" {
        return Err(format!("is a {}, not a file", file.kind));
    }
    if file.size > MAX_MANIFEST_BYTES {
        return Err(format!("is {} bytes; files larger than {MAX_MANIFEST_BYTES} bytes are not read", file.size));
    }
    let bytes = match (file.encoding.as_deref(), file.content.as_deref()) {
        // GitHub wraps the content in lines of 60 characters.
        (Some("base64"), Some(content)) => STANDARD.decode(content.replace(['\n', '\r'], "")).ok(),
        _ => None,
    };
    let bytes = bytes.ok_or("could not be decoded: GitHub did not send it as base64")?;
    String::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_owned())
}

/// A repository's manifest must not make the portal run commands on its own host (anyone who
/// can push to any repository of the organisation could otherwise run code there), nor point a
/// service at a Deployment or ECS service the configuration does not allow that repository
/// (it could otherwise act on another team's production). Such environments are removed from
/// their service, each with a problem at its line; the service and its other environments stay.
pub(super) fn only_allowed_targets(mut catalog: Catalog, repository: &str, targets: &TargetRules) -> Catalog {
    for service in &mut catalog.services {
        let file = service.source.file.clone();
        let mut index = 0;
        service.environments.retain(|environment| {
            let field = format!("spec.environments[{index}].{}", environment.target.kind());
            index += 1;
            let message = match &environment.target {
                RuntimeTarget::Local(_) => format!(
                    "environment `{}` is refused: local commands are only read from catalog folders on the portal's host, \
                     never from GitHub; run it on `kubernetes` or `ecs` instead",
                    environment.name
                ),
                target if !targets.allows(repository, target) => format!(
                    "environment `{}` is refused: the portal's configuration (catalog.github.targets) does not allow \
                     repository `{repository}` to name {} `{}`",
                    environment.name,
                    if target.kind() == "ecs" { "ECS service" } else { "Kubernetes Deployment" },
                    target_text(target),
                ),
                _ => return true,
            };
            catalog.problems.push(Problem { file: file.clone(), line: Some(environment.line), field: Some(field), message });
            false
        });
    }
    catalog
}

pub(super) fn whole_file(name: &str, message: &str) -> Catalog {
    let problem = Problem { file: name.to_owned(), line: None, field: None, message: message.to_owned() };
    Catalog { problems: vec![problem], ..Catalog::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(content: &str) -> FileBody {
        FileBody { kind: "file".into(), size: content.len() as u64, encoding: Some("base64".into()), content: Some(content.into()) }
    }

    #[test]
    fn a_base64_manifest_is_parsed_under_its_repository_name() {
        // A component `api` owned by `team-a`, in base64 wrapped as GitHub wraps it.
        let encoded = "YXBpVmVyc2lvbjogYmFja3N0YWdlLmlvL3YxYWxwaGExCmtpbmQ6IENvbXBv\nbmVudAptZXRhZGF0YToKICBuYW1lOiBhcGkKc3BlYzoKICB0eXBlOiBzZXJ2\naWNlCiAgbGlmZWN5Y2xlOiBwcm9kdWN0aW9uCiAgb3duZXI6IHRlYW0tYQo=\n";
        let catalog = read("api/catalog-info.yaml", &file(encoded), "api", &TargetRules::default());
        assert_eq!(catalog.services.len(), 1, "{:?}", catalog.problems);
        assert_eq!(catalog.services[0].source.file, "api/catalog-info.yaml");
        assert_eq!((catalog.services[0].name.as_str(), catalog.services[0].owner.as_str()), ("api", "team-a"));
    }

    #[test]
    fn oversized_undecodable_and_binary_files_are_problems() {
        let big = FileBody { kind: "file".into(), size: MAX_MANIFEST_BYTES + 1, encoding: Some("none".into()), content: Some(String::new()) };
        let message = |body: &FileBody| read("a/catalog-info.yaml", body, "a", &TargetRules::default()).problems[0].message.clone();
        assert!(message(&big).contains("larger than 1048576 bytes"));
        assert!(message(&file("not base64!")).contains("base64"));
        assert!(message(&file("//79")).contains("not UTF-8"));
        let folder = FileBody { kind: "dir".into(), size: 0, encoding: None, content: None };
        assert!(message(&folder).contains("not a file"));
    }
}
