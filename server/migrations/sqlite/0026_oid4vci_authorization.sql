-- OpenID4VCI's authorization code flow (HAIP): a wallet pushes its authorization request
-- (RFC 9126, PAR) with a PKCE S256 challenge; the holder signs in, passes the face check and
-- approves on /user/wallet-authorize; the approval makes a single-use code (an offer row
-- without a tx_code, `offer`) that the token endpoint exchanges with the PKCE verifier.
-- `request_hash` is the SHA-256 of the request_uri's random part. Without script the browser
-- cannot follow a form's redirect to the wallet (CSP form-action 'self'): `back_uri` keeps the
-- way back for the page of the account that decided (`decided_by`), for the code's minute.
CREATE TABLE vci_authorizations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_hash TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    state TEXT NOT NULL,
    configuration TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    decided_at INTEGER NOT NULL DEFAULT 0,
    decided_by INTEGER NOT NULL DEFAULT 0,
    back_uri TEXT NOT NULL DEFAULT '',
    offer INTEGER REFERENCES vci_offers (id) ON DELETE CASCADE
);
CREATE INDEX vci_authorizations_offer ON vci_authorizations (offer);
CREATE INDEX vci_authorizations_expiry ON vci_authorizations (expires_at);
