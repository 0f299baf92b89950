//! The local runtime with real child processes: what a developer sees on the environments
//! pages when services run on the portal's own host.

use std::collections::BTreeMap;
use std::time::Duration;

use domain::catalog::{Environment, LocalTarget, RuntimeTarget};
use domain::runtime::{Health, LogLine, LogSource, Placement, Runtime, RuntimeStatus};
use futures_util::StreamExt;
use runtimes::local::LocalRuntime;

pub fn local(service: &str, command: &str, replicas: u32) -> Placement {
    Placement {
        service: service.to_owned(),
        environment: Environment {
            name: "dev".to_owned(),
            production: false,
            target: RuntimeTarget::Local(LocalTarget {
                command: command.to_owned(),
                replicas,
                version: Some("1.0.0".to_owned()),
                env: BTreeMap::from([("GREETING".to_owned(), "hello".to_owned())]),
                workdir: None,
            }),
            line: 0,
        },
    }
}

/// Waits until `check` accepts the status, or fails the test with the last one seen.
async fn until(runtime: &LocalRuntime, at: &Placement, what: &str, check: impl Fn(&RuntimeStatus) -> bool) -> RuntimeStatus {
    let mut last = None;
    for _ in 0..100 {
        let status = runtime.status(at).await.expect("status");
        if check(&status) {
            return status;
        }
        last = Some(status);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what}: never happened; last status {last:#?}");
}

fn pids(status: &RuntimeStatus) -> Vec<String> {
    status.instances.iter().map(|i| i.id.clone()).collect()
}

fn alive(pid: &str) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

const TICKING: &str = "echo \"started $PORTICO_VERSION replica $PORTICO_REPLICA $GREETING\"; while :; do echo tick; sleep 0.1; done";

#[tokio::test]
async fn processes_start_restart_scale_stop_and_start_again() {
    let runtime = LocalRuntime::default();
    let at = local("ticker", TICKING, 2);
    runtime.reconcile(std::slice::from_ref(&at)).await;
    let status = until(&runtime, &at, "two ready", |s| s.ready == 2).await;
    assert_eq!((status.desired, status.health, status.version.as_deref()), (2, Health::Healthy, Some("1.0.0")));
    let first = pids(&status);
    assert!(first.iter().all(|pid| alive(pid)), "{first:?}");

    runtime.restart(&at).await.expect("restart");
    let status = until(&runtime, &at, "restarted", |s| s.ready == 2).await;
    assert!(pids(&status).iter().all(|pid| !first.contains(pid)), "new processes after a restart");
    assert!(first.iter().all(|pid| !alive(pid)), "the old processes are gone");
    assert_eq!(status.revision.as_deref(), Some("2"));
    assert!(status.instances.iter().all(|i| i.restarts == 1));

    runtime.scale(&at, 1).await.expect("scale down");
    let status = until(&runtime, &at, "one ready", |s| s.ready == 1 && s.instances.len() == 1).await;
    assert_eq!(status.desired, 1);

    runtime.stop(&at).await.expect("stop");
    let stopped = until(&runtime, &at, "stopped", |s| s.health == Health::Stopped).await;
    assert_eq!((stopped.desired, stopped.ready), (0, 0));
    assert!(pids(&status).iter().all(|pid| !alive(pid)), "stopping ends the processes");

    runtime.start(&at).await.expect("start");
    until(&runtime, &at, "running again", |s| s.ready == 1 && s.health == Health::Healthy).await;

    runtime.set_version(&at, "1.1.0").await.expect("deploy");
    let status = until(&runtime, &at, "new version", |s| s.ready == 1).await;
    assert_eq!(status.version.as_deref(), Some("1.1.0"));
    assert_eq!(status.instances[0].version.as_deref(), Some("1.1.0"));
    runtime.shutdown().await;
}

#[tokio::test]
async fn a_process_that_exits_on_its_own_is_shown_as_crashed() {
    let runtime = LocalRuntime::default();
    let at = local("crasher", "echo going; exit 3", 1);
    runtime.reconcile(std::slice::from_ref(&at)).await;
    let status = until(&runtime, &at, "crashed", |s| s.health == Health::Crashed).await;
    assert_eq!(status.ready, 0);
    assert_eq!(status.instances[0].state, "crashed");
    assert_eq!(status.instances[0].detail.as_deref(), Some("exit code 3"));
    runtime.shutdown().await;
}

#[tokio::test]
async fn a_command_that_cannot_start_is_crashed_with_the_reason() {
    let runtime = LocalRuntime::default();
    let mut at = local("nowhere", "true", 1);
    if let RuntimeTarget::Local(target) = &mut at.environment.target {
        target.workdir = Some("/no/such/folder".to_owned());
    }
    runtime.reconcile(std::slice::from_ref(&at)).await;
    let status = until(&runtime, &at, "crashed", |s| s.health == Health::Crashed).await;
    let detail = status.instances[0].detail.clone().unwrap_or_default();
    assert!(detail.starts_with("could not start"), "{detail}");
}

#[tokio::test]
async fn output_is_the_log_and_the_portal_secrets_are_not_inherited() {
    let runtime = LocalRuntime::default();
    // Cargo sets CARGO_PKG_NAME for this test process: a stand-in for the portal's secrets.
    let at = local("env", "echo \"pkg=${CARGO_PKG_NAME:-none} greeting=$GREETING service=$PORTICO_SERVICE\"; echo oops >&2; sleep 30", 1);
    runtime.reconcile(std::slice::from_ref(&at)).await;
    let mut logs = runtime.logs(&at, 100).await.expect("logs");
    let mut seen: Vec<LogLine> = Vec::new();
    while !seen.iter().any(|l| l.source == LogSource::Stderr) {
        let line = tokio::time::timeout(Duration::from_secs(5), logs.next()).await.expect("a line in time");
        seen.push(line.expect("stream open").expect("a line"));
    }
    let texts: Vec<&str> = seen.iter().map(|l| l.text.as_str()).collect();
    assert!(texts.contains(&"pkg=none greeting=hello service=env"), "{texts:?}");
    assert!(seen.iter().any(|l| l.source == LogSource::Stderr && l.text == "oops"));
    assert!(seen.iter().any(|l| l.source == LogSource::Portal && l.text.starts_with("started replica 0")));
    runtime.shutdown().await;
}

#[tokio::test]
async fn environments_dropped_from_the_catalog_are_stopped() {
    let runtime = LocalRuntime::default();
    let at = local("gone", TICKING, 1);
    runtime.reconcile(std::slice::from_ref(&at)).await;
    let status = until(&runtime, &at, "running", |s| s.ready == 1).await;
    runtime.reconcile(&[]).await;
    assert!(!alive(&status.instances[0].id));
    assert!(runtime.status(&at).await.is_err(), "no longer known");
}
