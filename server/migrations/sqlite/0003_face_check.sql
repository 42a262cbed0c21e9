-- 人脸识别认证 (SQLite). Keep in step with ../postgres/0003_face_check.sql.
-- One row per QR code shown on a desktop. The QR carries a random token; only its SHA-256 is
-- stored. `public_id` is what the desktop page polls and listens on.
CREATE TABLE face_tickets (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    public_id TEXT NOT NULL UNIQUE,
    -- The desktop session that asked, and its account (the only person who may pass it).
    session_hash TEXT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- waiting, scanned, verifying, passed, failed, expired
    state TEXT NOT NULL,
    failure TEXT NOT NULL,
    desktop_ip TEXT NOT NULL,
    desktop_browser TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX face_tickets_session ON face_tickets (session_hash);

-- When this session last passed a face check (0: never). Unlocks 我的证照 for 30 minutes.
ALTER TABLE sessions ADD COLUMN face_verified_at INTEGER NOT NULL DEFAULT 0;
