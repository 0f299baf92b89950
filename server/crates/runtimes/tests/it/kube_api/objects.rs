//! Deployments, ReplicaSets and pods as the API server returns them, built the way the
//! Deployment controller and the kubelet would have left them: a healthy rollout by default,
//! which tests then change field by field.

use serde_json::{Value, json};

/// A Deployment of `replicas` pods of `containers` (name, image), labelled and selected by
/// `app=<name>`, fully rolled out at revision 3.
pub fn deployment(namespace: &str, name: &str, replicas: i32, containers: &[(&str, &str)]) -> Value {
    let containers: Vec<Value> = containers
        .iter()
        .map(|(container, image)| json!({ "name": container, "image": image, "imagePullPolicy": "IfNotPresent", "resources": {} }))
        .collect();
    json!({
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": format!("0b6c1d2e-{name}"),
            "generation": 1,
            "creationTimestamp": "2025-01-10T08:00:00Z",
            "labels": { "app": name },
            "annotations": { "deployment.kubernetes.io/revision": "3" },
        },
        "spec": {
            "replicas": replicas,
            "selector": { "matchLabels": { "app": name } },
            "template": {
                "metadata": { "labels": { "app": name } },
                "spec": { "containers": containers, "restartPolicy": "Always", "dnsPolicy": "ClusterFirst" },
            },
            "strategy": { "type": "RollingUpdate", "rollingUpdate": { "maxUnavailable": "25%", "maxSurge": "25%" } },
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600,
        },
        "status": {
            "observedGeneration": 1,
            "replicas": replicas,
            "updatedReplicas": replicas,
            "readyReplicas": replicas,
            "availableReplicas": replicas,
            "conditions": [
                {
                    "type": "Available", "status": "True",
                    "lastUpdateTime": "2025-03-04T05:07:00Z", "lastTransitionTime": "2025-03-04T05:07:00Z",
                    "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability.",
                },
                {
                    "type": "Progressing", "status": "True",
                    "lastUpdateTime": "2025-03-04T05:07:30Z", "lastTransitionTime": "2025-01-10T08:00:00Z",
                    "reason": "NewReplicaSetAvailable",
                    "message": format!("ReplicaSet \"{name}-7d9f8c6b5\" has successfully progressed."),
                },
            ],
        },
    })
}

/// The ReplicaSet of one revision of `deployment`, owned by it.
pub fn replica_set(deployment: &Value, hash: &str, revision: &str, created: &str) -> Value {
    let name = deployment["metadata"]["name"].as_str().expect("a named Deployment");
    let mut labels = deployment["spec"]["template"]["metadata"]["labels"].clone();
    labels["pod-template-hash"] = json!(hash);
    json!({
        "kind": "ReplicaSet",
        "apiVersion": "apps/v1",
        "metadata": {
            "name": format!("{name}-{hash}"),
            "namespace": deployment["metadata"]["namespace"],
            "uid": format!("6f1e2d3c-{name}-{hash}"),
            "creationTimestamp": created,
            "labels": labels,
            "annotations": { "deployment.kubernetes.io/revision": revision },
            "ownerReferences": [{
                "apiVersion": "apps/v1", "kind": "Deployment", "name": name,
                "uid": deployment["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true,
            }],
        },
        "spec": {
            "replicas": deployment["spec"]["replicas"],
            "selector": { "matchLabels": labels },
            "template": deployment["spec"]["template"],
        },
        "status": { "replicas": deployment["spec"]["replicas"], "observedGeneration": 1 },
    })
}

/// A running, ready pod of `deployment`'s ReplicaSet `hash`, started at `started`.
pub fn pod(deployment: &Value, hash: &str, suffix: &str, started: &str) -> Value {
    let name = deployment["metadata"]["name"].as_str().expect("a named Deployment");
    let mut labels = deployment["spec"]["template"]["metadata"]["labels"].clone();
    labels["pod-template-hash"] = json!(hash);
    let spec = deployment["spec"]["template"]["spec"].clone();
    let statuses: Vec<Value> = spec["containers"]
        .as_array()
        .expect("containers")
        .iter()
        .map(|container| {
            json!({
                "name": container["name"], "image": container["image"],
                "imageID": format!("{}@sha256:{}", container["image"].as_str().unwrap_or_default(), "0".repeat(64)),
                "containerID": format!("containerd://{}", "a".repeat(64)),
                "ready": true, "started": true, "restartCount": 0,
                "state": { "running": { "startedAt": started } },
            })
        })
        .collect();
    json!({
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {
            "name": format!("{name}-{hash}-{suffix}"),
            "namespace": deployment["metadata"]["namespace"],
            "uid": format!("9a8b7c6d-{name}-{hash}-{suffix}"),
            "creationTimestamp": started,
            "labels": labels,
            "ownerReferences": [{
                "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": format!("{name}-{hash}"),
                "uid": format!("6f1e2d3c-{name}-{hash}"), "controller": true, "blockOwnerDeletion": true,
            }],
        },
        "spec": spec,
        "status": {
            "phase": "Running",
            "conditions": [
                { "type": "PodScheduled", "status": "True", "lastTransitionTime": started },
                { "type": "Initialized", "status": "True", "lastTransitionTime": started },
                { "type": "ContainersReady", "status": "True", "lastTransitionTime": started },
                { "type": "Ready", "status": "True", "lastTransitionTime": started },
            ],
            "hostIP": "10.0.0.12",
            "podIP": "10.244.1.17",
            "startTime": started,
            "containerStatuses": statuses,
            "qosClass": "BestEffort",
        },
    })
}

/// `pod` with its first container exiting over and over: waiting in CrashLoopBackOff after
/// `restarts` restarts, the pod not ready.
pub fn crash_looping(mut pod: Value, restarts: i32) -> Value {
    let name = pod["metadata"]["name"].clone();
    let status = &mut pod["status"];
    for condition in status["conditions"].as_array_mut().expect("conditions") {
        if condition["type"] == "Ready" || condition["type"] == "ContainersReady" {
            condition["status"] = json!("False");
            condition["reason"] = json!("ContainersNotReady");
        }
    }
    let container = &mut status["containerStatuses"][0];
    let container_name = container["name"].clone();
    container["ready"] = json!(false);
    container["started"] = json!(false);
    container["restartCount"] = json!(restarts);
    container["state"] = json!({ "waiting": {
        "reason": "CrashLoopBackOff",
        "message": format!("back-off 5m0s restarting failed container={} pod={}", container_name.as_str().unwrap_or_default(), name.as_str().unwrap_or_default()),
    }});
    container["lastState"] = json!({ "terminated": {
        "exitCode": 1, "reason": "Error",
        "startedAt": "2025-03-04T05:20:00Z", "finishedAt": "2025-03-04T05:20:02Z",
    }});
    pod
}
