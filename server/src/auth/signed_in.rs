//! What the session holds about the person, and the pending GitHub authorization.

use domain::access::Identity;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

pub const SIGNED_IN: &str = "signed_in";
pub const PENDING: &str = "github_pending";

/// Who signed in and when (for the absolute expiry).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignedIn {
    pub identity: Identity,
    pub at: i64,
}

/// A GitHub authorization in progress: what the callback must match.
#[derive(Debug, Serialize, Deserialize)]
pub struct Pending {
    pub state: String,
    pub pkce_verifier: String,
    pub next: String,
}

/// Starts a signed-in session under a new id, so an id planted before sign-in is worthless.
pub async fn start(session: &Session, identity: Identity, at: i64) -> Result<(), tower_sessions::session::Error> {
    session.cycle_id().await?;
    session.remove_value(PENDING).await?;
    session.insert(SIGNED_IN, SignedIn { identity, at }).await
}
