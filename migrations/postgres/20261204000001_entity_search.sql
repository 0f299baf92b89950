-- Searching every kind of entity: the name lists sort by (the lowercase title, else the name).
ALTER TABLE catalog_entities ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
CREATE INDEX catalog_entities_sort ON catalog_entities (sort_name, ref);
CREATE INDEX catalog_entities_kind_sort ON catalog_entities (kind, sort_name, ref);
