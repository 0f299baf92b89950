//! Delivery: how code reaches the environments. The deployment history: every version an
//! environment ran, when, and how it got there (a run of the portal, by whom and with what
//! outcome, or found running with no deployment of the portal behind it), and in [`code`] the
//! commits behind those versions.

use serde::{Deserialize, Serialize};

use crate::actions::RunState;

pub mod code;

/// One version an environment started running.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    /// Increases with every record: the order of the history and the cursor of its pages.
    pub id: i64,
    pub environment: String,
    pub version: String,
    /// When the portal deployed it or first saw it running, in Unix microseconds.
    pub at: i64,
    pub origin: Origin,
}

/// How a version came to run in an environment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Deployed by a run of the portal (a promote, a rollback); `state` is where that run is now,
    /// so a deployment that failed says so.
    Portal { run: String, action: String, requester: String, state: Option<RunState> },
    /// Put back by a run whose deployment failed or was cancelled.
    PutBack { run: String },
    /// Found running by the status poller after another version, with no run of the portal
    /// behind it: deployed outside the portal.
    Outside,
    /// Running when the portal first looked at the environment.
    FirstSeen,
    /// Kept before the portal recorded how versions got there.
    Earlier,
}

/// One page of a service's deployment history, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentPage {
    pub items: Vec<Deployment>,
    /// The cursor of the next (older) page, when there is one.
    pub older: Option<i64>,
}

/// How many deployments one page shows.
pub const DEPLOYMENTS_PER_PAGE: u32 = 20;
