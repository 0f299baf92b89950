//! The ECS runtime against the AWS API emulator: a cluster, a task definition with a sidecar
//! and awslogs settings, a service of two tasks and their log streams, seeded with the SDK.
//!
//! What moto cannot show: it launches no tasks for services (their counts come from
//! `MOTO_ECS_SERVICE_RUNNING`), and its DescribeTasks answers give containers' cpu and memory
//! as numbers where the API has strings, which the SDK refuses to read. So the status here has
//! no instances; turning tasks into instances is covered by the unit tests of `status`.

use std::time::{Duration, SystemTime};

use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use aws_sdk_ecs::config::Credentials;
use aws_sdk_ecs::error::SdkError;
use aws_sdk_ecs::types::{
    Compatibility, ContainerDefinition, KeyValuePair, LaunchType, LogConfiguration, LogDriver, NetworkMode, Tag, Volume,
};
use domain::catalog::{EcsTarget, Environment, RuntimeTarget};
use domain::runtime::{Health, LogSource, Placement, ProviderError, Runtime};
use futures_util::StreamExt;
use runtimes::config::{CallLimits, EcsConfig};
use runtimes::ecs::{EcsRuntime, REPLICAS_BEFORE_STOP};

use crate::moto::{Moto, free_port};

const IMAGE: &str = "registry.example.com/shop/checkout:1.4.2";
const SECRET: &str = "test-secret-access-key";

fn limits() -> CallLimits {
    CallLimits { timeout: Duration::from_secs(10), retries: 1 }
}

fn credentials() -> Credentials {
    Credentials::new("AKIDTESTING", SECRET, None, None, "tests")
}

fn config(endpoint: &str) -> EcsConfig {
    EcsConfig { region: Some("us-east-1".into()), endpoint_url: Some(endpoint.parse().expect("an endpoint URL")) }
}

fn placement(cluster: &str, service: &str) -> Placement {
    let target = EcsTarget { region: None, cluster: cluster.into(), service: service.into(), log_group: None };
    Placement {
        service: "checkout".into(),
        environment: Environment { name: "prod".into(), production: true, target: RuntimeTarget::Ecs(target), line: 0 },
    }
}

/// An emulated account with the `checkout` service (two tasks wanted, two running) in cluster
/// `prod`, and the clients that seeded it (to check what the runtime changed).
struct World {
    _moto: Moto,
    ecs: aws_sdk_ecs::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
    runtime: EcsRuntime,
    /// The ids of the service's tasks, once [`World::run_tasks`] ran them.
    tasks: Vec<String>,
}

impl World {
    async fn new() -> Self {
        // moto reports a new service's tasks as running from the start, as a settled one is.
        let moto = Moto::start(&[("MOTO_ECS_SERVICE_RUNNING", "2")]).await;
        let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(&moto.endpoint)
            .credentials_provider(credentials())
            .load()
            .await;
        let ecs = aws_sdk_ecs::Client::new(&sdk);
        let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk);
        let runtime = EcsRuntime::with_credentials(&config(&moto.endpoint), limits(), credentials()).await;
        ecs.create_cluster().cluster_name("prod").send().await.expect("cluster");
        register_checkout(&ecs).await;
        ecs.create_service()
            .cluster("prod")
            .service_name("checkout")
            .task_definition("checkout:1")
            .desired_count(2)
            .send()
            .await
            .expect("service");
        logs.create_log_group().log_group_name("/ecs/checkout").send().await.expect("log group");
        Self { _moto: moto, ecs, logs, runtime, tasks: Vec::new() }
    }

    /// Runs two tasks of the service, as its scheduler would (moto starts none for services),
    /// with a log stream each, and a task of another service beside them.
    async fn run_tasks(&mut self) {
        for (group, started_by) in
            [("service:checkout", "checkout"), ("service:checkout", "checkout"), ("service:payments", "payments")]
        {
            let run = self
                .ecs
                .run_task()
                .cluster("prod")
                .task_definition("checkout:1")
                .launch_type(LaunchType::Fargate)
                .group(group)
                .started_by(started_by)
                .send()
                .await;
            // moto answers with the containers' cpu and memory as numbers, where the API has
            // strings: the SDK cannot read the answer, but the task is there.
            assert!(matches!(run, Ok(_) | Err(SdkError::ResponseError(_))), "{run:?}");
        }
        let listed = self.ecs.list_tasks().cluster("prod").started_by("checkout").send().await.expect("tasks");
        self.tasks =
            listed.task_arns().iter().map(|arn| arn.rsplit('/').next().expect("a task id").to_owned()).collect();
        assert_eq!(self.tasks.len(), 2);
        for task in &self.tasks {
            let stream = format!("shop/checkout/{task}");
            self.logs
                .create_log_stream()
                .log_group_name("/ecs/checkout")
                .log_stream_name(stream)
                .send()
                .await
                .expect("stream");
        }
    }

    async fn put_log(&self, task: usize, at: i64, message: &str) {
        let event = InputLogEvent::builder().timestamp(at).message(message).build().expect("an event");
        self.logs
            .put_log_events()
            .log_group_name("/ecs/checkout")
            .log_stream_name(format!("shop/checkout/{}", self.tasks[task]))
            .log_events(event)
            .send()
            .await
            .expect("log event");
    }

    async fn service(&self) -> aws_sdk_ecs::types::Service {
        let described = self
            .ecs
            .describe_services()
            .cluster("prod")
            .services("checkout")
            .include(aws_sdk_ecs::types::ServiceField::Tags)
            .send()
            .await;
        described.expect("describe").services()[0].clone()
    }

    async fn stop_tag(&self) -> Option<String> {
        let tags = self.service().await.tags().to_vec();
        tags.iter().find(|tag| tag.key() == Some(REPLICAS_BEFORE_STOP)).and_then(|tag| tag.value().map(str::to_owned))
    }
}

/// The task definition: a log router first, then the service's own container.
async fn register_checkout(ecs: &aws_sdk_ecs::Client) {
    let awslogs = LogConfiguration::builder()
        .log_driver(LogDriver::Awslogs)
        .options("awslogs-group", "/ecs/checkout")
        .options("awslogs-stream-prefix", "shop")
        .options("awslogs-region", "us-east-1")
        .build()
        .expect("log configuration");
    let router = ContainerDefinition::builder()
        .name("log-router")
        .image("fluent/fluent-bit:2.2")
        .memory(64)
        .essential(false)
        .build();
    let checkout = ContainerDefinition::builder()
        .name("checkout")
        .image(IMAGE)
        .cpu(256)
        .memory(512)
        .environment(KeyValuePair::builder().name("MODE").value("live").build())
        .log_configuration(awslogs)
        .build();
    ecs.register_task_definition()
        .family("checkout")
        .container_definitions(router)
        .container_definitions(checkout)
        .cpu("512")
        .memory("1024")
        .network_mode(NetworkMode::Bridge)
        .requires_compatibilities(Compatibility::Ec2)
        .execution_role_arn("arn:aws:iam::123456789012:role/checkout-execution")
        .task_role_arn("arn:aws:iam::123456789012:role/checkout")
        .volumes(Volume::builder().name("scratch").build())
        .tags(Tag::builder().key("team").value("shop").build())
        .send()
        .await
        .expect("task definition");
}

fn now_millis() -> i64 {
    let since = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).expect("after 1970");
    i64::try_from(since.as_millis()).expect("a timestamp")
}

#[tokio::test]
async fn status_shows_the_counts_version_revision_and_deployment() {
    let world = World::new().await;
    let status = world.runtime.status(&placement("prod", "checkout")).await.expect("status");
    assert_eq!((status.desired, status.ready, status.updated), (2, 2, Some(2)));
    assert_eq!(status.health, Health::Healthy);
    assert_eq!(status.version.as_deref(), Some("1.4.2"));
    assert_eq!(status.revision.as_deref(), Some("checkout:1"));
    assert!(status.deployed_at.is_some());
    assert_eq!(status.conditions.len(), 1, "{:?}", status.conditions);
    assert!(status.conditions[0].starts_with("PRIMARY deployment ecs-svc/"), "{}", status.conditions[0]);
    assert!(status.conditions[0].ends_with(": 2 of 2 running"), "{}", status.conditions[0]);
}

#[tokio::test]
async fn scale_sets_the_desired_count() {
    let world = World::new().await;
    world.runtime.scale(&placement("prod", "checkout"), 3).await.expect("scale");
    assert_eq!(world.service().await.desired_count(), 3);
    let status = world.runtime.status(&placement("prod", "checkout")).await.expect("status");
    assert_eq!(status.desired, 3);
}

#[tokio::test]
async fn set_version_registers_a_revision_with_the_new_image_and_keeps_everything_else() {
    let world = World::new().await;
    world.runtime.set_version(&placement("prod", "checkout"), "1.5.0").await.expect("set version");

    let service = world.service().await;
    assert!(service.task_definition().is_some_and(|arn| arn.ends_with("task-definition/checkout:2")), "{service:?}");
    let described = world
        .ecs
        .describe_task_definition()
        .task_definition("checkout:2")
        .include(aws_sdk_ecs::types::TaskDefinitionField::Tags)
        .send()
        .await
        .expect("revision 2");
    let definition = described.task_definition().expect("a task definition");
    let [router, checkout] = definition.container_definitions() else { panic!("two containers: {definition:?}") };
    assert_eq!(checkout.image(), Some("registry.example.com/shop/checkout:1.5.0"));
    assert_eq!((checkout.cpu(), checkout.memory()), (256, Some(512)));
    assert_eq!(checkout.environment()[0].name(), Some("MODE"));
    assert_eq!(checkout.environment()[0].value(), Some("live"));
    let options = checkout.log_configuration().and_then(|config| config.options()).expect("awslogs options");
    assert_eq!(options.get("awslogs-stream-prefix").map(String::as_str), Some("shop"));
    // The sidecar keeps its image: only the service's own container gets the version.
    assert_eq!(router.image(), Some("fluent/fluent-bit:2.2"));
    assert_eq!(router.memory(), Some(64));
    assert_eq!((definition.cpu(), definition.memory()), (Some("512"), Some("1024")));
    assert_eq!(definition.network_mode(), Some(&NetworkMode::Bridge));
    assert_eq!(definition.requires_compatibilities(), [Compatibility::Ec2]);
    assert_eq!(definition.execution_role_arn(), Some("arn:aws:iam::123456789012:role/checkout-execution"));
    assert_eq!(definition.task_role_arn(), Some("arn:aws:iam::123456789012:role/checkout"));
    assert_eq!(definition.volumes()[0].name(), Some("scratch"));
    assert_eq!(described.tags()[0].key(), Some("team"));

    let status = world.runtime.status(&placement("prod", "checkout")).await.expect("status");
    assert_eq!(status.version.as_deref(), Some("1.5.0"));
    assert_eq!(status.revision.as_deref(), Some("checkout:2"));
}

#[tokio::test]
async fn a_version_that_is_no_image_tag_changes_nothing() {
    let world = World::new().await;
    let refused = world.runtime.set_version(&placement("prod", "checkout"), "evil.example.com/other:1").await;
    assert!(matches!(refused, Err(ProviderError::Invalid(_))), "{refused:?}");
    let revisions = world.ecs.list_task_definitions().family_prefix("checkout").send().await.expect("list");
    assert_eq!(revisions.task_definition_arns().len(), 1);
}

#[tokio::test]
async fn restart_starts_a_new_primary_deployment() {
    let world = World::new().await;
    let before = world.service().await.deployments()[0].clone();
    world.runtime.restart(&placement("prod", "checkout")).await.expect("restart");
    // moto replaces the PRIMARY deployment's id and time in place rather than adding one
    // beside the old deployment, as ECS does while it drains the old tasks.
    let after = world.service().await.deployments()[0].clone();
    assert_ne!(after.id(), before.id());
    assert!(after.created_at() >= before.created_at());
    let status = world.runtime.status(&placement("prod", "checkout")).await.expect("status");
    let id = after.id().expect("a deployment id");
    assert!(status.conditions[0].contains(id), "{:?} names {id}", status.conditions);
}

#[tokio::test]
async fn stop_remembers_the_count_and_start_restores_it() {
    let world = World::new().await;
    let at = placement("prod", "checkout");
    world.runtime.scale(&at, 3).await.expect("scale");
    world.runtime.stop(&at).await.expect("stop");
    let status = world.runtime.status(&at).await.expect("status");
    assert_eq!((status.desired, status.health), (0, Health::Stopped));
    assert_eq!(world.stop_tag().await.as_deref(), Some("3"));

    // Stopping what is stopped keeps the count from before the first stop.
    world.runtime.stop(&at).await.expect("stop again");
    assert_eq!(world.stop_tag().await.as_deref(), Some("3"));

    world.runtime.start(&at).await.expect("start");
    assert_eq!(world.service().await.desired_count(), 3);
    assert_eq!(world.stop_tag().await, None);
}

#[tokio::test]
async fn start_without_a_remembered_count_runs_one_task() {
    let world = World::new().await;
    world.ecs.update_service().cluster("prod").service("checkout").desired_count(0).send().await.expect("scale to 0");
    world.runtime.start(&placement("prod", "checkout")).await.expect("start");
    assert_eq!(world.service().await.desired_count(), 1);
}

#[tokio::test]
async fn logs_start_with_the_tail_then_follow_each_new_line_once() {
    let mut world = World::new().await;
    world.run_tasks().await;
    let base = now_millis() - 60_000;
    world.put_log(0, base, "starting").await;
    world.put_log(1, base + 1_000, "starting").await;
    world.put_log(0, base + 2_000, "ready").await;
    world.put_log(1, base + 3_000, "GET /cart 200").await;
    world.put_log(1, base + 4_000, "GET /pay 200").await;

    let mut logs = world.runtime.logs(&placement("prod", "checkout"), 3).await.expect("logs");
    let mut next = async || {
        let line = tokio::time::timeout(Duration::from_secs(30), logs.next()).await.expect("a line within 30 s");
        line.expect("the stream goes on").expect("a line")
    };
    let tail = [next().await, next().await, next().await];
    let seen: Vec<(&str, &str)> = tail.iter().map(|l| (l.instance.as_str(), l.text.as_str())).collect();
    let (first, second) = (world.tasks[0].as_str(), world.tasks[1].as_str());
    assert_eq!(seen, [(first, "ready"), (second, "GET /cart 200"), (second, "GET /pay 200")]);
    assert!(tail.iter().all(|line| line.source == LogSource::Stdout));
    assert_eq!(tail[2].at.unix_timestamp_nanos(), i128::from(base + 4_000) * 1_000_000);

    // A line stamped with the same millisecond as the last one shown is new all the same.
    world.put_log(0, base + 4_000, "late, same millisecond").await;
    world.put_log(1, now_millis(), "GET /ship 200").await;
    let line = next().await;
    assert_eq!((line.instance.as_str(), line.text.as_str()), (first, "late, same millisecond"));
    let line = next().await;
    assert_eq!((line.instance.as_str(), line.text.as_str()), (second, "GET /ship 200"));
    // Nothing read before comes again: the next line is the next one written.
    world.put_log(0, now_millis() + 1, "bye").await;
    assert_eq!(next().await.text, "bye");
}

#[tokio::test]
async fn a_missing_service_or_cluster_is_not_found() {
    let world = World::new().await;
    let missing = world.runtime.status(&placement("prod", "payments")).await;
    assert_eq!(missing, Err(ProviderError::NotFound("ECS service prod/payments".into())));
    let missing = world.runtime.scale(&placement("staging", "checkout"), 1).await;
    assert_eq!(missing, Err(ProviderError::NotFound("ECS service staging/checkout".into())));
}

#[tokio::test]
async fn a_placement_on_another_runtime_is_invalid() {
    let world = World::new().await;
    let mut at = placement("prod", "checkout");
    at.environment.target = RuntimeTarget::Kubernetes(domain::catalog::KubernetesTarget {
        cluster: None,
        namespace: "shop".into(),
        deployment: "checkout".into(),
        container: None,
    });
    assert!(matches!(world.runtime.status(&at).await, Err(ProviderError::Invalid(_))));
}

#[tokio::test]
async fn an_endpoint_nobody_listens_on_is_unreachable() {
    let closed = format!("http://127.0.0.1:{}", free_port());
    let limits = CallLimits { timeout: Duration::from_secs(5), retries: 1 };
    let runtime = EcsRuntime::with_credentials(&config(&closed), limits, credentials()).await;
    let error = runtime.status(&placement("prod", "checkout")).await.expect_err("nothing answers");
    let ProviderError::Unreachable(message) = &error else { panic!("unreachable, not {error:?}") };
    assert!(message.starts_with("ECS service prod/checkout: "), "{message}");
    assert!(!message.contains(SECRET), "{message}");
}
