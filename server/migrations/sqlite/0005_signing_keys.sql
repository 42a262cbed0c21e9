-- The issuer's signing key for 电子证照 (SM2). Only the development key made at first run
-- lives here; an operator's key comes from PORTAL_ISSUER_KEY_FILE and is never stored.
CREATE TABLE signing_keys (
    name TEXT PRIMARY KEY,
    -- The private scalar, 64 hex digits.
    secret TEXT NOT NULL,
    -- SEC1 uncompressed public key, hex: what verifiers need.
    public_key TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
