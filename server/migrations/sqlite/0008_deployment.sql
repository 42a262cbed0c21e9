-- What this database is for: 'production', or 'demo' (development and staging deployments,
-- whose demo accounts have a published password). Marked at the first start; a server of the
-- other kind refuses to start on it. One row. Keep in step with the other backend's file.
CREATE TABLE deployment (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    kind TEXT NOT NULL,
    marked_at INTEGER NOT NULL
);
