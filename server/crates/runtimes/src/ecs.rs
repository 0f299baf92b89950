//! Services on AWS ECS, through the official SDK: counts, deployments and tasks from the ECS
//! API, logs from CloudWatch Logs. Credentials come from the SDK's standard chain (environment,
//! profile, SSO, web identity, the task's or instance's role).

mod control;
mod error;
mod image;
mod logs;
mod service;
mod status;

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, ConfigLoader, Region, SdkConfig};
use aws_sdk_ecs::config::Credentials;
use domain::catalog::{EcsTarget, RuntimeTarget};
use domain::runtime::{LogStream, Placement, ProviderError, Runtime, RuntimeStatus};
use domain::future::BoxFuture;

pub use control::REPLICAS_BEFORE_STOP;
use service::EcsService;

use crate::config::{CallLimits, EcsConfig};

/// The ECS runtime: one per portal, serving every region the catalog names.
pub struct EcsRuntime {
    settings: EcsConfig,
    credentials: Option<Credentials>,
    /// Loaded on first use: the standard chain may ask the instance metadata service, which
    /// off AWS only costs time and warnings, and most portals never name an ECS environment.
    sdk: tokio::sync::OnceCell<SdkConfig>,
    limits: CallLimits,
    /// Clients by region, made on first use; they share the SDK's connection pool.
    clients: Mutex<HashMap<String, Clients>>,
}

#[derive(Clone)]
struct Clients {
    ecs: aws_sdk_ecs::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
}

impl EcsRuntime {
    /// The region and endpoint from `config` when set, the rest (credentials above all) from the
    /// SDK's standard chain, read at the first call.
    pub async fn from_config(config: &EcsConfig, limits: CallLimits) -> Self {
        Self::new(config, limits, None)
    }

    /// The same with fixed credentials instead of the chain's: for emulators and tests.
    pub async fn with_credentials(config: &EcsConfig, limits: CallLimits, credentials: Credentials) -> Self {
        Self::new(config, limits, Some(credentials))
    }

    fn new(config: &EcsConfig, limits: CallLimits, credentials: Option<Credentials>) -> Self {
        Self {
            settings: config.clone(),
            credentials,
            sdk: tokio::sync::OnceCell::new(),
            limits,
            clients: Mutex::default(),
        }
    }

    async fn sdk(&self) -> &SdkConfig {
        self.sdk
            .get_or_init(|| async {
                let loader = loader(&self.settings);
                match &self.credentials {
                    Some(credentials) => loader.credentials_provider(credentials.clone()),
                    None => loader,
                }
                .load()
                .await
            })
            .await
    }

    async fn clients(&self, region: Option<&str>) -> Result<Clients, ProviderError> {
        let sdk = self.sdk().await;
        let region = match region {
            Some(region) => region.to_owned(),
            None => sdk.region().map(ToString::to_string).ok_or_else(|| {
                let fix = "set runtime.ecs.region, AWS_REGION or the environment's ecs.region";
                ProviderError::Invalid(format!("no AWS region: {fix}"))
            })?,
        };
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        let made = clients.entry(region).or_insert_with_key(|region| {
            let region = Region::new(region.clone());
            Clients {
                ecs: aws_sdk_ecs::Client::from_conf(
                    aws_sdk_ecs::config::Builder::from(sdk).region(region.clone()).build(),
                ),
                logs: aws_sdk_cloudwatchlogs::Client::from_conf(
                    aws_sdk_cloudwatchlogs::config::Builder::from(sdk).region(region).build(),
                ),
            }
        });
        Ok(made.clone())
    }

    async fn service<'a>(&self, at: &'a Placement) -> Result<(EcsService, &'a EcsTarget), ProviderError> {
        let RuntimeTarget::Ecs(target) = &at.environment.target else {
            return Err(ProviderError::Invalid(format!(
                "{} in {} runs on {}, not on ECS",
                at.service,
                at.environment.name,
                at.environment.target.kind()
            )));
        };
        let clients = self.clients(target.region.as_deref()).await?;
        Ok((EcsService::new(clients.ecs, &target.cluster, &target.service, self.limits), target))
    }
}

fn loader(config: &EcsConfig) -> ConfigLoader {
    // Retries are the portal's (`runtime.retries`, around each call): the SDK's own would
    // multiply them and outlast the call's timeout.
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).retry_config(RetryConfig::disabled());
    if let Some(region) = &config.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(endpoint) = &config.endpoint_url {
        loader = loader.endpoint_url(endpoint.as_str().trim_end_matches('/'));
    }
    loader
}

impl Runtime for EcsRuntime {
    fn status<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<RuntimeStatus, ProviderError>> {
        Box::pin(async move { status::read(&self.service(at).await?.0).await })
    }

    fn start<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move { control::start(&self.service(at).await?.0).await })
    }

    fn stop<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move { control::stop(&self.service(at).await?.0).await })
    }

    fn restart<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move { control::restart(&self.service(at).await?.0).await })
    }

    fn scale<'a>(&'a self, at: &'a Placement, replicas: u32) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move { control::scale(&self.service(at).await?.0, replicas).await })
    }

    fn set_version<'a>(&'a self, at: &'a Placement, version: &'a str) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move { control::set_version(&self.service(at).await?.0, version).await })
    }

    fn logs<'a>(&'a self, at: &'a Placement, tail: u32) -> BoxFuture<'a, Result<LogStream, ProviderError>> {
        Box::pin(async move {
            let (service, target) = self.service(at).await?;
            let location = logs::locate(&service, target.log_group.as_deref()).await?;
            // The awslogs driver may send logs to another region than the service's.
            let region = location.region.as_deref().or(target.region.as_deref());
            logs::follow(self.clients(region).await?.logs, self.limits, location, tail).await
        })
    }
}
