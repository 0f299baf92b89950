//! The admin's view of everyone's access: people, their live sign-ins and their live tokens.

use std::collections::BTreeMap;

use domain::access::{ApiToken, PeopleStore, PersonAccess, SessionSummary};
use domain::future::BoxFuture;
use domain::store::StoreError;

use super::tokens::{TOKEN_COLUMNS, TokenRow};
use super::{Store, db_error, on_pool};

impl Store {
    async fn everyones_access(&self, now: i64) -> Result<Vec<PersonAccess>, StoreError> {
        let mut sessions: BTreeMap<String, Vec<SessionSummary>> = BTreeMap::new();
        for sign_in in self.active_sign_ins(now).await? {
            let summary = SessionSummary {
                started_at: sign_in.started_at,
                expires_at: sign_in.expires_at,
                last_seen_at: sign_in.last_seen_at,
                client_addr: sign_in.client_addr,
            };
            sessions.entry(sign_in.login).or_default().push(summary);
        }
        let sql = format!(
            "SELECT owner, {TOKEN_COLUMNS} FROM api_tokens WHERE revoked_at IS NULL AND expires_at > $1 ORDER BY created_at DESC, id"
        );
        let rows: Vec<OwnedTokenRow> = on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(now).fetch_all(pool).await.map_err(db_error)?
        });
        let mut tokens: BTreeMap<String, Vec<ApiToken>> = BTreeMap::new();
        for row in rows {
            tokens.entry(row.owner).or_default().push(row.token.into_token()?);
        }
        Ok(self
            .people()
            .await?
            .into_iter()
            .map(|person| PersonAccess {
                sessions: sessions.remove(&person.login).unwrap_or_default(),
                tokens: tokens.remove(&person.login).unwrap_or_default(),
                key: person.login,
                identity: person.identity,
                last_sign_in: person.last_sign_in,
            })
            .collect())
    }
}

#[derive(sqlx::FromRow)]
struct OwnedTokenRow {
    owner: String,
    #[sqlx(flatten)]
    token: TokenRow,
}

impl PeopleStore for Store {
    fn people_access(&self, now: i64) -> BoxFuture<'_, Result<Vec<PersonAccess>, StoreError>> {
        Box::pin(self.everyones_access(now))
    }
}
