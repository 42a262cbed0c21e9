-- A results page from one table (PostgreSQL). Keep in step with ../sqlite/0014_results_without_join.sql.
-- The holder's masked ID number is copied onto each registration, as the name already is, so
-- that a name search reads its page from the registrations alone instead of visiting a person
-- per row. An ID number never changes, so the copy never goes stale. The name indexes end in
-- the id, so that a page comes in its order (name, id) from the index without a sort.
ALTER TABLE registrations ADD COLUMN id_number_masked TEXT NOT NULL DEFAULT '';
UPDATE registrations r SET id_number_masked = p.id_number_masked FROM persons p WHERE p.id = r.person_id;
DROP INDEX registrations_category_name;
CREATE INDEX registrations_category_name ON registrations (category, person_name, id);
DROP INDEX registrations_employer_name;
CREATE INDEX registrations_employer_name ON registrations (employer, person_name, id);
