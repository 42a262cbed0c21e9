-- A passport holder's issuing country (ISO 3166-1 alpha-3), kept beside the account's 证件类型
-- so that a number typed later (the phone's face check) is compared as the same document;
-- empty for every other kind.
ALTER TABLE accounts ADD COLUMN id_country TEXT NOT NULL DEFAULT '';
