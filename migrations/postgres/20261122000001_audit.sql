-- The audit log: append-only, each event chained to the one before by its hash.
CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    token_id TEXT,
    origin TEXT NOT NULL,
    action TEXT NOT NULL,
    service TEXT,
    environment TEXT,
    -- The inputs as canonical JSON, exactly as hashed.
    inputs TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    request_id TEXT,
    client_addr TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
-- Each filter with the sequence number, so a filtered page is an index range walked backwards.
CREATE INDEX audit_events_actor ON audit_events (actor, seq);
CREATE INDEX audit_events_action ON audit_events (action, seq);
CREATE INDEX audit_events_service ON audit_events (service, seq);
CREATE INDEX audit_events_environment ON audit_events (environment, seq);
CREATE INDEX audit_events_outcome ON audit_events (outcome, seq);
CREATE INDEX audit_events_at ON audit_events (at);

-- The head of the chain. Appending updates this one row first, which serialises appenders;
-- pruning moves the starting point forward so what remains still verifies.
CREATE TABLE audit_chain (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL,
    pruned_through_seq BIGINT NOT NULL,
    pruned_through_hash TEXT NOT NULL
);
INSERT INTO audit_chain (id, last_seq, last_hash, pruned_through_seq, pruned_through_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000',
        0, '0000000000000000000000000000000000000000000000000000000000000000');
