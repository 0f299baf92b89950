use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// How an environment is doing, in one word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    /// Every desired instance is ready and up to date.
    Healthy,
    /// A rollout or a scale change is under way.
    Progressing,
    /// Fewer instances are ready than desired.
    Degraded,
    /// Instances exited unexpectedly and are not running.
    Crashed,
    /// Scaled to zero, or stopped on purpose.
    Stopped,
    Unknown,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Healthy => "healthy",
            Self::Progressing => "progressing",
            Self::Degraded => "degraded",
            Self::Crashed => "crashed",
            Self::Stopped => "stopped",
            Self::Unknown => "unknown",
        }
    }

    pub fn parse(text: &str) -> Self {
        [Self::Healthy, Self::Progressing, Self::Degraded, Self::Crashed, Self::Stopped]
            .into_iter()
            .find(|health| health.as_str() == text)
            .unwrap_or(Self::Unknown)
    }
}

/// One running unit: a process, a pod, an ECS task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    /// The process id, pod name or task id.
    pub id: String,
    /// running, exited, pending, crashed...: the runtime's own word.
    pub state: String,
    pub version: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub started_at: Option<OffsetDateTime>,
    pub restarts: u32,
    /// Why it is in that state, when the runtime says (exit code, waiting reason).
    pub detail: Option<String>,
}

/// What runs in one environment, as a runtime reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeStatus {
    /// The version running: an image tag or digest, a commit, or a local label.
    pub version: Option<String>,
    pub desired: u32,
    pub ready: u32,
    /// Instances already on the latest revision, where the runtime tracks it.
    pub updated: Option<u32>,
    pub health: Health,
    /// When the running version was deployed.
    #[serde(with = "time::serde::rfc3339::option")]
    pub deployed_at: Option<OffsetDateTime>,
    /// The runtime's revision: a Deployment revision, a task definition, a start count.
    pub revision: Option<String>,
    /// Conditions and events worth reading, one sentence each.
    pub conditions: Vec<String>,
    pub instances: Vec<Instance>,
}

impl RuntimeStatus {
    /// The health that the replica counts alone imply, for runtimes that report no more.
    pub fn health_from_counts(desired: u32, ready: u32, updated: Option<u32>) -> Health {
        if desired == 0 {
            Health::Stopped
        } else if updated.is_some_and(|updated| updated < desired) {
            Health::Progressing
        } else if ready >= desired {
            Health::Healthy
        } else {
            Health::Degraded
        }
    }
}
