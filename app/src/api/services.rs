//! The bundle of ports every server function and page render reaches the portal through.

use std::sync::Arc;

use domain::access::{Gate, PeopleStore, Permission, Policy, Principal, RequestMeta, SignInRule, TokenStore};
use domain::actions::ActionPort;
use domain::delivery::code::CodeHistory;
use domain::store::{AuditStore, CatalogStore, EnvironmentStore};
use leptos::prelude::use_context;

use super::ApiError;
use domain::catalog::SourceReport;
use super::session::SignInOptions;

/// The services the server hands to every server function and page render, through Leptos
/// context. Built once by the server's composition root.
#[derive(Clone)]
pub struct Services {
    pub catalog: Arc<dyn CatalogStore>,
    /// The catalog's sources and when each was last read.
    pub catalog_sources: Arc<dyn SourceReport>,
    pub environments: Arc<dyn EnvironmentStore>,
    pub audit: Arc<dyn AuditStore>,
    /// Where every permission is checked.
    pub gate: Arc<dyn Gate>,
    pub tokens: Arc<dyn TokenStore>,
    /// Everyone's sessions and tokens, for admins.
    pub people: Arc<dyn PeopleStore>,
    /// The longest lifetime a new API token may have, in days.
    pub token_max_days: u32,
    /// How often memberships are re-checked on GitHub, in minutes, when they are.
    pub membership_minutes: Option<u32>,
    pub policy: Arc<Policy>,
    pub sign_in_rule: SignInRule,
    pub sign_in: SignInOptions,
    /// Self-service actions: what may be run, the runs, their approvals.
    pub actions: Arc<dyn ActionPort>,
    /// The services' code history for the delivery view; `None` when none is configured.
    pub code: Option<Arc<dyn CodeHistory>>,
}

impl Services {
    /// The services of the current request.
    pub fn current() -> Result<Self, ApiError> {
        use_context::<Self>().ok_or_else(|| ApiError::internal("Services missing from the request context"))
    }

    /// The outcome a plain form post left in the session under `key`, taken out so it shows once.
    pub async fn take_flash<T: serde::de::DeserializeOwned>(key: &str) -> Result<Option<T>, ApiError> {
        let session = use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<tower_sessions::Session>().cloned());
        match session {
            Some(session) => session.remove::<T>(key).await.map_err(ApiError::internal),
            None => Ok(None),
        }
    }

    /// The signed-in person making this request, if any (set by the server's middleware).
    pub fn principal() -> Option<Principal> {
        use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<Principal>().cloned())
    }

    /// The person making this request when they hold `permission`; otherwise the refusal,
    /// which the gate has already audited.
    pub async fn require(&self, permission: Permission) -> Result<Principal, ApiError> {
        let parts = use_context::<http::request::Parts>();
        let principal = parts.as_ref().and_then(|parts| parts.extensions.get::<Principal>());
        let meta = Self::request_meta();
        let decision = self.gate.authorize(principal, permission, &meta).await;
        if let Err(refusal) = &decision
            && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        {
            // Scripts calling the API see the refusal in the status, not only in the body.
            response.set_status(ApiError::from(refusal.clone()).http_status());
        }
        Ok(decision?)
    }

    /// The request id and client address of this request, for the audit log.
    pub fn request_meta() -> RequestMeta {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<RequestMeta>().cloned())
            .unwrap_or_default()
    }

    /// The person making this request, whatever their role.
    pub fn signed_in() -> Result<Principal, ApiError> {
        Self::principal().ok_or(ApiError::SignedOut)
    }
}
