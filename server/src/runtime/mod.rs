//! The runtimes services run on, behind the one [`domain::runtime::Runtime`] port: processes on
//! this host, Kubernetes Deployments and AWS ECS services.

pub mod dispatch;
pub mod ecs;
pub mod kubernetes;
pub mod local;
pub mod poller;
pub mod retry;

pub use dispatch::Runtimes;

use std::sync::Arc;
use std::time::Duration;

use crate::config::RuntimeConfig;
use crate::store::Store;

/// Builds every runtime from the configuration and starts the status poller, which also starts
/// the local environments' processes on its first round.
pub async fn start(config: &RuntimeConfig, store: &Store) -> Arc<Runtimes> {
    let limits = config.limits();
    let runtimes = Arc::new(Runtimes {
        local: Arc::new(local::LocalRuntime::default()),
        kubernetes: Arc::new(kubernetes::KubernetesRuntime::new(&config.kubernetes, limits)),
        ecs: Arc::new(ecs::EcsRuntime::from_config(&config.ecs, limits).await),
    });
    poller::spawn(store.clone(), runtimes.clone(), Duration::from_secs(config.poll_seconds.max(1)));
    runtimes
}
