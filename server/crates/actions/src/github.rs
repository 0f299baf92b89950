//! GitHub Actions for the `github_workflow` kind: start a workflow with `workflow_dispatch`,
//! find the run it started, and follow that run and its jobs.
//!
//! GitHub's dispatch endpoint names the run it started when asked with `return_run_details`
//! (documented since February 2026); GitHub Enterprise Server releases from before refuse that
//! key with 422, and are asked again without it, and the run is then found in the workflow's
//! run listing (see `find`). No message of this module carries the token.

mod find;
mod watch;
mod wire;

pub use find::RunSearch;
pub use watch::RunWatch;

use domain::actions::WorkflowDispatch;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::json;

use self::find::{Claimed, search_start};
use github_api::{Conditional, GithubApi, GithubError, encode};

/// Where the token is configured, for GitHub's refusals of it.
const TOKEN_SETTING: &str = "actions.github.token";

/// A workflow run as the engine follows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowRun {
    pub id: u64,
    /// The run's page on GitHub, for the portal run's links.
    pub html_url: String,
    /// `queued`, `in_progress`, `completed`, and GitHub's rarer `waiting`, `requested`, `pending`.
    pub status: String,
    /// Once completed: `success`, `failure`, `cancelled`, `timed_out`, `skipped`...
    pub conclusion: Option<String>,
    pub jobs: Vec<WorkflowJob>,
}

/// One job of a run (of its latest attempt).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowJob {
    pub name: String,
    pub status: String,
    pub conclusion: Option<String>,
    pub html_url: Option<String>,
}

impl WorkflowRun {
    /// A run GitHub has just accepted, before anything else is known of it.
    fn queued() -> Self {
        Self { id: 0, html_url: String::new(), status: "queued".to_owned(), conclusion: None, jobs: Vec::new() }
    }

    /// Whether the run has ended, however it ended.
    pub fn is_complete(&self) -> bool {
        self.status == "completed"
    }

    /// Whether it ended with conclusion `success`.
    pub fn succeeded(&self) -> bool {
        self.is_complete() && self.conclusion.as_deref() == Some("success")
    }
}

/// The actions engine's GitHub client.
#[derive(Clone)]
pub struct GithubActions {
    api: GithubApi,
    search: RunSearch,
    claimed: Claimed,
}

impl GithubActions {
    /// A client of the API at `api_url` (`https://api.github.com`, or a GitHub Enterprise
    /// Server's `https://HOST/api/v3`) that acts with `token`.
    pub fn new(api_url: &str, token: SecretString) -> anyhow::Result<Self> {
        let url = url::Url::parse(api_url).map_err(|e| anyhow::anyhow!("the GitHub API address {api_url:?} is not a URL: {e}"))?;
        let api = GithubApi::new(&url, token, TOKEN_SETTING)?;
        Ok(Self { api, search: RunSearch::default(), claimed: Claimed::default() })
    }

    /// The same client looking for dispatched runs as `search` says (tests wait less).
    pub fn with_run_search(mut self, search: RunSearch) -> Self {
        self.search = search;
        self
    }

    /// POSTs `/repos/{repo}/actions/workflows/{workflow}/dispatches` with `{ref, inputs}`, then
    /// finds the run it started and returns it.
    pub async fn dispatch(&self, dispatch: &WorkflowDispatch) -> Result<WorkflowRun, GithubError> {
        let workflow = format!("{}/actions/workflows/{}", repo_path(&dispatch.repo)?, encode(&dispatch.workflow));
        let path = format!("{workflow}/dispatches");
        let not_found = |e| named(e, || format!("workflow {} in {}", dispatch.workflow, dispatch.repo));
        let since = search_start(self.search.skew);
        let mut body = json!({ "ref": dispatch.git_ref, "inputs": dispatch.inputs, "return_run_details": true });
        let answer = match self.api.post(&path, &body).await {
            Err(GithubError::Invalid(message)) if message.contains("return_run_details") => {
                tracing::debug!(repo = %dispatch.repo, "GitHub does not know return_run_details; dispatching without it");
                if let Some(fields) = body.as_object_mut() {
                    fields.remove("return_run_details");
                }
                self.api.post(&path, &body).await
            }
            other => other,
        }
        .map_err(not_found)?;
        let found = match serde_json::from_str::<wire::DispatchDetails>(&answer) {
            Ok(details) => {
                self.claimed.claim(details.workflow_run_id);
                WorkflowRun { id: details.workflow_run_id, html_url: details.html_url, ..WorkflowRun::queued() }
            }
            Err(_) => self.find_run(&workflow, &dispatch.git_ref, since).await?,
        };
        tracing::info!(repo = %dispatch.repo, workflow = %dispatch.workflow, run = found.id, "workflow dispatched");
        // The run exists now: a failure to read it must not pass for a failed dispatch, which
        // the caller might send again. The caller reads the run again when it next looks.
        match self.run(&dispatch.repo, found.id).await {
            Ok(run) => Ok(run),
            Err(error) => {
                tracing::warn!(%error, run = found.id, "reading the dispatched run; it is followed from its next look");
                Ok(found)
            }
        }
    }

    /// The run's current status and its jobs, read afresh.
    pub async fn run(&self, repo: &str, run_id: u64) -> Result<WorkflowRun, GithubError> {
        let mut watch = RunWatch::new(run_id);
        self.look(repo, &mut watch).await?;
        Ok(watch.run().clone())
    }

    /// Reads the run again, conditionally: `false` when GitHub says it has not changed since the
    /// last look (a `304`, which costs no rate limit), `true` when `watch` now holds news. Its
    /// jobs are read only when the run changed, conditionally too.
    pub async fn look(&self, repo: &str, watch: &mut RunWatch) -> Result<bool, GithubError> {
        let id = watch.id();
        let path = format!("{}/actions/runs/{id}", repo_path(repo)?);
        let not_found = |e| named(e, || format!("run {id} in {repo}"));
        let run = match self.api.get_conditional::<wire::Run>(&path, watch.run_etag()).await.map_err(not_found)? {
            Conditional::Unchanged => return Ok(false),
            Conditional::Fresh { value, etag, .. } => (value, etag),
        };
        // The latest attempt's jobs; a run with more than 100 jobs shows its first 100.
        let jobs_path = format!("{path}/jobs?per_page=100");
        let jobs = match self.api.get_conditional::<wire::JobList>(&jobs_path, watch.jobs_etag()).await.map_err(not_found)? {
            Conditional::Unchanged => None,
            Conditional::Fresh { value, etag, .. } => Some((value, etag)),
        };
        watch.update(run, jobs);
        Ok(true)
    }

    /// Looks at the workflow's `workflow_dispatch` runs on `git_ref` until one started since
    /// `since` appears. Transient failures are looked past until the time is up: the workflow
    /// is already dispatched, and an error would invite a second dispatch.
    async fn find_run(&self, workflow: &str, git_ref: &str, since: time::OffsetDateTime) -> Result<WorkflowRun, GithubError> {
        let branch = git_ref.strip_prefix("refs/heads/").or_else(|| git_ref.strip_prefix("refs/tags/")).unwrap_or(git_ref);
        let path = format!("{workflow}/runs?event=workflow_dispatch&branch={}&per_page=20", encode(branch));
        let deadline = tokio::time::Instant::now() + self.search.timeout;
        loop {
            match self.api.get::<wire::RunList>(&path).await {
                Ok(list) => {
                    let taken = self.claimed.take_newest(&list.workflow_runs, since);
                    if let Some(run) = list.workflow_runs.into_iter().find(|run| Some(run.id) == taken) {
                        let status = run.status.unwrap_or_else(|| "queued".to_owned());
                        return Ok(WorkflowRun { id: run.id, html_url: run.html_url, status, conclusion: run.conclusion, jobs: Vec::new() });
                    }
                }
                Err(error) if error.is_transient() => tracing::debug!(%error, "listing workflow runs; trying again"),
                Err(error) => return Err(error),
            }
            if tokio::time::Instant::now() + self.search.interval > deadline {
                tracing::warn!(workflow, "the dispatched run did not appear in the listing");
                return Err(GithubError::NotFound("the run the dispatch started: it did not appear in the workflow's runs in time".to_owned()));
            }
            tokio::time::sleep(self.search.interval).await;
        }
    }
}

/// `/repos/{owner}/{name}`, each part encoded; `repo` must be `owner/name`.
fn repo_path(repo: &str) -> Result<String, GithubError> {
    github_api::repo_path(repo).ok_or_else(|| GithubError::Invalid(format!("{repo:?} is not a repository (owner/name)")))
}

/// A 404 names what was looked for; GitHub's own message is only "Not Found".
fn named(error: GithubError, what: impl FnOnce() -> String) -> GithubError {
    match error {
        GithubError::NotFound(_) => GithubError::NotFound(what()),
        other => other,
    }
}
