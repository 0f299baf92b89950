//! The actions engine's GitHub client against the GitHub double: dispatching a workflow,
//! finding the run it started (named in the answer, or found in the listing), following it to
//! its end, and GitHub's refusals, none of which may show the token.

use std::collections::BTreeMap;
use std::time::Duration;

use domain::actions::WorkflowDispatch;
use github_double::{DoubleConfig, FakeUser, FakeWorkflow, GithubDouble};
use secrecy::SecretString;
use actions::github::{GithubActions, RunSearch, RunWatch, WorkflowRun};
use github_api::GithubError;

const REPO: &str = "acme/checkout";

/// The double with the portal's account and two workflows: `deploy.yml`, which takes a
/// version and succeeds, and `fails.yml`, whose `deploy` job fails.
async fn github() -> (GithubDouble, String) {
    let bot = FakeUser { login: "portico-bot".into(), id: 901, name: None, email: None, orgs: vec!["acme".into()], teams: vec![] };
    let github = GithubDouble::spawn(DoubleConfig::new(vec![bot])).await.expect("GitHub double starts");
    github.put_workflow(REPO, FakeWorkflow::new("deploy.yml").with_inputs(&["version", "environment"]));
    github.put_workflow(REPO, FakeWorkflow { fails: true, ..FakeWorkflow::new("fails.yml") });
    let token = github.mint_token("portico-bot").expect("the bot exists");
    (github, token)
}

fn client(github: &GithubDouble, token: &str) -> GithubActions {
    let search = RunSearch { interval: Duration::from_millis(50), timeout: Duration::from_secs(2), skew: Duration::from_secs(5) };
    GithubActions::new(&github.base_url(), SecretString::from(token.to_owned())).expect("client").with_run_search(search)
}

fn dispatch(workflow: &str, git_ref: &str, inputs: &[(&str, &str)]) -> WorkflowDispatch {
    WorkflowDispatch {
        repo: REPO.into(),
        workflow: workflow.into(),
        git_ref: git_ref.into(),
        inputs: inputs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect::<BTreeMap<_, _>>(),
    }
}

/// Reads the run until it completes, as the engine polls it.
async fn follow(actions: &GithubActions, mut run: WorkflowRun) -> WorkflowRun {
    for _ in 0..10 {
        if run.is_complete() {
            return run;
        }
        run = actions.run(REPO, run.id).await.expect("the run can be read");
    }
    panic!("the run never completed: {run:?}");
}

fn job_states(run: &WorkflowRun) -> Vec<(String, String, Option<String>)> {
    run.jobs.iter().map(|job| (job.name.clone(), job.status.clone(), job.conclusion.clone())).collect()
}

fn owned(job: &str, status: &str, conclusion: Option<&str>) -> (String, String, Option<String>) {
    (job.to_owned(), status.to_owned(), conclusion.map(str::to_owned))
}

#[tokio::test]
async fn a_dispatch_links_its_run_and_following_it_reaches_success() {
    let (github, token) = github().await;
    let actions = client(&github, &token);
    let run = actions.dispatch(&dispatch("deploy.yml", "main", &[("version", "1.4.2"), ("environment", "prod")])).await.expect("dispatched");
    assert!(run.id > u64::from(u32::MAX), "run ids do not fit 32 bits on GitHub either");
    assert_eq!(run.html_url, format!("{}/{REPO}/actions/runs/{}", github.base_url(), run.id));
    assert!(!run.is_complete(), "{run:?}");
    assert_eq!(github.run_inputs(run.id), Some(serde_json::json!({ "version": "1.4.2", "environment": "prod" })));
    assert_eq!(job_states(&run), [owned("build", "in_progress", None), owned("deploy", "queued", None)]);

    let done = follow(&actions, run.clone()).await;
    assert_eq!(done.id, run.id);
    assert!(done.succeeded(), "{done:?}");
    assert_eq!(done.conclusion.as_deref(), Some("success"));
    assert_eq!(job_states(&done), [owned("build", "completed", Some("success")), owned("deploy", "completed", Some("success"))]);
    assert!(done.jobs.iter().all(|job| job.html_url.as_deref().is_some_and(|url| url.starts_with(&run.html_url))), "{done:?}");
    assert_eq!(github.runs_started(), 1);
}

#[tokio::test]
async fn a_followed_run_that_has_not_changed_costs_no_rate_limit() {
    let (github, token) = github().await;
    let actions = client(&github, &token);
    let run = actions.dispatch(&dispatch("deploy.yml", "main", &[("version", "1"), ("environment", "dev")])).await.expect("dispatched");
    let mut watch = RunWatch::new(run.id);
    let mut looks = 0;
    while !watch.run().is_complete() {
        assert!(actions.look(REPO, &mut watch).await.expect("a look"), "a moving run is news at every look");
        looks += 1;
        assert!(looks < 10, "the run never completed");
    }
    assert!(watch.run().succeeded(), "{:?}", watch.run());
    assert_eq!(watch.run().jobs.len(), 2, "its jobs were read with it");
    let (calls, charged) = (github.api_calls(), github.charged_calls());
    for _ in 0..5 {
        assert!(!actions.look(REPO, &mut watch).await.expect("a look"), "nothing changed");
    }
    assert_eq!(github.api_calls() - calls, 5, "one conditional read of the run per look, and no jobs read");
    assert_eq!(github.charged_calls(), charged, "every look was a 304");
    assert!(watch.run().succeeded(), "the run as read before stands");
}

#[tokio::test]
async fn without_run_details_each_dispatch_finds_its_own_run_in_the_listing() {
    let (github, token) = github().await;
    // As GitHub Enterprise Server releases before `return_run_details`: 422 for the key.
    github.set_run_details(false);
    let actions = client(&github, &token);
    let first = actions.dispatch(&dispatch("deploy.yml", "refs/heads/main", &[("version", "1")])).await.expect("first dispatch");
    let second = actions.clone().dispatch(&dispatch("deploy.yml", "main", &[("version", "2")])).await.expect("second dispatch");
    assert_ne!(first.id, second.id, "the second dispatch does not take the first one's run");
    assert_eq!(github.runs_started(), 2, "each dispatch was sent once");
    assert_eq!(github.run_inputs(second.id), Some(serde_json::json!({ "version": "2" })));
    assert!(follow(&actions, second).await.succeeded());
}

#[tokio::test]
async fn a_failing_workflow_ends_in_failure() {
    let (github, token) = github().await;
    let actions = client(&github, &token);
    let run = actions.dispatch(&dispatch("fails.yml", "main", &[])).await.expect("dispatched");
    let done = follow(&actions, run).await;
    assert!(done.is_complete() && !done.succeeded(), "{done:?}");
    assert_eq!(done.conclusion.as_deref(), Some("failure"));
    assert_eq!(job_states(&done), [owned("build", "completed", Some("success")), owned("deploy", "completed", Some("failure"))]);
}

#[tokio::test]
async fn a_bad_ref_or_input_is_invalid_with_githubs_message() {
    let (github, token) = github().await;
    let actions = client(&github, &token);
    match actions.dispatch(&dispatch("deploy.yml", "no-such-branch", &[])).await {
        Err(GithubError::Invalid(message)) => assert_eq!(message, "No ref found for: no-such-branch"),
        other => panic!("expected Invalid, got {other:?}"),
    }
    let error = actions.dispatch(&dispatch("deploy.yml", "main", &[("colour", "blue")])).await.expect_err("unknown input");
    assert!(matches!(&error, GithubError::Invalid(m) if m == "Unexpected inputs provided: [\"colour\"]"), "{error:?}");
    assert!(!error.is_transient());
    assert_eq!(github.runs_started(), 0);
}

#[tokio::test]
async fn an_unknown_workflow_or_run_is_not_found() {
    let (github, token) = github().await;
    let actions = client(&github, &token);
    let error = actions.dispatch(&dispatch("nope.yml", "main", &[])).await.expect_err("no such workflow");
    assert!(matches!(&error, GithubError::NotFound(what) if what.contains("nope.yml") && what.contains(REPO)), "{error:?}");
    let error = actions.run(REPO, 42).await.expect_err("no such run");
    assert!(matches!(&error, GithubError::NotFound(what) if what.contains("42")), "{error:?}");
}

#[tokio::test]
async fn a_refused_token_is_unauthorized_and_never_shown() {
    let (github, _) = github().await;
    let token = "ghp_not-a-token-github-knows-0123456789";
    let actions = client(&github, token);
    let error = actions.dispatch(&dispatch("deploy.yml", "main", &[])).await.expect_err("refused");
    assert!(matches!(error, GithubError::Unauthorized { .. }), "{error:?}");
    assert!(!error.to_string().contains(token) && !format!("{error:?}").contains(token));
    assert!(matches!(actions.run(REPO, 1).await, Err(GithubError::Unauthorized { .. })));
}

#[tokio::test]
async fn an_unreachable_github_is_transient_and_never_shows_the_token() {
    // A port nothing listens on any more.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    drop(listener);
    let token = "ghp_secret-token-for-the-unreachable-test";
    let actions = GithubActions::new(&url, SecretString::from(token)).expect("client");
    let error = actions.dispatch(&dispatch("deploy.yml", "main", &[])).await.expect_err("nothing answers");
    assert!(matches!(error, GithubError::Unreachable(_)), "{error:?}");
    assert!(error.is_transient());
    assert!(!error.to_string().contains(token) && !format!("{error:?}").contains(token));
}
