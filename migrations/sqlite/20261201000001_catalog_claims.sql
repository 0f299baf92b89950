-- Which source each catalog name belongs to (the first to declare it keeps it), with what the
-- audit log compares about a service: owner, environments, runtime targets, production guards.
CREATE TABLE catalog_claims (
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    summary TEXT NOT NULL,
    PRIMARY KEY (kind, name)
);
