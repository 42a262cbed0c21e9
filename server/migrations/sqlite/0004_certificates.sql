-- 电子证照 and 加注 (SQLite). Keep in step with ../postgres/0004_certificates.sql.
-- One certificate per registration, issued when its holder first opens 电子证照管理.
CREATE TABLE certificates (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    registration_id INTEGER NOT NULL UNIQUE REFERENCES registrations (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    -- 0 while valid; when the registry withdrew it.
    revoked_at INTEGER NOT NULL DEFAULT 0
);

-- Each 加注 is a certified copy: its own copy number and verification code, a purpose, and the
-- 使用有效期 the rule gave it. `content_digest` fingerprints the certificate as it was, so a
-- later change can be told apart.
CREATE TABLE annotations (
    id INTEGER PRIMARY KEY,
    certificate_id INTEGER NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    copy_no TEXT NOT NULL UNIQUE,
    verify_code TEXT NOT NULL UNIQUE,
    purpose TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    validity_note TEXT NOT NULL,
    content_digest TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX annotations_certificate ON annotations (certificate_id, id);
