-- The catalog as last read from its sources. Rows are replaced wholesale on each refresh; the
-- full entity is kept as JSON in `body`, with the columns the list pages filter and sort on.
CREATE TABLE catalog_services (
    name        TEXT PRIMARY KEY,
    title       TEXT,
    description TEXT,
    kind        TEXT NOT NULL,
    lifecycle   TEXT NOT NULL,
    owner       TEXT NOT NULL,
    system      TEXT,
    tags        TEXT NOT NULL,
    search_text TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX catalog_services_owner ON catalog_services (owner, name);
CREATE INDEX catalog_services_system ON catalog_services (system, name);
CREATE INDEX catalog_services_lifecycle ON catalog_services (lifecycle, name);
CREATE INDEX catalog_services_kind ON catalog_services (kind, name);

CREATE TABLE catalog_systems (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL
);

CREATE TABLE catalog_teams (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL
);

CREATE TABLE catalog_problems (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    file    TEXT NOT NULL,
    line    BIGINT,
    field   TEXT,
    message TEXT NOT NULL
);
