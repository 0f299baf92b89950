//! The `[actions]` section: where action definitions are read from and how runs are executed.

use figment::value::magic::RelativePathBuf;
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ActionsConfig {
    /// Action files (YAML) or folders of them. Relative paths in the config file are relative
    /// to that file.
    pub paths: Vec<RelativePathBuf>,
    /// Runs one portal executes at the same time.
    pub workers: u32,
    /// How long, in seconds, a portal's claim on a running run stands without being renewed.
    /// A portal that stops mid-run (a crash, SIGKILL) leaves its runs to be taken over by any
    /// portal once the claim lapses.
    pub lease_seconds: u64,
    /// How often, in milliseconds, idle workers look for runs queued by another portal (runs
    /// queued by this portal wake them at once).
    pub poll_millis: u64,
    /// A Slack-compatible incoming webhook told when a run needs approval and when one ends.
    /// Secret: the URL is the credential.
    pub notify_url: Option<SecretString>,
    pub github: ActionsGithubConfig,
}

impl Default for ActionsConfig {
    fn default() -> Self {
        Self { paths: Vec::new(), workers: 8, lease_seconds: 30, poll_millis: 500, notify_url: None, github: ActionsGithubConfig::default() }
    }
}

/// The GitHub API `github_workflow` actions call.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ActionsGithubConfig {
    pub api_url: String,
    /// A token that may dispatch workflows (`actions: write`) in the repositories actions name.
    pub token: Option<SecretString>,
    /// How often a followed workflow run is read while it moves, in milliseconds; while GitHub
    /// says it has not changed, they slow down to one every six times that. Each read of an unchanged run
    /// is a conditional request GitHub does not charge.
    pub poll_millis: u64,
}

impl Default for ActionsGithubConfig {
    fn default() -> Self {
        Self { api_url: "https://api.github.com".to_owned(), token: None, poll_millis: 10_000 }
    }
}
