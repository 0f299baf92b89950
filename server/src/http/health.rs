use axum::extract::State;
use axum::http::StatusCode;

use super::AppState;

/// Liveness: the process is up and answering.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers, so requests can be served.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
