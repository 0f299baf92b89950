-- Versions deployed by the portal to local environments, which the local runtime only holds in
-- memory: read back at start-up, so a promote or rollback outlives a restart of the portal.
-- `declared_version` is what the catalog declared then (empty when nothing): once the catalog
-- declares another version, the catalog wins again.
CREATE TABLE local_deployments (
    service          TEXT NOT NULL,
    environment      TEXT NOT NULL,
    version          TEXT NOT NULL,
    declared_version TEXT NOT NULL,
    deployed_at      BIGINT NOT NULL,
    PRIMARY KEY (service, environment)
);
