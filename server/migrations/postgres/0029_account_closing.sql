-- 注销账户 (PIPL Art. 47, GB/T 35273-2020 §8.5): an account asked to be closed is locked at
-- once (`status` 'closing', `closing_at` the time of the request) and deleted when the
-- cooling-off ends. Deleted, its row stays as a tombstone: `status` 'deleted', `deleted_at`,
-- a random `public_id` and `login_key`, and no personal data, so that the 安全记录 and the
-- copies kept for their periods still name one account and nobody in particular.
ALTER TABLE accounts ADD COLUMN closing_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN deleted_at BIGINT NOT NULL DEFAULT 0;

-- Jobs that one server at a time runs (the retention purge): a server takes a job by setting
-- `held_until` in one statement where it has passed.
CREATE TABLE job_locks (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    held_until BIGINT NOT NULL
);
INSERT INTO job_locks (name, holder, held_until) VALUES ('retention', '', 0);

-- What the retention purge removed, by kind, since the database began (`/metrics` reads it, so
-- every server reports the same figures).
CREATE TABLE retention_counts (
    kind TEXT PRIMARY KEY,
    purged BIGINT NOT NULL,
    last_run_at BIGINT NOT NULL
);
