//! The direct operations on an environment (restart, stop, start, scale): one definition for
//! the environment route, `portico env` and the action steps that restart and scale.

use super::{Placement, ProviderError, Runtime};
use crate::audit::kinds;

/// An operation carried out on an environment's runtime at once, without a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Restart,
    Stop,
    Start,
    Scale(u32),
}

/// Why a request does not name an operation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OperationNameError {
    #[error("The operations are restart, stop, start and scale.")]
    Unknown,
    #[error("Scaling needs a JSON body such as {{\"replicas\": 2}}.")]
    NoReplicas,
}

impl Operation {
    /// The operation named `name` in a path, with the replica count `scale` needs.
    pub fn parse(name: &str, replicas: Option<u32>) -> Result<Self, OperationNameError> {
        match (name, replicas) {
            ("restart", _) => Ok(Self::Restart),
            ("stop", _) => Ok(Self::Stop),
            ("start", _) => Ok(Self::Start),
            ("scale", Some(replicas)) => Ok(Self::Scale(replicas)),
            ("scale", None) => Err(OperationNameError::NoReplicas),
            _ => Err(OperationNameError::Unknown),
        }
    }

    /// Its name in paths and messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Restart => "restart",
            Self::Stop => "stop",
            Self::Start => "start",
            Self::Scale(_) => "scale",
        }
    }

    /// The audit event that records it.
    pub fn audit_kind(self) -> &'static str {
        match self {
            Self::Restart => kinds::ENVIRONMENT_RESTART,
            Self::Stop => kinds::ENVIRONMENT_STOP,
            Self::Start => kinds::ENVIRONMENT_START,
            Self::Scale(_) => kinds::ENVIRONMENT_SCALE,
        }
    }

    /// The kind of action that does the same (stopping and starting are scaling): an action of
    /// that kind whose approval policy applies in an environment covers this operation there.
    pub fn action_kind(self) -> &'static str {
        match self {
            Self::Restart => "restart",
            Self::Stop | Self::Start | Self::Scale(_) => "scale",
        }
    }

    /// The replica count it sets, for `scale`.
    pub fn replicas(self) -> Option<u32> {
        match self {
            Self::Scale(replicas) => Some(replicas),
            _ => None,
        }
    }

    /// Asks `runtime` to carry it out at `at`.
    pub async fn apply<R: Runtime + ?Sized>(self, runtime: &R, at: &Placement) -> Result<(), ProviderError> {
        match self {
            Self::Restart => runtime.restart(at).await,
            Self::Stop => runtime.stop(at).await,
            Self::Start => runtime.start(at).await,
            Self::Scale(replicas) => runtime.scale(at, replicas).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_named_as_in_their_paths_and_scale_needs_a_count() {
        assert_eq!(Operation::parse("restart", None), Ok(Operation::Restart));
        assert_eq!(Operation::parse("scale", Some(3)), Ok(Operation::Scale(3)));
        assert_eq!(Operation::parse("scale", None), Err(OperationNameError::NoReplicas));
        assert_eq!(Operation::parse("delete", None), Err(OperationNameError::Unknown));
        for op in [Operation::Restart, Operation::Stop, Operation::Start, Operation::Scale(1)] {
            assert_eq!(Operation::parse(op.name(), op.replicas()), Ok(op));
        }
    }

    #[test]
    fn stopping_and_starting_are_covered_by_scale_actions() {
        assert_eq!(Operation::Stop.action_kind(), "scale");
        assert_eq!(Operation::Start.action_kind(), "scale");
        assert_eq!(Operation::Restart.action_kind(), "restart");
        assert_eq!(Operation::Stop.audit_kind(), kinds::ENVIRONMENT_STOP);
    }
}
