-- 协助核验 (app/src/face_check/assisted.rs): a 受理员 verified a citizen who cannot pass the
-- face check by the ministry's own procedure. `state`: 'pending' while a 审核员 must approve
-- it (the citizen holds certificates), 'issued' once a one-time code went to the account's
-- phone, 'used' when the code stood in for a face check, 'rejected', or 'spent' after five
-- wrong codes. The code is kept as a keyed digest bound to the account; valid 30 minutes.
CREATE TABLE assisted_verifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    evidence_kind TEXT NOT NULL,
    evidence_ref TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES staff_accounts (id),
    recorded_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    code_hash TEXT NOT NULL DEFAULT '',
    code_expires_at INTEGER NOT NULL DEFAULT 0,
    wrong_tries INTEGER NOT NULL DEFAULT 0,
    used_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX assisted_verifications_account ON assisted_verifications (account_id, state);

-- A proposal about a row of another table (an assisted verification, a dispute) names it here.
ALTER TABLE staff_proposals ADD COLUMN ref_id INTEGER NOT NULL DEFAULT 0;
