-- A results page from one table (SQLite). Keep in step with ../postgres/0014_results_without_join.sql.
-- The holder's masked ID number is copied onto each registration, as the name already is, so
-- that a name search reads its page from the registrations alone instead of visiting a person
-- per row. An ID number never changes, so the copy never goes stale. (SQLite's indexes end in
-- the rowid already: the name indexes give (name, id) order without a new column.)
ALTER TABLE registrations ADD COLUMN id_number_masked TEXT NOT NULL DEFAULT '';
UPDATE registrations SET id_number_masked =
    (SELECT p.id_number_masked FROM persons p WHERE p.id = registrations.person_id);
