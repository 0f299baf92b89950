-- People are GitHub accounts, whose numeric id never changes; a login can be renamed, and a
-- freed login taken by someone else. Rows kept from before ids were read get theirs at the
-- account's next sign-in.
ALTER TABLE users ADD COLUMN github_id BIGINT;
CREATE UNIQUE INDEX users_github_id ON users (github_id);

-- Every browser sign-in, so admins can see and end them; the session itself holds only its id.
CREATE TABLE sign_ins (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL REFERENCES users (login),
    started_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    client_addr TEXT,
    last_seen_at BIGINT NOT NULL,
    ended_at BIGINT,
    end_reason TEXT
);
CREATE INDEX sign_ins_login ON sign_ins (login, started_at);
