//! Personal API tokens. Every change is written together with its audit event, in one
//! transaction.

use domain::access::{ApiToken, Identity, Role, TokenStore};
use domain::audit::NewEvent;
use domain::future::BoxFuture;
use domain::store::StoreError;
use super::{Store, append_in, db_error, on_pool, on_tx};

/// What a token row and its owner's last known identity say.
pub struct TokenOwner {
    pub token: ApiToken,
    pub identity: Identity,
}

/// The columns of [`ApiToken`], in its field order.
pub(super) const TOKEN_COLUMNS: &str = "id, name, scope, created_at, expires_at, last_used_at, revoked_at";

impl Store {
    /// Stores a new token for `owner`, keeping only `secret_hash`, and records `event`.
    pub async fn create_token(&self, owner: &str, token: &ApiToken, secret_hash: &str, event: &NewEvent) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, conn => {
            sqlx::query(
                "INSERT INTO api_tokens (id, owner, name, scope, secret_hash, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&token.id).bind(owner).bind(&token.name).bind(token.scope.as_str()).bind(secret_hash)
            .bind(token.created_at).bind(token.expires_at)
            .execute(conn).await.map_err(db_error)?;
        });
        append_in(&mut tx, event).await?;
        tx.commit().await
    }

    /// Revokes `owner`'s token `id` and records `event`; `false` when there is no such active
    /// token (nothing is recorded then).
    pub async fn revoke_token(&self, owner: &str, id: &str, now: i64, event: &NewEvent) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let revoked = on_tx!(&mut tx, conn => {
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND owner = $3 AND revoked_at IS NULL")
                .bind(now).bind(id).bind(owner)
                .execute(conn).await.map_err(db_error)?.rows_affected()
        });
        if revoked == 0 {
            return Ok(false);
        }
        append_in(&mut tx, event).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// `owner`'s tokens, newest first, revoked and expired ones included.
    pub async fn tokens_of(&self, owner: &str) -> Result<Vec<ApiToken>, StoreError> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE owner = $1 ORDER BY created_at DESC, id");
        on_pool!(self, pool => {
            let rows: Vec<TokenRow> = sqlx::query_as(&sql).bind(owner).fetch_all(pool).await.map_err(db_error)?;
            rows.into_iter().map(TokenRow::into_token).collect()
        })
    }

    /// The token whose secret hashes to `secret_hash`, with its owner, whatever its state.
    pub async fn token_by_hash(&self, secret_hash: &str) -> Result<Option<TokenOwner>, StoreError> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS}, users.identity FROM api_tokens JOIN users ON users.login = api_tokens.owner
             WHERE secret_hash = $1"
        );
        on_pool!(self, pool => {
            let row: Option<TokenOwnerRow> =
                sqlx::query_as(&sql).bind(secret_hash).fetch_optional(pool).await.map_err(db_error)?;
            row.map(|row| {
                Ok(TokenOwner { token: row.token.into_token()?, identity: serde_json::from_str(&row.identity).map_err(db_error)? })
            })
            .transpose()
        })
    }

    /// Notes when a token was last used, for its owner's list.
    pub async fn touch_token(&self, id: &str, now: i64) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now).bind(id).execute(pool).await.map(|_| ()).map_err(db_error)
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct TokenRow {
    id: String,
    name: String,
    scope: String,
    created_at: i64,
    expires_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl TokenRow {
    pub(super) fn into_token(self) -> Result<ApiToken, StoreError> {
        Ok(ApiToken {
            scope: Role::parse(&self.scope).ok_or_else(|| StoreError(format!("unknown token scope {}", self.scope)))?,
            id: self.id,
            name: self.name,
            created_at: self.created_at,
            expires_at: self.expires_at,
            last_used_at: self.last_used_at,
            revoked_at: self.revoked_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct TokenOwnerRow {
    #[sqlx(flatten)]
    token: TokenRow,
    identity: String,
}

impl TokenStore for Store {
    fn tokens_of<'a>(&'a self, owner: &'a str) -> BoxFuture<'a, Result<Vec<ApiToken>, StoreError>> {
        Box::pin(Store::tokens_of(self, owner))
    }
}
