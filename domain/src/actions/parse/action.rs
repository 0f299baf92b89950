//! One entry of `actions:`: the fields every kind shares, who may request it and who approves.

use super::super::approval::{ApprovalPolicy, ApprovalScope};
use super::super::definition::{ActionDef, Applies, Who};
use super::values::{count, known_keys, not_blank, text_list};
use super::{inputs, kinds};
use crate::access::Role;
use crate::catalog::parse::node::{Field, Reader};

/// Every key an action may have; the kind's own key is checked against its kind later.
const KEYS: [&str; 13] = [
    "id",
    "title",
    "description",
    "kind",
    "applies",
    "who",
    "approval",
    "timeout_seconds",
    "inputs",
    "scale",
    "command",
    "workflow",
    "webhook",
];

const LONGEST_ID: usize = 64;
/// A day: longer work belongs in a pipeline, not a button.
const LONGEST_TIMEOUT_SECONDS: u32 = 86_400;
/// Thirty days.
const LONGEST_EXPIRY_MINUTES: u32 = 43_200;

/// A definition read from a document, with where its `id` is, to report a duplicate there.
pub(super) struct Found {
    pub def: ActionDef,
    pub id_line: usize,
    pub id_path: String,
}

/// Reads one action; `None`, with its problems in `r`, when anything about it is wrong, so a
/// half-understood action is never offered.
pub(super) fn read(r: &mut Reader<'_>, item: Field<'_, '_>) -> Option<Found> {
    let item = r.map(item)?;
    let before = r.problems.len();
    known_keys(r, &item, &KEYS, "an action");
    let id = r.required_text(&item, "id").and_then(|(id, field)| match check_id(&id) {
        Ok(()) => Some((id, field)),
        Err(message) => {
            r.fail(&field, message);
            None
        }
    });
    let title = r.required_text(&item, "title").map(|(title, _)| title);
    let description = r.optional_str(&item, "description").filter(|text| !text.trim().is_empty());
    let applies = applies(r, &item);
    let who = who(r, &item);
    let approval = approval(r, &item);
    let timeout_seconds = count(r, &item, "timeout_seconds", (1, LONGEST_TIMEOUT_SECONDS), 600);
    let inputs = inputs::read(r, &item);
    let kind = kinds::read(r, &item, inputs.as_deref());
    if r.problems.len() != before {
        return None;
    }
    let (id, id_field) = id?;
    let def = ActionDef {
        id,
        title: title?,
        description,
        kind: kind?,
        applies,
        who,
        approval,
        inputs: inputs?,
        timeout_seconds,
    };
    Some(Found { def, id_line: id_field.line, id_path: id_field.path })
}

/// Ids appear in addresses and audit entries, hence the narrow alphabet.
fn check_id(id: &str) -> Result<(), String> {
    let allowed = id.chars().all(|c| matches!(c, 'a'..='z' | '0'..='9' | '-'));
    if allowed && id.len() <= LONGEST_ID {
        Ok(())
    } else {
        Err(format!("`{id}` is not a valid id: use lowercase letters, digits and dashes (1-{LONGEST_ID} characters)"))
    }
}

fn applies(r: &mut Reader<'_>, item: &Field<'_, '_>) -> Applies {
    let Some(field) = r.optional(item, "applies").and_then(|field| r.map(field)) else {
        return Applies::default();
    };
    known_keys(r, &field, &["services", "owners", "systems", "tags", "environments"], "`applies`");
    Applies {
        services: text_list(r, &field, "services", not_blank),
        owners: text_list(r, &field, "owners", not_blank),
        systems: text_list(r, &field, "systems", not_blank),
        tags: text_list(r, &field, "tags", not_blank),
        environments: text_list(r, &field, "environments", not_blank),
    }
}

fn who(r: &mut Reader<'_>, item: &Field<'_, '_>) -> Who {
    let Some(field) = r.optional(item, "who").and_then(|field| r.map(field)) else {
        return Who::default();
    };
    known_keys(r, &field, &["role", "teams"], "`who`");
    Who { role: role(r, &field, Role::Developer), teams: text_list(r, &field, "teams", check_team) }
}

fn approval(r: &mut Reader<'_>, item: &Field<'_, '_>) -> Option<ApprovalPolicy> {
    let field = r.optional(item, "approval").and_then(|field| r.map(field))?;
    let keys = ["approvers", "role", "teams", "expires_after_minutes", "when"];
    known_keys(r, &field, &keys, "`approval`");
    let scope = match r.optional_text(&field, "when") {
        None => ApprovalScope::Everywhere,
        Some((when, _)) if when == "always" => ApprovalScope::Everywhere,
        Some((when, _)) if when == "production" => ApprovalScope::Production,
        Some((when, at)) => {
            r.fail(&at, format!("`{when}` is not a choice: use `always` or `production`"));
            ApprovalScope::Everywhere
        }
    };
    Some(ApprovalPolicy {
        approvers: count(r, &field, "approvers", (1, 100), 1),
        role: role(r, &field, Role::Operator),
        teams: text_list(r, &field, "teams", check_team),
        expires_after_minutes: count(r, &field, "expires_after_minutes", (1, LONGEST_EXPIRY_MINUTES), 1440),
        scope,
    })
}

/// The optional `role` of `parent`.
fn role(r: &mut Reader<'_>, parent: &Field<'_, '_>, default: Role) -> Role {
    let Some((text, field)) = r.optional_text(parent, "role") else { return default };
    Role::parse(&text).unwrap_or_else(|| {
        r.fail(&field, format!("`{text}` is not a role: use viewer, developer, operator or admin"));
        default
    })
}

/// A GitHub team: `org/slug`, or a bare slug that matches the team in any organisation.
fn check_team(team: &str) -> Result<(), String> {
    let part = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let ok = match team.split_once('/') {
        Some((org, slug)) => part(org) && part(slug),
        None => part(team),
    };
    if ok { Ok(()) } else { Err(format!("`{team}` is not a team: write `org/slug`, or a bare `slug`")) }
}
