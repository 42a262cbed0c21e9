-- 用户账户、会话、短信验证码、安全记录 (SQLite). Keep in step with ../postgres/0002_accounts.sql.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    -- 'person' (个人用户) or 'enterprise' (法人用户).
    kind TEXT NOT NULL,
    -- What the user logs in with: 'P:' + keyed digest of the ID number, or 'E:' + credit code.
    login_key TEXT NOT NULL UNIQUE,
    -- The natural person behind the account (the holder, or the legal representative):
    -- keyed digest of their ID number. Two accounts of one person may share a phone.
    person_digest TEXT NOT NULL,
    -- The holder's or legal representative's name, and their ID number masked.
    name TEXT NOT NULL,
    id_number_masked TEXT NOT NULL,
    org_name TEXT,
    credit_code TEXT,
    phone TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL
);
CREATE INDEX accounts_phone ON accounts (phone);
CREATE INDEX accounts_person_digest ON accounts (person_digest);

-- Failed logins per identifier, whether or not an account exists for it, so that locking
-- behaves the same for unknown identifiers and reveals nothing.
CREATE TABLE login_guards (
    login_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Signed-in sessions. The cookie holds a random id; only its SHA-256 is stored.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

-- One row per SMS code sent; the code itself is stored only as a keyed digest.
CREATE TABLE sms_codes (
    id INTEGER PRIMARY KEY,
    phone TEXT NOT NULL,
    purpose TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts_left INTEGER NOT NULL,
    consumed INTEGER NOT NULL
);
CREATE INDEX sms_codes_phone ON sms_codes (phone, created_at);

-- What the development SMS gateway "sent" (GET /dev/sms-outbox in development).
CREATE TABLE sms_outbox (
    id INTEGER PRIMARY KEY,
    phone TEXT NOT NULL,
    text TEXT NOT NULL,
    sent_at INTEGER NOT NULL
);
CREATE INDEX sms_outbox_phone ON sms_outbox (phone, id);

-- 安全记录: logins, failures, locks, logouts, registrations, phone and password changes.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_events_account ON audit_events (account_id, id);
