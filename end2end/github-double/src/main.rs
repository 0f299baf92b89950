//! `github-double`: the GitHub double as a process, for the browser tests.
//!
//! Prints exactly one line, `listening on http://127.0.0.1:PORT`, once it accepts
//! connections, then serves until it is killed.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use github_double::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DoubleConfig, FakeRepo, FakeUser, FakeWorkflow,
    GithubDouble,
};

/// A local stand-in for GitHub's OAuth web flow and REST API.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Port on 127.0.0.1; 0 picks a free one (read it from the printed line).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// JSON file holding an array of users: {login, id, name, email, orgs, teams}.
    #[arg(long)]
    users: PathBuf,
    /// JSON file holding each organisation's repositories:
    /// {"org": [{name, default_branch, archived, files: {path: text}}]}.
    #[arg(long)]
    repos: Option<PathBuf>,
    /// JSON file holding each repository's `workflow_dispatch` workflows:
    /// {"owner/repo": [{file, inputs: [name], refs: [branch or tag], fails}]}.
    #[arg(long)]
    workflows: Option<PathBuf>,
    /// `LOGIN=TOKEN`: accept TOKEN as an API token of LOGIN (repeatable).
    #[arg(long = "token", value_name = "LOGIN=TOKEN")]
    tokens: Vec<String>,
    /// An organisation whose OAuth-app restrictions hide it from the app (repeatable).
    #[arg(long = "restricted-org", value_name = "ORG")]
    restricted_orgs: Vec<String>,
    /// Serve the REST API under this path, as GitHub Enterprise Server does (`/api/v3`).
    #[arg(long, default_value = "")]
    api_prefix: String,
    /// The OAuth app's client id.
    #[arg(long, default_value = DEFAULT_CLIENT_ID)]
    client_id: String,
    /// The OAuth app's client secret.
    #[arg(long, default_value = DEFAULT_CLIENT_SECRET)]
    client_secret: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("github-double: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let text = std::fs::read_to_string(&args.users)
        .map_err(|error| format!("cannot read {}: {error}", args.users.display()))?;
    let users: Vec<FakeUser> = serde_json::from_str(&text).map_err(|error| {
        format!(
            "{} is not a JSON array of users: {error}",
            args.users.display()
        )
    })?;
    let repos: BTreeMap<String, Vec<FakeRepo>> = match &args.repos {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            serde_json::from_str(&text).map_err(|error| {
                format!(
                    "{} is not a JSON object of repositories by organisation: {error}",
                    path.display()
                )
            })?
        }
        None => BTreeMap::new(),
    };
    let workflows: BTreeMap<String, Vec<FakeWorkflow>> = match &args.workflows {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            serde_json::from_str(&text).map_err(|error| {
                format!(
                    "{} is not a JSON object of workflows by repository: {error}",
                    path.display()
                )
            })?
        }
        None => BTreeMap::new(),
    };
    let config = DoubleConfig {
        client_id: args.client_id,
        client_secret: args.client_secret,
        users,
        restricted_orgs: args.restricted_orgs,
        api_prefix: args.api_prefix,
    };
    let double = GithubDouble::spawn_on(config, args.port)
        .await
        .map_err(|error| format!("cannot listen on port {}: {error}", args.port))?;
    for (org, repos) in repos {
        for repo in repos {
            double.put_repository(&org, repo);
        }
    }
    for pair in &args.tokens {
        let Some((login, token)) = pair.split_once('=') else {
            return Err(format!("--token {pair}: write it as LOGIN=TOKEN"));
        };
        if !double.accept_token(login, token) {
            return Err(format!("--token {pair}: no user {login} in the users file"));
        }
    }
    for (repo, workflows) in workflows {
        for workflow in workflows {
            double.put_workflow(&repo, workflow);
        }
    }

    // The test harness waits for this line; flush so it is not stuck in a buffer.
    let mut stdout = std::io::stdout();
    writeln!(stdout, "listening on {}", double.base_url())
        .and_then(|()| stdout.flush())
        .map_err(|error| format!("cannot write to stdout: {error}"))?;

    tokio::signal::ctrl_c()
        .await
        .map_err(|error| format!("cannot wait for Ctrl-C: {error}"))?;
    drop(double);
    Ok(())
}
