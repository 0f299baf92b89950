//! A pod as an [`Instance`]: its state in a word, and why.

use domain::runtime::Instance;
use k8s_openapi::api::core::v1::{ContainerState, ContainerStatus, Pod};

use super::image::version_of;
use super::status::at;

/// The state of a pod whose container keeps exiting and is waiting to be started again.
pub const CRASHED: &str = "crashed";

/// `container` is the one whose image is the version; the pod's first when `None`.
pub fn instance(pod: &Pod, container: Option<&str>) -> Instance {
    let spec_containers = pod.spec.as_ref().map(|spec| spec.containers.as_slice()).unwrap_or_default();
    let chosen = match container {
        Some(name) => spec_containers.iter().find(|c| c.name == name),
        None => spec_containers.first(),
    };
    let status = pod.status.as_ref();
    let statuses = status.and_then(|s| s.container_statuses.as_deref()).unwrap_or_default();
    let container_status = chosen.and_then(|c| statuses.iter().find(|s| s.name == c.name));
    Instance {
        id: pod.metadata.name.clone().unwrap_or_default(),
        state: state(pod, container_status),
        version: chosen.and_then(|c| c.image.as_deref()).map(version_of),
        started_at: status.and_then(|s| s.start_time.as_ref()).and_then(at),
        restarts: statuses.iter().map(|s| u32::try_from(s.restart_count).unwrap_or(0)).sum(),
        detail: detail(pod, container_status),
    }
}

/// Whether the pod's logs can be read yet: its container has run at least once.
pub fn has_started(pod: &Pod, container: &str) -> bool {
    let statuses = pod.status.as_ref().and_then(|s| s.container_statuses.as_deref()).unwrap_or_default();
    statuses.iter().filter(|s| s.name == container).any(|s| {
        s.restart_count > 0 || s.state.as_ref().is_some_and(|state| state.running.is_some() || state.terminated.is_some())
    })
}

fn state(pod: &Pod, container: Option<&ContainerStatus>) -> String {
    if pod.metadata.deletion_timestamp.is_some() {
        return "terminating".to_owned();
    }
    let waiting = container.and_then(|c| c.state.as_ref()).and_then(|s| s.waiting.as_ref());
    if waiting.is_some_and(|w| w.reason.as_deref() == Some("CrashLoopBackOff")) {
        return CRASHED.to_owned();
    }
    let status = pod.status.as_ref();
    match status.and_then(|s| s.phase.as_deref()).unwrap_or("Unknown") {
        "Running" if waiting.is_some() => "waiting".to_owned(),
        "Running" if is_ready(pod) => "running".to_owned(),
        "Running" => "not ready".to_owned(),
        phase => phase.to_lowercase(),
    }
}

fn is_ready(pod: &Pod) -> bool {
    let conditions = pod.status.as_ref().and_then(|s| s.conditions.as_deref()).unwrap_or_default();
    conditions.iter().any(|c| c.type_ == "Ready" && c.status == "True")
}

/// Why the container waits or exited, why the pod is not scheduled, or how the container last
/// ended before a restart: "CrashLoopBackOff: back-off 40s restarting failed container; last
/// exit code 1 (Error)".
fn detail(pod: &Pod, container: Option<&ContainerStatus>) -> Option<String> {
    let state = container.and_then(|c| c.state.as_ref());
    let now = state.and_then(current).or_else(|| pod_problem(pod));
    let last = container.and_then(|c| c.last_state.as_ref()).and_then(|s| s.terminated.as_ref()).map(|done| {
        format!("last exit code {}{}", done.exit_code, done.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default())
    });
    match (now, last) {
        (Some(now), Some(last)) => Some(format!("{now}; {last}")),
        (now, last) => now.or(last),
    }
}

fn current(state: &ContainerState) -> Option<String> {
    if let Some(waiting) = &state.waiting {
        let reason = waiting.reason.as_deref()?;
        return Some(match waiting.message.as_deref().filter(|m| !m.is_empty()) {
            Some(message) => format!("{reason}: {message}"),
            None => reason.to_owned(),
        });
    }
    state.terminated.as_ref().map(|done| match done.reason.as_deref() {
        Some(reason) => format!("exited with code {} ({reason})", done.exit_code),
        None => format!("exited with code {}", done.exit_code),
    })
}

/// The pod's own reason (`Evicted: The node was low on resource: memory.`), else why it
/// cannot be scheduled.
fn pod_problem(pod: &Pod) -> Option<String> {
    let status = pod.status.as_ref()?;
    if let Some(reason) = status.reason.as_deref() {
        return Some(match status.message.as_deref() {
            Some(message) => format!("{reason}: {message}"),
            None => reason.to_owned(),
        });
    }
    status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "PodScheduled" && c.status == "False")
        .and_then(|c| c.message.clone().or_else(|| c.reason.clone()))
}
