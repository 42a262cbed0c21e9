-- Per-client request limits (search and 核验, login, 获取验证码), shared by every process that
-- opens this database. Keep in step with the other backend's 0007_request_counters.sql.
CREATE TABLE request_counters (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX request_counters_start ON request_counters (window_start);
