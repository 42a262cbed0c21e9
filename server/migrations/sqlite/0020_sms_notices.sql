-- 短信通知 waiting to go (app/src/platform/notices.rs): a registration's 注销 or 撤销 told to
-- its holder, an enterprise account released after a dispute. Written in the transaction of
-- what they tell, sent afterwards by whichever server claims them first (`claim`, until
-- `claimed_until`), retried with growing waits. The phone is read from the account when the
-- message goes, so a number changed meanwhile is the one used.
CREATE TABLE sms_notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    matter TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    next_try_at INTEGER NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    sent_at INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    claim TEXT NOT NULL DEFAULT '',
    claimed_until INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sms_notices_due ON sms_notices (sent_at, next_try_at);
