//! Reading the action files named in the configuration.

use std::path::PathBuf;

use domain::actions::ActionDef;
use domain::actions::parse::{check_unique, parse_actions_with_lines};
use domain::catalog::Problem;

use crate::yaml_files::yaml_files;

/// The valid actions of every file, and every problem found, by file and line.
#[derive(Debug, Default)]
pub struct Definitions {
    pub actions: Vec<ActionDef>,
    pub problems: Vec<Problem>,
}

/// Reads every YAML file under `paths` (see [`crate::yaml_files`]). A file with problems still gives its valid
/// actions; an id declared twice keeps the first.
pub fn load_definitions(paths: &[PathBuf]) -> Definitions {
    let (files, mut problems) = yaml_files(paths);
    let mut found = Vec::new();
    for file in files {
        let source = match file.read() {
            Ok(source) => source,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let (actions, file_problems) = parse_actions_with_lines(&file.name, &source);
        problems.extend(file_problems);
        found.extend(actions.into_iter().map(|(action, line)| (action, file.name.clone(), line)));
    }
    let (actions, duplicates) = check_unique(found);
    problems.extend(duplicates);
    Definitions { actions, problems }
}
