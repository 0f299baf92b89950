//! The patches each action sends to a Deployment.

use domain::runtime::ProviderError;
use k8s_openapi::api::apps::v1::Deployment;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Where `stop` records the replicas the Deployment had, for `start`.
const REPLICAS_BEFORE_STOP: &str = "portico.dev/replicas-before-stop";

/// What `kubectl rollout restart` changes: an annotation on the pod template, so the template
/// differs and the Deployment rolls out fresh pods of the same version. Strategic merge patch.
/// Whole seconds, as kubectl writes it.
pub fn restart(now: OffsetDateTime) -> Result<Value, ProviderError> {
    let at = now
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .ok()
        .and_then(|at| at.format(&Rfc3339).ok())
        .ok_or_else(|| ProviderError::Failed(format!("the clock reads {now}, which RFC 3339 cannot express")))?;
    Ok(json!({ "spec": { "template": { "metadata": { "annotations": { "kubectl.kubernetes.io/restartedAt": at } } } } }))
}

/// A new scale. A scale set by hand also replaces the one a stop recorded. Merge patch.
pub fn scale(replicas: i32) -> Value {
    json!({ "metadata": { "annotations": { REPLICAS_BEFORE_STOP: null } }, "spec": { "replicas": replicas } })
}

/// The chosen container's new image; the containers list merges by name, so the other
/// containers are left as they are. Strategic merge patch.
pub fn image(container: &str, image: &str) -> Value {
    json!({ "spec": { "template": { "spec": { "containers": [ { "name": container, "image": image } ] } } } })
}

/// Scale to zero, recording the current scale; `None` when already stopped, so a second stop
/// does not record zero. The resource version makes the API server refuse the patch if the
/// Deployment changed since it was read. Merge patch.
pub fn stop(deployment: &Deployment) -> Option<Value> {
    let replicas = deployment.spec.replicas.unwrap_or(1);
    (replicas > 0).then(|| {
        json!({
            "metadata": {
                "resourceVersion": deployment.metadata.resource_version,
                "annotations": { REPLICAS_BEFORE_STOP: replicas.to_string() },
            },
            "spec": { "replicas": 0 },
        })
    })
}

/// Back to the scale recorded at stop, or one replica; `None` when already running. Merge patch.
pub fn start(deployment: &Deployment) -> Option<Value> {
    if deployment.spec.replicas.unwrap_or(1) > 0 {
        return None;
    }
    let recorded = deployment
        .metadata
        .annotations
        .as_ref()
        .and_then(|annotations| annotations.get(REPLICAS_BEFORE_STOP))
        .and_then(|replicas| replicas.parse::<i32>().ok())
        .filter(|replicas| *replicas > 0);
    Some(json!({
        "metadata": {
            "resourceVersion": deployment.metadata.resource_version,
            "annotations": { REPLICAS_BEFORE_STOP: null },
        },
        "spec": { "replicas": recorded.unwrap_or(1) },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(replicas: i32, recorded: Option<&str>) -> Deployment {
        serde_json::from_value(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {
                "name": "checkout", "namespace": "shop", "resourceVersion": "41",
                "annotations": recorded.map(|r| json!({ REPLICAS_BEFORE_STOP: r })),
            },
            "spec": { "replicas": replicas, "selector": { "matchLabels": { "app": "checkout" } }, "template": {} },
        }))
        .expect("a Deployment")
    }

    #[test]
    fn stop_records_the_scale_and_start_brings_it_back() {
        let stop = stop(&deployment(3, None)).expect("running, so stopped");
        assert_eq!(stop["spec"]["replicas"], 0);
        assert_eq!(stop["metadata"]["annotations"][REPLICAS_BEFORE_STOP], "3");
        assert_eq!(stop["metadata"]["resourceVersion"], "41");
        let start = start(&deployment(0, Some("3"))).expect("stopped, so started");
        assert_eq!(start["spec"]["replicas"], 3);
        assert_eq!(start["metadata"]["annotations"][REPLICAS_BEFORE_STOP], Value::Null);
    }

    #[test]
    fn stopping_twice_or_starting_twice_changes_nothing() {
        assert_eq!(super::stop(&deployment(0, Some("3"))), None);
        assert_eq!(super::start(&deployment(2, None)), None);
    }

    #[test]
    fn start_without_a_recorded_scale_runs_one_replica() {
        assert_eq!(start(&deployment(0, None)).expect("stopped")["spec"]["replicas"], 1);
        assert_eq!(start(&deployment(0, Some("zero"))).expect("stopped")["spec"]["replicas"], 1);
    }

    #[test]
    fn restart_stamps_the_pod_template_in_rfc_3339() {
        let at = time::macros::datetime!(2025-03-04 05:06:07.891 UTC);
        let patch = restart(at).expect("a patch");
        assert_eq!(patch["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"], "2025-03-04T05:06:07Z");
    }
}
