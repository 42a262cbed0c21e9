-- 电子证照标识, 亮证, 授权用证 and 用证记录 (SQLite). Keep in step with
-- ../postgres/0009_credentials.sql.

-- 电子证照标识's 版本号: 1 at issue, one more each time the certificate's content (as
-- fingerprinted by a 加注's content_digest) is seen to have changed. `version_digest` is the
-- fingerprint of the current version ('' until first seen).
ALTER TABLE certificates ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE certificates ADD COLUMN version_digest TEXT NOT NULL DEFAULT '';
-- The version a 加注 certified.
ALTER TABLE annotations ADD COLUMN cert_version INTEGER NOT NULL DEFAULT 1;

-- 亮证: each time the holder shows a certificate on the phone. The QR codes shown are signed,
-- short-lived tokens naming the showing (never stored); a showing lasts a few minutes.
CREATE TABLE showings (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    certificate_id INTEGER NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL
);
CREATE INDEX showings_account ON showings (account_id, id);

-- 授权用证: a named organisation may verify one certificate until `expires_at`, unless the
-- holder revoked the grant. Only the SHA-256 of the grant's code is kept.
CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    code_hash TEXT NOT NULL UNIQUE,
    certificate_id INTEGER NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    org_code TEXT NOT NULL,
    org_name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX grants_account ON grants (account_id, id);

-- 用证记录: every verification of a holder's copies, 亮证 codes and grants, for the holder.
-- `kind` is copy, show or grant; `subject` names the copy or grant; the address is masked.
CREATE TABLE certificate_uses (
    id INTEGER PRIMARY KEY,
    certificate_id INTEGER NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    organisation TEXT NOT NULL,
    ip_masked TEXT NOT NULL,
    browser TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX certificate_uses_certificate ON certificate_uses (certificate_id, id);

-- Verifiable credentials (SD-JWT VC) issued of a certificate. Each has its place in a status
-- list (`status_list`, and `status_idx` drawn at random within it, so an index says nothing of
-- when or how many were issued); its status is "invalid" once the holder revoked it, once the
-- certificate is revoked, or once the certificate (or the holder's name) differs from
-- `content_digest`, what the credential states. Rows are never deleted: a freed index could be
-- drawn again by a new credential.
CREATE TABLE vc_credentials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    certificate_id INTEGER NOT NULL REFERENCES certificates (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    status_list INTEGER NOT NULL,
    status_idx INTEGER NOT NULL,
    content_digest TEXT NOT NULL,
    disclosed TEXT NOT NULL,
    holder_bound INTEGER NOT NULL DEFAULT 0,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER NOT NULL DEFAULT 0,
    UNIQUE (status_list, status_idx)
);
CREATE INDEX vc_credentials_account ON vc_credentials (account_id, id);
