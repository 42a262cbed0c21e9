-- Per-client request limits (search and 核验, login, 获取验证码), shared by every server
-- process behind the load balancer. UNLOGGED: no WAL for a write on every search; after a
-- crash the table comes back empty, which only restarts the current minute's windows.
-- Keep in step with the other backend's 0007_request_counters.sql.
CREATE UNLOGGED TABLE request_counters (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX request_counters_start ON request_counters (window_start);
