-- OpenID for Verifiable Presentations 1.0 (app/src/credentials/oid4vp): the verifier's
-- requests made on /verifier. `request_id` names the request in its request_uri and
-- response_uri; the verifier's browser is bound by the SHA-256 of its cookie; the request
-- object may be fetched once; the answer (direct_post.jwt) is encrypted to `enc_key`, a P-256
-- key made for this request alone and erased once answered. `result` holds only the claims
-- asked for and presented (or the reason for a refusal), for the browser that asked, until
-- the row is purged after `expires_at`. `viewer_*`: the verifier's browser, for the holder's
-- 用证记录.
CREATE TABLE vp_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT NOT NULL UNIQUE,
    browser_hash TEXT NOT NULL,
    organisation TEXT NOT NULL,
    nonce TEXT NOT NULL,
    state TEXT NOT NULL,
    enc_key TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    fetched_at INTEGER NOT NULL DEFAULT 0,
    answered_at INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',
    response_code_hash TEXT NOT NULL DEFAULT '',
    viewer_ip TEXT NOT NULL DEFAULT '',
    viewer_browser TEXT NOT NULL DEFAULT ''
);
CREATE INDEX vp_requests_expiry ON vp_requests (expires_at);
