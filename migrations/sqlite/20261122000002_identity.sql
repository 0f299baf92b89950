-- People who signed in, with what GitHub said about them then: API tokens act on it.
CREATE TABLE users (
    login TEXT PRIMARY KEY,
    identity TEXT NOT NULL,
    last_sign_in BIGINT NOT NULL
);

-- Personal API tokens. Only a SHA-256 of the secret is kept; the secret is shown once.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL REFERENCES users (login),
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_owner ON api_tokens (owner, created_at);
