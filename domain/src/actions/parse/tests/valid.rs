//! Files that load, and the definitions they give, defaults included.

use std::collections::BTreeMap;

use super::super::super::approval::{ApprovalPolicy, ApprovalScope};
use super::super::super::definition::{ActionDef, ActionKind, Applies, WebhookCall, Who, WorkflowDispatch};
use super::super::super::input::{InputField, InputKind};
use super::{ids, one, valid};
use crate::access::Role;

#[test]
fn a_minimal_action_gets_every_default() {
    let def = one("actions:\n  - id: restart\n    title: Restart\n    kind: restart\n");
    assert_eq!(
        def,
        ActionDef {
            id: "restart".to_owned(),
            title: "Restart".to_owned(),
            description: None,
            kind: ActionKind::Restart,
            applies: Applies::default(),
            who: Who { role: Role::Developer, teams: vec![] },
            approval: None,
            inputs: vec![],
            timeout_seconds: 600,
        }
    );
}

#[test]
fn every_common_field_is_read() {
    let text = r#"
actions:
  - id: promote-2
    title: Promote
    description: Ships what staging runs.
    kind: promote
    applies:
      services: [checkout]
      owners: [commerce]
      systems: [shop]
      tags: [java, go]
      environments: [staging, prod]
    who: { role: operator, teams: [inkwell/sre, release] }
    approval:
      approvers: 2
      role: admin
      teams: [inkwell/leads]
      expires_after_minutes: 60
      when: production
    timeout_seconds: 86400
"#;
    let def = one(text);
    assert_eq!(def.description.as_deref(), Some("Ships what staging runs."));
    assert_eq!(def.kind, ActionKind::Promote);
    let strings = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        def.applies,
        Applies {
            services: strings(&["checkout"]),
            owners: strings(&["commerce"]),
            systems: strings(&["shop"]),
            tags: strings(&["java", "go"]),
            environments: strings(&["staging", "prod"]),
        }
    );
    assert_eq!(def.who, Who { role: Role::Operator, teams: strings(&["inkwell/sre", "release"]) });
    assert_eq!(
        def.approval,
        Some(ApprovalPolicy {
            approvers: 2,
            role: Role::Admin,
            teams: strings(&["inkwell/leads"]),
            expires_after_minutes: 60,
            scope: ApprovalScope::Production,
        })
    );
    assert_eq!(def.timeout_seconds, 86_400);
}

#[test]
fn an_empty_approval_map_takes_the_defaults() {
    let def = one("actions:\n  - id: rollback\n    title: Roll back\n    kind: rollback\n    approval: {}\n");
    assert_eq!(
        def.approval,
        Some(ApprovalPolicy {
            approvers: 1,
            role: Role::Operator,
            teams: vec![],
            expires_after_minutes: 1440,
            scope: ApprovalScope::Everywhere,
        })
    );
    assert_eq!(def.kind, ActionKind::Rollback);
}

#[test]
fn scale_reads_replicas_or_the_input_it_names() {
    let text = r#"
actions:
  - id: scale
    title: Scale
    kind: scale
    inputs:
      - { name: replicas, type: number, integer: true, min: 0, max: 8 }
  - id: scale-workers
    title: Scale workers
    kind: scale
    scale: { input: workers }
    inputs:
      - { name: workers, type: number }
"#;
    let defs = valid(text);
    assert_eq!(defs[0].kind, ActionKind::Scale { input: "replicas".to_owned() });
    assert_eq!(defs[0].inputs[0].kind, InputKind::Number { min: Some(0.0), max: Some(8.0), integer: true });
    assert_eq!(defs[1].kind, ActionKind::Scale { input: "workers".to_owned() });
}

#[test]
fn a_task_keeps_its_command_as_written() {
    let text = "actions:\n  - id: db-migrate\n    title: Migrate\n    kind: task\n    command: './bin/migrate --to \"$PORTICO_INPUT_TARGET\"'\n";
    assert_eq!(one(text).kind, ActionKind::Task { command: "./bin/migrate --to \"$PORTICO_INPUT_TARGET\"".to_owned() });
}

#[test]
fn a_workflow_with_placeholders_and_the_default_ref() {
    let text = r#"
actions:
  - id: deploy
    title: Deploy
    kind: github_workflow
    inputs:
      - { name: version, type: version, required: true }
    workflow:
      repo: inkwell/checkout
      file: deploy.yml
      inputs:
        version: "{{version}}"
        target: "{{service}}-{{environment}}"
        attempts: 3
"#;
    let def = one(text);
    let inputs = BTreeMap::from([
        ("attempts".to_owned(), "3".to_owned()),
        ("target".to_owned(), "{{service}}-{{environment}}".to_owned()),
        ("version".to_owned(), "{{version}}".to_owned()),
    ]);
    let expected = WorkflowDispatch {
        repo: "inkwell/checkout".to_owned(),
        workflow: "deploy.yml".to_owned(),
        git_ref: "main".to_owned(),
        inputs,
    };
    assert_eq!(def.kind, ActionKind::GithubWorkflow(expected));

    let with_ref =
        text.replace("      file: deploy.yml\n", "      file: deploy.yml\n      ref: \"release/{{version}}\"\n");
    let ActionKind::GithubWorkflow(dispatch) = one(&with_ref).kind else { panic!("not a workflow") };
    assert_eq!(dispatch.git_ref, "release/{{version}}");
}

#[test]
fn a_webhook_with_and_without_its_optional_fields() {
    let text = r#"
actions:
  - id: purge-cache
    title: Purge the CDN
    kind: webhook
    webhook: { url: "https://hooks.example.com/purge", secret_env: PURGE_HOOK_SECRET }
  - id: notify
    title: Notify
    kind: webhook
    webhook:
      url: http://127.0.0.1:9000/hook
      secret_env: _HOOK_2
      timeout_seconds: 120
      retries: 0
"#;
    let defs = valid(text);
    let call = |url: &str, secret: &str, timeout_seconds, retries| {
        ActionKind::Webhook(WebhookCall {
            url: url.to_owned(),
            secret_env: secret.to_owned(),
            timeout_seconds,
            retries,
        })
    };
    assert_eq!(defs[0].kind, call("https://hooks.example.com/purge", "PURGE_HOOK_SECRET", 10, 3));
    assert_eq!(defs[1].kind, call("http://127.0.0.1:9000/hook", "_HOOK_2", 120, 0));
}

#[test]
fn every_input_type_and_its_options() {
    let text = r#"
actions:
  - id: form
    title: Every field
    kind: restart
    inputs:
      - name: reason
      - name: ticket
        label: Ticket
        help: The change ticket.
        type: string
        required: true
        pattern: "[A-Z]+-[0-9]+"
        min_length: 3
        max_length: 20
        default: OPS-1
      - { name: ratio, type: number, min: 0.5, max: 1.5, default: 1.10 }
      - { name: force, type: boolean, default: true }
      - { name: size, type: enum, choices: [small, 2, large], default: 2 }
      - { name: notes, type: text, max_length: 500, default: "" }
      - { name: target, type: environment, default: anywhere }
      - { name: version, type: version, default: "1.2.3" }
"#;
    let def = one(text);
    let field = |name: &str, label: &str, required, default: Option<&str>, kind| InputField {
        name: name.to_owned(),
        label: label.to_owned(),
        help: None,
        required,
        default: default.map(str::to_owned),
        kind,
        secret: false,
    };
    let expected = vec![
        field("reason", "reason", false, None, InputKind::String { pattern: None, min_length: None, max_length: None }),
        InputField {
            help: Some("The change ticket.".to_owned()),
            ..field(
                "ticket",
                "Ticket",
                true,
                Some("OPS-1"),
                InputKind::String {
                    pattern: Some("[A-Z]+-[0-9]+".to_owned()),
                    min_length: Some(3),
                    max_length: Some(20),
                },
            )
        },
        // Numbers keep the text they were written with.
        field(
            "ratio",
            "ratio",
            false,
            Some("1.10"),
            InputKind::Number { min: Some(0.5), max: Some(1.5), integer: false },
        ),
        field("force", "force", false, Some("true"), InputKind::Boolean),
        field(
            "size",
            "size",
            false,
            Some("2"),
            InputKind::Enum { choices: vec!["small".into(), "2".into(), "large".into()] },
        ),
        // An empty default is no default.
        field("notes", "notes", false, None, InputKind::Text { max_length: Some(500) }),
        // Environments are known per service only: the default is not checked here.
        field("target", "target", false, Some("anywhere"), InputKind::Environment),
        field("version", "version", false, Some("1.2.3"), InputKind::Version),
    ];
    assert_eq!(def.inputs, expected);
}

#[test]
fn documents_comments_and_empty_lists() {
    let text = "\u{feff}# Actions for the shop.\n---\nactions: []\n---\n# nothing here\n---\nactions:\n  - id: a\n    title: A\n    kind: restart\n...\n---\nactions:\n  - id: b\n    title: B\n    kind: rollback\n";
    assert_eq!(ids(&valid(text)), ["a", "b"]);
}
