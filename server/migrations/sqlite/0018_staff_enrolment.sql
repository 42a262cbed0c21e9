-- Staff enrol themselves (app/src/staff/console/enrol.rs): a new member's first login, with
-- the initial password and authenticator secret whoever created the account handed over,
-- leads only to choosing their own password and enrolling a new secret (`pending_totp`,
-- sealed, until confirmed with a code). Until then `must_enrol` keeps every other page shut.
ALTER TABLE staff_accounts ADD COLUMN must_enrol INTEGER NOT NULL DEFAULT 1;
ALTER TABLE staff_accounts ADD COLUMN pending_totp TEXT NOT NULL DEFAULT '';

-- The audit chain: an INSERT that would replace an entry (INSERT OR REPLACE deletes without
-- the DELETE trigger) is refused as well.
CREATE TRIGGER staff_audit_no_replace BEFORE INSERT ON staff_audit
WHEN EXISTS (SELECT 1 FROM staff_audit WHERE seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'staff_audit is append-only');
END;
