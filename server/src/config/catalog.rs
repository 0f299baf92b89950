//! Where the catalog comes from besides local folders: the `[catalog.github]` section.

use domain::catalog::TargetRule;
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

/// Manifests from the repositories of a GitHub organisation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GithubCatalogConfig {
    /// The organisation whose repositories are read.
    pub org: String,
    /// The REST API: `https://api.github.com` or `https://ghe.example.com/api/v3`.
    #[serde(default = "github_api_url")]
    pub api_url: Url,
    /// A token that may read the organisation's repositories.
    pub token: SecretString,
    /// The secret set on the organisation's push webhook; deliveries are refused without it.
    pub webhook_secret: Option<SecretString>,
    /// The file read at each repository's root.
    #[serde(default = "catalog_file")]
    pub file: String,
    /// How often, in seconds, every repository is checked even without a webhook.
    #[serde(default = "github_refresh_seconds")]
    pub refresh_seconds: u64,
    /// Which Kubernetes Deployments and ECS services each repository's manifest may name;
    /// environments pointing anywhere else are refused. None: repositories describe services
    /// but name no runtime target.
    #[serde(default)]
    pub targets: Vec<TargetRule>,
}

fn github_api_url() -> Url {
    Url::parse("https://api.github.com").expect("a valid URL")
}

fn catalog_file() -> String {
    "catalog-info.yaml".to_owned()
}

fn github_refresh_seconds() -> u64 {
    600
}
