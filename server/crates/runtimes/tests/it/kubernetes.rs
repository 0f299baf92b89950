//! The Kubernetes runtime through its production client, configured from a kubeconfig file,
//! against a local server that speaks the Kubernetes API's wire format.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use domain::catalog::{Environment, KubernetesTarget, LocalTarget, RuntimeTarget};
use domain::runtime::{Health, LogLine, LogSource, LogStream, Placement, ProviderError, Runtime};
use futures_util::StreamExt;
use serde_json::json;
use runtimes::config::{CallLimits, KubernetesClusterConfig};
use runtimes::kubernetes::KubernetesRuntime;
use time::macros::datetime;

use crate::kube_api::objects::{crash_looping, deployment, pod, replica_set};
use crate::kube_api::{Fault, KubeApi, write_kubeconfig};

const NS: &str = "shop";
const IMAGE: &str = "registry.example.com:5000/shop/checkout:1.4.2";
const PROXY: &str = "envoyproxy/envoy:v1.30.1";
const POD_A: &str = "checkout-7d9f8c6b5-abcde";
const POD_B: &str = "checkout-7d9f8c6b5-fghij";
const DEPLOYMENT_PATH: &str = "/apis/apps/v1/namespaces/shop/deployments/checkout";

fn limits(retries: u32) -> CallLimits {
    CallLimits { timeout: Duration::from_secs(5), retries }
}

/// The runtime as the portal builds it, with the named clusters at these kubeconfig files.
fn runtime(clusters: &[(&str, PathBuf)], limits: CallLimits) -> KubernetesRuntime {
    let clusters: BTreeMap<String, KubernetesClusterConfig> = clusters
        .iter()
        .map(|(name, path)| {
            let config = KubernetesClusterConfig { kubeconfig: Some(path.clone().into()), context: None, in_cluster: false };
            ((*name).to_owned(), config)
        })
        .collect();
    KubernetesRuntime::new(&clusters, limits)
}

fn placement(cluster: Option<&str>, deployment: &str, container: Option<&str>) -> Placement {
    let target = KubernetesTarget {
        cluster: cluster.map(str::to_owned),
        namespace: NS.to_owned(),
        deployment: deployment.to_owned(),
        container: container.map(str::to_owned),
    };
    Placement {
        service: "checkout".to_owned(),
        environment: Environment { name: "prod".to_owned(), production: true, target: RuntimeTarget::Kubernetes(target), line: 0 },
    }
}

fn checkout() -> Placement {
    placement(None, "checkout", Some("app"))
}

/// `shop/checkout` at revision 4 (three pods of `app` and an `envoy` proxy), the ReplicaSets
/// of revisions 3 and 4, and a pod of another Deployment in the same namespace.
struct Shop {
    api: KubeApi,
    runtime: KubernetesRuntime,
    _dir: tempfile::TempDir,
}

async fn shop(limits: CallLimits) -> Shop {
    let api = KubeApi::spawn().await;
    let mut checkout = deployment(NS, "checkout", 3, &[("app", IMAGE), ("proxy", PROXY)]);
    checkout["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = json!("4");
    api.put(replica_set(&checkout, "5c4b3a291", "3", "2025-02-01T09:00:00Z"));
    api.put(replica_set(&checkout, "7d9f8c6b5", "4", "2025-03-04T05:06:07Z"));
    for suffix in ["abcde", "fghij", "klmno"] {
        api.put(pod(&checkout, "7d9f8c6b5", suffix, "2025-03-04T05:06:30Z"));
    }
    api.put(checkout);
    let cart = deployment(NS, "cart", 1, &[("app", "registry.example.com:5000/shop/cart:9.9.9")]);
    api.put(pod(&cart, "6a5b4c3d2", "zzzzz", "2025-03-01T00:00:00Z"));
    api.put(cart);
    let dir = tempfile::tempdir().expect("temporary folder");
    let runtime = runtime(&[("default", api.kubeconfig(dir.path(), KubeApi::token()))], limits);
    Shop { api, runtime, _dir: dir }
}

#[tokio::test]
async fn status_reports_the_replicas_the_version_the_conditions_and_every_pod() {
    let shop = shop(limits(0)).await;
    shop.api.put(crash_looping(shop.api.get("pods", NS, "checkout-7d9f8c6b5-klmno"), 5));
    let mut stored = shop.api.get("deployments", NS, "checkout");
    stored["status"]["readyReplicas"] = json!(2);
    stored["status"]["availableReplicas"] = json!(2);
    shop.api.put(stored);

    let status = shop.runtime.status(&checkout()).await.expect("status");

    assert_eq!((status.desired, status.ready, status.updated), (3, 2, Some(3)));
    assert_eq!(status.version.as_deref(), Some("1.4.2"));
    assert_eq!(status.revision.as_deref(), Some("4"));
    assert_eq!(status.deployed_at, Some(datetime!(2025-03-04 05:06:07 UTC)));
    assert_eq!(status.health, Health::Degraded);
    assert!(
        status.conditions.contains(&"Progressing: NewReplicaSetAvailable — ReplicaSet \"checkout-7d9f8c6b5\" has successfully progressed.".to_owned()),
        "{:?}",
        status.conditions
    );
    assert!(status.conditions.contains(&"Available: MinimumReplicasAvailable — Deployment has minimum availability.".to_owned()));
    let ids: Vec<&str> = status.instances.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, [POD_A, POD_B, "checkout-7d9f8c6b5-klmno"], "only the Deployment's own pods");
    let list = shop.api.requests().into_iter().find(|r| r.path == "/api/v1/namespaces/shop/pods").expect("a pod list");
    assert!(list.query.contains("labelSelector=app%3Dcheckout"), "{}", list.query);
    let running = &status.instances[0];
    assert_eq!((running.state.as_str(), running.version.as_deref(), running.restarts), ("running", Some("1.4.2"), 0));
    assert_eq!(running.started_at, Some(datetime!(2025-03-04 05:06:30 UTC)));
    let crashed = &status.instances[2];
    assert_eq!((crashed.state.as_str(), crashed.restarts), ("crashed", 5));
    let detail = crashed.detail.as_deref().unwrap_or_default();
    assert!(detail.starts_with("CrashLoopBackOff: back-off 5m0s restarting failed container=app"), "{detail}");
    assert!(detail.ends_with("last exit code 1 (Error)"), "{detail}");
}

#[tokio::test]
async fn a_deployment_whose_pods_all_crash_is_crashed_and_one_scaled_to_zero_is_stopped() {
    let shop = shop(limits(0)).await;
    for suffix in ["abcde", "fghij", "klmno"] {
        shop.api.put(crash_looping(shop.api.get("pods", NS, &format!("checkout-7d9f8c6b5-{suffix}")), 2));
    }
    let mut stored = shop.api.get("deployments", NS, "checkout");
    stored["status"]["readyReplicas"] = json!(0);
    shop.api.put(stored);
    assert_eq!(shop.runtime.status(&checkout()).await.expect("status").health, Health::Crashed);

    shop.runtime.stop(&checkout()).await.expect("stop");
    assert_eq!(shop.runtime.status(&checkout()).await.expect("status").health, Health::Stopped);
}

#[tokio::test]
async fn restart_stamps_the_pod_template_as_kubectl_rollout_restart_does() {
    let shop = shop(limits(0)).await;
    let before = time::OffsetDateTime::now_utc().replace_nanosecond(0).expect("whole seconds");

    shop.runtime.restart(&checkout()).await.expect("restart");

    let stored = shop.api.get("deployments", NS, "checkout");
    let stamp = stored["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"].as_str().expect("stamped");
    let at = time::OffsetDateTime::parse(stamp, &time::format_description::well_known::Rfc3339).expect("RFC 3339");
    assert!(at >= before, "{stamp} is not the time of the restart");
    assert_eq!(stored["metadata"]["generation"], 2, "the template changed, so the Deployment rolls out");
    assert_eq!(stored["spec"]["template"]["spec"]["containers"][0]["image"], IMAGE, "same version");
    let patch = shop.api.requests().into_iter().find(|r| r.method == "PATCH").expect("a patch");
    assert_eq!(patch.content_type.as_deref(), Some("application/strategic-merge-patch+json"));
    assert!(patch.query.contains("fieldManager=portico"), "{}", patch.query);
}

#[tokio::test]
async fn scale_sets_the_replicas() {
    let shop = shop(limits(0)).await;
    shop.runtime.scale(&checkout(), 5).await.expect("scale");
    assert_eq!(shop.api.get("deployments", NS, "checkout")["spec"]["replicas"], 5);
}

#[tokio::test]
async fn set_version_changes_the_image_of_the_chosen_container_only() {
    let shop = shop(limits(0)).await;
    let proxy = placement(None, "checkout", Some("proxy"));

    shop.runtime.set_version(&proxy, "v1.31.0").await.expect("deploy to the proxy");
    shop.runtime.set_version(&placement(None, "checkout", None), "1.5.0").await.expect("deploy to the first container");

    let containers = shop.api.get("deployments", NS, "checkout")["spec"]["template"]["spec"]["containers"].clone();
    assert_eq!(containers[0]["image"], "registry.example.com:5000/shop/checkout:1.5.0");
    assert_eq!(containers[1]["image"], "envoyproxy/envoy:v1.31.0");
    assert_eq!(containers[0]["imagePullPolicy"], "IfNotPresent", "the rest of the container is kept");
    assert_eq!(containers.as_array().map(Vec::len), Some(2));

    let digest = format!("sha256:{}", "ab".repeat(32));
    shop.runtime.set_version(&checkout(), &digest).await.expect("deploy a digest");
    let stored = shop.api.get("deployments", NS, "checkout");
    assert_eq!(stored["spec"]["template"]["spec"]["containers"][0]["image"], format!("registry.example.com:5000/shop/checkout@{digest}"));
    assert_eq!(shop.runtime.status(&checkout()).await.expect("status").version, Some(digest));
}

#[tokio::test]
async fn a_version_that_cannot_be_an_image_tag_is_refused_before_anything_is_sent() {
    let shop = shop(limits(0)).await;
    let error = shop.runtime.set_version(&checkout(), "1.5.0; rm -rf /").await.expect_err("not a tag");
    assert!(matches!(error, ProviderError::Invalid(_)), "{error:?}");
    let missing = shop.runtime.set_version(&placement(None, "checkout", Some("sidecar")), "1").await.expect_err("no such container");
    assert_eq!(missing, ProviderError::Invalid("deployment shop/checkout has no container named `sidecar`".into()));
    assert!(shop.api.requests().iter().all(|r| r.method != "PATCH"));
}

#[tokio::test]
async fn stop_then_start_brings_back_the_scale_it_had() {
    let shop = shop(limits(0)).await;

    shop.runtime.stop(&checkout()).await.expect("stop");
    let stopped = shop.api.get("deployments", NS, "checkout");
    assert_eq!(stopped["spec"]["replicas"], 0);
    assert_eq!(stopped["metadata"]["annotations"]["portico.dev/replicas-before-stop"], "3");
    shop.runtime.stop(&checkout()).await.expect("stopping again changes nothing");
    assert_eq!(shop.api.get("deployments", NS, "checkout")["metadata"]["annotations"]["portico.dev/replicas-before-stop"], "3");

    shop.runtime.start(&checkout()).await.expect("start");
    let started = shop.api.get("deployments", NS, "checkout");
    assert_eq!(started["spec"]["replicas"], 3);
    assert!(started["metadata"]["annotations"].get("portico.dev/replicas-before-stop").is_none());
    assert_eq!(started["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "4", "other annotations kept");
}

/// The next `n` items of the stream; a stream that stays silent fails the test instead of
/// hanging it.
async fn next_lines(stream: &mut LogStream, n: usize) -> Vec<LogLine> {
    let mut lines = Vec::new();
    while lines.len() < n {
        let item = tokio::time::timeout(Duration::from_secs(30), stream.next()).await.expect("a line within 30 s");
        lines.push(item.expect("the stream goes on").expect("a line, not an error"));
    }
    lines
}

fn texts<'l>(lines: &'l [LogLine], pod: &str) -> Vec<&'l str> {
    lines.iter().filter(|l| l.instance == pod).map(|l| l.text.as_str()).collect()
}

#[tokio::test]
async fn logs_follow_every_pod_with_the_last_lines_first_then_new_ones() {
    let shop = shop(limits(0)).await;
    let api = &shop.api;
    api.log(NS, POD_A, "app", datetime!(2025-03-04 05:06:31 UTC), "starting");
    api.log(NS, POD_A, "app", datetime!(2025-03-04 05:06:32 UTC), "listening on :8080");
    api.log(NS, POD_A, "app", datetime!(2025-03-04 05:06:33.25 UTC), "GET /healthz 200");
    api.log(NS, POD_A, "proxy", datetime!(2025-03-04 05:06:33 UTC), "[envoy] not the chosen container");
    api.log(NS, POD_B, "app", datetime!(2025-03-04 05:06:34 UTC), "listening on :8080");

    let mut stream = shop.runtime.logs(&checkout(), 2).await.expect("logs open");
    let first = next_lines(&mut stream, 3).await;
    assert_eq!(texts(&first, POD_A), ["listening on :8080", "GET /healthz 200"]);
    assert_eq!(texts(&first, POD_B), ["listening on :8080"]);
    let healthz = first.iter().find(|l| l.text == "GET /healthz 200").expect("the line");
    assert_eq!((healthz.at, healthz.source), (datetime!(2025-03-04 05:06:33.25 UTC), LogSource::Stdout));

    api.log(NS, POD_B, "app", datetime!(2025-03-04 05:10:00 UTC), "payment 42 accepted");
    let later = next_lines(&mut stream, 1).await;
    assert_eq!((later[0].instance.as_str(), later[0].text.as_str()), (POD_B, "payment 42 accepted"));
    assert_eq!(later[0].at, datetime!(2025-03-04 05:10:00 UTC));

    let request = api.requests().into_iter().find(|r| r.path.ends_with(&format!("/pods/{POD_A}/log"))).expect("a log request");
    for parameter in ["follow=true", "tailLines=2", "timestamps=true", "container=app"] {
        assert!(request.query.contains(parameter), "{parameter} in {}", request.query);
    }
}

#[tokio::test]
async fn logs_follow_pods_that_appear_later_and_outlive_a_pod_whose_log_ends() {
    let shop = shop(limits(0)).await;
    let api = &shop.api;
    let mut stream = shop.runtime.logs(&placement(None, "checkout", None), 10).await.expect("logs open");

    // A restart brings a pod of a new ReplicaSet, with output from before it was first listed.
    let stored = api.get("deployments", NS, "checkout");
    api.put(pod(&stored, "8e0a9d7c6", "pqrst", "2025-03-04T06:00:00Z"));
    api.log(NS, "checkout-8e0a9d7c6-pqrst", "app", datetime!(2025-03-04 06:00:01 UTC), "starting");
    let picked_up = next_lines(&mut stream, 1).await;
    assert_eq!((picked_up[0].instance.as_str(), picked_up[0].text.as_str()), ("checkout-8e0a9d7c6-pqrst", "starting"));

    api.end_log(NS, POD_A, "app");
    api.log(NS, POD_B, "app", datetime!(2025-03-04 06:00:02 UTC), "still here");
    let after = next_lines(&mut stream, 1).await;
    assert_eq!((after[0].instance.as_str(), after[0].text.as_str()), (POD_B, "still here"));
}

#[tokio::test]
async fn logs_rbac_refuses_are_forbidden_when_opened() {
    let shop = shop(limits(2)).await;
    shop.api.deny("get", "pods/log");
    let Err(error) = shop.runtime.logs(&checkout(), 10).await else { panic!("the logs opened") };
    assert!(matches!(&error, ProviderError::Forbidden(m) if m.contains("cannot get resource \"pods/log\"")), "{error:?}");
}

#[tokio::test]
async fn a_missing_deployment_is_not_found() {
    let shop = shop(limits(2)).await;
    let error = shop.runtime.status(&placement(None, "checkout-v2", None)).await.expect_err("no such deployment");
    assert_eq!(error, ProviderError::NotFound("deployment shop/checkout-v2".into()));
    assert_eq!(shop.api.requests().len(), 1, "not found is not retried");
}

#[tokio::test]
async fn a_patch_rbac_refuses_is_forbidden_and_changes_nothing() {
    let shop = shop(limits(2)).await;
    shop.api.deny("patch", "deployments");

    shop.runtime.status(&checkout()).await.expect("reading is still allowed");
    let error = shop.runtime.restart(&checkout()).await.expect_err("refused");

    let ProviderError::Forbidden(message) = error else { panic!("expected Forbidden, got {error:?}") };
    assert!(message.contains("cannot patch resource \"deployments\" in API group \"apps\""), "{message}");
    assert!(shop.api.get("deployments", NS, "checkout")["spec"]["template"]["metadata"].get("annotations").is_none());
}

#[tokio::test]
async fn credentials_the_cluster_does_not_accept_are_forbidden() {
    let shop = shop(limits(0)).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let wrong = runtime(&[("default", shop.api.kubeconfig(dir.path(), "expired-token"))], limits(0));
    let error = wrong.status(&checkout()).await.expect_err("unauthorized");
    assert!(matches!(&error, ProviderError::Forbidden(m) if m.contains("cluster `default`") && !m.contains("expired-token")), "{error:?}");
}

#[tokio::test]
async fn throttling_is_retried_within_the_limits_then_reported() {
    let shop = shop(limits(2)).await;
    shop.api.fail(Fault::Status(429));

    let error = shop.runtime.status(&checkout()).await.expect_err("throttled");

    assert_eq!(error, ProviderError::Throttled("Too many requests, please try again later.".into()));
    let attempts = shop.api.requests().iter().filter(|r| r.path == DEPLOYMENT_PATH).count();
    assert_eq!(attempts, 3, "one call and two retries");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let shop = shop(CallLimits { timeout: Duration::from_millis(300), retries: 1 }).await;
    shop.api.fail(Fault::Hang);

    let error = shop.runtime.scale(&checkout(), 2).await.expect_err("no answer");

    assert!(matches!(&error, ProviderError::Timeout(m) if m.contains("scaling deployment shop/checkout")), "{error:?}");
    assert_eq!(shop.api.requests().len(), 2, "tried again once");
}

#[tokio::test]
async fn an_address_nobody_listens_on_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = listener.local_addr().expect("its address");
    drop(listener);
    let dir = tempfile::tempdir().expect("temporary folder");
    let kubeconfig = write_kubeconfig(dir.path(), &format!("http://{address}"), KubeApi::token());
    let runtime = runtime(&[("eu-west", kubeconfig)], limits(1));

    let error = runtime.status(&placement(Some("eu-west"), "checkout", None)).await.expect_err("nobody there");

    assert!(matches!(&error, ProviderError::Unreachable(m) if m.contains("cluster `eu-west`")), "{error:?}");
}

#[tokio::test]
async fn a_named_cluster_is_used_and_an_unknown_one_or_another_runtime_is_invalid() {
    let shop = shop(limits(0)).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let runtime = runtime(&[("staging", shop.api.kubeconfig(dir.path(), KubeApi::token()))], limits(0));

    let status = runtime.status(&placement(Some("staging"), "checkout", None)).await.expect("the named cluster");
    assert_eq!(status.version.as_deref(), Some("1.4.2"));

    let unknown = runtime.status(&placement(Some("prod-eu"), "checkout", None)).await.expect_err("not configured");
    assert_eq!(unknown, ProviderError::Invalid("no Kubernetes cluster named `prod-eu` is configured".into()));

    let mut local = checkout();
    local.environment.target = RuntimeTarget::Local(LocalTarget {
        command: "sleep 1".into(),
        replicas: 1,
        version: None,
        env: BTreeMap::new(),
        workdir: None,
    });
    assert!(matches!(runtime.restart(&local).await, Err(ProviderError::Invalid(_))));
}
