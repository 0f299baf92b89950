-- The deployment history: every version each environment started running, in the order the
-- portal learnt of it (`id`), and how it got there. `source` is `portal` (a run deployed it:
-- `run_id`, `action` and `requester` say which and for whom; the run's state says how it
-- went), `put_back` (a run undid its own deployment), `outside` (the status poller found it
-- running after another version, with no run behind it), `first_seen` (running when the portal
-- first looked) or `earlier` (kept before the history said how). A rollback goes back to the
-- versions kept here. `at` is in Unix microseconds.
CREATE TABLE deployments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service     TEXT NOT NULL,
    environment TEXT NOT NULL,
    version     TEXT NOT NULL,
    at          BIGINT NOT NULL,
    source      TEXT NOT NULL,
    run_id      TEXT,
    action      TEXT,
    requester   TEXT
);
CREATE INDEX deployments_by_placement ON deployments (service, environment, id);
CREATE INDEX deployments_by_service ON deployments (service, id);

INSERT INTO deployments (service, environment, version, at, source)
SELECT service, environment, version, seen_at, 'earlier' FROM environment_versions ORDER BY seen_at;
DROP TABLE environment_versions;
