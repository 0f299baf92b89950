//! The configured clusters and their clients, each built on first use and then kept.

use std::collections::BTreeMap;
use std::path::PathBuf;

use domain::runtime::ProviderError;
use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};
use kube::{Client, Config};
use tokio::sync::OnceCell;

use crate::config::KubernetesClusterConfig;

/// The cluster for manifests that name none.
pub const DEFAULT: &str = "default";

/// Where a cluster's connection settings come from.
#[derive(Debug)]
enum Source {
    /// `KUBECONFIG` or `~/.kube/config`, else the pod's service account.
    Infer,
    /// A kubeconfig file (the standard one when `None`), at a context (its current one when `None`).
    Kubeconfig { path: Option<PathBuf>, context: Option<String> },
    InCluster,
    /// Both a kubeconfig and `in_cluster`: refused rather than guessed.
    Ambiguous,
}

struct Cluster {
    source: Source,
    /// Failures are not kept: a kubeconfig fixed after start-up is read on the next call.
    client: OnceCell<Client>,
}

pub struct Clusters {
    by_name: BTreeMap<String, Cluster>,
}

impl Clusters {
    pub fn new(configs: &BTreeMap<String, KubernetesClusterConfig>) -> Self {
        let mut by_name: BTreeMap<String, Cluster> =
            configs.iter().map(|(name, config)| (name.clone(), Cluster { source: source(config), client: OnceCell::new() })).collect();
        by_name.entry(DEFAULT.to_owned()).or_insert_with(|| Cluster { source: Source::Infer, client: OnceCell::new() });
        Self { by_name }
    }

    /// The client for the cluster a manifest names.
    pub async fn client(&self, name: &str) -> Result<Client, ProviderError> {
        let cluster = self
            .by_name
            .get(name)
            .ok_or_else(|| ProviderError::Invalid(format!("no Kubernetes cluster named `{name}` is configured")))?;
        cluster.client.get_or_try_init(|| connect(name, &cluster.source)).await.cloned()
    }
}

fn source(config: &KubernetesClusterConfig) -> Source {
    match (&config.kubeconfig, config.in_cluster) {
        (Some(_), true) => Source::Ambiguous,
        (None, true) => Source::InCluster,
        (None, false) if config.context.is_none() => Source::Infer,
        (path, false) => Source::Kubeconfig { path: path.as_ref().map(|p| p.relative()), context: config.context.clone() },
    }
}

async fn connect(name: &str, source: &Source) -> Result<Client, ProviderError> {
    let invalid = |reason: String| ProviderError::Invalid(format!("Kubernetes cluster `{name}` cannot be configured: {reason}"));
    let mut config = match source {
        Source::Infer => Config::infer().await.map_err(|error| {
            let kubeconfig = std::error::Error::source(&error)
                .and_then(|source| source.downcast_ref::<KubeconfigError>())
                .map_or_else(|| error.to_string(), describe);
            invalid(format!("no kubeconfig could be used ({kubeconfig}) and the portal does not run inside a cluster"))
        })?,
        Source::InCluster => Config::incluster().map_err(|error| invalid(format!("in-cluster settings: {error}")))?,
        Source::Kubeconfig { path, context } => {
            let options = KubeConfigOptions { context: context.clone(), ..KubeConfigOptions::default() };
            let loaded = match path {
                Some(path) => match Kubeconfig::read_from(path) {
                    Ok(file) => Config::from_custom_kubeconfig(file, &options).await,
                    Err(error) => Err(error),
                },
                None => Config::from_kubeconfig(&options).await,
            };
            loaded.map_err(|error| invalid(describe(&error)))?
        }
        Source::Ambiguous => return Err(invalid("set either `kubeconfig` or `in_cluster`, not both".to_owned())),
    };
    // Retries are the portal's to bound (`with_retries`): kube's own would try a throttled call
    // up to 15 more times inside one attempt.
    config.default_retry = false;
    Client::try_from(config).map_err(|error| invalid(error.to_string()))
}

/// A kubeconfig problem in words that never quote the file: a YAML error can echo a token.
fn describe(error: &KubeconfigError) -> String {
    match error {
        KubeconfigError::Parse(_) => "the kubeconfig is not valid YAML".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(kubeconfig: Option<&str>, context: Option<&str>, in_cluster: bool) -> KubernetesClusterConfig {
        KubernetesClusterConfig {
            kubeconfig: kubeconfig.map(|path| PathBuf::from(path).into()),
            context: context.map(str::to_owned),
            in_cluster,
        }
    }

    #[tokio::test]
    async fn a_cluster_that_is_not_configured_is_named_in_the_error() {
        let clusters = Clusters::new(&BTreeMap::new());
        let Err(error) = clusters.client("eu-west").await else { panic!("not configured") };
        assert_eq!(error, ProviderError::Invalid("no Kubernetes cluster named `eu-west` is configured".into()));
    }

    #[tokio::test]
    async fn a_missing_kubeconfig_file_is_a_configuration_error_naming_the_cluster() {
        let clusters = Clusters::new(&BTreeMap::from([("prod".to_owned(), config(Some("/nonexistent/kubeconfig"), None, false))]));
        let Err(error) = clusters.client("prod").await else { panic!("no such file") };
        let ProviderError::Invalid(message) = error else { panic!("expected Invalid, got {error:?}") };
        assert!(message.starts_with("Kubernetes cluster `prod` cannot be configured"), "{message}");
        assert!(message.contains("/nonexistent/kubeconfig"), "{message}");
    }

    #[tokio::test]
    async fn a_kubeconfig_that_is_not_yaml_is_refused_without_quoting_it() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("kubeconfig");
        std::fs::write(&path, "token: s3cr3t-value\n  - [unbalanced").expect("write");
        let clusters = Clusters::new(&BTreeMap::from([("prod".to_owned(), config(path.to_str(), None, false))]));
        let Err(error) = clusters.client("prod").await else { panic!("not YAML") };
        assert!(!error.to_string().contains("s3cr3t"), "{error}");
        assert!(matches!(error, ProviderError::Invalid(_)), "{error:?}");
    }

    #[tokio::test]
    async fn kubeconfig_and_in_cluster_together_are_refused() {
        let clusters = Clusters::new(&BTreeMap::from([("prod".to_owned(), config(Some("kubeconfig"), None, true))]));
        let Err(error) = clusters.client("prod").await else { panic!("ambiguous") };
        assert!(error.to_string().contains("either `kubeconfig` or `in_cluster`"), "{error}");
    }
}
