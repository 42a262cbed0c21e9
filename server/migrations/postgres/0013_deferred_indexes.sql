-- Index definitions set aside by a bulk load of an empty registry (PostgreSQL). Keep in step with
-- ../sqlite/0013_deferred_indexes.sql.
-- Inserting ten million persons into indexes on random keys (digests, names) writes a page
-- per row; building each index once after the load sorts instead. The definitions are kept
-- here in the transaction that drops the indexes, so that a load stopped halfway leaves them
-- to the next start, which builds them before serving.
CREATE TABLE deferred_indexes (
    name TEXT PRIMARY KEY,
    definition TEXT NOT NULL
);
