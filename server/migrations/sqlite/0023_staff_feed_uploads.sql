-- A registry change feed uploaded in the console (app/src/staff/console/feed_upload.rs): kept
-- until a different 审核员 approves it ('pending' → 'approved' → 'applied', or 'rejected'),
-- then applied; its text is cleared once applied or rejected, its SHA-256 and counts stay.
CREATE TABLE staff_feed_uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name TEXT NOT NULL,
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    summary TEXT NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES staff_accounts (id),
    uploaded_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending'
);
