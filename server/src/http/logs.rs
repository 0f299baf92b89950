//! `GET /api/logs/{service}/{environment}`: an environment's logs as server-sent events, and
//! `GET /api/logs/{service}/{environment}/download`: the lines kept, as a text file.
//!
//! Reading logs is a permission that depends on the environment (see
//! `Policy::may_read_logs`); opening or downloading a production environment's logs is audited
//! before the first line is sent, and refused if it cannot be.

use std::convert::Infallible;
use std::fmt::Write;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use domain::access::{AccessError, Principal, RequestMeta, logs_refusal};
use domain::audit::{Outcome, kinds};
use domain::runtime::{Dropped, LogEvent, LogSource, StreamProblem};
use domain::store::{AuditStore, EnvironmentStore, PlacementDetail};
use futures_util::StreamExt;
use serde_json::json;
use time::format_description::well_known::Rfc3339;

use super::{AppState, plain_text, unavailable};
use crate::auth::Caller;
use runtimes::logs::{Cursor, Event};

/// `GET /api/logs/{service}/{environment}`. A reconnecting browser sends the id of the last
/// line it got as `Last-Event-ID`, and resumes right after it.
pub async fn stream(
    State(state): State<AppState>,
    Path((service, environment)): Path<(String, String)>,
    Caller { principal, meta }: Caller,
    headers: HeaderMap,
) -> Response {
    let cursor = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(Cursor::parse);
    let (detail, principal) = match allowed(&state, principal, &meta, &service, &environment, false).await {
        Ok(allowed) => allowed,
        Err(response) => return response,
    };
    let follow = state.logs.follow(&detail.placement, cursor.as_ref());
    if detail.placement.environment.production {
        // Only a reconnect into the same channel epoch, of a reading this person had recorded
        // moments ago, goes unrecorded: any cursor can be sent, but not that history.
        let key = (principal.identity.login.clone(), service.clone(), environment.clone(), follow.epoch.clone());
        let resumed = cursor.as_ref().is_some_and(|cursor| cursor.epoch == follow.epoch) && state.logs.readings.resumes(&key);
        if !resumed {
            if let Err(response) = record_reading(&state, &principal, &meta, &service, &environment).await {
                return response;
            }
            state.logs.readings.recorded(key);
        }
    }
    let epoch = follow.epoch;
    let events = follow.events.map(move |event| Ok::<_, Infallible>(sse_event(&epoch, event)));
    let mut response = Sse::new(events).keep_alive(KeepAlive::default()).into_response();
    // Proxies must pass lines on as they come rather than buffer or compress them.
    response.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /api/logs/{service}/{environment}/download`: every line kept, as plain text.
pub async fn download(
    State(state): State<AppState>,
    Path((service, environment)): Path<(String, String)>,
    Caller { principal, meta }: Caller,
) -> Response {
    let detail = match allowed(&state, principal, &meta, &service, &environment, true).await {
        Ok((detail, _)) => detail,
        Err(response) => return response,
    };
    let mut text = String::new();
    for entry in state.logs.recent(&detail.placement).await {
        let line = &entry.line;
        let at = line.at.format(&Rfc3339).unwrap_or_default();
        let _ = writeln!(text, "{at} {} {}: {}", line.instance, source_name(line.source), line.text);
    }
    let name = format!("attachment; filename=\"{service}-{environment}.log\"");
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8")),
        (header::CONTENT_DISPOSITION, HeaderValue::from_str(&name).unwrap_or(HeaderValue::from_static("attachment"))),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    (headers, text).into_response()
}

/// The environment when the principal may read its logs, with the reading audited when it is
/// production and `record` is set; otherwise the response that refuses it.
async fn allowed(
    state: &AppState,
    principal: Option<Principal>,
    meta: &RequestMeta,
    service: &str,
    environment: &str,
    record: bool,
) -> Result<(PlacementDetail, Principal), Response> {
    let Some(principal) = principal else {
        return Err(plain_text(StatusCode::UNAUTHORIZED, &AccessError::SignedOut.to_string()));
    };
    let detail = match state.store.placement(service, environment).await {
        Ok(Some(detail)) => detail,
        Ok(None) => return Err(plain_text(StatusCode::NOT_FOUND, &format!("{service} has no environment named {environment}."))),
        Err(error) => return Err(unavailable(meta, "Logs cannot be read", &error)),
    };
    let production = detail.placement.environment.production;
    if let Err(refusal) = state.auth.policy.may_read_logs(&principal, &detail.owner, environment, production) {
        let event = meta
            .event_by(&principal, kinds::ACCESS_DENIED, Outcome::Denied)
            .service(service)
            .environment(environment)
            .inputs(json!({ "permission": "read_logs" }));
        state.store.append_or_log(&event).await;
        return Err(plain_text(StatusCode::FORBIDDEN, &logs_refusal(service, environment, &refusal)));
    }
    if production && record {
        record_reading(state, &principal, meta, service, environment).await?;
    }
    Ok((detail, principal))
}

/// Records a production reading before its first line is sent; refuses the reading if it
/// cannot be recorded.
async fn record_reading(state: &AppState, principal: &Principal, meta: &RequestMeta, service: &str, environment: &str) -> Result<(), Response> {
    let event = meta.event_by(principal, kinds::LOGS_READ, Outcome::Success).service(service).environment(environment);
    state.store.append(&event).await.map(drop).map_err(|error| unavailable(meta, "Logs cannot be read", &error))
}

fn sse_event(epoch: &str, event: Event) -> SseEvent {
    let (id, event) = match event {
        Event::Line(entry) => (Some(format!("{epoch}:{}", entry.id)), LogEvent::Line(entry.line.clone())),
        Event::Dropped(count) => (None, LogEvent::Dropped(Dropped { count })),
        Event::Problem(message) => (None, LogEvent::Problem(StreamProblem { message })),
        Event::Restarted => (None, LogEvent::Restarted),
    };
    let sse = SseEvent::default().event(event.name()).data(event.data());
    match id {
        Some(id) => sse.id(id),
        None => sse,
    }
}

fn source_name(source: LogSource) -> &'static str {
    match source {
        LogSource::Stdout => "stdout",
        LogSource::Stderr => "stderr",
        LogSource::Portal => "portal",
    }
}
