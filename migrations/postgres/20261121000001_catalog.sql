-- The catalog as last read from its sources. Rows are replaced wholesale on each refresh; the
-- full entity is kept as JSON in `body`, with the columns the list pages filter and sort on.
-- Text columns that are sorted use the "C" collation so the order is bytewise, as in SQLite.
CREATE TABLE catalog_services (
    name        TEXT COLLATE "C" PRIMARY KEY,
    title       TEXT,
    description TEXT,
    kind        TEXT COLLATE "C" NOT NULL,
    lifecycle   TEXT COLLATE "C" NOT NULL,
    owner       TEXT COLLATE "C" NOT NULL,
    system      TEXT COLLATE "C",
    tags        TEXT NOT NULL,
    search_text TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX catalog_services_owner ON catalog_services (owner, name);
CREATE INDEX catalog_services_system ON catalog_services (system, name);
CREATE INDEX catalog_services_lifecycle ON catalog_services (lifecycle, name);
CREATE INDEX catalog_services_kind ON catalog_services (kind, name);

CREATE TABLE catalog_systems (
    name TEXT COLLATE "C" PRIMARY KEY,
    body TEXT NOT NULL
);

CREATE TABLE catalog_teams (
    name TEXT COLLATE "C" PRIMARY KEY,
    body TEXT NOT NULL
);

CREATE TABLE catalog_problems (
    id      BIGSERIAL PRIMARY KEY,
    file    TEXT COLLATE "C" NOT NULL,
    line    BIGINT,
    field   TEXT,
    message TEXT NOT NULL
);
