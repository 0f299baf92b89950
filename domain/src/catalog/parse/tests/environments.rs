//! `spec.environments`: the promotion path and each environment's runtime.

use super::super::super::{EcsTarget, KubernetesTarget, RuntimeTarget};
use super::{component, parse, problem, problems_only};

fn with_environments(yaml: &str) -> String {
    format!("{}  environments:\n{yaml}", component("checkout"))
}

#[test]
fn a_path_of_three_runtimes_loads_in_order() {
    let text = with_environments(
        "    - name: dev\n      local:\n        command: ./bin/serve --port 0\n        replicas: 2\n        version: 1.10\n        env:\n          MODE: demo\n\
         \x20   - name: staging\n      kubernetes:\n        namespace: shop\n        deployment: checkout\n\
         \x20   - name: prod\n      ecs:\n        cluster: prod\n        service: checkout\n        logGroup: /ecs/checkout\n",
    );
    let catalog = parse(&text);
    assert_eq!(catalog.problems, vec![]);
    let environments = &catalog.services[0].environments;
    let names: Vec<&str> = environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["dev", "staging", "prod"]);
    // Which names are production is the portal's configuration's to say (ProductionNames).
    assert_eq!([environments[0].production, environments[2].production], [false, false]);
    assert_eq!(environments.iter().map(|e| e.line).collect::<Vec<_>>(), [10, 17, 21], "each environment knows its line");
    let RuntimeTarget::Local(local) = &environments[0].target else { panic!("dev is local") };
    assert_eq!((local.command.as_str(), local.replicas), ("./bin/serve --port 0", 2));
    // Written as a bare number, the version keeps its trailing zero.
    assert_eq!(local.version.as_deref(), Some("1.10"));
    assert_eq!(local.env.get("MODE").map(String::as_str), Some("demo"));
    assert_eq!(
        environments[1].target,
        RuntimeTarget::Kubernetes(KubernetesTarget {
            cluster: None,
            namespace: "shop".into(),
            deployment: "checkout".into(),
            container: None
        })
    );
    assert_eq!(
        environments[2].target,
        RuntimeTarget::Ecs(EcsTarget {
            region: None,
            cluster: "prod".into(),
            service: "checkout".into(),
            log_group: Some("/ecs/checkout".into())
        })
    );
}

#[test]
fn a_component_without_environments_still_loads() {
    let catalog = parse(&component("legacy"));
    assert_eq!(catalog.problems, vec![]);
    assert!(catalog.services[0].environments.is_empty());
}

#[test]
fn environment_problems_name_the_line_and_field() {
    let text = with_environments(
        "    - name: dev\n      local:\n        replicas: many\n\
         \x20   - name: dev\n      kubernetes:\n        namespace: Shop\n        deployment: checkout\n      local:\n        command: x\n\
         \x20   - name: prod\n      production: yes please\n",
    );
    assert_eq!(
        problems_only(&text),
        vec![
            problem(11, Some("spec.environments[0].local.command"), "is required"),
            problem(12, Some("spec.environments[0].local.replicas"), "must be a whole number from 0 to 32, found a string"),
            problem(15, Some("spec.environments[1].kubernetes.namespace"), "must be a Kubernetes name: lowercase letters, digits and `-`, at most 63 characters"),
            problem(17, Some("spec.environments[1].local"), "an environment runs on one runtime: keep one of `local`, `kubernetes` or `ecs`"),
            problem(19, Some("spec.environments[2]"), "needs a runtime: one of `local`, `kubernetes` or `ecs`"),
            problem(20, Some("spec.environments[2].production"), "must be true or false, found a string"),
        ]
    );
}

#[test]
fn an_environment_declared_twice_is_reported_on_its_name() {
    let text = with_environments(
        "    - name: dev\n      local:\n        command: a\n    - name: dev\n      local:\n        command: b\n",
    );
    assert_eq!(
        problems_only(&text),
        vec![problem(13, Some("spec.environments[1].name"), "environment `dev` is already declared at line 10")]
    );
}
