-- Status lists that keep up with millions of credentials and cannot be exhausted by one holder.
--
-- * `vc_status_lists`: one row per list, its bits stored (1 = invalid, least significant bit
--   first, as the token carries them; a blob shorter than the list reads as zeros) and updated
--   when a credential's standing changes, never rebuilt from every credential per request.
--   `used` counts the slots held; a new list is opened once the open one is half full, so an
--   index drawn at random is free at the first or second try.
-- * `vc_status_slots`: which credential holds an index, until `held_until` (its expiry plus a
--   day, longer than any list token's lifetime): only then may a new credential take it.
-- * `vc_status_dirty`: certificates whose credentials' bits must be worked out again. Triggers
--   fill it whenever what a credential states can change (the registration, its specialties,
--   the holder's name, the certificate's revocation), whoever writes the change.
-- * `vc_credentials` loses its UNIQUE (status_list, status_idx): an index is reused once its
--   slot is free, so an old row and a new one may name it (the slot says which holds it).
--   `lapses_at` is the end of the registration when issued: the credential's `exp` no longer
--   tells it; the status list marks the credential once it passes (`lapse_marked`).
CREATE TABLE vc_credentials_new (
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
    lapses_at INTEGER NOT NULL DEFAULT 0,
    lapse_marked INTEGER NOT NULL DEFAULT 0
);
INSERT INTO vc_credentials_new (id, public_id, certificate_id, account_id, status_list,
    status_idx, content_digest, disclosed, holder_bound, issued_at, expires_at, revoked_at,
    lapses_at)
SELECT id, public_id, certificate_id, account_id, status_list, status_idx, content_digest,
    disclosed, holder_bound, issued_at, expires_at, revoked_at, expires_at
FROM vc_credentials;
DROP TABLE vc_credentials;
ALTER TABLE vc_credentials_new RENAME TO vc_credentials;
CREATE INDEX vc_credentials_account ON vc_credentials (account_id, id);
CREATE INDEX vc_credentials_certificate ON vc_credentials (certificate_id, expires_at);
CREATE INDEX vc_credentials_account_issued ON vc_credentials (account_id, issued_at);
CREATE INDEX vc_credentials_lapsing ON vc_credentials (lapses_at) WHERE lapse_marked = 0;

CREATE TABLE vc_status_lists (
    list INTEGER PRIMARY KEY,
    used INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 0,
    bits BLOB NOT NULL DEFAULT X'',
    opened_at INTEGER NOT NULL
);

CREATE TABLE vc_status_slots (
    status_list INTEGER NOT NULL,
    status_idx INTEGER NOT NULL,
    credential_id INTEGER NOT NULL,
    held_until INTEGER NOT NULL,
    PRIMARY KEY (status_list, status_idx)
);
CREATE INDEX vc_status_slots_held ON vc_status_slots (held_until);

CREATE TABLE vc_status_dirty (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    certificate_id INTEGER NOT NULL
);

-- The credentials issued so far keep their places in list 0; their bits are worked out at the
-- first refresh.
INSERT INTO vc_status_lists (list, used, opened_at)
SELECT 0, COUNT(*), CAST(strftime('%s', 'now') AS INTEGER) FROM vc_credentials;
INSERT INTO vc_status_slots (status_list, status_idx, credential_id, held_until)
SELECT status_list, status_idx, id, expires_at + 86400 FROM vc_credentials;
INSERT INTO vc_status_dirty (certificate_id) SELECT DISTINCT certificate_id FROM vc_credentials;

CREATE TRIGGER vc_dirty_registration AFTER UPDATE ON registrations
BEGIN
    INSERT INTO vc_status_dirty (certificate_id)
    SELECT DISTINCT v.certificate_id FROM vc_credentials v
    JOIN certificates c ON c.id = v.certificate_id WHERE c.registration_id = NEW.id;
END;

CREATE TRIGGER vc_dirty_person AFTER UPDATE OF name ON persons
BEGIN
    INSERT INTO vc_status_dirty (certificate_id)
    SELECT DISTINCT v.certificate_id FROM vc_credentials v
    JOIN certificates c ON c.id = v.certificate_id
    JOIN registrations r ON r.id = c.registration_id WHERE r.person_id = NEW.id;
END;

CREATE TRIGGER vc_dirty_certificate AFTER UPDATE OF revoked_at, title, registration_id
    ON certificates
BEGIN
    INSERT INTO vc_status_dirty (certificate_id)
    SELECT DISTINCT v.certificate_id FROM vc_credentials v WHERE v.certificate_id = NEW.id;
END;

CREATE TRIGGER vc_dirty_specialty_added AFTER INSERT ON registration_specialties
BEGIN
    INSERT INTO vc_status_dirty (certificate_id)
    SELECT DISTINCT v.certificate_id FROM vc_credentials v
    JOIN certificates c ON c.id = v.certificate_id WHERE c.registration_id = NEW.registration_id;
END;

CREATE TRIGGER vc_dirty_specialty_changed AFTER UPDATE ON registration_specialties
BEGIN
    INSERT INTO vc_status_dirty (certificate_id)
    SELECT DISTINCT v.certificate_id FROM vc_credentials v
    JOIN certificates c ON c.id = v.certificate_id
    WHERE c.registration_id IN (NEW.registration_id, OLD.registration_id);
END;

CREATE TRIGGER vc_dirty_specialty_removed AFTER DELETE ON registration_specialties
BEGIN
    INSERT INTO vc_status_dirty (certificate_id)
    SELECT DISTINCT v.certificate_id FROM vc_credentials v
    JOIN certificates c ON c.id = v.certificate_id WHERE c.registration_id = OLD.registration_id;
END;

-- 用证记录: repeated anonymous look-ups of one copy from one address are one row with a count
-- (`repeats`, `last_at`), so a stranger holding a 核验码 cannot flood the holder's record.
ALTER TABLE certificate_uses ADD COLUMN repeats INTEGER NOT NULL DEFAULT 1;
ALTER TABLE certificate_uses ADD COLUMN last_at INTEGER NOT NULL DEFAULT 0;
UPDATE certificate_uses SET last_at = created_at;
CREATE INDEX certificate_uses_last ON certificate_uses (certificate_id, last_at);
