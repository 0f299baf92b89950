//! Every Backstage kind: what each one's `spec` gives, what each refuses, namespaces, and the
//! relations each field declares.

use super::super::super::{ApiDefinition, Details, EntityKind, EntityRef, LocationTarget, RelationType as R, Remote, resolve};
use super::{parse, problem, problems_only};

/// One document of `kind` named `name` with `spec` (indented by two spaces per line).
fn doc(kind: &str, name: &str, spec: &str) -> String {
    let version = if kind == "Template" { "scaffolder.backstage.io/v1beta3" } else { "backstage.io/v1alpha1" };
    format!("apiVersion: {version}\nkind: {kind}\nmetadata:\n  name: {name}\nspec:\n{spec}")
}

const EVERY_KIND: &str = r#"apiVersion: backstage.io/v1alpha1
kind: Domain
metadata:
  name: commerce
spec:
  owner: sales
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: checkout
spec:
  owner: payments
  domain: commerce
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout-web
spec:
  type: website
  lifecycle: production
  owner: user:guest
  system: checkout
  subcomponentOf: shop
  providesApis: [checkout-api]
  consumesApis: [api:stock-api]
  dependsOn: [resource:orders-db]
  dependencyOf: [component:storefront]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: checkout-api
spec:
  type: openapi
  lifecycle: production
  owner: payments
  system: checkout
  definition: |
    openapi: 3.0.0
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: orders-db
spec:
  type: database
  owner: payments
  dependsOn: [resource:backups]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: payments
spec:
  type: team
  parent: sales
  children: [payments-oncall]
  members: [guest]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: guest
spec:
  profile:
    displayName: Guest User
    email: guest@example.com
  memberOf: [payments]
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: more
spec:
  targets: [./apis/*.yaml, ./teams.yaml]
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: new-service
spec:
  type: service
  owner: platform
  parameters:
    - title: About
      required: [name]
      properties:
        name: {title: Name, type: string, description: Unique name}
        private: {type: [boolean, "null"]}
  steps: []
---
apiVersion: backstage.io/v1alpha1
kind: AiResource
metadata:
  name: review-skill
spec:
  type: skill
  lifecycle: experimental
  owner: platform
  dependsOn: [style-rule]
"#;

fn declared(kind: EntityKind) -> Vec<(R, String)> {
    let catalog = parse(EVERY_KIND);
    let entity = catalog.of_kind(kind).next().unwrap_or_else(|| panic!("no {kind:?}"));
    entity.declared.iter().map(|d| (d.relation, d.target.to_string())).collect()
}

#[test]
fn every_backstage_kind_loads() {
    let catalog = parse(EVERY_KIND);
    assert_eq!(catalog.problems, vec![]);
    let kinds: Vec<EntityKind> = catalog.entities.iter().map(|entity| entity.kind).collect();
    use EntityKind::*;
    assert_eq!(kinds, [Domain, System, Component, Api, Resource, Group, User, Location, Template, AiResource]);
    // A component owned by a person is kept, and is a service like any other.
    assert_eq!(catalog.services.len(), 1);
    assert_eq!(catalog.services[0].owner, "user:guest");
}

#[test]
fn each_field_declares_the_relation_backstage_makes_of_it() {
    let s = |text: &str| text.to_owned();
    assert_eq!(
        declared(EntityKind::Component),
        [
            (R::OwnedBy, s("user:default/guest")),
            (R::PartOf, s("system:default/checkout")),
            (R::PartOf, s("component:default/shop")),
            (R::ProvidesApi, s("api:default/checkout-api")),
            (R::ConsumesApi, s("api:default/stock-api")),
            (R::DependsOn, s("resource:default/orders-db")),
            (R::DependencyOf, s("component:default/storefront")),
        ]
    );
    assert_eq!(declared(EntityKind::System), [(R::OwnedBy, s("group:default/payments")), (R::PartOf, s("domain:default/commerce"))]);
    assert_eq!(declared(EntityKind::Domain), [(R::OwnedBy, s("group:default/sales"))]);
    assert_eq!(
        declared(EntityKind::Group),
        [
            (R::ChildOf, s("group:default/sales")),
            (R::ParentOf, s("group:default/payments-oncall")),
            (R::HasMember, s("user:default/guest")),
        ]
    );
    assert_eq!(declared(EntityKind::User), [(R::MemberOf, s("group:default/payments"))]);
    assert_eq!(declared(EntityKind::Resource), [(R::OwnedBy, s("group:default/payments")), (R::DependsOn, s("resource:default/backups"))]);
    assert_eq!(declared(EntityKind::AiResource), [(R::OwnedBy, s("group:default/platform")), (R::DependsOn, s("airesource:default/style-rule"))]);
}

#[test]
fn relations_are_made_in_both_directions_once_and_missing_targets_are_problems() {
    let catalog = parse(EVERY_KIND);
    let (relations, problems) = resolve(&catalog.entities);
    let has = |source: &str, relation: R, target: &str| {
        relations.iter().any(|r| r.source.to_string() == source && r.relation == relation && r.target.to_string() == target)
    };
    assert!(has("user:default/guest", R::MemberOf, "group:default/payments"));
    assert!(has("group:default/payments", R::HasMember, "user:default/guest"));
    assert!(has("resource:default/orders-db", R::DependencyOf, "component:default/checkout-web"));
    assert!(has("api:default/checkout-api", R::ApiProvidedBy, "component:default/checkout-web"));
    assert!(has("domain:default/commerce", R::HasPart, "system:default/checkout"));
    // Declared from both ends (Group.members and User.memberOf): stored once.
    let member_of = relations.iter().filter(|r| r.relation == R::MemberOf && r.source.name == "guest").count();
    assert_eq!(member_of, 1);
    let missing: Vec<(usize, &str)> =
        problems.iter().map(|p| (p.line.unwrap_or_default(), p.field.as_deref().unwrap_or_default())).collect();
    assert!(missing.contains(&(6, "spec.owner")), "the domain's owner `sales` is missing: {missing:?}");
    assert!(missing.contains(&(25, "spec.subcomponentOf")), "{missing:?}");
    let message = &problems.iter().find(|p| p.field.as_deref() == Some("spec.subcomponentOf")).expect("present").message;
    assert_eq!(message, "`component:default/shop` is not in the catalog: no entity has this reference");
}

#[test]
fn kind_specific_fields_are_read() {
    let catalog = parse(EVERY_KIND);
    let details = |kind| catalog.of_kind(kind).next().map(|entity| entity.details.clone()).expect("present");
    assert_eq!(details(EntityKind::Api), Details::Api(ApiDefinition { text: "openapi: 3.0.0\n".into(), from: None }));
    let target = |target: &str, at: usize| LocationTarget { target: target.into(), field: format!("spec.targets[{at}]"), line: 77, files: vec![] };
    let targets = vec![target("./apis/*.yaml", 0), target("./teams.yaml", 1)];
    assert_eq!(details(EntityKind::Location), Details::Location { targets, optional: false });
    let Details::Template { parameters } = details(EntityKind::Template) else { panic!("a template") };
    let read: Vec<(&str, Option<&str>, bool)> = parameters.iter().map(|p| (p.name.as_str(), p.kind.as_deref(), p.required)).collect();
    assert_eq!(read, [("name", Some("string"), true), ("private", None, false)]);
    let Details::Profile(profile) = details(EntityKind::User) else { panic!("a profile") };
    assert_eq!(profile.display_name.as_deref(), Some("Guest User"));
}

#[test]
fn a_location_keeps_where_each_target_is_written_and_whether_it_may_be_absent() {
    let text = doc("Location", "l", "  type: file\n  target: ./a.yaml\n  targets:\n    - ./apis/*.yaml\n    - ./b.yaml\n  presence: optional\n");
    let catalog = parse(&text);
    assert_eq!(catalog.problems, vec![]);
    let Details::Location { targets, optional } = &catalog.entities[0].details else { panic!("a location") };
    let written: Vec<(&str, &str, usize)> = targets.iter().map(|t| (t.target.as_str(), t.field.as_str(), t.line)).collect();
    assert_eq!(written, [("./a.yaml", "spec.target", 7), ("./apis/*.yaml", "spec.targets[0]", 9), ("./b.yaml", "spec.targets[1]", 10)]);
    assert!(*optional);
    let empty = doc("Location", "l", "  targets: [\"\", ./b.yaml]\n");
    assert_eq!(problems_only(&empty), vec![problem(6, Some("spec.targets[0]"), "must not be empty")]);
}

#[test]
fn an_api_definition_may_come_from_a_file_and_an_mcp_server_has_remotes() {
    let text = doc("API", "a", "  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    $text: ./openapi.yaml\n");
    let catalog = parse(&text);
    assert_eq!(catalog.problems, vec![]);
    assert_eq!(catalog.entities[0].details, Details::Api(ApiDefinition { text: String::new(), from: Some("./openapi.yaml".into()) }));

    let text = doc("API", "m", "  type: mcp-server\n  lifecycle: production\n  owner: team-a\n  remotes:\n    - type: streamable-http\n      url: https://mcp.example.com/mcp\n");
    let catalog = parse(&text);
    assert_eq!(catalog.problems, vec![]);
    let remote = Remote { kind: "streamable-http".into(), url: "https://mcp.example.com/mcp".into() };
    assert_eq!(catalog.entities[0].details, Details::McpServer { remotes: vec![remote] });
}

#[test]
fn each_kind_refuses_what_its_schema_refuses() {
    let cases = [
        (doc("API", "a", "  type: openapi\n  lifecycle: production\n  owner: team-a\n"), problem(5, Some("spec.definition"), "is required")),
        (
            doc("API", "a", "  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition: {$ref: x}\n"),
            problem(9, Some("spec.definition[\"$ref\"]"), "`$ref` is not a placeholder: use `$text`, `$json` or `$yaml`"),
        ),
        (doc("Resource", "r", "  type: database\n"), problem(5, Some("spec.owner"), "is required")),
        (doc("Domain", "d", "  type: area\n"), problem(5, Some("spec.owner"), "is required")),
        (doc("User", "u", "  profile: {}\n"), problem(5, Some("spec.memberOf"), "is required")),
        (
            doc("User", "u", "  memberOf: [team-a]\n  profile: {picture: ftp://x}\n"),
            problem(7, Some("spec.profile.picture"), "`ftp://x` is not a web address: links must start with `https://` or `http://`"),
        ),
        (
            doc("Location", "l", "  target: ./x.yaml\n  presence: maybe\n"),
            problem(7, Some("spec.presence"), "`maybe` is not a presence: use `required` or `optional`"),
        ),
        (doc("Template", "t", "  type: service\n"), problem(5, Some("spec.steps"), "is required")),
        (doc("AiResource", "s", "  type: skill\n  owner: team-a\n"), problem(5, Some("spec.lifecycle"), "is required")),
    ];
    for (text, expected) in cases {
        assert_eq!(problems_only(&text), vec![expected], "{text}");
    }
}

#[test]
fn namespaces_keep_entities_apart_and_references_stay_in_their_own() {
    let in_ns = |ns: &str| {
        format!(
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: checkout\n  namespace: {ns}\n\
             spec:\n  type: service\n  lifecycle: production\n  owner: payments\n"
        )
    };
    let text = format!("{}---\n{}---\n{}", in_ns("default"), in_ns("shop"), in_ns("shop").replace("checkout", "CHECKOUT"));
    let catalog = parse(&text);
    let refs: Vec<String> = catalog.entities.iter().map(|entity| entity.reference().to_string()).collect();
    assert_eq!(refs, ["component:default/checkout", "component:shop/checkout"]);
    // Names are compared without regard to case: the third is the second again.
    assert_eq!(catalog.problems, vec![problem(24, Some("metadata.name"), "component:shop/CHECKOUT is already declared at catalog-info.yaml:11")]);
    assert_eq!(catalog.entities[1].owner, Some(EntityRef::new("group", "shop", "payments")));
    // Only the default namespace's components are services Portico runs.
    assert_eq!(catalog.services.len(), 1);
}

#[test]
fn environments_outside_the_default_namespace_are_reported_and_the_entity_kept() {
    let text = doc("Component", "api", "  type: service\n  lifecycle: production\n  owner: team-a\n  environments:\n    - name: dev\n      local: {command: ./run}\n")
        .replace("  name: api\n", "  name: api\n  namespace: shop\n");
    let catalog = parse(&text);
    assert_eq!(catalog.entities.len(), 1);
    assert!(catalog.services.is_empty());
    assert_eq!(catalog.problems.len(), 1);
    assert_eq!(catalog.problems[0].field.as_deref(), Some("spec.environments"));
}
