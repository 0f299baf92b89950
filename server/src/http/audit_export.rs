//! `GET /audit/export.csv` and `GET /audit/export.json`: every event the viewer's filters
//! match, newest first, streamed a batch at a time so that memory stays flat at any length.
//! Open to operators, through a session or an API token; each export is itself audited.

mod encode;

pub use encode::{Format, body};

use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::access::{Gate, Permission};
use domain::audit::{AuditQuery, Outcome, kinds};
use domain::store::AuditStore;
use serde_json::{Map, Value};

use super::{AppState, refused, unavailable};
use crate::auth::Caller;
use crate::store::audit::EXPORT_BATCH;

/// `GET /audit/export.csv`.
pub async fn csv(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Response {
    export(&state, caller, raw, Format::Csv).await
}

/// `GET /audit/export.json`.
pub async fn json(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Response {
    export(&state, caller, raw, Format::Json).await
}

async fn export(
    state: &AppState,
    Caller { principal, meta }: Caller,
    raw: Option<String>,
    format: Format,
) -> Response {
    let principal = match state.auth.authorize(principal.as_ref(), Permission::ViewAudit, &meta).await {
        Ok(principal) => principal,
        Err(error) => return refused(&error),
    };
    let query = parse_query(raw.as_deref());
    let event = meta
        .event_by(&principal, kinds::AUDIT_EXPORT, Outcome::Success)
        .inputs(serde_json::json!({ "format": format.extension(), "filters": filters(&query) }));
    // Recorded before the first byte: an export that cannot be audited does not happen.
    if let Err(error) = state.store.append(&event).await {
        return unavailable(&meta, "The audit log cannot be exported", &error);
    }
    let export = match state.store.audit_export(&query, EXPORT_BATCH).await {
        Ok(export) => export,
        Err(error) => return unavailable(&meta, "The audit log cannot be exported", &error),
    };
    let disposition = format!("attachment; filename=\"portico-audit-{}.{}\"", stamp(), format.extension());
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(format.content_type())),
        (header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment"))),
        // Audit data must not linger in shared or browser caches.
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    (headers, body(format, export, meta.request_id)).into_response()
}

/// The viewer's filters, read exactly as the viewer reads its URL. The first value of a
/// repeated parameter wins.
fn parse_query(raw: Option<&str>) -> AuditQuery {
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    AuditQuery::from_params(|key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()))
}

/// The filters as the export's event records them: the viewer's URL parameters, without the
/// cursor and page size, which an export does not use.
fn filters(query: &AuditQuery) -> Value {
    let filters_only = AuditQuery { before: None, per_page: 0, ..query.clone() }.normalised();
    let map: Map<String, Value> =
        filters_only.to_params().into_iter().map(|(key, value)| (key.to_owned(), Value::String(value))).collect();
    Value::Object(map)
}

/// `YYYYMMDD-HHMMSS`, UTC, for the file name.
fn stamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    let (year, month, day) = (now.year(), u8::from(now.month()), now.day());
    format!("{year:04}{month:02}{day:02}-{:02}{:02}{:02}", now.hour(), now.minute(), now.second())
}
