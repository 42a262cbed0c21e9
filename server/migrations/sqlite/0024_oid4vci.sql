-- OpenID for Verifiable Credential Issuance 1.0 (app/src/credentials/oid4vci): a credential
-- offer made from 电子证照管理 (its pre-authorized code and 6-digit tx_code kept as digests,
-- bound to the holder and the certificate, valid 10 minutes, 5 wrong tx_codes), the
-- DPoP-bound access tokens it is exchanged for, the single-use c_nonces of the nonce
-- endpoint, and the DPoP proofs' jti already seen (RFC 9449 §11.1).
CREATE TABLE vci_offers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    offer_id TEXT NOT NULL UNIQUE,
    code_hash TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    person_digest TEXT NOT NULL,
    certificate TEXT NOT NULL,
    configuration TEXT NOT NULL,
    tx_code_hash TEXT NOT NULL,
    tx_tries INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    redeemed_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE vci_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    offer INTEGER NOT NULL REFERENCES vci_offers (id) ON DELETE CASCADE,
    jkt TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE vci_nonces (
    nonce TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL,
    used_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE vci_jtis (
    jti TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
);
