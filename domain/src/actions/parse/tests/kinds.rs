//! Problems in what each kind needs: `scale`, `command`, `workflow` and `webhook`.

use super::{one, problem, problems_only};

#[test]
fn a_kind_key_on_another_kind_is_reported() {
    let text = r#"actions:
  - id: a
    title: A
    kind: restart
    command: ./restart.sh
    webhook: { url: "https://example.com" }
"#;
    assert_eq!(
        problems_only(text),
        vec![
            problem(5, Some("actions[0].command"), "is only for actions of kind `task`; this one is `restart`"),
            problem(6, Some("actions[0].webhook"), "is only for actions of kind `webhook`; this one is `restart`"),
        ]
    );
}

#[test]
fn scale_needs_its_number_input() {
    let text = r#"actions:
  - id: a
    title: A
    kind: scale
  - id: b
    title: B
    kind: scale
    scale: { input: count }
    inputs:
      - { name: replicas, type: number }
  - id: c
    title: C
    kind: scale
    inputs:
      - { name: replicas, type: string }
"#;
    assert_eq!(
        problems_only(text),
        vec![
            problem(
                4,
                Some("actions[0].kind"),
                "scaling reads the number input `replicas`, which this action does not declare under `inputs`"
            ),
            problem(
                8,
                Some("actions[1].scale.input"),
                "scaling reads the number input `count`, which this action does not declare under `inputs`"
            ),
            problem(13, Some("actions[2].kind"), "scaling needs a number input, and `replicas` is not of type number"),
        ]
    );
}

#[test]
fn a_task_needs_a_command() {
    let text = "actions:\n  - id: a\n    title: A\n    kind: task\n  - id: b\n    title: B\n    kind: task\n    command: \"\"\n";
    assert_eq!(
        problems_only(text),
        vec![
            problem(2, Some("actions[0].command"), "is required"),
            problem(8, Some("actions[1].command"), "must not be empty")
        ]
    );
}

#[test]
fn workflow_placeholders_must_name_something_the_run_has() {
    let text = r#"actions:
  - id: deploy
    title: Deploy
    kind: github_workflow
    inputs:
      - { name: version }
    workflow:
      repo: inkwell
      file: .github/workflows/deploy.yml
      ref: "{{branch}}"
      inputs:
        version: "{{ version }}"
        env: "{{environment"
        team: [a]
        tool: bad-{{tool}}
"#;
    let fill = "is not a placeholder this action can fill: use one of `{{service}}`, `{{environment}}`, `{{version}}` (written without spaces)";
    assert_eq!(
        problems_only(text),
        vec![
            problem(8, Some("actions[0].workflow.repo"), "`inkwell` is not a repository: write `owner/name`"),
            problem(
                9,
                Some("actions[0].workflow.file"),
                "`.github/workflows/deploy.yml` is not a workflow file name: write just the name, such as `deploy.yml`",
            ),
            problem(10, Some("actions[0].workflow.ref"), &format!("`{{{{branch}}}}` {fill}")),
            problem(12, Some("actions[0].workflow.inputs.version"), &format!("`{{{{ version }}}}` {fill}")),
            problem(
                13,
                Some("actions[0].workflow.inputs.env"),
                "`{{environment` opens a placeholder with `{{` and never closes it",
            ),
            problem(
                14,
                Some("actions[0].workflow.inputs.team"),
                "must be a single value (text, a number or true/false), found a list",
            ),
            problem(15, Some("actions[0].workflow.inputs.tool"), &format!("`{{{{tool}}}}` {fill}")),
        ]
    );
}

#[test]
fn webhook_addresses_secrets_and_limits() {
    let text = r#"actions:
  - id: hook
    title: Hook
    kind: webhook
    webhook:
      url: ftp://example.com/hook
      secret: s3cr3t
      secret_env: deploy-secret
      timeout_seconds: 121
      retries: 11
  - id: hook-2
    title: Hook
    kind: webhook
"#;
    assert_eq!(
        problems_only(text),
        vec![
            problem(
                6,
                Some("actions[0].webhook.url"),
                "`ftp://example.com/hook` is not a web address: it must start with `https://` or `http://`"
            ),
            problem(
                7,
                Some("actions[0].webhook.secret"),
                "secrets never go in action files: keep it in an environment variable of the portal and name that variable in `secret_env`",
            ),
            problem(
                8,
                Some("actions[0].webhook.secret_env"),
                "`deploy-secret` is not an environment variable name: use upper-case letters, digits and underscores, not starting with a digit",
            ),
            problem(9, Some("actions[0].webhook.timeout_seconds"), "must be from 1 to 120, found 121"),
            problem(10, Some("actions[0].webhook.retries"), "must be from 0 to 10, found 11"),
            problem(11, Some("actions[1].webhook"), "is required"),
        ]
    );
}

#[test]
fn a_workflow_with_more_inputs_than_github_accepts_is_reported() {
    let inputs: String = (1..=26).map(|n| format!("        i{n}: v\n")).collect();
    let text = format!("actions:\n  - id: a\n    title: A\n    kind: github_workflow\n    workflow:\n      repo: acme/shop\n      file: deploy.yml\n      inputs:\n{inputs}");
    assert_eq!(
        problems_only(&text),
        vec![problem(8, Some("actions[0].workflow.inputs"), "passes 26 inputs; GitHub accepts at most 25 for a workflow dispatch")]
    );
    let fewer: String = (1..=25).map(|n| format!("        i{n}: v\n")).collect();
    let text = format!("actions:\n  - id: a\n    title: A\n    kind: github_workflow\n    workflow:\n      repo: acme/shop\n      file: deploy.yml\n      inputs:\n{fewer}");
    assert_eq!(one(&text).id, "a", "25 inputs are accepted");
}
