//! Where a service runs: its environments, in promotion order, each on one runtime.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One environment of a service (`spec.environments[]`): dev, staging, prod...
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Environment {
    /// Unique within the service; the same rules as entity names.
    pub name: String,
    /// Production environments have their log reading audited and, with actions, ask for
    /// confirmation. A manifest may set it; the portal's configuration
    /// ([`super::ProductionNames`]) sets it for the names it lists, and a manifest cannot unset it.
    pub production: bool,
    pub target: RuntimeTarget,
    /// The manifest line the environment starts on (0 when not read from a manifest).
    #[serde(default)]
    pub line: usize,
}

/// The runtime an environment is deployed on and what identifies it there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuntimeTarget {
    Local(LocalTarget),
    Kubernetes(KubernetesTarget),
    Ecs(EcsTarget),
}

impl RuntimeTarget {
    /// The runtime's name, as written in manifests and shown on pages.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Local(_) => "local",
            Self::Kubernetes(_) => "kubernetes",
            Self::Ecs(_) => "ecs",
        }
    }
}

/// Processes on the portal's own host, started from a shell command.
///
/// A command runs with the portal's privileges, so it is only accepted from catalog folders on
/// the portal's host: the sources that read manifests from elsewhere (GitHub) refuse it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalTarget {
    /// Run with `/bin/sh -c`.
    pub command: String,
    /// How many processes to keep running.
    pub replicas: u32,
    /// The version the processes are started with (`PORTICO_VERSION`), until one is deployed.
    pub version: Option<String>,
    /// Extra environment variables for the processes.
    pub env: BTreeMap<String, String>,
    /// The folder the command runs in: the manifest's own folder, filled in by the source that
    /// read it (`None` when the source has no folder on this host).
    pub workdir: Option<String>,
}

/// A Deployment in a Kubernetes cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KubernetesTarget {
    /// A cluster named in the portal's configuration; `None` for the default one.
    pub cluster: Option<String>,
    pub namespace: String,
    pub deployment: String,
    /// The container whose image is the version and whose logs are shown; the first one when
    /// `None`.
    pub container: Option<String>,
}

/// A service in an AWS ECS cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EcsTarget {
    /// The region; the portal's configured default when `None`.
    pub region: Option<String>,
    pub cluster: String,
    pub service: String,
    /// The CloudWatch Logs group; read from the task definition's `awslogs` settings when `None`.
    pub log_group: Option<String>,
}
