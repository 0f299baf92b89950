-- Self-service action runs. A run is written before anything happens and only moves forward
-- (see domain::actions::RunState). `definition` is the action as it was when requested, so a
-- later edit of the action files never changes a run in flight. Times are Unix microseconds.
CREATE TABLE action_runs (
    id               TEXT PRIMARY KEY,
    action_id        TEXT NOT NULL,
    action_title     TEXT NOT NULL,
    kind             TEXT NOT NULL,
    definition       TEXT NOT NULL,
    service          TEXT NOT NULL,
    environment      TEXT NOT NULL,
    owner            TEXT NOT NULL,
    production       BOOLEAN NOT NULL,
    requester        TEXT NOT NULL,
    inputs           TEXT NOT NULL,
    state            TEXT NOT NULL,
    approvals_needed BIGINT NOT NULL,
    expires_at       BIGINT,
    created_at       BIGINT NOT NULL,
    queued_at        BIGINT,
    started_at       BIGINT,
    finished_at      BIGINT,
    -- The worker holding a running run, and until when its claim stands without renewal: a
    -- claim that lapses means that worker's portal stopped.
    claimed_by       TEXT,
    lease_until      BIGINT,
    cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
    -- Facts steps leave for later steps and compensations (the version to put back...), JSON.
    memo             TEXT NOT NULL DEFAULT '{}',
    links            TEXT NOT NULL DEFAULT '[]',
    message          TEXT
);
CREATE INDEX action_runs_queue ON action_runs (state, queued_at);
CREATE INDEX action_runs_created ON action_runs (created_at);
CREATE INDEX action_runs_service ON action_runs (service, created_at);

-- Each step of a run, compensations included, in the order they ran.
CREATE TABLE action_run_steps (
    run_id       TEXT NOT NULL REFERENCES action_runs (id) ON DELETE CASCADE,
    seq          BIGINT NOT NULL,
    name         TEXT NOT NULL,
    compensation BOOLEAN NOT NULL,
    state        TEXT NOT NULL,
    output       TEXT NOT NULL,
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT,
    PRIMARY KEY (run_id, seq)
);

-- One decision per person per run.
CREATE TABLE action_approvals (
    run_id   TEXT NOT NULL REFERENCES action_runs (id) ON DELETE CASCADE,
    approver TEXT NOT NULL,
    decision TEXT NOT NULL,
    comment  TEXT,
    at       BIGINT NOT NULL,
    PRIMARY KEY (run_id, approver)
);

-- The versions each environment has run, as the poller saw them change and as runs deployed
-- them: what a rollback goes back to.
CREATE TABLE environment_versions (
    service     TEXT NOT NULL,
    environment TEXT NOT NULL,
    version     TEXT NOT NULL,
    seen_at     BIGINT NOT NULL
);
CREATE INDEX environment_versions_by_placement ON environment_versions (service, environment, seen_at);
