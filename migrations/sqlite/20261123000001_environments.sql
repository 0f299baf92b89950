-- Each service's environments as the catalog declares them, in promotion order. Replaced with
-- the rest of the catalog; `body` is the whole environment (runtime target included) as JSON.
CREATE TABLE catalog_environments (
    service    TEXT NOT NULL,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    production BOOLEAN NOT NULL,
    runtime    TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (service, name)
);

-- What each runtime last said about an environment. Kept across catalog refreshes: it is the
-- runtime's state, not the catalog's. `observation` is the whole answer as JSON.
CREATE TABLE environment_status (
    service     TEXT NOT NULL,
    environment TEXT NOT NULL,
    observation TEXT NOT NULL,
    observed_at BIGINT NOT NULL,
    PRIMARY KEY (service, environment)
);
