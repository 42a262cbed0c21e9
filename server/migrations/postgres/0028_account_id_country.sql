-- A passport holder's issuing country (ISO 3166-1 alpha-3), kept beside the account's 证件类型
-- so that a number typed later (the phone's face check) is compared as the same document;
-- empty for every other kind.
ALTER TABLE accounts ADD COLUMN id_country TEXT NOT NULL DEFAULT '';

-- Numbers with the 港澳台 address codes (810000, 820000, 830000) are 港澳台居民居住证 numbers,
-- which were taken as 居民身份证 numbers before 证件类型 existed: they are labelled as what
-- they are. Their digests stay (a 居住证's digest is of its number alone, as a 居民身份证's).
UPDATE accounts SET id_kind = 'residence_permit'
    WHERE id_kind = 'resident_id' AND substr(id_number_masked, 1, 6) IN ('810000', '820000', '830000');
UPDATE persons SET id_kind = 'residence_permit'
    WHERE id_kind = 'resident_id' AND substr(id_number_masked, 1, 6) IN ('810000', '820000', '830000');
