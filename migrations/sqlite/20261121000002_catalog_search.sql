-- Substring search over services without reading every row: an FTS5 index with the trigram
-- tokenizer answers a quoted phrase as "contains this text", case-insensitively. It indexes
-- catalog_services.search_text (external content) and is rebuilt in the same transaction that
-- replaces the catalog, which is faster than keeping it in step row by row.
CREATE VIRTUAL TABLE catalog_search USING fts5(
    search_text,
    content = 'catalog_services',
    content_rowid = 'rowid',
    tokenize = 'trigram'
);
