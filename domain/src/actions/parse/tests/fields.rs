//! Problems in `inputs:`, the action's form.

use super::{problem, problems_only};

/// An action of kind restart with `inputs` as given (indented under `inputs:`).
fn with_inputs(inputs: &str) -> String {
    format!("actions:\n  - id: a\n    title: A\n    kind: restart\n    inputs:\n{inputs}")
}

#[test]
fn names_must_be_valid_and_unique() {
    let text = with_inputs(
        "      - name: target\n      - name: Target\n      - name: target\n        type: version\n      - label: No name\n",
    );
    assert_eq!(
        problems_only(&text),
        vec![
            problem(
                7,
                Some("actions[0].inputs[1].name"),
                "`Target` is not a valid input name: start with a lowercase letter, then use lowercase letters, \
                 digits or underscores (1-64 characters)",
            ),
            problem(8, Some("actions[0].inputs[2].name"), "an input named `target` is already declared at line 6"),
            problem(10, Some("actions[0].inputs[3].name"), "is required"),
        ]
    );
}

#[test]
fn a_pattern_must_compile() {
    let text = with_inputs("      - name: ticket\n        pattern: \"[A-Z+\"\n");
    assert_eq!(
        problems_only(&text),
        vec![problem(
            7,
            Some("actions[0].inputs[0].pattern"),
            "is not a valid pattern: non-empty character class has no closing bracket",
        )]
    );
}

#[test]
fn a_default_must_pass_its_own_field() {
    let text = with_inputs(
        r#"      - { name: ticket, label: Ticket, pattern: "[A-Z]+-[0-9]+", default: ops-1 }
      - { name: replicas, label: Replicas, type: number, integer: true, max: 8, default: 9 }
      - { name: half, type: number, integer: true, default: 1.5 }
      - { name: size, type: enum, choices: [s, m], default: xl }
      - { name: force, type: boolean, default: maybe }
      - { name: note, type: text, max_length: 3, default: long }
      - { name: version, type: version, default: "1 2" }
      - { name: list, default: [a] }
"#,
    );
    assert_eq!(
        problems_only(&text),
        vec![
            problem(
                6,
                Some("actions[0].inputs[0].default"),
                "does not pass this input's own checks: Ticket must match [A-Z]+-[0-9]+."
            ),
            problem(
                7,
                Some("actions[0].inputs[1].default"),
                "does not pass this input's own checks: Replicas must be at most 8."
            ),
            problem(
                8,
                Some("actions[0].inputs[2].default"),
                "does not pass this input's own checks: half must be a whole number."
            ),
            problem(
                9,
                Some("actions[0].inputs[3].default"),
                "does not pass this input's own checks: size is one of: s, m."
            ),
            problem(
                10,
                Some("actions[0].inputs[4].default"),
                "does not pass this input's own checks: force is yes or no."
            ),
            problem(
                11,
                Some("actions[0].inputs[5].default"),
                "does not pass this input's own checks: note takes at most 3 characters."
            ),
            problem(
                12,
                Some("actions[0].inputs[6].default"),
                "does not pass this input's own checks: version is a version: an image tag (letters, digits, `_`, `.` and `-`, up to 128) or a sha256 digest.",
            ),
            problem(
                13,
                Some("actions[0].inputs[7].default"),
                "must be a single value (text, a number or true/false), found a list",
            ),
        ]
    );
}

#[test]
fn options_belong_to_their_types() {
    let text = with_inputs(
        r#"      - { name: a, type: number, pattern: "x", choices: [x] }
      - { name: b, type: text, min_length: 1, integer: true }
      - { name: c, type: date }
      - { name: d, type: boolean, required: "yes" }
      - { name: e, type: string, placeholder: x }
"#,
    );
    assert_eq!(
        problems_only(&text),
        vec![
            problem(6, Some("actions[0].inputs[0].pattern"), "is only for string inputs; this input is of type number"),
            problem(6, Some("actions[0].inputs[0].choices"), "is only for enum inputs; this input is of type number"),
            problem(
                7,
                Some("actions[0].inputs[1].min_length"),
                "is only for string inputs; this input is of type text"
            ),
            problem(7, Some("actions[0].inputs[1].integer"), "is only for number inputs; this input is of type text"),
            problem(
                8,
                Some("actions[0].inputs[2].type"),
                "`date` is not an input type: use string, number, boolean, enum, text, environment, version",
            ),
            problem(9, Some("actions[0].inputs[3].required"), "must be true or false, found a string"),
            problem(
                10,
                Some("actions[0].inputs[4].placeholder"),
                "is not a field of an input; its fields are name, label, help, type, required, default, pattern, \
                 min_length, max_length, min, max, integer, choices, secret",
            ),
        ]
    );
}

#[test]
fn bounds_and_choices() {
    let text = with_inputs(
        r#"      - { name: a, type: number, min: 5, max: 1 }
      - { name: b, min_length: 4, max_length: 2 }
      - { name: c, type: number, min: "0" }
      - { name: d, type: enum }
      - { name: e, type: enum, choices: [] }
      - { name: f, type: enum, choices: [x, y, x, ""] }
      - { name: g, max_length: -1 }
"#,
    );
    assert_eq!(
        problems_only(&text),
        vec![
            problem(6, Some("actions[0].inputs[0].max"), "must not be less than `min` (5)"),
            problem(7, Some("actions[0].inputs[1].max_length"), "must not be less than `min_length` (4)"),
            problem(8, Some("actions[0].inputs[2].min"), "must be a number, found a string"),
            problem(9, Some("actions[0].inputs[3].choices"), "is required"),
            problem(10, Some("actions[0].inputs[4].choices"), "must list at least one choice"),
            problem(11, Some("actions[0].inputs[5].choices[2]"), "`x` is already a choice"),
            problem(11, Some("actions[0].inputs[5].choices[3]"), "must not be empty"),
            problem(12, Some("actions[0].inputs[6].max_length"), "must be from 0 to 16384, found -1"),
        ]
    );
}

#[test]
fn inputs_must_be_a_list_of_maps() {
    let text = "actions:\n  - id: a\n    title: A\n    kind: restart\n    inputs: { name: x }\n  - id: b\n    title: B\n    kind: restart\n    inputs: [x]\n";
    assert_eq!(
        problems_only(text),
        vec![
            problem(5, Some("actions[0].inputs"), "must be a list, found a map"),
            problem(9, Some("actions[1].inputs[0]"), "must be a map of fields, found a string"),
        ]
    );
}

#[test]
fn a_secret_input_is_text_without_a_default() {
    let text = with_inputs(
        "      - { name: api_key, secret: true, default: sk-123 }\n      - { name: size, type: number, secret: true }\n",
    );
    let problems = problems_only(&text);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(
        problems[0],
        problem(
            6,
            Some("actions[0].inputs[0].default"),
            "a secret input cannot have a default: it would be written in the action file for everyone who reads it",
        )
    );
    assert_eq!(problems[1].line, Some(7));
    assert_eq!(problems[1].field.as_deref(), Some("actions[0].inputs[1].secret"));
}
