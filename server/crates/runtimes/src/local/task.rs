//! One-off tasks on the local runtime: the command runs once, like the environment's own
//! processes (same folder, same variables, its own process group), with the run's inputs as
//! `PORTICO_INPUT_<NAME>` variables.

use std::collections::BTreeMap;

use domain::catalog::LocalTarget;
use domain::runtime::{Placement, ProviderError, TaskError, TaskSpec};
use tokio::io::{AsyncRead, AsyncReadExt};

use super::process::{Launch, spawn, terminate};

/// The most of a task's output the run keeps: its end, where errors are.
const KEPT_OUTPUT: usize = 64 * 1024;

/// How a task ended early.
enum Stop {
    TimedOut,
    Cancelled,
}

/// Runs the task to its end, or until `cancelled` completes (then the task's whole process
/// group is stopped); the output (stdout then stderr) on success, or why it failed.
pub(super) async fn run(at: &Placement, target: &LocalTarget, task: TaskSpec<'_>, cancelled: impl Future<Output = ()>) -> Result<String, TaskError> {
    let mut env: BTreeMap<String, String> = target.env.clone();
    env.extend(task.input_variables().map(|(name, value)| (name, value.to_owned())));
    let launch = Launch {
        command: task.command,
        workdir: target.workdir.as_deref(),
        env: &env,
        service: &at.service,
        environment: &at.environment.name,
        version: task.version,
        replica: 0,
    };
    let mut child = spawn(&launch).map_err(|e| ProviderError::Failed(format!("cannot start the task: {e}")))?;
    let stdout = child.stdout.take().map(|out| tokio::spawn(read_all(out)));
    let stderr = child.stderr.take().map(|err| tokio::spawn(read_all(err)));
    let ended = tokio::select! {
        status = child.wait() => Ok(status),
        () = tokio::time::sleep(task.timeout) => Err(Stop::TimedOut),
        () = cancelled => Err(Stop::Cancelled),
    };
    let (code, stopped) = match ended {
        Ok(Ok(status)) => (status.code(), None),
        Ok(Err(error)) => return Err(ProviderError::Failed(format!("cannot wait for the task: {error}")).into()),
        Err(stop) => (terminate(&mut child).await, Some(stop)),
    };
    let mut output = String::new();
    for reader in [stdout, stderr].into_iter().flatten() {
        output.push_str(&reader.await.unwrap_or_default());
    }
    let output = tail(&output);
    match (code, stopped) {
        (_, Some(Stop::TimedOut)) => Err(TaskError::TimedOut { output }),
        (_, Some(Stop::Cancelled)) => Err(TaskError::Cancelled { output }),
        (Some(0), None) => Ok(output),
        (Some(code), None) => Err(TaskError::Exited { code, output }),
        (None, None) => Err(TaskError::Killed { output }),
    }
}

/// Reads a stream to its end, keeping only its last part, so a chatty task cannot fill memory.
async fn read_all(mut reader: impl AsyncRead + Unpin) -> String {
    let mut kept = Vec::new();
    let mut chunk = vec![0_u8; 8192];
    while let Ok(read) = reader.read(&mut chunk).await {
        if read == 0 {
            break;
        }
        kept.extend_from_slice(&chunk[..read]);
        if kept.len() > 2 * KEPT_OUTPUT {
            kept.drain(..kept.len() - KEPT_OUTPUT);
        }
    }
    String::from_utf8_lossy(&kept).into_owned()
}

/// The last [`KEPT_OUTPUT`] bytes, cut at a character boundary.
fn tail(text: &str) -> String {
    if text.len() <= KEPT_OUTPUT {
        return text.to_owned();
    }
    let mut start = text.len() - KEPT_OUTPUT;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("[earlier output cut]\n{}", &text[start..])
}
