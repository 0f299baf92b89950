//! A Deployment, its ReplicaSets and its pods, read as a [`RuntimeStatus`].

use domain::runtime::{Health, Instance, ProviderError, RuntimeStatus};
use k8s_openapi::api::apps::v1::{Deployment, DeploymentCondition, ReplicaSet};
use k8s_openapi::api::core::v1::{Container, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use time::OffsetDateTime;

use super::image::version_of;
use super::instances::{self, CRASHED};

/// The Deployment revision, kept by the Deployment controller on the Deployment and on the
/// ReplicaSet of each revision.
const REVISION: &str = "deployment.kubernetes.io/revision";

/// `name` is the Deployment's `namespace/name`, for messages.
pub fn runtime_status(
    deployment: &Deployment,
    pods: &[Pod],
    replica_sets: &[ReplicaSet],
    container: Option<&str>,
    name: &str,
) -> Result<RuntimeStatus, ProviderError> {
    let chosen = chosen_container(deployment, container, name)?;
    let status = deployment.status.clone().unwrap_or_default();
    let count = |n: Option<i32>| u32::try_from(n.unwrap_or(0)).unwrap_or(0);
    // The API server fills in 1 when a Deployment is created without replicas.
    let desired = count(Some(deployment.spec.replicas.unwrap_or(1)));
    let ready = count(status.ready_replicas);
    let updated = count(status.updated_replicas);
    let mut instances: Vec<Instance> = pods.iter().map(|pod| instances::instance(pod, Some(&chosen.name))).collect();
    instances.sort_by(|a, b| a.id.cmp(&b.id));
    let conditions = status.conditions.as_deref().unwrap_or_default();
    // Old pods still counted during a rollout, or a spec change the controller has not seen yet.
    let rolling = count(status.replicas) > updated || status.observed_generation < deployment.metadata.generation;
    Ok(RuntimeStatus {
        version: chosen.image.as_deref().map(version_of),
        desired,
        ready,
        updated: Some(updated),
        health: health(desired, ready, updated, rolling, conditions, &instances),
        deployed_at: deployed_at(deployment, replica_sets),
        revision: annotation(&deployment.metadata, REVISION).map(str::to_owned),
        conditions: conditions.iter().map(sentence).collect(),
        instances,
    })
}

/// The Deployment's label selector as the `labelSelector` query parameter spells it.
pub fn selector(deployment: &Deployment, name: &str) -> Result<String, ProviderError> {
    let selector = &deployment.spec.selector;
    let mut terms: Vec<String> = selector.match_labels.iter().flatten().map(|(key, value)| format!("{key}={value}")).collect();
    for requirement in selector.match_expressions.iter().flatten() {
        let key = &requirement.key;
        let values = requirement.values.as_deref().unwrap_or_default().join(",");
        terms.push(match requirement.operator.as_str() {
            "In" => format!("{key} in ({values})"),
            "NotIn" => format!("{key} notin ({values})"),
            "Exists" => key.clone(),
            "DoesNotExist" => format!("!{key}"),
            other => return Err(ProviderError::Failed(format!("deployment {name} has a selector operator `{other}` the portal does not know"))),
        });
    }
    // An empty selector would pick every pod of the namespace.
    if terms.is_empty() {
        return Err(ProviderError::Failed(format!("deployment {name} has an empty selector")));
    }
    Ok(terms.join(","))
}

/// The container the manifest names, else the first one of the pod template.
pub fn chosen_container<'d>(deployment: &'d Deployment, container: Option<&str>, name: &str) -> Result<&'d Container, ProviderError> {
    let containers = deployment.spec.template.spec.as_ref().map(|spec| spec.containers.as_slice()).unwrap_or_default();
    match container {
        Some(wanted) => containers
            .iter()
            .find(|c| c.name == wanted)
            .ok_or_else(|| ProviderError::Invalid(format!("deployment {name} has no container named `{wanted}`"))),
        None => containers.first().ok_or_else(|| ProviderError::Failed(format!("deployment {name} has no containers"))),
    }
}

pub fn at(time: &Time) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(time.0.as_nanosecond()).ok()
}

fn annotation<'m>(metadata: &'m ObjectMeta, key: &str) -> Option<&'m str> {
    metadata.annotations.as_ref()?.get(key).map(String::as_str)
}

fn health(desired: u32, ready: u32, updated: u32, rolling: bool, conditions: &[DeploymentCondition], instances: &[Instance]) -> Health {
    let is = |kind: &str, status: &str| {
        conditions.iter().any(|c| c.type_.as_deref() == Some(kind) && c.status.as_deref() == Some(status))
    };
    let stalled = conditions
        .iter()
        .any(|c| c.type_.as_deref() == Some("Progressing") && c.reason.as_deref() == Some("ProgressDeadlineExceeded"));
    if desired == 0 {
        Health::Stopped
    } else if ready == 0 && instances.iter().any(|instance| instance.state == CRASHED) {
        Health::Crashed
    } else if is("Available", "False") || is("ReplicaFailure", "True") || stalled {
        Health::Degraded
    } else if rolling {
        Health::Progressing
    } else {
        RuntimeStatus::health_from_counts(desired, ready, Some(updated))
    }
}

/// "Progressing: NewReplicaSetAvailable — ReplicaSet checkout-7d9 has successfully progressed."
/// A condition that does not hold says so: "Available (False): …".
fn sentence(condition: &DeploymentCondition) -> String {
    let kind = condition.type_.as_deref().unwrap_or("Condition");
    let mut text = match condition.status.as_deref() {
        Some("True") | None => kind.to_owned(),
        Some(other) => format!("{kind} ({other})"),
    };
    if let Some(reason) = condition.reason.as_deref().filter(|r| !r.is_empty()) {
        text = format!("{text}: {reason}");
    }
    if let Some(message) = condition.message.as_deref().filter(|m| !m.is_empty()) {
        text = format!("{text} — {message}");
    }
    text
}

/// When the running pod template was first rolled out: the creation of the Deployment's
/// ReplicaSet for its current revision.
fn deployed_at(deployment: &Deployment, replica_sets: &[ReplicaSet]) -> Option<OffsetDateTime> {
    let revision = annotation(&deployment.metadata, REVISION)?;
    let uid = deployment.metadata.uid.as_deref()?;
    replica_sets
        .iter()
        .filter(|rs| rs.metadata.owner_references.iter().flatten().any(|owner| owner.kind == "Deployment" && owner.uid == uid))
        .find(|rs| annotation(&rs.metadata, REVISION) == Some(revision))
        .and_then(|rs| rs.metadata.creation_timestamp.as_ref())
        .and_then(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn condition(kind: &str, status: &str, reason: &str, message: &str) -> DeploymentCondition {
        DeploymentCondition {
            type_: Some(kind.to_owned()),
            status: Some(status.to_owned()),
            reason: Some(reason.to_owned()),
            message: Some(message.to_owned()),
            ..DeploymentCondition::default()
        }
    }

    #[test]
    fn a_rollout_under_way_is_progressing_and_a_stalled_one_is_degraded() {
        let available = condition("Available", "True", "MinimumReplicasAvailable", "");
        assert_eq!(health(3, 3, 1, true, std::slice::from_ref(&available), &[]), Health::Progressing);
        assert_eq!(health(3, 3, 3, true, std::slice::from_ref(&available), &[]), Health::Progressing);
        assert_eq!(health(3, 3, 3, false, std::slice::from_ref(&available), &[]), Health::Healthy);
        let stalled = condition("Progressing", "False", "ProgressDeadlineExceeded", "ReplicaSet \"c-1\" has timed out progressing.");
        assert_eq!(health(3, 3, 1, true, &[available, stalled], &[]), Health::Degraded);
        let unavailable = condition("Available", "False", "MinimumReplicasUnavailable", "");
        assert_eq!(health(3, 1, 3, false, &[unavailable], &[]), Health::Degraded);
    }

    #[test]
    fn a_condition_that_does_not_hold_says_so() {
        let unavailable = condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");
        assert_eq!(sentence(&unavailable), "Available (False): MinimumReplicasUnavailable — Deployment does not have minimum availability.");
    }

    #[test]
    fn set_based_selectors_are_spelled_as_the_label_selector_parameter_wants() {
        let deployment: Deployment = serde_json::from_value(serde_json::json!({
            "metadata": { "name": "checkout" },
            "spec": {
                "selector": {
                    "matchLabels": { "app": "checkout" },
                    "matchExpressions": [
                        { "key": "tier", "operator": "In", "values": ["web", "api"] },
                        { "key": "canary", "operator": "DoesNotExist" },
                    ],
                },
                "template": {},
            },
        }))
        .expect("a Deployment");
        assert_eq!(selector(&deployment, "shop/checkout"), Ok("app=checkout,tier in (web,api),!canary".to_owned()));
        let mut everything = deployment;
        everything.spec.selector = Default::default();
        assert!(selector(&everything, "shop/checkout").is_err(), "an empty selector would list every pod");
    }
}
