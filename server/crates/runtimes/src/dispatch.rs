//! One `Runtime` over all of them: each call goes to the runtime the environment is on.

use std::sync::Arc;

use domain::catalog::RuntimeTarget;
use domain::runtime::{LogStream, Placement, ProviderError, Runtime, RuntimeStatus, TaskError, TaskSpec};
use domain::future::BoxFuture;

use super::local::LocalRuntime;

/// The portal's runtimes. Kubernetes and ECS are only reached when an environment names them.
pub struct Runtimes {
    pub local: Arc<LocalRuntime>,
    pub kubernetes: Arc<dyn Runtime>,
    pub ecs: Arc<dyn Runtime>,
}

impl Runtimes {
    fn of(&self, at: &Placement) -> &dyn Runtime {
        match at.environment.target {
            RuntimeTarget::Local(_) => self.local.as_ref(),
            RuntimeTarget::Kubernetes(_) => self.kubernetes.as_ref(),
            RuntimeTarget::Ecs(_) => self.ecs.as_ref(),
        }
    }
}

impl Runtime for Runtimes {
    fn status<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<RuntimeStatus, ProviderError>> {
        self.of(at).status(at)
    }

    fn start<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>> {
        self.of(at).start(at)
    }

    fn stop<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>> {
        self.of(at).stop(at)
    }

    fn restart<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>> {
        self.of(at).restart(at)
    }

    fn scale<'a>(&'a self, at: &'a Placement, replicas: u32) -> BoxFuture<'a, Result<(), ProviderError>> {
        self.of(at).scale(at, replicas)
    }

    fn set_version<'a>(&'a self, at: &'a Placement, version: &'a str) -> BoxFuture<'a, Result<(), ProviderError>> {
        self.of(at).set_version(at, version)
    }

    fn logs<'a>(&'a self, at: &'a Placement, tail: u32) -> BoxFuture<'a, Result<LogStream, ProviderError>> {
        self.of(at).logs(at, tail)
    }

    fn run_task<'a>(&'a self, at: &'a Placement, task: TaskSpec<'a>, cancelled: BoxFuture<'a, ()>) -> BoxFuture<'a, Result<String, TaskError>> {
        self.of(at).run_task(at, task, cancelled)
    }
}
