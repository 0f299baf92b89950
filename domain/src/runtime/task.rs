//! One-off tasks (a migration, a cache flush): a command run once beside an environment's
//! instances, on runtimes that can run one.

use std::collections::BTreeMap;
use std::time::Duration;

use super::ProviderError;

/// What to run: `command` with `inputs` as `PORTICO_INPUT_<NAME>` variables (never spliced
/// into the command), on the environment's `version` when it reports one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskSpec<'a> {
    pub command: &'a str,
    /// Input name to value, as text.
    pub inputs: BTreeMap<String, String>,
    pub version: Option<&'a str>,
    /// How long it may run before it is stopped.
    pub timeout: Duration,
}

impl TaskSpec<'_> {
    /// The variables the inputs become.
    pub fn input_variables(&self) -> impl Iterator<Item = (String, &str)> {
        self.inputs.iter().map(|(name, value)| (format!("PORTICO_INPUT_{}", name.to_uppercase()), value.as_str()))
    }
}

/// How a task did not succeed; `output` is the end of what it wrote.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    /// It could not be started, or this runtime cannot run tasks.
    #[error("{0}")]
    Provider(#[from] ProviderError),
    #[error("exited with code {code}\n{output}")]
    Exited { code: i32, output: String },
    #[error("killed by a signal\n{output}")]
    Killed { output: String },
    #[error("stopped: the action's time ran out\n{output}")]
    TimedOut { output: String },
    #[error("stopped: the run was cancelled\n{output}")]
    Cancelled { output: String },
}
