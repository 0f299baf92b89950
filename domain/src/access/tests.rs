use super::*;

fn person(login: &str, orgs: &[&str], teams: &[&str]) -> Identity {
    Identity {
        login: login.into(),
        github_id: None,
        name: None,
        avatar_url: None,
        orgs: orgs.iter().map(|o| (*o).to_owned()).collect(),
        teams: teams.iter().filter_map(|t| TeamRef::parse(t)).collect(),
        source: IdentitySource::GitHub,
    }
}

fn policy() -> Policy {
    let team = |t: &str| Subject::Team(TeamRef::parse(t).expect("team"));
    Policy {
        grants: vec![
            Grant { role: Role::Admin, subject: team("inkwell/platform"), environments: vec![] },
            Grant { role: Role::Operator, subject: team("inkwell/payments"), environments: vec!["dev".into()] },
            Grant { role: Role::Operator, subject: Subject::User("Olive".into()), environments: vec![] },
        ],
        default_role: Some(Role::Viewer),
        owners_only: vec!["prod".into()],
        teams_org: Some("inkwell".into()),
    }
}

#[test]
fn a_team_of_the_same_slug_in_a_foreign_org_is_not_the_owner() {
    let policy = policy();
    // Mallory may sign in (inkwell member) and created her own organisation with a `payments`.
    let mallory = person("mallory", &["inkwell", "mallory-org"], &["mallory-org/payments"]);
    let prod = Scope { service_owner: Some("payments"), environment: Some("prod") };
    let staging = Scope { service_owner: Some("payments"), environment: Some("staging") };
    assert_eq!(policy.role_in(&mallory, prod), Some(Role::Viewer));
    assert_eq!(policy.role_in(&mallory, staging), Some(Role::Viewer));
    assert!(!policy.in_team(&mallory, "payments"));
    assert!(policy.in_team(&mallory, "mallory-org/payments"), "a team named with its organisation is that team");
    assert!(policy.in_team(&person("pat", &["inkwell"], &["inkwell/payments"]), "Payments"));
}

#[test]
fn without_a_teams_organisation_bare_team_names_name_nobody() {
    let policy = Policy { teams_org: None, ..policy() };
    let pat = person("pat", &["inkwell"], &["inkwell/payments"]);
    assert!(!policy.in_team(&pat, "payments"));
    assert!(policy.in_team(&pat, "inkwell/payments"));
    let staging = Scope { service_owner: Some("payments"), environment: Some("staging") };
    assert_eq!(policy.role_in(&pat, staging), Some(Role::Viewer), "no owner rights from a bare name");
}

#[test]
fn the_rules_name_the_teams_org_and_the_organisations_of_grants() {
    let policy = policy();
    assert!(policy.names_org("inkwell"));
    assert!(!policy.names_org("mallory-org"));
    let granted = Policy { teams_org: None, ..policy };
    assert!(granted.names_org("inkwell"), "inkwell/platform is granted admin");
}

#[test]
fn portal_role_is_the_highest_grant_that_applies_everywhere() {
    let policy = policy();
    assert_eq!(policy.portal_role(&person("ada", &["inkwell"], &["inkwell/platform"])), Some(Role::Admin));
    assert_eq!(policy.portal_role(&person("olive", &["inkwell"], &[])), Some(Role::Operator), "logins compare case-insensitively");
    // An environment-limited grant does not lift the portal-wide role.
    assert_eq!(policy.portal_role(&person("pat", &["inkwell"], &["inkwell/payments"])), Some(Role::Viewer));
}

#[test]
fn environment_grants_apply_only_there() {
    let policy = policy();
    let pat = person("pat", &["inkwell"], &["inkwell/payments"]);
    let dev = Scope { service_owner: Some("search"), environment: Some("dev") };
    let staging = Scope { service_owner: Some("search"), environment: Some("staging") };
    assert_eq!(policy.role_in(&pat, dev), Some(Role::Operator));
    assert_eq!(policy.role_in(&pat, staging), Some(Role::Viewer));
}

#[test]
fn owning_team_members_are_developers_and_only_owners_act_in_owners_only_environments() {
    let policy = policy();
    let pat = person("pat", &["inkwell"], &["inkwell/payments"]);
    let ada = person("ada", &["inkwell"], &["inkwell/platform"]);
    assert_eq!(policy.role_in(&pat, Scope { service_owner: Some("Payments"), environment: Some("staging") }), Some(Role::Developer));
    assert_eq!(policy.role_in(&pat, Scope { service_owner: Some("payments"), environment: Some("prod") }), Some(Role::Developer));
    // An admin outside the owning team only reads production.
    assert_eq!(policy.role_in(&ada, Scope { service_owner: Some("payments"), environment: Some("prod") }), Some(Role::Viewer));
    assert_eq!(policy.role_in(&ada, Scope { service_owner: Some("payments"), environment: Some("staging") }), Some(Role::Admin));
}

#[test]
fn sources_explain_each_role() {
    let sources = policy().sources(&person("ada", &["inkwell"], &["inkwell/platform"]));
    assert_eq!(sources[0].role, Role::Admin);
    assert_eq!(sources[0].because, "you are a member of team inkwell/platform");
    assert_eq!(sources.last().map(|s| s.role), Some(Role::Viewer));
}

#[test]
fn a_token_never_does_more_than_its_scope_or_its_owner() {
    let identity = person("ada", &[], &[]);
    let with = |role, scope: Option<Role>| Principal { identity: identity.clone(), role, token: scope.map(|scope| TokenUse { id: "t1".into(), scope }) };
    assert!(with(Some(Role::Admin), None).may(Permission::Administer));
    assert!(!with(Some(Role::Admin), Some(Role::Viewer)).may(Permission::ViewAudit));
    assert!(with(Some(Role::Admin), Some(Role::Viewer)).may(Permission::ViewCatalog));
    assert!(!with(Some(Role::Viewer), Some(Role::Admin)).may(Permission::ViewAudit));
    assert!(!with(None, Some(Role::Admin)).may(Permission::ViewCatalog));
}

#[test]
fn sign_in_admits_listed_orgs_and_users_only() {
    let rule = SignInRule { orgs: vec!["inkwell".into()], users: vec!["contractor".into()] };
    assert!(rule.admits(&person("ada", &["Inkwell"], &[])));
    assert!(rule.admits(&person("Contractor", &[], &[])));
    assert!(!rule.admits(&person("mallory", &["evilcorp"], &[])));
}

#[test]
fn team_refs_parse_org_slash_slug() {
    assert_eq!(TeamRef::parse("Inkwell/Platform").map(|t| t.to_string()), Some("inkwell/platform".into()));
    assert_eq!(TeamRef::parse("platform"), None);
    assert_eq!(TeamRef::parse("a/b/c"), None);
}
