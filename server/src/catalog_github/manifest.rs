//! A manifest read from a repository: decoded, checked and parsed, with what a repository may
//! not declare taken out.

use domain::catalog::{Catalog, Problem, RuntimeTarget, parse_manifest};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::api::FileBody;

/// Manifests larger than this are refused, as they are in catalog folders.
pub(super) const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

/// The catalog `file` declares; `name` (`checkout/catalog-info.yaml`) is how problems call it.
pub(super) fn read(name: &str, file: &FileBody) -> Catalog {
    if file.kind != "file" {
        return whole_file(name, &format!("is a {}, not a file", file.kind));
    }
    if file.size > MAX_MANIFEST_BYTES {
        let message = format!("is {} bytes; manifests larger than {MAX_MANIFEST_BYTES} bytes are not read", file.size);
        return whole_file(name, &message);
    }
    let bytes = match (file.encoding.as_deref(), file.content.as_deref()) {
        // GitHub wraps the content in lines of 60 characters.
        (Some("base64"), Some(content)) => STANDARD.decode(content.replace(['\n', '\r'], "")).ok(),
        _ => None,
    };
    let Some(bytes) = bytes else {
        return whole_file(name, "could not be decoded: GitHub did not send it as base64");
    };
    match String::from_utf8(bytes) {
        Ok(text) => without_local_commands(parse_manifest(name, &text)),
        Err(_) => whole_file(name, "is not UTF-8 text"),
    }
}

/// A repository's manifest must not make the portal run commands on its own host: anyone who
/// can push to any repository of the organisation could otherwise run code there. Environments
/// on the `local` runtime are removed from their service, each with a problem; the service
/// and its other environments stay.
pub(super) fn without_local_commands(mut catalog: Catalog) -> Catalog {
    for service in &mut catalog.services {
        let source = service.source.clone();
        service.environments.retain(|environment| {
            let RuntimeTarget::Local(_) = environment.target else { return true };
            catalog.problems.push(Problem {
                file: source.file.clone(),
                line: Some(source.line),
                field: Some("spec.environments".to_owned()),
                message: format!(
                    "environment `{}` is refused: local commands are only read from catalog folders on the portal's host, \
                     never from GitHub; run it on `kubernetes` or `ecs` instead",
                    environment.name
                ),
            });
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
        let catalog = read("api/catalog-info.yaml", &file(encoded));
        assert_eq!(catalog.services.len(), 1, "{:?}", catalog.problems);
        assert_eq!(catalog.services[0].source.file, "api/catalog-info.yaml");
        assert_eq!((catalog.services[0].name.as_str(), catalog.services[0].owner.as_str()), ("api", "team-a"));
    }

    #[test]
    fn oversized_undecodable_and_binary_files_are_problems() {
        let big = FileBody { kind: "file".into(), size: MAX_MANIFEST_BYTES + 1, encoding: Some("none".into()), content: Some(String::new()) };
        let message = |catalog: Catalog| catalog.problems[0].message.clone();
        assert!(message(read("a/catalog-info.yaml", &big)).contains("larger than 1048576 bytes"));
        assert!(message(read("a/catalog-info.yaml", &file("not base64!"))).contains("base64"));
        assert!(message(read("a/catalog-info.yaml", &file("//79"))).contains("not UTF-8"));
        let folder = FileBody { kind: "dir".into(), size: 0, encoding: None, content: None };
        assert!(message(read("a/catalog-info.yaml", &folder)).contains("not a file"));
    }
}
