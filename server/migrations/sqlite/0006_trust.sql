-- The trust chain (sqlite). Keep in step with the other backend's 0006_trust.sql.

-- An enterprise (法人) account is 'pending' until the enterprise identity source confirmed the
-- enterprise at registration and its legal representative, signed in with their own personal
-- account and face-checked, confirmed it; only then 'active'. Personal accounts are 'active'.
ALTER TABLE accounts ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE accounts ADD COLUMN confirmed_by INTEGER;
ALTER TABLE accounts ADD COLUMN confirmed_at INTEGER NOT NULL DEFAULT 0;
-- Enterprise accounts registered before confirmation existed prove nothing yet.
UPDATE accounts SET status = 'pending' WHERE kind = 'enterprise';

-- Counters of attempts in a fixed window, shared by every process: login attempts per
-- identifier, SMS sends per number, identity checks per client and per ID. Each increment
-- is one atomic upsert, so concurrent requests cannot all see the same old count.
CREATE TABLE attempt_counters (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
);

-- Birth dates are kept sealed with PORTAL_DATA_KEY (with the masked ID they would give the
-- full number); the server seals the old clear values at start and empties birth_date.
ALTER TABLE persons ADD COLUMN birth_sealed TEXT NOT NULL DEFAULT '';

-- Login failures are counted in attempt_counters (scope login) now.
DROP TABLE login_guards;

-- 查询凭据: a 身份证号 search is addressed by an opaque, expiring key instead of the number.
-- The key itself is not stored (only its SHA-256); the ID only as its keyed digest, or the
-- message of why the number typed was not valid.
CREATE TABLE search_keys (
    key_hash TEXT PRIMARY KEY,
    id_digest TEXT NOT NULL,
    error TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX search_keys_created ON search_keys (created_at);

-- A code is bound to the request that asked for it: the SHA-256 of a random ticket handed to
-- that requester only, and (password recovery, phone change) the account it was asked for.
-- A stranger can neither redeem nor burn someone else's code, nor tell from the answers
-- whether a number is an account's.
ALTER TABLE sms_codes ADD COLUMN ticket_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE sms_codes ADD COLUMN subject TEXT NOT NULL DEFAULT '';
CREATE INDEX sms_codes_ticket ON sms_codes (ticket_hash);
