//! Everyone who signed in, with what still lets them in: the admin's view of sessions and
//! tokens, from which all of a person's access can be ended at once.

use serde::{Deserialize, Serialize};

use super::identity::Identity;
use super::token::ApiToken;
use crate::future::BoxFuture;
use crate::store::StoreError;

/// A browser sign-in that has neither ended nor expired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    /// Unix seconds.
    pub started_at: i64,
    pub expires_at: i64,
    /// When a request last used it, to within five minutes.
    pub last_seen_at: i64,
    pub client_addr: Option<String>,
}

/// A person and what lets them in now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonAccess {
    /// The stored key: their login, or `login~account` once another account took the login.
    pub key: String,
    pub identity: Identity,
    pub last_sign_in: i64,
    pub sessions: Vec<SessionSummary>,
    /// Tokens neither revoked nor expired.
    pub tokens: Vec<ApiToken>,
}

impl PersonAccess {
    /// Whether another GitHub account has since taken this person's login.
    pub fn login_taken(&self) -> bool {
        self.key.contains('~')
    }
}

/// Reading everyone's access (ending it happens with its audit event, on the server).
pub trait PeopleStore: Send + Sync {
    /// Everyone who ever signed in, by login, with their live sessions and tokens at `now`.
    fn people_access(&self, now: i64) -> BoxFuture<'_, Result<Vec<PersonAccess>, StoreError>>;
}
