-- 证件类型 (issue 30; app/src/domain/id_document.rs): every person of the registry and every
-- personal account says which kind of identity document its number is. Everything before
-- this migration is a 居民身份证 (`resident_id`), whose keyed digest is of the number alone
-- as before; the other kinds' digests are of the kind, the country and the number together.
ALTER TABLE persons ADD COLUMN id_kind TEXT NOT NULL DEFAULT 'resident_id';
ALTER TABLE accounts ADD COLUMN id_kind TEXT NOT NULL DEFAULT 'resident_id';
