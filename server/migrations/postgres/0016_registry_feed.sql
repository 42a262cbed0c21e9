-- Registry changes from the national registry's feed (the SQLite migration of the same number
-- explains each part).
CREATE TABLE registry_feed (
    change_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    registration_no TEXT NOT NULL,
    applied_at BIGINT NOT NULL
);

ALTER TABLE registrations ADD COLUMN withdrawn_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN withdrawn_kind TEXT NOT NULL DEFAULT '';

CREATE FUNCTION registration_withdrawn() RETURNS trigger AS $$
BEGIN
    UPDATE certificates SET revoked_at = NEW.withdrawn_at
    WHERE registration_id = NEW.id AND revoked_at = 0;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER registration_withdrawn AFTER UPDATE OF withdrawn_at ON registrations
FOR EACH ROW WHEN (NEW.withdrawn_at <> 0) EXECUTE FUNCTION registration_withdrawn();
