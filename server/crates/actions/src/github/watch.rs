//! What the engine knows of a workflow run it follows between two looks: the run as last read
//! and the `ETag`s to ask GitHub with, so that a look at a run that has not moved is a `304`
//! that GitHub does not charge to the rate limit.

use super::wire;
use super::{WorkflowJob, WorkflowRun};

/// A followed run.
#[derive(Clone, Debug)]
pub struct RunWatch {
    run: WorkflowRun,
    run_etag: Option<String>,
    jobs_etag: Option<String>,
    /// Whether GitHub has shown the run at least once to this watch.
    seen: bool,
}

impl RunWatch {
    /// A watch of run `id`, not read yet.
    pub fn new(id: u64) -> Self {
        Self { run: WorkflowRun { id, ..WorkflowRun::queued() }, run_etag: None, jobs_etag: None, seen: false }
    }

    pub fn id(&self) -> u64 {
        self.run.id
    }

    /// The run as last read.
    pub fn run(&self) -> &WorkflowRun {
        &self.run
    }

    /// Whether GitHub has shown the run yet: until it has, a `404` may only mean that the run
    /// GitHub just named is not readable everywhere yet.
    pub fn seen(&self) -> bool {
        self.seen
    }

    pub(super) fn run_etag(&self) -> Option<&str> {
        self.run_etag.as_deref()
    }

    pub(super) fn jobs_etag(&self) -> Option<&str> {
        self.jobs_etag.as_deref()
    }

    /// Takes in a fresh read of the run, and of its jobs unless they had not changed.
    pub(super) fn update(&mut self, (run, run_etag): (wire::Run, Option<String>), jobs: Option<(wire::JobList, Option<String>)>) {
        self.run.html_url = run.html_url;
        self.run.status = run.status.unwrap_or_else(|| "queued".to_owned());
        self.run.conclusion = run.conclusion;
        self.run_etag = run_etag;
        if let Some((list, etag)) = jobs {
            self.run.jobs = list
                .jobs
                .into_iter()
                .map(|job| WorkflowJob { name: job.name, status: job.status, conclusion: job.conclusion, html_url: job.html_url })
                .collect();
            self.jobs_etag = etag;
        }
        self.seen = true;
    }
}
