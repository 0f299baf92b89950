//! What the portal's configuration decides and a manifest cannot: which environments are
//! production, and which runtime targets a repository's manifest may point at. Manifests are
//! written by whoever can push to a repository; the configuration by whoever runs the portal.

use serde::{Deserialize, Serialize};

use super::{Catalog, RuntimeTarget};

/// Environment names that are production whatever a manifest says (`*` matches any run of
/// characters). A manifest may mark another environment production, never unmark one of these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductionNames(pub Vec<String>);

impl Default for ProductionNames {
    fn default() -> Self {
        Self(vec!["prod".to_owned(), "production".to_owned()])
    }
}

impl ProductionNames {
    pub fn matches(&self, environment: &str) -> bool {
        self.0.iter().any(|pattern| glob(&pattern.to_lowercase(), &environment.to_lowercase()))
    }

    /// Marks every environment these names match as production.
    pub fn apply(&self, catalog: &mut Catalog) {
        for environment in catalog.services.iter_mut().flat_map(|service| service.environments.iter_mut()) {
            environment.production |= self.matches(&environment.name);
        }
    }
}

/// The runtime targets manifests read from repositories may name, by repository. A target no
/// rule allows is refused: a manifest in one repository must never steer the portal at a
/// Deployment or ECS service that belongs to another.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetRules(pub Vec<TargetRule>);

/// For repositories whose names match `repositories`: the Kubernetes and ECS targets allowed.
/// In every pattern `*` matches any run of characters and `{repository}` stands for the
/// repository's own name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetRule {
    pub repositories: Vec<String>,
    #[serde(default)]
    pub kubernetes: Vec<KubernetesPattern>,
    #[serde(default)]
    pub ecs: Vec<EcsPattern>,
}

/// A Kubernetes target: `cluster` is a configured cluster's name, `default` for the one
/// manifests get when they name none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KubernetesPattern {
    #[serde(default = "default_name")]
    pub cluster: String,
    pub namespace: String,
    #[serde(default = "any")]
    pub deployment: String,
}

/// An ECS target: `region` is `default` for the portal's configured region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EcsPattern {
    #[serde(default = "any")]
    pub region: String,
    pub cluster: String,
    pub service: String,
}

/// What an unnamed cluster or region is called in patterns.
pub const DEFAULT_NAME: &str = "default";

fn default_name() -> String {
    DEFAULT_NAME.to_owned()
}

fn any() -> String {
    "*".to_owned()
}

impl TargetRules {
    /// Whether a manifest of `repository` may point an environment at `target`. Local targets
    /// are never allowed from a repository (they run commands on the portal's host).
    pub fn allows(&self, repository: &str, target: &RuntimeTarget) -> bool {
        let matches = |pattern: &str, value: &str| glob(&pattern.replace("{repository}", repository), value);
        self.0.iter().filter(|rule| rule.repositories.iter().any(|pattern| glob(pattern, repository))).any(|rule| match target {
            RuntimeTarget::Local(_) => false,
            RuntimeTarget::Kubernetes(k) => rule.kubernetes.iter().any(|p| {
                matches(&p.cluster, k.cluster.as_deref().unwrap_or(DEFAULT_NAME))
                    && matches(&p.namespace, &k.namespace)
                    && matches(&p.deployment, &k.deployment)
            }),
            RuntimeTarget::Ecs(e) => rule.ecs.iter().any(|p| {
                matches(&p.region, e.region.as_deref().unwrap_or(DEFAULT_NAME))
                    && matches(&p.cluster, &e.cluster)
                    && matches(&p.service, &e.service)
            }),
        })
    }
}

/// A target as patterns name it, for messages: `cluster/namespace/deployment` or
/// `region/cluster/service`.
pub fn target_text(target: &RuntimeTarget) -> String {
    match target {
        RuntimeTarget::Local(local) => local.command.clone(),
        RuntimeTarget::Kubernetes(k) => format!("{}/{}/{}", k.cluster.as_deref().unwrap_or(DEFAULT_NAME), k.namespace, k.deployment),
        RuntimeTarget::Ecs(e) => format!("{}/{}/{}", e.region.as_deref().unwrap_or(DEFAULT_NAME), e.cluster, e.service),
    }
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters (none included)
/// and every other character only itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else { return rest.is_empty() };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{EcsTarget, KubernetesTarget};

    fn kubernetes(cluster: Option<&str>, namespace: &str, deployment: &str) -> RuntimeTarget {
        RuntimeTarget::Kubernetes(KubernetesTarget {
            cluster: cluster.map(Into::into),
            namespace: namespace.into(),
            deployment: deployment.into(),
            container: None,
        })
    }

    fn rules() -> TargetRules {
        TargetRules(vec![TargetRule {
            repositories: vec!["payments".into(), "svc-*".into()],
            kubernetes: vec![KubernetesPattern { cluster: "default".into(), namespace: "{repository}".into(), deployment: "*".into() }],
            ecs: vec![EcsPattern { region: "*".into(), cluster: "prod".into(), service: "{repository}-*".into() }],
        }])
    }

    #[test]
    fn globs_match_whole_text() {
        assert!(glob("prod", "prod"));
        assert!(!glob("prod", "prod-eu"));
        assert!(glob("prod-*", "prod-eu"));
        assert!(glob("*-prod", "eu-prod"));
        assert!(glob("a*b*c", "abc") && glob("a*b*c", "a-b-b-c"));
        assert!(!glob("a*b*c", "a-c"));
        assert!(glob("*", ""));
        assert!(!glob("ab*ba", "aba"), "the ends may not overlap");
    }

    #[test]
    fn a_repository_may_only_name_the_targets_its_rules_allow() {
        let rules = rules();
        assert!(rules.allows("payments", &kubernetes(None, "payments", "payments-api")));
        assert!(rules.allows("payments", &kubernetes(Some("default"), "payments", "worker")));
        assert!(!rules.allows("payments", &kubernetes(Some("edge"), "payments", "payments-api")), "another cluster");
        assert!(!rules.allows("aaa-tools", &kubernetes(None, "payments", "payments-api")), "no rule for the repository");
        assert!(!rules.allows("svc-search", &kubernetes(None, "payments", "payments-api")), "{{repository}} is the repository's own name");
        assert!(rules.allows("svc-search", &kubernetes(None, "svc-search", "api")));
        let ecs = |region: Option<&str>, service: &str| {
            RuntimeTarget::Ecs(EcsTarget { region: region.map(Into::into), cluster: "prod".into(), service: service.into(), log_group: None })
        };
        assert!(rules.allows("payments", &ecs(None, "payments-api")));
        assert!(rules.allows("payments", &ecs(Some("eu-west-1"), "payments-api")));
        assert!(!rules.allows("svc-search", &ecs(None, "payments-api")));
        assert!(!TargetRules::default().allows("payments", &kubernetes(None, "payments", "payments-api")), "nothing without rules");
    }

    #[test]
    fn configured_production_names_cannot_be_unmarked() {
        let names = ProductionNames(vec!["prod".into(), "prod-*".into(), "live".into()]);
        assert!(names.matches("prod") && names.matches("PROD-eu") && names.matches("live"));
        assert!(!names.matches("staging") && !names.matches("preprod"));
    }
}
