//! Manifests that load: every field, references, empty documents and the manifest text kept
//! for each service (each kind's own fields are in `kinds`).

use std::collections::BTreeMap;

use super::super::super::{Details, EntityKind, EntityRef, Link, Profile, RelationType, Service, SourceLocation};
use super::{FILE, component, names, parse};

const MULTI: &str = r#"# The checkout area.
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: payments
  title: Payments (metadata)
  description: Takes the money.
spec:
  type: team
  profile:
    displayName: Payments Team
    email: payments@example.com
  parent: group:default/engineering
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: checkout
  title: Checkout
  tags: [orders]
spec:
  owner: group:default/payments
---
apiVersion: backstage.io/v1beta1
kind: Component
metadata:
  name: checkout-api
  title: Checkout API
  description: Turns a basket into an order.
  tags:
    - java
    - c++
  links:
    - url: https://example.com/runbooks/checkout
      title: Runbook
      icon: docs
    - url: http://grafana.example.com/d/checkout
  annotations:
    github.com/project-slug: inkwell/checkout
spec:
  type: service
  lifecycle: production
  owner: payments
  system: system:checkout
  providesApis: [checkout-api]
"#;

#[test]
fn a_file_with_one_document_of_each_kind_loads_them_all() {
    let catalog = parse(MULTI);
    assert_eq!(catalog.problems, vec![]);
    let kinds: Vec<EntityKind> = catalog.entities.iter().map(|entity| entity.kind).collect();
    assert_eq!(kinds, [EntityKind::Group, EntityKind::System, EntityKind::Component]);
    let team = &catalog.entities[0];
    assert_eq!((team.name.as_str(), team.namespace.as_str(), team.title.as_deref()), ("payments", "default", Some("Payments Team")));
    let profile = Profile { display_name: Some("Payments Team".into()), email: Some("payments@example.com".into()), picture: None };
    assert_eq!(team.details, Details::Profile(profile));
    assert_eq!(team.declared[0].relation, RelationType::ChildOf);
    assert_eq!(team.declared[0].target, EntityRef::new("group", "default", "engineering"));
    assert_eq!(team.source, SourceLocation { file: FILE.into(), line: 2 });
    let system = &catalog.entities[1];
    assert_eq!(system.owner, Some(EntityRef::new("group", "default", "payments")));
    assert_eq!((system.tags.clone(), system.source.line), (vec!["orders".to_owned()], 16));
    let component = &catalog.entities[2];
    let declared: Vec<(RelationType, String, &str)> =
        component.declared.iter().map(|d| (d.relation, d.target.to_string(), d.field.as_str())).collect();
    assert_eq!(
        declared,
        [
            (RelationType::OwnedBy, "group:default/payments".to_owned(), "spec.owner"),
            (RelationType::PartOf, "system:default/checkout".to_owned(), "spec.system"),
            (RelationType::ProvidesApi, "api:default/checkout-api".to_owned(), "spec.providesApis[0]"),
        ]
    );
    let manifest_start = MULTI.find("apiVersion: backstage.io/v1beta1").expect("third document");
    let service = Service {
        name: "checkout-api".into(),
        title: Some("Checkout API".into()),
        description: Some("Turns a basket into an order.".into()),
        kind: "service".into(),
        lifecycle: "production".into(),
        owner: "payments".into(),
        system: Some("checkout".into()),
        tags: vec!["java".into(), "c++".into()],
        links: vec![
            Link {
                url: "https://example.com/runbooks/checkout".into(),
                title: Some("Runbook".into()),
                icon: Some("docs".into()),
            },
            Link { url: "http://grafana.example.com/d/checkout".into(), title: None, icon: None },
        ],
        annotations: BTreeMap::from([("github.com/project-slug".into(), "inkwell/checkout".into())]),
        environments: vec![],
        source: SourceLocation { file: FILE.into(), line: 25 },
        manifest: MULTI[manifest_start..].trim_end().to_owned(),
    };
    assert_eq!(catalog.services, vec![service]);
}

#[test]
fn a_service_shows_its_owner_and_system_with_what_goes_without_saying_left_out() {
    for (owner, system, shown_owner, shown_system) in [
        ("group:default/payments", "system:default/checkout", "payments", "checkout"),
        ("Group:payments", "System:checkout", "payments", "checkout"),
        ("default/payments", "default/checkout", "payments", "checkout"),
        ("group:shop/payments", "shop/checkout", "shop/payments", "shop/checkout"),
        ("payments", "checkout", "payments", "checkout"),
        ("user:guest", "checkout", "user:guest", "checkout"),
    ] {
        let text = component("api").replace("owner: team-a", &format!("owner: {owner}\n  system: {system}"));
        let catalog = parse(&text);
        assert_eq!(catalog.problems, vec![], "{owner} / {system}");
        assert_eq!(catalog.services[0].owner, shown_owner, "{owner}");
        assert_eq!(catalog.services[0].system.as_deref(), Some(shown_system), "{system}");
    }
}

#[test]
fn a_team_without_a_display_name_shows_its_title() {
    let text = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: web\n  title: Web\nspec:\n  type: team\n  children: []\n  profile:\n    email:\n";
    let catalog = parse(text);
    assert_eq!(catalog.problems, vec![]);
    assert_eq!(catalog.entities[0].display_name(), "Web");
    assert_eq!(catalog.entities[0].details, Details::Profile(Profile::default()));
    assert!(catalog.entities[0].declared.is_empty());
}

#[test]
fn backstage_names_are_kept_as_written() {
    let catalog = parse(&component("Legacy_Billing.v2"));
    assert_eq!(catalog.problems, vec![]);
    assert_eq!(names(&catalog), ["Legacy_Billing.v2"]);
}

#[test]
fn empty_values_of_optional_fields_count_as_absent() {
    let text = component("api").replace("  name: api\n", "  name: api\n  title:\n  tags:\n  links: ~\n  namespace:\n");
    let catalog = parse(&text);
    assert_eq!(catalog.problems, vec![]);
    let service = &catalog.services[0];
    assert_eq!((service.title.as_ref(), service.tags.len(), service.links.len()), (None, 0, 0));
}

#[test]
fn empty_documents_and_files_are_ignored() {
    for text in ["", "\n\n", "# nothing yet\n", "---\n", "---\n---\n# comment\n...\n"] {
        assert_eq!(parse(text), super::Catalog::default(), "{text:?}");
    }
    let text = format!("---\n\n---\n{}---\n", component("api"));
    let catalog = parse(&text);
    assert_eq!(catalog.problems, vec![]);
    assert_eq!(names(&catalog), ["api"]);
    assert_eq!(catalog.services[0].source.line, 4);
}

#[test]
fn each_service_keeps_its_document_as_written() {
    let text = "# header comment\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a   # the first\n\
                spec: {type: service, lifecycle: production, owner: team-a}\n\n...\n---   # second\n\n\
                apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: b\n\
                spec:\n  type: library\n  lifecycle: experimental\n  owner: team-a\n  # trailing note\n\n";
    let catalog = parse(text);
    assert_eq!(catalog.problems, vec![]);
    let manifests: Vec<&str> = catalog.services.iter().map(|service| service.manifest.as_str()).collect();
    assert_eq!(
        manifests,
        [
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a   # the first\nspec: {type: service, lifecycle: production, owner: team-a}",
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: b\nspec:\n  type: library\n  lifecycle: experimental\n  owner: team-a\n  # trailing note",
        ]
    );
    let lines: Vec<usize> = catalog.services.iter().map(|service| service.source.line).collect();
    assert_eq!(lines, [3, 12]);
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_are_read() {
    let text = format!("\u{feff}---\r\n{}", component("api").replace('\n', "\r\n"));
    let catalog = parse(&text);
    assert_eq!(catalog.problems, vec![]);
    assert_eq!(catalog.services[0].source.line, 2);
    assert!(catalog.services[0].manifest.starts_with("apiVersion"));
}

#[test]
fn the_same_name_may_be_used_by_different_kinds() {
    let text = format!(
        "{}---\napiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: api\nspec:\n  owner: team-a\n",
        component("api")
    );
    let catalog = parse(&text);
    assert_eq!(catalog.problems, vec![]);
    assert_eq!((catalog.services.len(), catalog.entities.len()), (1, 2));
}

#[test]
fn directives_end_markers_and_content_on_the_marker_line_are_understood() {
    let text = format!(
        "%YAML 1.2\n---\n{}...\n%YAML 1.2\n--- {{apiVersion: backstage.io/v1alpha1, kind: System, metadata: {{name: s}}, spec: {{owner: team-a}}}}\n",
        component("a")
    );
    let catalog = parse(&text);
    assert_eq!(catalog.problems, vec![]);
    assert_eq!(names(&catalog), ["a"]);
    assert_eq!(catalog.services[0].source.line, 3);
    assert!(catalog.services[0].manifest.ends_with("owner: team-a"), "{}", catalog.services[0].manifest);
    assert_eq!(catalog.of_kind(EntityKind::System).next().map(|system| system.source.line), Some(13));
}
