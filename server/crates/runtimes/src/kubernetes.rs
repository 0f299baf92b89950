//! Kubernetes Deployments as a [`Runtime`]. Status comes from the Deployment, its current
//! ReplicaSet and its pods; the actions send the same patches as `kubectl rollout restart`,
//! `kubectl scale` and `kubectl set image`; logs are followed from every pod of the Deployment.

mod api;
mod clusters;
mod error;
mod image;
mod instances;
mod logs;
mod patches;
mod status;

use std::collections::BTreeMap;

use domain::catalog::{KubernetesTarget, RuntimeTarget};
use domain::runtime::{LogStream, Placement, ProviderError, Runtime, RuntimeStatus};
use domain::future::BoxFuture;

use self::api::DeploymentRef;
use self::clusters::Clusters;
use crate::config::{CallLimits, KubernetesClusterConfig};

/// Deployments in the configured clusters, reached through one cached client per cluster.
pub struct KubernetesRuntime {
    clusters: Clusters,
    limits: CallLimits,
}

impl KubernetesRuntime {
    /// Nothing is read or connected here: each cluster's client is built on its first use, so
    /// a cluster that cannot be configured only fails the environments that run on it.
    pub fn new(clusters: &BTreeMap<String, KubernetesClusterConfig>, limits: CallLimits) -> Self {
        Self { clusters: Clusters::new(clusters), limits }
    }

    async fn deployment(&self, at: &Placement) -> Result<DeploymentRef, ProviderError> {
        let target = kubernetes_target(at)?;
        let cluster = target.cluster.as_deref().unwrap_or(clusters::DEFAULT);
        let client = self.clusters.client(cluster).await?;
        Ok(DeploymentRef::new(client, cluster, target, self.limits))
    }
}

fn kubernetes_target(at: &Placement) -> Result<&KubernetesTarget, ProviderError> {
    match &at.environment.target {
        RuntimeTarget::Kubernetes(target) => Ok(target),
        other => Err(ProviderError::Invalid(format!(
            "environment `{}` of `{}` runs on {}, not on Kubernetes",
            at.environment.name,
            at.service,
            other.kind()
        ))),
    }
}

impl Runtime for KubernetesRuntime {
    fn status<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<RuntimeStatus, ProviderError>> {
        Box::pin(async move {
            let deployment = self.deployment(at).await?;
            let current = deployment.read().await?;
            let selector = status::selector(&current, &deployment.name())?;
            let (pods, replica_sets) = tokio::try_join!(deployment.pods(&selector), deployment.replica_sets(&selector))?;
            status::runtime_status(&current, &pods, &replica_sets, deployment.container(), &deployment.name())
        })
    }

    fn start<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            let deployment = self.deployment(at).await?;
            let current = deployment.read().await?;
            match patches::start(&current) {
                Some(patch) => deployment.merge_patch("starting", &patch).await,
                None => Ok(()),
            }
        })
    }

    fn stop<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            let deployment = self.deployment(at).await?;
            let current = deployment.read().await?;
            match patches::stop(&current) {
                Some(patch) => deployment.merge_patch("stopping", &patch).await,
                None => Ok(()),
            }
        })
    }

    fn restart<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            let deployment = self.deployment(at).await?;
            deployment.strategic_patch("restarting", &patches::restart(time::OffsetDateTime::now_utc())?).await
        })
    }

    fn scale<'a>(&'a self, at: &'a Placement, replicas: u32) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            let replicas = i32::try_from(replicas)
                .map_err(|_| ProviderError::Invalid(format!("{replicas} replicas is more than Kubernetes allows")))?;
            let deployment = self.deployment(at).await?;
            deployment.merge_patch("scaling", &patches::scale(replicas)).await
        })
    }

    fn set_version<'a>(&'a self, at: &'a Placement, version: &'a str) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            let deployment = self.deployment(at).await?;
            let current = deployment.read().await?;
            let container = status::chosen_container(&current, deployment.container(), &deployment.name())?;
            let image = image::with_version(container.image.as_deref().unwrap_or_default(), version)?;
            deployment.strategic_patch("deploying a version to", &patches::image(&container.name, &image)).await
        })
    }

    fn logs<'a>(&'a self, at: &'a Placement, tail: u32) -> BoxFuture<'a, Result<LogStream, ProviderError>> {
        Box::pin(async move {
            let deployment = self.deployment(at).await?;
            let current = deployment.read().await?;
            let selector = status::selector(&current, &deployment.name())?;
            logs::follow(deployment, selector, tail).await
        })
    }
}
