-- 法人账户申诉 (app/src/accounts/disputes.rs, app/src/staff/disputes.rs): a legal
-- representative whose enterprise's credit code another account holds asks for it back.
-- `state`: 'open' (a 受理员 checks it), 'proposed' (release proposed, a 审核员 decides),
-- 'released' (the holding account was released and the code is free), 'rejected'.
-- `holder_id` is the account that held the code when the dispute was filed.
CREATE TABLE enterprise_disputes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    filed_by INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    credit_code TEXT NOT NULL,
    org_name TEXT NOT NULL,
    statement TEXT NOT NULL,
    holder_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    filed_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'open',
    outcome TEXT NOT NULL DEFAULT '',
    decided_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX enterprise_disputes_state ON enterprise_disputes (state, filed_at);
CREATE INDEX enterprise_disputes_filed_by ON enterprise_disputes (filed_by);
