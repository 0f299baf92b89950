//! Portico's server: the composition root and every adapter. `main.rs` only parses the command
//! line; tests start the same portal in-process through [`Portal::start`].

pub mod action_files;
pub mod audit_head;
pub mod audit_retention;
pub mod auth;
pub mod background;
mod catalog_definitions;
mod catalog_fingerprint;
pub mod catalog_github;
mod catalog_locations;
pub mod catalog_refresh;
mod catalog_roots;
pub mod catalog_source;
pub mod code_history;
pub mod config;
pub mod http;
pub mod local_path;
pub mod poller;
pub mod remote;
pub mod telemetry;
pub mod yaml_files;

/// Storage, the runtimes and the GitHub client are crates of their own; `server::store`,
/// `server::runtimes` and `server::github_api` keep naming them for the binary's commands and
/// the tests.
pub use {actions, github_api, runtimes, store};

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;

use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use actions::ActionEngine;
use crate::auth::Auth;
use crate::auth::membership::MembershipCheck;
use crate::auth::session_store::SessionBackend;
use crate::background::Background;
use crate::catalog_refresh::CatalogRefresher;
use crate::config::Config;
use crate::http::AppState;
use runtimes::logs::LogHub;
use runtimes::Runtimes;
use crate::store::Store;

/// The name cargo-leptos gives the WASM, JS and CSS bundle (`/pkg/portico.*`).
const OUTPUT_NAME: &str = "portico";
/// How long a stopping portal waits for the runs in progress before it closes the database;
/// a run still going then is resumed by the next portal once its claim lapses.
const DRAIN: Duration = Duration::from_secs(30);

/// A portal ready to serve: database migrated, catalog loaded.
pub struct Portal {
    pub store: Store,
    pub router: axum::Router,
    pub runtimes: Arc<Runtimes>,
    pub actions: Arc<ActionEngine>,
    /// The periodic membership check on GitHub, when one is configured.
    pub membership: Option<Arc<MembershipCheck>>,
    /// Every background task, stopped by [`Portal::serve`] on its way out.
    pub background: Background,
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

        let background = Background::new();
        // The folders and the GitHub organisation, read before serving and then kept current.
        let catalog = CatalogRefresher::start(&background, store.clone(), config).await?;

        let leptos_options = LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(config.site_root.relative().display().to_string())
            .site_addr(config.listen)
            .build();
        // Nothing starts when retention is 0 (keep everything).
        audit_retention::spawn(&background, store.clone(), config.audit.retention_days);
        audit_head::spawn(&background, store.clone());
        let auth = Auth::new(config, store.clone())?;
        let membership = MembershipCheck::new(config, store.clone(), auth.expected_orgs())?;
        match &membership {
            Some(check) => check.spawn(&background),
            None if config.auth.github.is_some() => tracing::warn!(
                "memberships are not re-checked on GitHub (no auth.membership_token or catalog token): someone who leaves \
                 an organisation or team keeps what it gave until their session ends (auth.session_max_hours) and their \
                 tokens expire (auth.token_max_days)"
            ),
            None => {}
        }
        let runtimes = runtimes::start(&config.runtime, Arc::new(store.clone())).await;
        // The first round starts the local environments' processes.
        poller::spawn(&background, store.clone(), runtimes.clone(), Duration::from_secs(config.runtime.poll_seconds.max(1)));
        let logs = Arc::new(LogHub::new(runtimes.clone()));
        let actions = action_files::start_engine(config, store.clone(), runtimes.clone(), Arc::new(auth.policy.clone()), &background)?;
        let sessions = SessionBackend::new(&store).await.context("cannot prepare the sessions table")?;
        sessions.spawn_cleanup(&background, store.clone(), Duration::from_secs(15 * 60));
        let idle = time::Duration::minutes(i64::from(config.auth.session_idle_minutes));
        let session_layer = SessionManagerLayer::new(sessions)
            .with_name(auth.cookie_name())
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_secure(auth.secure_cookies())
            .with_expiry(Expiry::OnInactivity(idle));
        let code = config.delivery.local_repositories.as_ref().map(|root| {
            Arc::new(code_history::LocalGit::new(root.relative())) as Arc<dyn domain::delivery::code::CodeHistory>
        });
        let services = http::services(&store, &auth, &catalog, &actions, code);
        let state = AppState { services, leptos_options, store: store.clone(), auth, logs, catalog };
        let router = http::router(state, session_layer);
        Ok(Self { store, router, runtimes, actions, membership, background })
    }

    /// Serves on `listener` until `shutdown` completes, then lets in-flight requests finish,
    /// stops the background tasks and drains the runs in progress before the database closes.
    pub async fn serve(self, listener: TcpListener, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        // The peer address goes into audit events.
        let app = self.router.into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(listener, app).with_graceful_shutdown(shutdown).await?;
        if !self.background.shutdown(DRAIN).await {
            tracing::warn!(drain = ?DRAIN, "runs still in progress after the drain time: they resume once their claim lapses");
        }
        // The local environments' processes are the portal's children: they stop with it.
        self.runtimes.local.shutdown().await;
        self.store.close().await;
        Ok(())
    }
}

/// Completes on Ctrl-C or SIGTERM, the signal orchestrators send before stopping a container.
/// The handlers are installed when this is called, not when the future is first polled, so a
/// signal that arrives as soon as the portal says it is serving is not missed.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        (signal(SignalKind::terminate()), signal(SignalKind::interrupt()))
    };
    async move {
        #[cfg(unix)]
        match signals {
            (Ok(mut terminate), Ok(mut interrupt)) => {
                tokio::select! {
                    _ = terminate.recv() => {},
                    _ = interrupt.recv() => {},
                }
            }
            (Err(error), _) | (_, Err(error)) => {
                tracing::error!(%error, "cannot listen for SIGTERM or Ctrl-C; stop the portal with SIGKILL");
                std::future::pending::<()>().await;
            }
        }
        #[cfg(not(unix))]
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down: finishing in-flight requests");
    }
}
