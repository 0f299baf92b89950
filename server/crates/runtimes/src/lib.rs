//! The runtimes services run on, behind the one [`domain::runtime::Runtime`] port: processes on
//! this host, Kubernetes Deployments and AWS ECS services; and the live-log hub that fans their
//! logs out to every follower. It knows nothing of the portal but `domain`.

pub mod config;
pub mod dispatch;
pub mod ecs;
pub mod kubernetes;
pub mod local;
pub mod logs;
pub mod retry;

pub use dispatch::Runtimes;

use std::sync::Arc;

use domain::runtime::LocalDeployments;

use self::config::RuntimeConfig;

/// Builds every runtime from the configuration; the local one keeps its deployed versions in
/// `kept` and starts with those kept before.
pub async fn start(config: &RuntimeConfig, kept: Arc<dyn LocalDeployments>) -> Arc<Runtimes> {
    let limits = config.limits();
    Arc::new(Runtimes {
        local: Arc::new(local::LocalRuntime::keeping(kept).await),
        kubernetes: Arc::new(kubernetes::KubernetesRuntime::new(&config.kubernetes, limits)),
        ecs: Arc::new(ecs::EcsRuntime::from_config(&config.ecs, limits).await),
    })
}
