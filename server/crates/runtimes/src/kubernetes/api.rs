//! The API calls the runtime makes about one Deployment, each within the portal's timeout and
//! retries (`with_retries`) and with its errors sorted for the portal.

use std::pin::Pin;

use domain::catalog::KubernetesTarget;
use domain::runtime::ProviderError;
use futures_util::io::AsyncBufRead;
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams, LogParams, Patch, PatchParams};
use kube::Client;
use serde_json::Value;

use super::error::provider_error;
use crate::config::CallLimits;
use crate::retry::with_retries;

/// A followed log, read as it arrives.
pub type LogReader = Pin<Box<dyn AsyncBufRead + Send>>;

/// The name the portal's changes are recorded under in the Deployment's `managedFields`.
const FIELD_MANAGER: &str = "portico";

/// One Deployment in one cluster, and the container a manifest chose in it.
pub struct DeploymentRef {
    client: Client,
    cluster: String,
    namespace: String,
    name: String,
    container: Option<String>,
    limits: CallLimits,
}

impl DeploymentRef {
    pub fn new(client: Client, cluster: &str, target: &KubernetesTarget, limits: CallLimits) -> Self {
        Self {
            client,
            cluster: cluster.to_owned(),
            namespace: target.namespace.clone(),
            name: target.deployment.clone(),
            container: target.container.clone(),
            limits,
        }
    }

    /// `shop/checkout`: namespace and name, as kubectl shows them.
    pub fn name(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// The container the manifest names; the first one when `None`.
    pub fn container(&self) -> Option<&str> {
        self.container.as_deref()
    }

    pub async fn read(&self) -> Result<Deployment, ProviderError> {
        let api: Api<Deployment> = Api::namespaced(self.client.clone(), &self.namespace);
        let subject = format!("deployment {}", self.name());
        with_retries(self.limits, &format!("reading {subject}"), || async {
            api.get(&self.name).await.map_err(|error| provider_error(error, &self.cluster, &subject))
        })
        .await
    }

    /// Sends a JSON merge patch (RFC 7386); `doing` says what for, in a timeout's message.
    pub async fn merge_patch(&self, doing: &str, patch: &Value) -> Result<(), ProviderError> {
        self.patch(doing, &Patch::Merge(patch)).await
    }

    /// Sends a strategic merge patch: lists such as the containers merge by name.
    pub async fn strategic_patch(&self, doing: &str, patch: &Value) -> Result<(), ProviderError> {
        self.patch(doing, &Patch::Strategic(patch)).await
    }

    async fn patch(&self, doing: &str, patch: &Patch<&Value>) -> Result<(), ProviderError> {
        let api: Api<Deployment> = Api::namespaced(self.client.clone(), &self.namespace);
        let params = PatchParams { field_manager: Some(FIELD_MANAGER.to_owned()), ..PatchParams::default() };
        let subject = format!("deployment {}", self.name());
        with_retries(self.limits, &format!("{doing} {subject}"), || async {
            api.patch(&self.name, &params, patch).await.map(drop).map_err(|error| provider_error(error, &self.cluster, &subject))
        })
        .await
    }

    /// The pods `selector` picks in the Deployment's namespace.
    pub async fn pods(&self, selector: &str) -> Result<Vec<Pod>, ProviderError> {
        self.list(selector, "pods").await
    }

    /// The ReplicaSets `selector` picks: the Deployment's, and any other that shares its labels.
    pub async fn replica_sets(&self, selector: &str) -> Result<Vec<ReplicaSet>, ProviderError> {
        self.list(selector, "replica sets").await
    }

    async fn list<K>(&self, selector: &str, kind: &str) -> Result<Vec<K>, ProviderError>
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
            + Clone
            + serde::de::DeserializeOwned
            + std::fmt::Debug,
    {
        let api: Api<K> = Api::namespaced(self.client.clone(), &self.namespace);
        let params = ListParams::default().labels(selector);
        let subject = format!("{kind} of deployment {}", self.name());
        with_retries(self.limits, &format!("listing {subject}"), || async {
            api.list(&params).await.map(|list| list.items).map_err(|error| provider_error(error, &self.cluster, &subject))
        })
        .await
    }

    /// Opens a pod's log; the stream then runs without a timeout, for as long as it is read.
    pub async fn open_log(&self, pod: &str, params: &LogParams) -> Result<LogReader, ProviderError> {
        let api: Api<Pod> = Api::namespaced(self.client.clone(), &self.namespace);
        let subject = format!("pod {}/{pod}", self.namespace);
        with_retries(self.limits, &format!("opening the log of {subject}"), || async {
            match api.log_stream(pod, params).await {
                Ok(reader) => Ok(Box::pin(reader) as LogReader),
                Err(error) => Err(provider_error(error, &self.cluster, &subject)),
            }
        })
        .await
    }
}
