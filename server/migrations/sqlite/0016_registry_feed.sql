-- Registry changes from the national registry's feed (`server registry apply`,
-- app/src/registry/feed.rs).
--
-- * `registry_feed`: each change id applied, so a feed applied twice changes nothing.
-- * `registrations.withdrawn_at` / `withdrawn_kind`: a 注销 or 撤销 (Unix seconds, 0 while in
--   force). The trigger turns the registration's certificate invalid at once (its copies'
--   /verify, 亮证, grant links, and through `vc_status_dirty` its credentials' status bits);
--   a certificate issued later starts invalid (`certificates::repo`).
CREATE TABLE registry_feed (
    change_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    registration_no TEXT NOT NULL,
    applied_at INTEGER NOT NULL
);

ALTER TABLE registrations ADD COLUMN withdrawn_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN withdrawn_kind TEXT NOT NULL DEFAULT '';

CREATE TRIGGER registration_withdrawn AFTER UPDATE OF withdrawn_at ON registrations
WHEN NEW.withdrawn_at <> 0
BEGIN
    UPDATE certificates SET revoked_at = NEW.withdrawn_at
    WHERE registration_id = NEW.id AND revoked_at = 0;
END;
