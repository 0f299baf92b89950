//! Reading the audit log: the viewer's pages, its live updates and one event's details.
//! Exporting is a plain download route on the server (`/audit/export.csv`, `.json`).

#[cfg(feature = "ssr")]
use domain::access::Permission;
use domain::audit::{AuditPage, AuditQuery, Event};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ApiError;
#[cfg(feature = "ssr")]
use super::Services;

/// At most this many events come back from one live-update call; a longer backlog arrives
/// over the following calls, each starting after the newest event received.
pub const LIVE_BATCH: u32 = 100;

/// One page of events matching `query`, newest first.
#[server(input = Json, endpoint = "audit/page")]
pub async fn audit_events_page(query: AuditQuery) -> Result<AuditPage, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewAudit).await?;
    services.audit.audit_page(&query.normalised()).await.map_err(ApiError::internal)
}

/// Events matching `query`'s filters recorded after event `after`, oldest first.
#[server(input = Json, endpoint = "audit/since")]
pub async fn audit_since(query: AuditQuery, after: i64) -> Result<Vec<Event>, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewAudit).await?;
    services.audit.audit_since(&query.normalised(), after, LIVE_BATCH).await.map_err(ApiError::internal)
}

/// One event with what its page says about its place in the chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub event: Event,
    /// Whether the stored hash still matches the event's content.
    pub hash_matches: bool,
    /// Whether `prev_hash` is the previous event's hash; `None` when there is no previous
    /// event to compare with (the first event, or the previous one was pruned).
    pub links_to_previous: Option<bool>,
    /// Whether a newer event exists, for the "newer event" link.
    pub has_newer: bool,
}

/// One event by its sequence number; `None` when there is none (never recorded, or pruned).
/// The checks are the ones `portico audit verify` makes, for this event alone.
#[server(input = Json, endpoint = "audit/event")]
pub async fn audit_event(seq: i64) -> Result<Option<EventView>, ApiError> {
    let services = Services::current()?;
    services.require(Permission::ViewAudit).await?;
    let Some(event) = services.audit.audit_event(seq).await.map_err(ApiError::internal)? else { return Ok(None) };
    let previous = if seq > 1 { services.audit.audit_event(seq - 1).await.map_err(ApiError::internal)? } else { None };
    let links_to_previous = match (seq, previous) {
        (1, _) => Some(event.prev_hash == domain::audit::GENESIS_HASH),
        (_, Some(previous)) => Some(previous.hash == event.prev_hash),
        (_, None) => None,
    };
    let has_newer = services.audit.audit_event(seq + 1).await.map_err(ApiError::internal)?.is_some();
    Ok(Some(EventView { hash_matches: event.verify_hash(), links_to_previous, has_newer, event }))
}
