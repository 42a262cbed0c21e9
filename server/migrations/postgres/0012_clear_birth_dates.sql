-- Birth dates still in clear (PostgreSQL). Keep in step with ../sqlite/0012_clear_birth_dates.sql.
-- Every start seals the birth dates that databases from before sealing kept in clear. Nothing
-- writes a clear date any more, so this index is empty once they are sealed, and the start's
-- search for them reads an empty index instead of every person of the registry.
CREATE INDEX persons_clear_birth_dates ON persons (id) WHERE birth_date <> '';
