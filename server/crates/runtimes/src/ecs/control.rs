//! Changing an ECS service: its task count, a fresh deployment, a new image.

use aws_sdk_ecs::types::Tag;
use domain::runtime::ProviderError;

use super::error::send;
use super::image::{check_version, main_container, with_version};
use super::service::{Definition, EcsService};
use super::status::running_definition;

/// The service tag that keeps the task count a stop replaced with zero, for the next start.
pub const REPLICAS_BEFORE_STOP: &str = "portico:replicas-before-stop";

pub(super) async fn scale(service: &EcsService, replicas: u32) -> Result<(), ProviderError> {
    let desired = i32::try_from(replicas)
        .map_err(|_| ProviderError::Invalid(format!("{replicas} tasks are more than ECS can run")))?;
    service.update("scaling", |update| update.desired_count(desired)).await
}

pub(super) async fn restart(service: &EcsService) -> Result<(), ProviderError> {
    service.update("restarting", |update| update.force_new_deployment(true)).await
}

/// Scales to zero, first tagging the service with the count it had.
pub(super) async fn stop(service: &EcsService) -> Result<(), ProviderError> {
    let described = service.describe(false).await?;
    let desired = described.desired_count();
    if desired == 0 {
        // Already stopped: keep the count remembered by the stop that did it.
        return Ok(());
    }
    let arn = service_arn(service, &described)?;
    let tag = Tag::builder().key(REPLICAS_BEFORE_STOP).value(desired.to_string()).build();
    send(service.limits, "remembering the task count of", &service.subject, || {
        service.ecs.tag_resource().resource_arn(arn).tags(tag.clone()).send()
    })
    .await?;
    service.update("stopping", |update| update.desired_count(0)).await
}

/// Brings a stopped service back to the count its stop remembered, or to one task.
pub(super) async fn start(service: &EcsService) -> Result<(), ProviderError> {
    let described = service.describe(true).await?;
    if described.desired_count() > 0 {
        return Ok(());
    }
    let remembered = described.tags().iter().find(|tag| tag.key() == Some(REPLICAS_BEFORE_STOP));
    let desired = remembered.and_then(|tag| tag.value()?.parse::<u32>().ok()).filter(|n| *n > 0).unwrap_or(1);
    scale(service, desired).await?;
    if remembered.is_some() {
        let arn = service_arn(service, &described)?;
        send(service.limits, "forgetting the stopped task count of", &service.subject, || {
            service.ecs.untag_resource().resource_arn(arn).tag_keys(REPLICAS_BEFORE_STOP).send()
        })
        .await?;
    }
    Ok(())
}

/// Registers a revision of the running task definition whose main container runs `version`,
/// then points the service at it; ECS rolls the tasks over.
pub(super) async fn set_version(service: &EcsService, version: &str) -> Result<(), ProviderError> {
    check_version(version)?;
    let described = service.describe(false).await?;
    let current = running_definition(&described)
        .ok_or_else(|| ProviderError::Invalid(format!("{} runs no task definition", service.subject)))?;
    let Definition { definition, tags } = service.task_definition(current, true).await?;
    let mut containers = definition.container_definitions.clone().unwrap_or_default();
    let main = main_container(&containers, &service.name)
        .and_then(|container| container.name.clone())
        .ok_or_else(|| ProviderError::Invalid(format!("{}: its task definition has no container", service.subject)))?;
    for container in containers.iter_mut().filter(|c| c.name.as_deref() == Some(main.as_str())) {
        let image = with_version(container.image.as_deref().unwrap_or_default(), version)?;
        container.image = Some(image);
    }
    // Tags under `aws:` belong to AWS and cannot be set by callers.
    let tags: Vec<Tag> = tags.into_iter().filter(|tag| !tag.key().unwrap_or_default().starts_with("aws:")).collect();
    let tags = (!tags.is_empty()).then_some(tags);
    let registered = send(service.limits, "registering a task definition for", &service.subject, || {
        // Every field RegisterTaskDefinition takes, as the running revision has it.
        service
            .ecs
            .register_task_definition()
            .set_family(definition.family.clone())
            .set_container_definitions(Some(containers.clone()))
            .set_task_role_arn(definition.task_role_arn.clone())
            .set_execution_role_arn(definition.execution_role_arn.clone())
            .set_network_mode(definition.network_mode.clone())
            .set_volumes(non_empty(&definition.volumes))
            .set_placement_constraints(non_empty(&definition.placement_constraints))
            .set_requires_compatibilities(non_empty(&definition.requires_compatibilities))
            .set_cpu(definition.cpu.clone())
            .set_memory(definition.memory.clone())
            .set_tags(tags.clone())
            .set_pid_mode(definition.pid_mode.clone())
            .set_ipc_mode(definition.ipc_mode.clone())
            .set_proxy_configuration(definition.proxy_configuration.clone())
            .set_ephemeral_storage(definition.ephemeral_storage.clone())
            .set_runtime_platform(definition.runtime_platform.clone())
            .set_enable_fault_injection(definition.enable_fault_injection)
            .send()
    })
    .await?;
    let arn = registered
        .task_definition()
        .and_then(|definition| definition.task_definition_arn())
        .ok_or_else(|| ProviderError::Failed(format!("{}: the new task definition has no ARN", service.subject)))?
        .to_owned();
    service.update("deploying a version to", |update| update.task_definition(&arn)).await
}

/// A list field as RegisterTaskDefinition wants it: absent rather than empty.
fn non_empty<T: Clone>(list: &Option<Vec<T>>) -> Option<Vec<T>> {
    list.as_ref().filter(|items| !items.is_empty()).cloned()
}

fn service_arn<'a>(service: &EcsService, described: &'a aws_sdk_ecs::types::Service) -> Result<&'a str, ProviderError> {
    described.service_arn().ok_or_else(|| ProviderError::Failed(format!("{} has no ARN", service.subject)))
}
