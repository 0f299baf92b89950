//! The `[runtime]` section: how often statuses are asked, the bounds of every call, and how to
//! reach Kubernetes clusters and AWS ECS. The configuration loader embeds it.

use std::collections::BTreeMap;
use std::time::Duration;

use figment::value::magic::RelativePathBuf;
use serde::Deserialize;
use url::Url;

/// Where services run: the `[runtime]` section.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuntimeConfig {
    /// How often, in seconds, every environment's status is asked of its runtime.
    pub poll_seconds: u64,
    /// How long one call to a runtime may take, in seconds, before it counts as timed out.
    pub timeout_seconds: u64,
    /// How many times a call that failed for a passing reason (unreachable, throttled, timed
    /// out) is tried again, with a growing pause.
    pub retries: u32,
    /// Kubernetes clusters by the name manifests use in `kubernetes.cluster`; `default` serves
    /// manifests that name none.
    pub kubernetes: BTreeMap<String, KubernetesClusterConfig>,
    pub ecs: EcsConfig,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self { poll_seconds: 10, timeout_seconds: 10, retries: 2, kubernetes: BTreeMap::new(), ecs: EcsConfig::default() }
    }
}

impl RuntimeConfig {
    pub fn limits(&self) -> CallLimits {
        CallLimits { timeout: Duration::from_secs(self.timeout_seconds.max(1)), retries: self.retries }
    }
}

/// The bounds every runtime call works within.
#[derive(Clone, Copy, Debug)]
pub struct CallLimits {
    pub timeout: Duration,
    pub retries: u32,
}

/// How to reach one Kubernetes cluster. With neither field set, the standard discovery is used:
/// `KUBECONFIG` or `~/.kube/config`, else the in-cluster service account.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KubernetesClusterConfig {
    /// A kubeconfig file; relative to the configuration file.
    pub kubeconfig: Option<RelativePathBuf>,
    /// The kubeconfig context to use; its current context when absent.
    pub context: Option<String>,
    /// Use the pod's service account (the portal runs inside this cluster).
    pub in_cluster: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EcsConfig {
    /// The region for manifests that name none; else the SDK's usual discovery (`AWS_REGION`,
    /// the profile).
    pub region: Option<String>,
    /// Another endpoint for the ECS and CloudWatch Logs APIs: a VPC endpoint, or an emulator in
    /// tests. Credentials always come from the SDK's standard chain.
    pub endpoint_url: Option<Url>,
}
