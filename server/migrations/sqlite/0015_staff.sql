-- The ministry's staff console (app/src/staff).
--
-- * `staff_accounts`: staff members, apart from citizens' accounts. `roles` is a comma list of
--   role codes (acceptor 受理员, reviewer 审核员, admin 管理员, readonly 只读). The TOTP
--   secret is sealed with the portal's data key; `totp_last_step` is the last 30-second step a
--   code was accepted for, so a code cannot be used twice.
-- * `staff_sessions`: a session per login, ended after 15 minutes without a request.
-- * `staff_audit`: every staff action, append-only. Each entry carries the SM3 hash of the one
--   before (`prev_hash`) and its own (`hash`); `staff_audit_head` holds the last, so appending
--   servers take their turn on that one row and `server audit verify` can tell a cut tail.
--   Triggers refuse UPDATE and DELETE; whoever drops them still cannot edit an entry unseen.
CREATE TABLE staff_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    totp_secret TEXT NOT NULL,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    roles TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff_accounts (id),
    created_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    ip TEXT NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

CREATE TABLE staff_audit (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE staff_audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO staff_audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER staff_audit_no_update BEFORE UPDATE ON staff_audit
BEGIN
    SELECT RAISE(ABORT, 'staff_audit is append-only');
END;
CREATE TRIGGER staff_audit_no_delete BEFORE DELETE ON staff_audit
BEGIN
    SELECT RAISE(ABORT, 'staff_audit is append-only');
END;
