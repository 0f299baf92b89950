//! What an ECS service reports, as the portal shows it.

use aws_sdk_ecs::primitives::DateTime;
use aws_sdk_ecs::types::{Deployment, DeploymentRolloutState, Service, Task, TaskDefinition};
use domain::runtime::{Health, Instance, ProviderError, RuntimeStatus};
use time::OffsetDateTime;

use super::image::{main_container, version};
use super::service::{EcsService, arn_id, count};

/// Service events worth showing; ECS keeps the last hundred, newest first.
const EVENTS_SHOWN: usize = 5;

/// Reads the service, the task definition it runs and its tasks.
pub(super) async fn read(service: &EcsService) -> Result<RuntimeStatus, ProviderError> {
    let described = service.describe(false).await?;
    let definition = match running_definition(&described) {
        Some(arn) => Some(service.task_definition(arn, false).await?.definition),
        None => None,
    };
    let tasks = service.tasks().await?;
    Ok(status(&described, definition.as_ref(), &tasks))
}

/// The task definition the service runs now. With ECS deployments it is the PRIMARY
/// deployment's, which the service's own field always names too (and emulators keep more
/// faithfully); services deployed by CodeDeploy or externally have only the latter.
pub(super) fn running_definition(service: &Service) -> Option<&str> {
    service.task_definition().or_else(|| primary(service).and_then(Deployment::task_definition))
}

fn primary(service: &Service) -> Option<&Deployment> {
    service.deployments().iter().find(|deployment| deployment.status() == Some("PRIMARY"))
}

pub(super) fn status(service: &Service, definition: Option<&TaskDefinition>, tasks: &[Task]) -> RuntimeStatus {
    let name = service.service_name().unwrap_or_default();
    let container = definition.and_then(|d| main_container(d.container_definitions(), name));
    let primary = primary(service);
    let desired = count(service.desired_count());
    let ready = count(service.running_count());
    let updated = primary.map(|deployment| count(deployment.running_count()));
    let revision = match definition {
        Some(definition) => definition.family().map(|family| format!("{family}:{}", definition.revision())),
        None => running_definition(service).map(|arn| arn_id(arn).to_owned()),
    };
    let mut conditions: Vec<String> = service.deployments().iter().map(deployment_condition).collect();
    conditions
        .extend(service.events().iter().take(EVENTS_SHOWN).filter_map(|event| event.message()).map(str::to_owned));
    let container_name = container.and_then(|c| c.name.as_deref());
    RuntimeStatus {
        version: container.and_then(|c| c.image.as_deref()).map(version),
        desired,
        ready,
        updated,
        health: health(desired, ready, updated, primary),
        deployed_at: primary.and_then(Deployment::created_at).and_then(to_time),
        revision,
        conditions,
        instances: tasks.iter().map(|task| instance(task, container_name)).collect(),
    }
}

fn health(desired: u32, ready: u32, updated: Option<u32>, primary: Option<&Deployment>) -> Health {
    if desired == 0 {
        return Health::Stopped;
    }
    match primary.and_then(Deployment::rollout_state) {
        Some(DeploymentRolloutState::Failed) => Health::Degraded,
        _ if ready == 0 && primary.is_some_and(|deployment| deployment.failed_tasks() > 0) => Health::Crashed,
        Some(DeploymentRolloutState::InProgress) => Health::Progressing,
        _ => RuntimeStatus::health_from_counts(desired, ready, updated),
    }
}

/// "PRIMARY deployment ecs-svc/123: 2 of 2 running", and what went wrong when it did.
fn deployment_condition(deployment: &Deployment) -> String {
    let mut text = format!(
        "{} deployment {}: {} of {} running",
        deployment.status().unwrap_or("unknown"),
        deployment.id().unwrap_or("?"),
        deployment.running_count(),
        deployment.desired_count(),
    );
    if deployment.failed_tasks() > 0 {
        text.push_str(&format!(", {} failed to start", deployment.failed_tasks()));
    }
    if deployment.rollout_state() == Some(&DeploymentRolloutState::Failed) {
        text.push_str(&format!("; rollout failed: {}", deployment.rollout_state_reason().unwrap_or("no reason given")));
    }
    text
}

fn instance(task: &Task, container: Option<&str>) -> Instance {
    // A task's containers carry their image, so its version costs no further call.
    let image = task
        .containers()
        .iter()
        .find(|c| container.is_some() && c.name() == container)
        .or(task.containers().first())
        .and_then(|c| c.image());
    Instance {
        id: arn_id(task.task_arn().unwrap_or_default()).to_owned(),
        state: task.last_status().unwrap_or("unknown").to_lowercase(),
        version: image.map(version),
        started_at: task.started_at().and_then(to_time),
        restarts: 0,
        detail: task.stopped_reason().filter(|reason| !reason.is_empty()).map(str::to_owned),
    }
}

pub(super) fn to_time(at: &DateTime) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(at.as_nanos()).ok()
}

#[cfg(test)]
mod tests {
    use aws_sdk_ecs::types::{Container, ContainerDefinition, ServiceEvent};

    use super::*;

    fn deployment(running: i32, desired: i32, state: DeploymentRolloutState) -> Deployment {
        Deployment::builder()
            .id("ecs-svc/42")
            .status("PRIMARY")
            .task_definition("arn:aws:ecs:eu-west-1:1:task-definition/checkout:7")
            .running_count(running)
            .desired_count(desired)
            .rollout_state(state)
            .build()
    }

    fn service(desired: i32, running: i32, primary: Deployment) -> Service {
        Service::builder()
            .service_name("checkout")
            .desired_count(desired)
            .running_count(running)
            .task_definition("arn:aws:ecs:eu-west-1:1:task-definition/checkout:7")
            .deployments(primary)
            .build()
    }

    fn definition() -> TaskDefinition {
        let container = |name: &str, image: &str| ContainerDefinition::builder().name(name).image(image).build();
        TaskDefinition::builder()
            .family("checkout")
            .revision(7)
            .container_definitions(container("envoy", "envoyproxy/envoy:v1.30"))
            .container_definitions(container("checkout", "registry.example.com/shop/checkout:1.4.2"))
            .build()
    }

    #[test]
    fn the_version_is_the_image_tag_of_the_container_named_like_the_service() {
        let status =
            status(&service(2, 2, deployment(2, 2, DeploymentRolloutState::Completed)), Some(&definition()), &[]);
        assert_eq!(status.version.as_deref(), Some("1.4.2"));
        assert_eq!(status.revision.as_deref(), Some("checkout:7"));
        assert_eq!(status.health, Health::Healthy);
        assert_eq!(status.conditions, ["PRIMARY deployment ecs-svc/42: 2 of 2 running"]);
    }

    #[test]
    fn the_rollout_state_decides_the_health() {
        let health = |running, state| {
            status(&service(2, running, deployment(running, 2, state)), Some(&definition()), &[]).health
        };
        assert_eq!(health(1, DeploymentRolloutState::InProgress), Health::Progressing);
        assert_eq!(health(1, DeploymentRolloutState::Failed), Health::Degraded);
        assert_eq!(health(1, DeploymentRolloutState::Completed), Health::Progressing);
        assert_eq!(
            status(&service(0, 0, deployment(0, 0, DeploymentRolloutState::Completed)), None, &[]).health,
            Health::Stopped
        );
    }

    #[test]
    fn tasks_that_keep_failing_are_crashed() {
        let failing = Deployment::builder()
            .status("PRIMARY")
            .id("ecs-svc/9")
            .desired_count(2)
            .failed_tasks(4)
            .rollout_state(DeploymentRolloutState::InProgress)
            .build();
        let status = status(&service(2, 0, failing), Some(&definition()), &[]);
        assert_eq!(status.health, Health::Crashed);
        assert_eq!(status.conditions, ["PRIMARY deployment ecs-svc/9: 0 of 2 running, 4 failed to start"]);
    }

    #[test]
    fn recent_events_follow_the_deployments_and_tasks_say_why_they_stopped() {
        let mut with_events = service(1, 1, deployment(1, 1, DeploymentRolloutState::Completed));
        with_events.events = Some(
            (0..8).map(|i| ServiceEvent::builder().message(format!("(service checkout) event {i}.")).build()).collect(),
        );
        let task = Task::builder()
            .task_arn("arn:aws:ecs:eu-west-1:1:task/prod/0f3c")
            .last_status("STOPPED")
            .stopped_reason("Essential container in task exited")
            .containers(Container::builder().name("checkout").image("shop/checkout:1.4.1").build())
            .build();
        let status = status(&with_events, Some(&definition()), &[task]);
        assert_eq!(status.conditions.len(), 1 + EVENTS_SHOWN);
        assert_eq!(status.conditions[1], "(service checkout) event 0.");
        let instance = &status.instances[0];
        assert_eq!((instance.id.as_str(), instance.state.as_str()), ("0f3c", "stopped"));
        assert_eq!(instance.version.as_deref(), Some("1.4.1"));
        assert_eq!(instance.detail.as_deref(), Some("Essential container in task exited"));
    }
}
