-- Staff enrol themselves (the SQLite migration of the same number explains it), and the audit
-- chain refuses TRUNCATE too (a row trigger does not see it).
ALTER TABLE staff_accounts ADD COLUMN must_enrol BIGINT NOT NULL DEFAULT 1;
ALTER TABLE staff_accounts ADD COLUMN pending_totp TEXT NOT NULL DEFAULT '';

CREATE TRIGGER staff_audit_no_truncate BEFORE TRUNCATE ON staff_audit
FOR EACH STATEMENT EXECUTE FUNCTION staff_audit_append_only();
