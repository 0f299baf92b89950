//! One ECS service as the calls below see it: reading it, its task definition and its tasks,
//! and updating it.

use aws_sdk_ecs::operation::update_service::builders::UpdateServiceFluentBuilder;
use aws_sdk_ecs::types::{DesiredStatus, ServiceField, Task, TaskDefinition, TaskDefinitionField};
use domain::runtime::ProviderError;

use super::error::send;
use crate::config::CallLimits;

/// DescribeTasks takes at most this many tasks at once.
const DESCRIBE_TASKS_AT_ONCE: usize = 100;

/// Stopped tasks stay listed for about an hour; the most recent few say why tasks stop.
const STOPPED_TASKS_SHOWN: usize = 5;

/// A service named by a placement, with the client of its region.
pub(super) struct EcsService {
    pub ecs: aws_sdk_ecs::Client,
    pub cluster: String,
    pub name: String,
    pub limits: CallLimits,
    /// "ECS service prod/checkout": how messages name it.
    pub subject: String,
}

/// A task definition and its tags.
pub(super) struct Definition {
    pub definition: TaskDefinition,
    pub tags: Vec<aws_sdk_ecs::types::Tag>,
}

impl EcsService {
    pub fn new(ecs: aws_sdk_ecs::Client, cluster: &str, name: &str, limits: CallLimits) -> Self {
        let subject = format!("ECS service {cluster}/{name}");
        Self { ecs, cluster: cluster.to_owned(), name: name.to_owned(), limits, subject }
    }

    /// The service; NotFound when the cluster or the service does not exist, or was deleted.
    pub async fn describe(&self, with_tags: bool) -> Result<aws_sdk_ecs::types::Service, ProviderError> {
        let include = with_tags.then(|| vec![ServiceField::Tags]);
        let output = send(self.limits, "reading", &self.subject, || {
            self.ecs.describe_services().cluster(&self.cluster).services(&self.name).set_include(include.clone()).send()
        })
        .await?;
        // A missing service is no error to DescribeServices: it is listed among the failures.
        output
            .services
            .unwrap_or_default()
            .into_iter()
            .find(|service| service.status() != Some("INACTIVE"))
            .ok_or_else(|| ProviderError::NotFound(self.subject.clone()))
    }

    /// A task definition, with its tags when asked (a new revision copies them).
    pub async fn task_definition(&self, arn: &str, with_tags: bool) -> Result<Definition, ProviderError> {
        let include = with_tags.then(|| vec![TaskDefinitionField::Tags]);
        let output = send(self.limits, "reading the task definition of", &self.subject, || {
            self.ecs.describe_task_definition().task_definition(arn).set_include(include.clone()).send()
        })
        .await?;
        let definition = output
            .task_definition
            .ok_or_else(|| ProviderError::Failed(format!("{}: task definition {arn} came back empty", self.subject)))?;
        Ok(Definition { definition, tags: output.tags.unwrap_or_default() })
    }

    /// The ARNs of the service's tasks: those meant to run, then recently stopped ones.
    pub async fn task_arns(&self) -> Result<Vec<String>, ProviderError> {
        let mut arns = self.list_tasks(DesiredStatus::Running, None).await?;
        arns.extend(self.list_tasks(DesiredStatus::Stopped, Some(1)).await?);
        Ok(arns)
    }

    /// The service's tasks: those meant to run, oldest first, then the most recently stopped few.
    pub async fn tasks(&self) -> Result<Vec<Task>, ProviderError> {
        let arns = self.task_arns().await?;
        let mut tasks = Vec::new();
        for chunk in arns.chunks(DESCRIBE_TASKS_AT_ONCE) {
            let output = send(self.limits, "reading the tasks of", &self.subject, || {
                self.ecs.describe_tasks().cluster(&self.cluster).set_tasks(Some(chunk.to_vec())).send()
            })
            .await?;
            tasks.extend(output.tasks.unwrap_or_default());
        }
        // A service's tasks are in the group `service:<name>`; the check also keeps other
        // services' tasks out where ListTasks does not filter by service (emulators).
        let group = format!("service:{}", self.name);
        tasks.retain(|task| task.group() == Some(group.as_str()));
        let (mut running, mut stopped): (Vec<Task>, Vec<Task>) =
            tasks.into_iter().partition(|task| task.desired_status() != Some("STOPPED"));
        running.sort_by(|a, b| a.started_at().cmp(&b.started_at()).then_with(|| a.task_arn().cmp(&b.task_arn())));
        stopped.sort_by(|a, b| b.stopped_at().cmp(&a.stopped_at()));
        stopped.truncate(STOPPED_TASKS_SHOWN);
        running.extend(stopped);
        Ok(running)
    }

    /// Task ARNs with the given desired status, `pages` pages at most (all when `None`).
    async fn list_tasks(&self, status: DesiredStatus, pages: Option<usize>) -> Result<Vec<String>, ProviderError> {
        let mut arns = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..pages.unwrap_or(usize::MAX) {
            let output = send(self.limits, "listing the tasks of", &self.subject, || {
                self.ecs
                    .list_tasks()
                    .cluster(&self.cluster)
                    .service_name(&self.name)
                    .desired_status(status.clone())
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
            arns.extend(output.task_arns.unwrap_or_default());
            token = output.next_token;
            if token.is_none() {
                break;
            }
        }
        Ok(arns)
    }

    /// UpdateService with what `change` sets.
    pub async fn update(
        &self,
        doing: &str,
        change: impl Fn(UpdateServiceFluentBuilder) -> UpdateServiceFluentBuilder,
    ) -> Result<(), ProviderError> {
        send(self.limits, doing, &self.subject, || {
            change(self.ecs.update_service().cluster(&self.cluster).service(&self.name)).send()
        })
        .await?;
        Ok(())
    }
}

/// The last part of an ARN: the task id of `arn:aws:ecs:…:task/prod/0f3c…`.
pub(super) fn arn_id(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// Whole numbers the API counts with, as the port counts them.
pub(super) fn count(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}
