//! Reading the action files named in the configuration.

use std::path::PathBuf;

use domain::actions::ActionDef;
use domain::actions::parse::{check_unique, parse_actions_with_lines};
use domain::catalog::Problem;

use crate::catalog_source::{display_name, manifest_files};

/// Action files larger than this are refused, as catalog manifests are.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The valid actions of every file, and every problem found, by file and line.
#[derive(Debug, Default)]
pub struct Definitions {
    pub actions: Vec<ActionDef>,
    pub problems: Vec<Problem>,
}

/// Reads every `.yaml`/`.yml` file under `paths`. A file with problems still gives its valid
/// actions; an id declared twice keeps the first.
pub fn load_definitions(paths: &[PathBuf]) -> Definitions {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for root in paths {
        let (files, problem) = manifest_files(root);
        problems.extend(problem);
        for file in files {
            let name = display_name(root, &file);
            let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            if size > MAX_FILE_BYTES {
                problems.push(Problem { file: name, line: None, field: None, message: format!("is larger than {MAX_FILE_BYTES} bytes") });
                continue;
            }
            let source = match std::fs::read(&file).map(String::from_utf8) {
                Ok(Ok(source)) => source,
                Ok(Err(_)) => {
                    problems.push(Problem { file: name, line: None, field: None, message: "is not UTF-8 text".to_owned() });
                    continue;
                }
                Err(error) => {
                    problems.push(Problem { file: name, line: None, field: None, message: format!("cannot be read: {error}") });
                    continue;
                }
            };
            let (actions, file_problems) = parse_actions_with_lines(&name, &source);
            problems.extend(file_problems);
            found.extend(actions.into_iter().map(|(action, line)| (action, name.clone(), line)));
        }
    }
    let (actions, duplicates) = check_unique(found);
    problems.extend(duplicates);
    Definitions { actions, problems }
}
