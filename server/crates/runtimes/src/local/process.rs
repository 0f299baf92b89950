//! One process of a local environment: how it is started, and how it is stopped with
//! everything it started.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Duration;

use rustix::process::{Pid, Signal, kill_process_group};
use tokio::process::{Child, Command};

/// How long a process has to exit after SIGTERM before it gets SIGKILL.
pub const STOP_GRACE: Duration = Duration::from_secs(5);

/// Variables passed on from the portal's own environment. Nothing else is: the portal's
/// environment holds its database URL, GitHub secret and cloud credentials.
const INHERITED: [&str; 5] = ["PATH", "HOME", "LANG", "TZ", "TMPDIR"];

/// What a process is started with.
pub struct Launch<'a> {
    pub command: &'a str,
    pub workdir: Option<&'a str>,
    pub env: &'a BTreeMap<String, String>,
    pub service: &'a str,
    pub environment: &'a str,
    pub version: Option<&'a str>,
    pub replica: u32,
}

/// Starts the command with `/bin/sh -c` in a process group of its own, so that stopping it
/// also stops whatever the shell started.
pub fn spawn(launch: &Launch<'_>) -> std::io::Result<Child> {
    let mut command = Command::new("/bin/sh");
    command.arg("-c").arg(launch.command).env_clear();
    for name in INHERITED {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    command
        .envs(launch.env)
        .env("PORTICO_SERVICE", launch.service)
        .env("PORTICO_ENVIRONMENT", launch.environment)
        .env("PORTICO_VERSION", launch.version.unwrap_or_default())
        .env("PORTICO_REPLICA", launch.replica.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    if let Some(folder) = launch.workdir {
        command.current_dir(folder);
    }
    command.spawn()
}

/// Asks the process group to stop, and kills it if it has not exited after [`STOP_GRACE`].
/// Returns the exit code, if the process had one.
pub async fn terminate(child: &mut Child) -> Option<i32> {
    let group = child.id().and_then(|pid| i32::try_from(pid).ok()).and_then(Pid::from_raw);
    if let Some(group) = group {
        // An error means the group is already gone.
        let _gone = kill_process_group(group, Signal::TERM);
    }
    let status = match tokio::time::timeout(STOP_GRACE, child.wait()).await {
        Ok(status) => status.ok(),
        Err(_) => {
            if let Some(group) = group {
                let _gone = kill_process_group(group, Signal::KILL);
            }
            child.wait().await.ok()
        }
    };
    // Children of the shell that ignored SIGTERM go with the group.
    if let Some(group) = group {
        let _gone = kill_process_group(group, Signal::KILL);
    }
    status.and_then(|status| status.code())
}
