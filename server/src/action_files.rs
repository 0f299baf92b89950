//! Reading the action files named in the configuration, and starting the actions engine on
//! what they define.

use std::path::PathBuf;
use std::sync::Arc;

use actions::ActionEngine;
use domain::access::Policy;
use domain::actions::ActionDef;
use domain::actions::parse::{check_unique, parse_actions_with_lines};
use domain::catalog::Problem;

use runtimes::Runtimes;
use store::Store;

use crate::background::Background;
use crate::config::Config;
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

/// The engine on the valid actions of the action files (their problems are logged), with its
/// workers and sweeper owned by `background`: a stopping portal drops the loops and waits for
/// the runs they started.
pub fn start_engine(config: &Config, store: Store, runtimes: Arc<Runtimes>, policy: Arc<Policy>, background: &Background) -> anyhow::Result<Arc<ActionEngine>> {
    let loaded = load_definitions(&config.action_paths());
    for problem in &loaded.problems {
        tracing::error!(file = %problem.file, line = ?problem.line, field = ?problem.field, "action files: {}", problem.message);
    }
    tracing::info!(actions = loaded.actions.len(), problems = loaded.problems.len(), "action definitions read");
    let public_url = config.auth.public_url(config.listen);
    let engine = ActionEngine::new(&config.actions, loaded.actions, public_url.as_str(), store, runtimes, policy)?;
    background.spawn_loop(engine.clone().work(background.tracker()));
    background.spawn_loop(engine.clone().sweep());
    Ok(engine)
}
