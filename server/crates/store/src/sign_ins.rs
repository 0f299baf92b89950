//! Browser sign-ins. The session cookie's record holds only which sign-in it is; this table
//! says whether that sign-in still stands and whose it is, so an admin can see every session
//! and end them, and a renamed account's sessions follow it.

use domain::access::Identity;
use domain::audit::NewEvent;
use domain::store::StoreError;

use super::{Store, append_in, db_error, on_pool, on_tx};

/// How often a sign-in's "last seen" is written: often enough for the admin's list, rarely
/// enough that reading pages does not turn into writing.
const LAST_SEEN_EVERY: i64 = 300;

/// A sign-in as a request finds it, with its person as now stored.
#[derive(Clone, Debug)]
pub struct SignInState {
    pub identity: Identity,
    pub ended: bool,
    pub expires_at: i64,
    pub last_seen_at: i64,
}

/// A sign-in that has not ended, for the admin's list.
#[derive(Clone, Debug)]
pub struct ActiveSignIn {
    pub login: String,
    pub started_at: i64,
    pub expires_at: i64,
    pub last_seen_at: i64,
    pub client_addr: Option<String>,
}

/// What revoking a person's access ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Revoked {
    pub sessions: u64,
    pub tokens: u64,
}

impl Store {
    /// Sign-in `id` and its person, whatever its state; `None` when there is no such sign-in.
    pub async fn sign_in(&self, id: &str) -> Result<Option<SignInState>, StoreError> {
        let row: Option<(String, Option<i64>, i64, i64)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT users.identity, sign_ins.ended_at, sign_ins.expires_at, sign_ins.last_seen_at
                 FROM sign_ins JOIN users ON users.login = sign_ins.login WHERE sign_ins.id = $1",
            )
            .bind(id).fetch_optional(pool).await.map_err(db_error)?
        });
        row.map(|(identity, ended_at, expires_at, last_seen_at)| {
            Ok(SignInState { identity: serde_json::from_str(&identity).map_err(db_error)?, ended: ended_at.is_some(), expires_at, last_seen_at })
        })
        .transpose()
    }

    /// Notes that sign-in `id` was used at `now`, unless that was noted recently.
    pub async fn touch_sign_in(&self, state: &SignInState, id: &str, now: i64) -> Result<(), StoreError> {
        if now - state.last_seen_at < LAST_SEEN_EVERY {
            return Ok(());
        }
        on_pool!(self, pool => {
            sqlx::query("UPDATE sign_ins SET last_seen_at = $1 WHERE id = $2").bind(now).bind(id).execute(pool).await.map_err(db_error)?;
        });
        Ok(())
    }

    /// Ends sign-in `id` (signing out) and records `event`.
    pub async fn end_sign_in(&self, id: &str, now: i64, event: &NewEvent) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, conn => {
            sqlx::query("UPDATE sign_ins SET ended_at = $1, end_reason = 'signed out' WHERE id = $2 AND ended_at IS NULL")
                .bind(now).bind(id).execute(&mut *conn).await.map_err(db_error)?;
        });
        append_in(&mut tx, event).await?;
        tx.commit().await
    }

    /// Every sign-in that has neither ended nor expired at `now`, newest first.
    pub async fn active_sign_ins(&self, now: i64) -> Result<Vec<ActiveSignIn>, StoreError> {
        let rows: Vec<(String, i64, i64, i64, Option<String>)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT login, started_at, expires_at, last_seen_at, client_addr FROM sign_ins
                 WHERE ended_at IS NULL AND expires_at > $1 ORDER BY started_at DESC, id",
            )
            .bind(now).fetch_all(pool).await.map_err(db_error)?
        });
        Ok(rows
            .into_iter()
            .map(|(login, started_at, expires_at, last_seen_at, client_addr)| ActiveSignIn { login, started_at, expires_at, last_seen_at, client_addr })
            .collect())
    }

    /// Forgets sign-ins that ended or expired before `before`, so the table does not grow forever.
    pub async fn forget_sign_ins(&self, before: i64) -> Result<u64, StoreError> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM sign_ins WHERE COALESCE(ended_at, expires_at) < $1")
                .bind(before).execute(pool).await.map(|done| done.rows_affected()).map_err(db_error)
        })
    }

    /// Ends every sign-in and revokes every token of `login`, with `event`, in one transaction.
    /// `event` gets the counts, which may be zero: the admin's decision is recorded all the same.
    pub async fn revoke_access(&self, login: &str, now: i64, event: &NewEvent) -> Result<Revoked, StoreError> {
        let mut tx = self.begin().await?;
        let revoked = on_tx!(&mut tx, conn => {
            let sessions = sqlx::query("UPDATE sign_ins SET ended_at = $1, end_reason = 'revoked by an admin' WHERE login = $2 AND ended_at IS NULL AND expires_at > $1")
                .bind(now).bind(login).execute(&mut *conn).await.map_err(db_error)?.rows_affected();
            let tokens = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE owner = $2 AND revoked_at IS NULL AND expires_at > $1")
                .bind(now).bind(login).execute(&mut *conn).await.map_err(db_error)?.rows_affected();
            Revoked { sessions, tokens }
        });
        let mut event = event.clone();
        event.inputs["sessions_ended"] = revoked.sessions.into();
        event.inputs["tokens_revoked"] = revoked.tokens.into();
        append_in(&mut tx, &event).await?;
        tx.commit().await?;
        Ok(revoked)
    }
}
