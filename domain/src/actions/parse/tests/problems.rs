//! Action files that do not (entirely) load, and exactly what is reported for them.

use super::{FILE, ids, problem, problems_only};
use crate::actions::parse::parse_actions;

#[test]
fn unknown_keys_are_reported_with_the_nearest_known_one() {
    let text = r#"actions:
  - id: restart
    title: Restart
    kind: restart
    aproval: { approvers: 2 }
    timeout: 60
    colour: red
    who: { role: developer, team: [x] }
"#;
    assert_eq!(
        problems_only(text),
        vec![
            problem(5, Some("actions[0].aproval"), "is not a field of an action: did you mean `approval`?"),
            problem(6, Some("actions[0].timeout"), "is not a field of an action: did you mean `timeout_seconds`?"),
            problem(
                7,
                Some("actions[0].colour"),
                "is not a field of an action; its fields are id, title, description, kind, applies, who, approval, \
                 timeout_seconds, inputs, scale, command, workflow, webhook",
            ),
            problem(8, Some("actions[0].who.team"), "is not a field of `who`: did you mean `teams`?"),
        ]
    );
}

#[test]
fn unknown_top_level_keys_and_documents_that_are_not_maps() {
    let text = "action:\n  - id: a\n---\n- id: b\n";
    assert_eq!(
        problems_only(text),
        vec![
            problem(1, Some("action"), "is not a field of an action file: did you mean `actions`?"),
            problem(1, Some("actions"), "is required"),
            problem(4, None, "an action file must be a map with an `actions:` list, found a list"),
        ]
    );
}

#[test]
fn ids_titles_and_kinds() {
    let text = r#"actions:
  - id: Restart_All
    title: Restart
    kind: restart
  - title: "   "
    kind: Restart
  - id: x
    title: X
    kind: deploy
"#;
    let id_rule = "is not a valid id: use lowercase letters, digits and dashes (1-64 characters)";
    let kinds = "use restart, scale, promote, rollback, task, github_workflow, webhook";
    assert_eq!(
        problems_only(text),
        vec![
            problem(2, Some("actions[0].id"), &format!("`Restart_All` {id_rule}")),
            problem(5, Some("actions[1].id"), "is required"),
            problem(5, Some("actions[1].title"), "must not be empty"),
            problem(6, Some("actions[1].kind"), &format!("`Restart` is not a kind of action: {kinds}")),
            problem(9, Some("actions[2].kind"), &format!("`deploy` is not a kind of action: {kinds}")),
        ]
    );
    let long = format!("actions:\n  - id: {}\n    title: T\n    kind: restart\n", "a".repeat(65));
    assert_eq!(
        problems_only(&long),
        vec![problem(2, Some("actions[0].id"), &format!("`{}` {id_rule}", "a".repeat(65)))]
    );
}

#[test]
fn wrong_types_name_the_expected_type() {
    let text = r#"actions:
  - id: a
    title: [A]
    kind: restart
    timeout_seconds: "600"
    applies: { services: checkout, tags: [ok, 5] }
    who: developer
    approval:
      approvers: 0
      role: boss
      when: sometimes
      expires_after_minutes: 43201
"#;
    assert_eq!(
        problems_only(text),
        vec![
            problem(3, Some("actions[0].title"), "must be a string, found a list"),
            problem(5, Some("actions[0].timeout_seconds"), "must be a whole number from 1 to 86400, found a string"),
            problem(6, Some("actions[0].applies.services"), "must be a list, found a string"),
            problem(
                6,
                Some("actions[0].applies.tags[1]"),
                "must be a string, found `5`, which YAML reads as a number: put it in quotes",
            ),
            problem(7, Some("actions[0].who"), "must be a map of fields, found a string"),
            problem(9, Some("actions[0].approval.approvers"), "must be from 1 to 100, found 0"),
            problem(
                10,
                Some("actions[0].approval.role"),
                "`boss` is not a role: use viewer, developer, operator or admin"
            ),
            problem(11, Some("actions[0].approval.when"), "`sometimes` is not a choice: use `always` or `production`"),
            problem(12, Some("actions[0].approval.expires_after_minutes"), "must be from 1 to 43200, found 43201"),
        ]
    );
}

#[test]
fn a_broken_action_is_left_out_and_the_others_load() {
    let text = r#"actions:
  - id: good
    title: Good
    kind: restart
  - id: bad
    title: Bad
    kind: restart
    timeout_seconds: 0
  - not an action
  - id: also-good
    title: Also good
    kind: rollback
"#;
    let (defs, problems) = parse_actions(FILE, text);
    assert_eq!(ids(&defs), ["good", "also-good"]);
    assert_eq!(
        problems,
        vec![
            problem(8, Some("actions[1].timeout_seconds"), "must be from 1 to 86400, found 0"),
            problem(9, Some("actions[2]"), "must be a map of fields, found a string"),
        ]
    );
}

#[test]
fn duplicate_ids_in_a_file_keep_the_first() {
    let text = "actions:\n  - id: a\n    title: A\n    kind: restart\n---\nactions:\n  - id: a\n    title: Again\n    kind: rollback\n";
    let (defs, problems) = parse_actions(FILE, text);
    assert_eq!(defs.iter().map(|def| def.title.as_str()).collect::<Vec<_>>(), ["A"]);
    assert_eq!(
        problems,
        vec![problem(7, Some("actions[0].id"), "an action with id `a` is already declared at actions.yaml:2")]
    );
}

#[test]
fn lines_count_from_the_start_of_the_file_in_every_document() {
    let text = r#"# Shop actions
actions:
  - id: one
    title: One
    kind: restart
---
# the second document
actions:
  - id: two
    title: Two
    kind: restart
    extra: 1
---
actions:
  - id: three
    title: Three
    kind: rollback
    timeout_seconds: -1
"#;
    let (defs, problems) = parse_actions(FILE, text);
    assert_eq!(ids(&defs), ["one"]);
    assert_eq!(
        problems,
        vec![
            problem(
                12,
                Some("actions[0].extra"),
                "is not a field of an action; its fields are id, title, description, kind, applies, who, approval, \
                 timeout_seconds, inputs, scale, command, workflow, webhook",
            ),
            problem(18, Some("actions[0].timeout_seconds"), "must be from 1 to 86400, found -1"),
        ]
    );
}

#[test]
fn a_syntax_error_loses_only_its_document() {
    let text = "actions:\n  - id: one\n    title: One\n    kind: restart\n---\nactions:\n  - id: [two\n---\nactions:\n  - id: three\n    title: Three\n    kind: restart\n";
    let (defs, problems) = parse_actions(FILE, text);
    assert_eq!(ids(&defs), ["one", "three"]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].message.starts_with("YAML syntax error"), "{problems:#?}");
    assert!(matches!(problems[0].line, Some(7 | 8)), "{problems:#?}");
}
