-- 注册人员库 (SQLite). Keep in step with ../postgres/0001_registry.sql.
CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_masked TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    -- The full ID number is never stored readable: a masked copy for display and a keyed digest for exact lookups.
    id_number_masked TEXT NOT NULL,
    id_number_digest TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX persons_id_number_digest ON persons (id_number_digest);

CREATE TABLE registrations (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    -- The holder's name, copied here so that name searches run on one index.
    person_name TEXT NOT NULL,
    category TEXT NOT NULL,
    registration_no TEXT NOT NULL UNIQUE,
    seal_no TEXT NOT NULL,
    certificate_no TEXT NOT NULL,
    employer TEXT NOT NULL,
    employer_credit_code TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    -- 注册专业 names joined with 、, kept beside the rows of registration_specialties so that a
    -- results page needs no second query.
    specialty_names TEXT NOT NULL
);
CREATE INDEX registrations_person ON registrations (person_id);
CREATE INDEX registrations_category_name ON registrations (category, person_name);
CREATE INDEX registrations_seal_no ON registrations (seal_no);
CREATE INDEX registrations_employer_name ON registrations (employer, person_name);

CREATE TABLE registration_specialties (
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    PRIMARY KEY (registration_id, position)
);

CREATE TABLE registration_changes (
    id INTEGER PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    changed_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    old_employer TEXT,
    new_employer TEXT
);
CREATE INDEX registration_changes_registration ON registration_changes (registration_id);
