-- Every entity of the catalog, of every kind, and the relations between them, in both
-- directions. Replaced wholesale with the rest of the catalog. `ref` is the lowercase
-- `kind:namespace/name` that references are compared by; `summary` is the small JSON a list
-- row needs, so that lists never read the full `body` (an API's body holds its definition).
DROP TABLE catalog_systems;
DROP TABLE catalog_teams;

CREATE TABLE catalog_entities (
    ref         TEXT COLLATE "C" PRIMARY KEY,
    kind        TEXT COLLATE "C" NOT NULL,
    search_text TEXT NOT NULL,
    summary     TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX catalog_entities_kind ON catalog_entities (kind, ref);

-- `target_written` is the target's reference as written (JSON), for a target that is not in the
-- catalog: the page shows the broken reference as it was written.
CREATE TABLE catalog_relations (
    source         TEXT COLLATE "C" NOT NULL,
    relation       TEXT COLLATE "C" NOT NULL,
    target         TEXT COLLATE "C" NOT NULL,
    target_written TEXT NOT NULL,
    PRIMARY KEY (source, relation, target)
);
CREATE INDEX catalog_relations_target ON catalog_relations (target, relation);
