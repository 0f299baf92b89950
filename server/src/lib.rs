//! Portico's server: the composition root and every adapter. `main.rs` only parses the command
//! line; tests start the same portal in-process through [`Portal::start`].

pub mod catalog_source;
pub mod config;
pub mod http;
pub mod store;
pub mod telemetry;

use std::future::Future;

use anyhow::Context;
use domain::store::CatalogStore;
use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::http::AppState;
use crate::store::Store;

/// The name cargo-leptos gives the WASM, JS and CSS bundle (`/pkg/portico.*`).
const OUTPUT_NAME: &str = "portico";

/// A portal ready to serve: database migrated, catalog loaded.
pub struct Portal {
    pub store: Store,
    pub router: axum::Router,
}

impl Portal {
    /// Connects to the database, migrates it and loads the catalog.
    pub async fn start(config: &Config) -> anyhow::Result<Self> {
        let target = config.database_target()?;
        let store = Store::connect(&config.database_url())
            .await
            .with_context(|| format!("cannot open the database: {target}"))?;
        store.migrate().await?;
        tracing::info!(database = %target, "database ready");

        let catalog = catalog_source::load(&config.catalog_paths());
        for problem in &catalog.problems {
            tracing::warn!(%problem, "catalog problem");
        }
        store.replace_catalog(&catalog).await?;
        tracing::info!(
            services = catalog.services.len(),
            systems = catalog.systems.len(),
            teams = catalog.teams.len(),
            problems = catalog.problems.len(),
            "catalog loaded"
        );

        let leptos_options = LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(config.site_root.relative().display().to_string())
            .site_addr(config.listen)
            .build();
        let router = http::router(AppState { leptos_options, store: store.clone() });
        Ok(Self { store, router })
    }

    /// Serves on `listener` until `shutdown` completes, then lets in-flight requests finish.
    pub async fn serve(self, listener: TcpListener, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        axum::serve(listener, self.router).with_graceful_shutdown(shutdown).await?;
        self.store.close().await;
        Ok(())
    }
}

/// Completes on Ctrl-C or SIGTERM, the signal orchestrators send before stopping a container.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
