-- Searching every kind of entity: the name lists sort by (the lowercase title, else the name),
-- and an FTS5 trigram index over search_text answers "contains this text" without reading
-- every row, as catalog_search does for services. Rebuilt with the entities.
ALTER TABLE catalog_entities ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
CREATE INDEX catalog_entities_sort ON catalog_entities (sort_name, ref);
CREATE INDEX catalog_entities_kind_sort ON catalog_entities (kind, sort_name, ref);

CREATE VIRTUAL TABLE entity_search USING fts5(
    search_text,
    content = 'catalog_entities',
    content_rowid = 'rowid',
    tokenize = 'trigram'
);
INSERT INTO entity_search (entity_search) VALUES ('rebuild');
