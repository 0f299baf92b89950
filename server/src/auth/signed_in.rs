//! What the session holds about the person, and the pending GitHub authorization.

use domain::access::Identity;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

pub const SIGNED_IN: &str = "signed_in";
pub const PENDING: &str = "github_pending";

/// Who signed in, when (for the absolute expiry), and which sign-in it is: the `sign_ins` row
/// with that id says whether it still stands, and holds the person as now known.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignedIn {
    pub identity: Identity,
    pub at: i64,
    /// Empty in sessions started before sign-ins were recorded: those must sign in again.
    #[serde(default)]
    pub id: String,
}

/// A GitHub authorization in progress: what the callback must match.
#[derive(Debug, Serialize, Deserialize)]
pub struct Pending {
    pub state: String,
    pub pkce_verifier: String,
    pub next: String,
}

/// Starts a signed-in session under a new id, so an id planted before sign-in is worthless.
pub async fn start(session: &Session, identity: Identity, at: i64, id: String) -> Result<(), tower_sessions::session::Error> {
    session.cycle_id().await?;
    session.remove_value(PENDING).await?;
    session.insert(SIGNED_IN, SignedIn { identity, at, id }).await
}
