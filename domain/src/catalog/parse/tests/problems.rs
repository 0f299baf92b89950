//! Documents that do not load, and exactly what is reported for them.

use super::{component, names, parse, problem, problems_only};

const NAME_RULE: &str = "is not a valid name: use letters, digits and `-`, `_` or `.` between them, \
                         starting and ending with a letter or digit (1-63 characters)";
const NAMESPACE_RULE: &str =
    "is not a valid namespace: use lowercase letters, digits and `-` between them (1-63 characters)";
const TAG_RULE: &str = "is not a valid tag: use lowercase letters, digits, `:`, `+` or `#`, \
                        in words joined by single dashes (1-63 characters)";

#[test]
fn every_problem_of_a_document_is_reported_at_once() {
    let text = r#"apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  title: [not, text]
  tags: java
spec:
  lifecycle: 1.10
  owner: user:default/jane
"#;
    assert_eq!(
        problems_only(text),
        vec![
            problem(3, Some("metadata.name"), "is required"),
            problem(4, Some("metadata.title"), "must be a string, found a list"),
            problem(5, Some("metadata.tags"), "must be a list, found a string"),
            problem(6, Some("spec.type"), "is required"),
            problem(
                7,
                Some("spec.lifecycle"),
                "must be a string, found `1.10`, which YAML reads as a number: put it in quotes"
            ),
        ]
    );
}

#[test]
fn names_tags_links_and_annotations_are_checked_item_by_item() {
    let text = r#"apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: Prod service
  namespace: "-bad"
  tags: [ok, Java, "", two--dashes, 5]
  links:
    - url: https://example.com
    - url: ftp://example.com/file
      title: Files
    - title: No address
    - just-a-string
  annotations:
    github.com/project-slug: inkwell/api
    example.com/replicas: 3
    ? [complex]
    : key
spec:
  type: service
  lifecycle: ""
  owner: group:payments
  dependsOn: [db]
"#;
    assert_eq!(
        problems_only(text),
        vec![
            problem(4, Some("metadata.name"), &format!("`Prod service` {NAME_RULE}")),
            problem(5, Some("metadata.namespace"), &format!("`-bad` {NAMESPACE_RULE}")),
            problem(6, Some("metadata.tags[1]"), &format!("`Java` {TAG_RULE}")),
            problem(6, Some("metadata.tags[2]"), "must not be empty"),
            problem(6, Some("metadata.tags[3]"), &format!("`two--dashes` {TAG_RULE}")),
            problem(
                6,
                Some("metadata.tags[4]"),
                "must be a string, found `5`, which YAML reads as a number: put it in quotes"
            ),
            problem(
                9,
                Some("metadata.links[1].url"),
                "`ftp://example.com/file` is not a web address: links must start with `https://` or `http://`",
            ),
            problem(11, Some("metadata.links[2].url"), "is required"),
            problem(12, Some("metadata.links[3]"), "must be a map of fields, found a string"),
            problem(
                15,
                Some("metadata.annotations[\"example.com/replicas\"]"),
                "must be a string, found `3`, which YAML reads as a number: put it in quotes",
            ),
            problem(16, Some("metadata.annotations"), "keys must be strings, found a list"),
            problem(20, Some("spec.lifecycle"), "must not be empty"),
            problem(
                22,
                Some("spec.dependsOn[0]"),
                "`db` names no kind: write it as a reference with its kind, for example `component:db` or `resource:db`",
            ),
        ]
    );
}

#[test]
fn a_name_longer_than_63_characters_is_refused() {
    let long = "a".repeat(64);
    let problems = problems_only(&component(&long));
    let message = format!("`{long}` is too long: names are at most 63 characters (this one has 64)");
    assert_eq!(problems, vec![problem(4, Some("metadata.name"), &message)]);
    assert_eq!(names(&parse(&component(&"a".repeat(63)))).len(), 1);
}

#[test]
fn the_envelope_must_be_a_backstage_one() {
    let cases = [
        (
            "kind: Service\nmetadata:\n  name: x\n",
            vec![
                problem(1, Some("apiVersion"), "is required"),
                problem(
                    1,
                    Some("kind"),
                    "`Service` is not a kind Backstage defines: use one of Component, API, Resource, System, Domain, \
                     Group, User, Location, Template, AiResource",
                ),
            ],
        ),
        (
            "apiVersion: apps/v1\nkind: component\n",
            vec![problem(2, Some("kind"), "`component` is not a known kind: kinds are case-sensitive, write `Component`")],
        ),
        (
            "apiVersion: backstage.io/\nkind: API\n",
            vec![
                problem(
                    1,
                    Some("apiVersion"),
                    "`backstage.io/` is not an API version of API: use `backstage.io/v1alpha1` or `backstage.io/v1beta1`",
                ),
                problem(1, Some("metadata"), "is required"),
                problem(1, Some("spec"), "is required"),
            ],
        ),
        (
            "apiVersion: backstage.io/v1alpha1\nkind: Template\nmetadata: {name: t}\nspec: {type: service, steps: []}\n",
            vec![problem(
                1,
                Some("apiVersion"),
                "`backstage.io/v1alpha1` is not an API version of Template: use `scaffolder.backstage.io/v1beta3`",
            )],
        ),
        ("apiVersion: backstage.io/v1alpha1\nmetadata: {name: x}\n", vec![problem(1, Some("kind"), "is required")]),
        (
            "apiVersion: backstage.io/v1alpha1\nkind: [Component]\n",
            vec![problem(2, Some("kind"), "must be a string, found a list")],
        ),
        (
            "- a\n- b\n",
            vec![problem(
                1,
                None,
                "a catalog document must be a map with apiVersion, kind, metadata and spec, found a list",
            )],
        ),
        (
            "just text\n",
            vec![problem(
                1,
                None,
                "a catalog document must be a map with apiVersion, kind, metadata and spec, found a string",
            )],
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(problems_only(text), expected, "{text}");
    }
}

#[test]
fn missing_or_malformed_sections_are_reported() {
    let text = "apiVersion: backstage.io/v1alpha1\nkind: System\n";
    let expected = vec![problem(1, Some("metadata"), "is required"), problem(1, Some("spec"), "is required")];
    assert_eq!(problems_only(text), expected);

    let text = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: team-a\nspec: team\n";
    let expected = vec![
        problem(3, Some("metadata"), "must be a map of fields, found a string"),
        problem(4, Some("spec"), "must be a map of fields, found a string"),
    ];
    assert_eq!(problems_only(text), expected);
}

#[test]
fn required_fields_may_not_be_left_empty() {
    let text = component("api").replace("owner: team-a", "owner:").replace("type: service", "type: \"  \"");
    let expected = vec![
        problem(6, Some("spec.type"), "must not be empty"),
        problem(8, Some("spec.owner"), "is required but has no value"),
    ];
    assert_eq!(problems_only(&text), expected);
}

#[test]
fn references_must_have_a_valid_kind_namespace_and_name() {
    let cases = [
        ("owner: group:Pay Ments", "spec.owner", format!("`group:Pay Ments`: `Pay Ments` {NAME_RULE}")),
        ("owner: group:-x/payments", "spec.owner", format!("`group:-x/payments`: `-x` {NAMESPACE_RULE}")),
        ("owner: group:default/", "spec.owner", "`group:default/` has no name".to_owned()),
        ("owner: 9:x", "spec.owner", "`9:x`: `9` is not a valid kind: a letter, then letters and digits".to_owned()),
    ];
    for (owner, field, message) in cases {
        let text = component("api").replace("owner: team-a", owner);
        assert_eq!(problems_only(&text), vec![problem(8, Some(field), &message)], "{owner}");
    }
}

#[test]
fn a_group_needs_a_type_and_its_children() {
    let text = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: web\nspec:\n  parent: group:ops\n  profile: []\n";
    let expected = vec![
        problem(5, Some("spec.type"), "is required"),
        problem(5, Some("spec.children"), "is required"),
        problem(7, Some("spec.profile"), "must be a map of fields, found a list"),
    ];
    assert_eq!(problems_only(text), expected);
}

#[test]
fn a_broken_document_does_not_stop_the_others() {
    let broken = component("b").replace("  owner: team-a\n", "");
    let text = format!("{}---\n{broken}---\n{}", component("a"), component("c"));
    let catalog = parse(&text);
    assert_eq!(names(&catalog), ["a", "c"]);
    assert_eq!(catalog.problems, vec![problem(14, Some("spec.owner"), "is required")]);
}

#[test]
fn a_name_declared_twice_in_a_file_keeps_the_first() {
    let text = format!("{}---\n{}", component("a"), component("a").replace("type: service", "type: website"));
    let catalog = parse(&text);
    assert_eq!(catalog.services.len(), 1);
    assert_eq!(catalog.services[0].kind, "service");
    let message = "component:default/a is already declared at catalog-info.yaml:1";
    assert_eq!(catalog.problems, vec![problem(13, Some("metadata.name"), message)]);
}

#[test]
fn a_document_nested_too_deeply_to_parse_is_refused_and_the_others_still_load() {
    // Deep enough to exhaust a thread's stack in the parser, were it parsed.
    let deep: String = (0..5_000).map(|level| format!("{}k:\n", " ".repeat(level))).collect();
    let text = format!("{}---\n{deep}", component("a"));
    let catalog = parse(&text);
    assert_eq!(names(&catalog), ["a"]);
    assert_eq!(catalog.problems.len(), 1);
    // The deep document starts on line 10: the line indented 201 columns is the first past the bound.
    assert_eq!(catalog.problems[0].line, Some(10 + 201));
    assert!(catalog.problems[0].message.contains("nested more than 200 levels"), "{:?}", catalog.problems);
}
