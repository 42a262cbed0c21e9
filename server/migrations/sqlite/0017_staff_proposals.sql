-- What a 受理员 proposes and a different 审核员 decides (app/src/staff/proposals.rs): for now a
-- 注销 or 撤销 of a registration. `decision` is '' while pending, then 'approved' or
-- 'rejected'; an approved one is applied as a registry change with the id `STAFF-<id>`.
CREATE TABLE staff_proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    reason TEXT NOT NULL,
    proposed_by INTEGER NOT NULL REFERENCES staff_accounts (id),
    proposed_at INTEGER NOT NULL,
    decided_by INTEGER,
    decided_at INTEGER NOT NULL DEFAULT 0,
    decision TEXT NOT NULL DEFAULT ''
);
CREATE INDEX staff_proposals_pending ON staff_proposals (decision, proposed_at);
