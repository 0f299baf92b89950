//! People who signed in, one row per GitHub account. The account's numeric id decides who is
//! who: a renamed login moves the row (tokens and sign-ins with it), and an account that takes
//! a login another account had gets a fresh row while the earlier one is set aside with its
//! tokens revoked. Every such change is an audit event in the same transaction.

use domain::access::{Identity, TeamRef};
use domain::audit::{NewEvent, Outcome, kinds};
use domain::store::StoreError;
use serde_json::json;

use super::{Store, Tx, append_in, db_error, on_pool, on_tx};

/// A person as the admin's list shows them.
#[derive(Clone, Debug)]
pub struct Person {
    /// The row's key: the login, or `login~id` for an account whose login another has taken.
    pub login: String,
    pub identity: Identity,
    pub last_sign_in: i64,
}

impl Store {
    /// Remembers who signed in (tokens act on it), starts the sign-in `sign_in_id` until
    /// `expires_at`, and records `event` with any rename or reused login it revealed.
    pub async fn record_sign_in(
        &self,
        identity: &Identity,
        sign_in_id: &str,
        expires_at: i64,
        now: i64,
        event: &NewEvent,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(identity).map_err(db_error)?;
        let mut tx = self.begin().await?;
        if let Some(github_id) = identity.github_id {
            follow_account(&mut tx, github_id, &identity.login, now, event).await?;
        }
        let github_id = identity.github_id.map(id_column);
        on_tx!(&mut tx, conn => {
            sqlx::query(
                "INSERT INTO users (login, identity, last_sign_in, github_id) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (login) DO UPDATE SET identity = excluded.identity, last_sign_in = excluded.last_sign_in,
                     github_id = COALESCE(excluded.github_id, users.github_id)",
            )
            .bind(&identity.login).bind(&json).bind(now).bind(github_id)
            .execute(&mut *conn).await.map_err(db_error)?;
            sqlx::query(
                "INSERT INTO sign_ins (id, login, started_at, expires_at, client_addr, last_seen_at) VALUES ($1, $2, $3, $4, $5, $3)",
            )
            .bind(sign_in_id).bind(&identity.login).bind(now).bind(expires_at).bind(&event.client_addr)
            .execute(&mut *conn).await.map_err(db_error)?;
        });
        append_in(&mut tx, event).await?;
        tx.commit().await
    }

    /// Everyone who ever signed in, by login.
    pub async fn people(&self) -> Result<Vec<Person>, StoreError> {
        on_pool!(self, pool => {
            let rows: Vec<(String, String, i64)> = sqlx::query_as("SELECT login, identity, last_sign_in FROM users ORDER BY login")
                .fetch_all(pool).await.map_err(db_error)?;
            rows.into_iter()
                .map(|(login, identity, last_sign_in)| Ok(Person { login, identity: serde_json::from_str(&identity).map_err(db_error)?, last_sign_in }))
                .collect()
        })
    }

    /// The identity stored for `login`, as the last sign-in or membership check left it.
    pub async fn person(&self, login: &str) -> Result<Option<Identity>, StoreError> {
        let row: Option<(String,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT identity FROM users WHERE login = $1").bind(login).fetch_optional(pool).await.map_err(db_error)?
        });
        row.map(|(identity,)| serde_json::from_str(&identity).map_err(db_error)).transpose()
    }

    /// Applies what the membership check found about `person` (as it read them): takes away
    /// `removal`'s organisations and teams from the identity stored *now* (a sign-in since the
    /// check read it is kept), and follows a login GitHub listed the account under. `event`
    /// records the removal; nothing is written when nothing changes.
    pub async fn narrow_membership(&self, person: &Identity, removal: &Removal, event: Option<&NewEvent>, now: i64) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let mut login = person.login.clone();
        if let (Some(github_id), Some(listed)) = (person.github_id, &removal.login) {
            let template = NewEvent::new("system", domain::audit::Origin::System, kinds::USER_RENAMED, Outcome::Success);
            follow_account(&mut tx, github_id, listed, now, &template).await?;
            login.clone_from(listed);
        }
        // The row as it is now, locked until the change commits (SQLite's write lock is held).
        let lock = if matches!(tx, Tx::Postgres(_)) { " FOR UPDATE" } else { "" };
        let sql = format!("SELECT identity FROM users WHERE login = $1{lock}");
        let stored: Option<(String,)> = on_tx!(&mut tx, conn => {
            sqlx::query_as(&sql).bind(&login).fetch_optional(&mut *conn).await.map_err(db_error)?
        });
        let Some((stored,)) = stored else { return Ok(false) };
        let mut identity: Identity = serde_json::from_str(&stored).map_err(db_error)?;
        let before = identity.clone();
        identity.login.clone_from(&login);
        identity.orgs.retain(|org| !removal.orgs.contains(org));
        identity.teams.retain(|team| !removal.teams.contains(team));
        if identity == before && removal.login.is_none() {
            return Ok(false);
        }
        let json = serde_json::to_string(&identity).map_err(db_error)?;
        on_tx!(&mut tx, conn => {
            sqlx::query("UPDATE users SET identity = $1 WHERE login = $2").bind(&json).bind(&login).execute(&mut *conn).await.map_err(db_error)?;
        });
        if let Some(event) = event {
            append_in(&mut tx, event).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

/// What the membership check takes from a person.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Removal {
    pub orgs: Vec<String>,
    pub teams: Vec<TeamRef>,
    /// The login GitHub lists the account under, when it is not the stored one.
    pub login: Option<String>,
}

/// sqlx binds integers as signed; GitHub ids fit comfortably.
fn id_column(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

/// Makes the row of account `github_id` the one under `login`: an earlier account holding
/// `login` is set aside (tokens revoked, sign-ins ended), and the account's own row, if it had
/// another login, is moved to this one. `event` gives the request's details to the events.
async fn follow_account(tx: &mut Tx<'_>, github_id: u64, login: &str, now: i64, event: &NewEvent) -> Result<(), StoreError> {
    let id = id_column(github_id);
    let (own, holder): (Option<String>, Option<Option<i64>>) = on_tx!(&mut *tx, conn => {
        let own: Option<(String,)> = sqlx::query_as("SELECT login FROM users WHERE github_id = $1")
            .bind(id).fetch_optional(&mut *conn).await.map_err(db_error)?;
        let holder: Option<(Option<i64>,)> = sqlx::query_as("SELECT github_id FROM users WHERE login = $1")
            .bind(login).fetch_optional(&mut *conn).await.map_err(db_error)?;
        (own.map(|(login,)| login), holder.map(|(id,)| id))
    });
    // A row stored before ids were kept is this account's unless the account already has its
    // own row, or the row's avatar (GitHub serves it under `/u/<id>`) names another account.
    let earlier = match holder {
        Some(Some(other)) if other != id => Some(other.to_string()),
        Some(None) if own.as_deref().is_some_and(|own| own != login) => Some(format!("unknown{now}")),
        Some(None) => legacy_account(tx, login).await?.filter(|other| *other != id).map(|other| other.to_string()),
        _ => None,
    };
    if let Some(other) = earlier {
        // A GitHub login has no `~`, so the set-aside name can never be signed in with.
        let aside = format!("{login}~{other}");
        set_aside(tx, login, &aside, now).await?;
        let mut reused = event.clone();
        reused.action = kinds::USER_LOGIN_REUSED.to_owned();
        reused.actor = login.to_owned();
        reused.outcome = Outcome::Success;
        reused.reason = Some(format!(
            "the login {login} now belongs to another GitHub account; the earlier account's tokens were revoked and its \
             sessions ended, and its record is kept as {aside}"
        ));
        reused.inputs = json!({ "login": login, "earlier_account": other.parse::<i64>().ok(), "account": id, "kept_as": aside });
        append_in(tx, &reused).await?;
    }
    if let Some(own) = own
        && own != login
    {
        move_user(tx, &own, login).await?;
        let mut renamed = event.clone();
        renamed.action = kinds::USER_RENAMED.to_owned();
        renamed.actor = login.to_owned();
        renamed.outcome = Outcome::Success;
        renamed.reason = Some(format!("GitHub account {id} was {own} and is now {login}; its tokens and sessions follow it"));
        renamed.inputs = json!({ "from": own, "to": login, "account": id });
        append_in(tx, &renamed).await?;
    }
    Ok(())
}

/// The account id in the avatar address of the row stored under `login` before ids were kept.
async fn legacy_account(tx: &mut Tx<'_>, login: &str) -> Result<Option<i64>, StoreError> {
    let stored: Option<(String,)> = on_tx!(&mut *tx, conn => {
        sqlx::query_as("SELECT identity FROM users WHERE login = $1").bind(login).fetch_optional(&mut *conn).await.map_err(db_error)?
    });
    let Some((stored,)) = stored else { return Ok(None) };
    let identity: Identity = serde_json::from_str(&stored).map_err(db_error)?;
    Ok(identity.avatar_url.as_deref().and_then(avatar_account))
}

/// `https://avatars.githubusercontent.com/u/583231?v=4` → 583231.
fn avatar_account(url: &str) -> Option<i64> {
    let rest = url.split("/u/").nth(1)?;
    rest.split(['?', '/', '#']).next()?.parse().ok()
}

/// Moves `from`'s row to `aside`, revoking its tokens and ending its sign-ins.
async fn set_aside(tx: &mut Tx<'_>, from: &str, aside: &str, now: i64) -> Result<(), StoreError> {
    on_tx!(&mut *tx, conn => {
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE owner = $2 AND revoked_at IS NULL")
            .bind(now).bind(from).execute(&mut *conn).await.map_err(db_error)?;
        sqlx::query("UPDATE sign_ins SET ended_at = $1, end_reason = 'login reused' WHERE login = $2 AND ended_at IS NULL")
            .bind(now).bind(from).execute(&mut *conn).await.map_err(db_error)?;
    });
    move_user(tx, from, aside).await
}

/// Renames the row `from` to `to` with its tokens and sign-ins. The foreign keys forbid changing
/// the key in place, so the row is copied, its dependants moved, then the old row deleted; the
/// account id moves last because it is unique.
async fn move_user(tx: &mut Tx<'_>, from: &str, to: &str) -> Result<(), StoreError> {
    on_tx!(&mut *tx, conn => {
        let (github_id,): (Option<i64>,) = sqlx::query_as("SELECT github_id FROM users WHERE login = $1")
            .bind(from).fetch_one(&mut *conn).await.map_err(db_error)?;
        sqlx::query("INSERT INTO users (login, identity, last_sign_in) SELECT $2, identity, last_sign_in FROM users WHERE login = $1")
            .bind(from).bind(to).execute(&mut *conn).await.map_err(db_error)?;
        sqlx::query("UPDATE api_tokens SET owner = $2 WHERE owner = $1").bind(from).bind(to).execute(&mut *conn).await.map_err(db_error)?;
        sqlx::query("UPDATE sign_ins SET login = $2 WHERE login = $1").bind(from).bind(to).execute(&mut *conn).await.map_err(db_error)?;
        // Runs still to come follow the account, so a renamed requester cannot approve their
        // own request, nor one approver approve twice under two logins.
        sqlx::query("UPDATE action_runs SET requester = $2 WHERE requester = $1 AND state IN ('pending_approval', 'queued', 'running')")
            .bind(from).bind(to).execute(&mut *conn).await.map_err(db_error)?;
        sqlx::query(
            "UPDATE action_approvals SET approver = $2 WHERE approver = $1
             AND run_id IN (SELECT id FROM action_runs WHERE state = 'pending_approval')",
        )
        .bind(from).bind(to).execute(&mut *conn).await.map_err(db_error)?;
        sqlx::query("DELETE FROM users WHERE login = $1").bind(from).execute(&mut *conn).await.map_err(db_error)?;
        sqlx::query("UPDATE users SET github_id = $1 WHERE login = $2").bind(github_id).bind(to).execute(&mut *conn).await.map_err(db_error)?;
    });
    Ok(())
}
