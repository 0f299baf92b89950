//! `kind:` and the key that belongs to it: `scale`, `command`, `workflow` or `webhook`.

use std::collections::BTreeMap;

use super::super::definition::{ActionKind, WebhookCall, WorkflowDispatch};
use super::super::input::{InputField, InputKind};
use super::values::{checked_text, count, known_keys, not_blank, scalar_text};
use crate::catalog::parse::node::{Field, Reader};

const KINDS: [&str; 7] = ["restart", "scale", "promote", "rollback", "task", "github_workflow", "webhook"];

/// Each kind's own key: present on any other kind, it would be silently ignored.
const KIND_KEYS: [(&str, &str); 4] =
    [("scale", "scale"), ("command", "task"), ("workflow", "github_workflow"), ("webhook", "webhook")];

/// The input `scale` reads when `scale.input` does not name another.
const DEFAULT_SCALE_INPUT: &str = "replicas";

/// Reads the kind of the action `item`. `inputs` is `None` when the inputs had problems: the
/// checks that look an input up are then skipped.
pub(super) fn read(r: &mut Reader<'_>, item: &Field<'_, '_>, inputs: Option<&[InputField]>) -> Option<ActionKind> {
    let (kind, kind_at) = r.required_text(item, "kind")?;
    if !KINDS.contains(&kind.as_str()) {
        r.fail(&kind_at, format!("`{kind}` is not a kind of action: use {}", KINDS.join(", ")));
        return None;
    }
    for (key, owner) in KIND_KEYS {
        if owner != kind
            && let Some(at) = r.entry(item, key)
        {
            r.fail(&at, format!("is only for actions of kind `{owner}`; this one is `{kind}`"));
        }
    }
    match kind.as_str() {
        "restart" => Some(ActionKind::Restart),
        "promote" => Some(ActionKind::Promote),
        "rollback" => Some(ActionKind::Rollback),
        "scale" => scale(r, item, &kind_at, inputs).map(|input| ActionKind::Scale { input }),
        "task" => checked_text(r, item, "command", not_blank).map(|command| ActionKind::Task { command }),
        "github_workflow" => workflow(r, item, inputs).map(ActionKind::GithubWorkflow),
        _ => webhook(r, item).map(ActionKind::Webhook),
    }
}

/// The number input a `scale` action sets the instance count from.
fn scale(
    r: &mut Reader<'_>,
    item: &Field<'_, '_>,
    kind_at: &Field<'_, '_>,
    inputs: Option<&[InputField]>,
) -> Option<String> {
    let named = match r.optional(item, "scale") {
        Some(field) => {
            let field = r.map(field)?;
            known_keys(r, &field, &["input"], "`scale`");
            r.optional_text(&field, "input")
        }
        None => None,
    };
    let (name, at) = named.unwrap_or_else(|| (DEFAULT_SCALE_INPUT.to_owned(), kind_at.clone()));
    let inputs = inputs?;
    match inputs.iter().find(|input| input.name == name).map(|input| &input.kind) {
        Some(InputKind::Number { .. }) => Some(name),
        Some(_) => {
            r.fail(&at, format!("scaling needs a number input, and `{name}` is not of type number"));
            None
        }
        None => {
            r.fail(
                &at,
                format!("scaling reads the number input `{name}`, which this action does not declare under `inputs`"),
            );
            None
        }
    }
}

/// GitHub refuses a `workflow_dispatch` with more inputs than this (`maxProperties` of the
/// dispatch body's `inputs`).
const MAX_WORKFLOW_INPUTS: usize = 25;

fn workflow(r: &mut Reader<'_>, item: &Field<'_, '_>, inputs: Option<&[InputField]>) -> Option<WorkflowDispatch> {
    let field = r.required(item, "workflow").and_then(|field| r.map(field))?;
    known_keys(r, &field, &["repo", "file", "ref", "inputs"], "`workflow`");
    let repo = checked_text(r, &field, "repo", check_repo);
    let file = checked_text(r, &field, "file", check_workflow_file);
    let git_ref = match r.optional_text(&field, "ref") {
        None => Some("main".to_owned()),
        Some((git_ref, at)) => placeholders_ok(r, &at, &git_ref, inputs).then_some(git_ref),
    };
    let mut values = BTreeMap::new();
    if let Some(map) = r.optional(&field, "inputs").and_then(|map| r.map(map)) {
        let entries = r.entries(&map);
        if entries.len() > MAX_WORKFLOW_INPUTS {
            let message = format!("passes {} inputs; GitHub accepts at most {MAX_WORKFLOW_INPUTS} for a workflow dispatch", entries.len());
            r.fail(&map, message);
        }
        for (name, at) in entries {
            let Some(value) = scalar_text(r, &at) else { continue };
            if placeholders_ok(r, &at, &value, inputs) {
                values.insert(name, value);
            }
        }
    }
    Some(WorkflowDispatch { repo: repo?, workflow: file?, git_ref: git_ref?, inputs: values })
}

/// Whether every `{{name}}` in `text` names something a run has: reports the first that does
/// not. Unchecked when the inputs themselves had problems.
fn placeholders_ok(r: &mut Reader<'_>, at: &Field<'_, '_>, text: &str, inputs: Option<&[InputField]>) -> bool {
    let Some(inputs) = inputs else { return true };
    match check_placeholders(text, inputs) {
        Ok(()) => true,
        Err(message) => {
            r.fail(at, message);
            false
        }
    }
}

fn check_placeholders(text: &str, inputs: &[InputField]) -> Result<(), String> {
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end =
            after.find("}}").ok_or_else(|| format!("`{rest}` opens a placeholder with `{{{{` and never closes it"))?;
        let name = &after[..end];
        let known = name == "service" || name == "environment" || inputs.iter().any(|input| input.name == name);
        if !known {
            let mut names = vec!["service".to_owned(), "environment".to_owned()];
            names.extend(inputs.iter().map(|input| input.name.clone()));
            return Err(format!(
                "`{{{{{name}}}}}` is not a placeholder this action can fill: use one of {} (written without spaces)",
                names.iter().map(|n| format!("`{{{{{n}}}}}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        rest = &after[end + 2..];
    }
    Ok(())
}

/// `owner/name`, as GitHub spells repositories.
fn check_repo(repo: &str) -> Result<(), String> {
    let part = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    match repo.split_once('/') {
        Some((owner, name)) if part(owner) && part(name) => Ok(()),
        _ => Err(format!("`{repo}` is not a repository: write `owner/name`")),
    }
}

/// The workflow's file name, as GitHub's dispatch API takes it: not its path.
fn check_workflow_file(file: &str) -> Result<(), String> {
    if file.contains('/') || file.contains(char::is_whitespace) {
        let name = file.rsplit('/').next().unwrap_or(file);
        Err(format!("`{file}` is not a workflow file name: write just the name, such as `{name}`"))
    } else {
        Ok(())
    }
}

fn webhook(r: &mut Reader<'_>, item: &Field<'_, '_>) -> Option<WebhookCall> {
    let field = r.required(item, "webhook").and_then(|field| r.map(field))?;
    if let Some(at) = r.entry(&field, "secret") {
        let message = "secrets never go in action files: keep it in an environment variable of the portal \
                       and name that variable in `secret_env`";
        r.fail(&at, message);
    }
    known_keys(r, &field, &["url", "secret_env", "timeout_seconds", "retries", "secret"], "`webhook`");
    let url = checked_text(r, &field, "url", check_url);
    let secret_env = checked_text(r, &field, "secret_env", check_env_name);
    let timeout_seconds = count(r, &field, "timeout_seconds", (1, 120), 10);
    let retries = count(r, &field, "retries", (0, 10), 3);
    Some(WebhookCall { url: url?, secret_env: secret_env?, timeout_seconds, retries })
}

fn check_url(url: &str) -> Result<(), String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') && !rest.contains(char::is_whitespace) => Ok(()),
        _ => Err(format!("`{url}` is not a web address: it must start with `https://` or `http://`")),
    }
}

/// An environment variable name as shells accept it, upper case by convention.
fn check_env_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let first = chars.next().is_some_and(|c| c.is_ascii_uppercase() || c == '_');
    if first && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not an environment variable name: use upper-case letters, digits and underscores, \
             not starting with a digit"
        ))
    }
}
