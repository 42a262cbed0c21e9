//! OID4VCI's SQL: offers, access tokens, `c_nonce`s and DPoP `jti`s. Codes and tokens are
//! kept as SHA-256 digests; every use is a conditional update, so two requests racing for one
//! code, token or nonce get one answer between them.

use super::{NONCE_SECONDS, OFFER_SECONDS, TOKEN_SECONDS, TX_CODE_TRIES};
use crate::platform::ids::{random_hex, sha256_hex};
use sqlx::{AnyPool, Row};

/// What an offer is made of.
pub struct NewOffer<'a> {
    pub account_id: i64,
    pub person_digest: &'a str,
    pub certificate: &'a str,
    pub configuration: &'a str,
}

/// A new offer's public id, pre-authorized code and `tx_code`.
pub struct MadeOffer {
    pub offer_id: String,
    pub code: String,
    pub tx_code: String,
}

fn keyed(key: &[u8], purpose: &[u8], parts: &[&str]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(purpose);
    for part in parts {
        mac.update(b"\0");
        mac.update(part.as_bytes());
    }
    crate::platform::sd_jwt::b64(&mac.finalize().into_bytes())
}

/// The pre-authorized code of an offer: a keyed MAC of its (secret, random) id, so it is not
/// stored readable and the offer object can still give it.
pub fn pre_authorized_code(key: &[u8], offer_id: &str) -> String {
    keyed(key, b"oid4vci-pre-authorized-code", &[offer_id])
}

/// What is kept of a `tx_code`: a keyed MAC with the code it goes with. Six digits are a
/// million guesses: unkeyed, a copy of the table would give them away.
fn tx_code_digest(key: &[u8], code: &str, tx_code: &str) -> String {
    keyed(key, b"oid4vci-tx-code", &[code, tx_code])
}

pub async fn create_offer(
    db: &AnyPool,
    key: &[u8],
    new: &NewOffer<'_>,
    now: i64,
) -> Result<MadeOffer, sqlx::Error> {
    let offer_id = random_hex::<16>();
    let made = MadeOffer {
        code: pre_authorized_code(key, &offer_id),
        offer_id,
        tx_code: format!("{:06}", rand::random_range(0..1_000_000u32)),
    };
    sqlx::query(
        "INSERT INTO vci_offers (offer_id, code_hash, account_id, person_digest, certificate, \
         configuration, tx_code_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    // The offer's id only as a digest: the id gives the code (the offer object).
    .bind(sha256_hex(&made.offer_id))
    .bind(sha256_hex(&made.code))
    .bind(new.account_id)
    .bind(new.person_digest)
    .bind(new.certificate)
    .bind(new.configuration)
    .bind(tx_code_digest(key, &made.code, &made.tx_code))
    .bind(now)
    .bind(now + OFFER_SECONDS)
    .execute(db)
    .await?;
    Ok(made)
}

/// The Credential Offer object behind `credential_offer_uri` while it can be redeemed. The
/// pre-authorized code is in it: the offer id is the secret the QR code carries, and the
/// `tx_code` (shown only on the desktop) is still needed.
pub async fn offer_object(
    db: &AnyPool,
    key: &[u8],
    offer_id: &str,
    issuer: &str,
    now: i64,
) -> Result<Option<serde_json::Value>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT configuration FROM vci_offers WHERE offer_id = $1 AND redeemed_at = 0 \
         AND expires_at > $2 AND tx_tries < $3",
    )
    .bind(sha256_hex(offer_id))
    .bind(now)
    .bind(TX_CODE_TRIES)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let configuration: String = row.try_get("configuration")?;
    Ok(Some(serde_json::json!({
        "credential_issuer": issuer,
        "credential_configuration_ids": [configuration],
        "grants": {
            super::PRE_AUTHORIZED_GRANT: {
                "pre-authorized_code": pre_authorized_code(key, offer_id),
                "tx_code": {
                    "input_mode": "numeric",
                    "length": 6,
                    "description": "请输入电脑屏幕上显示的 6 位数字"
                }
            }
        }
    })))
}

/// Why a code is not exchanged (`invalid_grant`, with words for the wallet's user).
pub type GrantRefusal = String;

/// An offer redeemed: what its token may issue.
#[derive(Debug, Clone)]
pub struct Redeemed {
    pub offer: i64,
    pub account_id: i64,
    pub person_digest: String,
    pub certificate: String,
    pub configuration: String,
}

/// Exchanges a pre-authorized code and its `tx_code` for an access token bound to the DPoP
/// key `jkt`: the token, or why not. A wrong `tx_code` counts; the fifth ends the offer.
pub async fn exchange(
    db: &AnyPool,
    key: &[u8],
    code: &str,
    tx_code: &str,
    jkt: &str,
    now: i64,
) -> Result<Result<String, GrantRefusal>, sqlx::Error> {
    // A try is taken before the comparison, in one statement: parallel guesses cannot get
    // past the limit between a read and a count.
    let Some(row) = sqlx::query(
        "UPDATE vci_offers SET tx_tries = tx_tries + 1 WHERE code_hash = $1 AND redeemed_at = 0 \
         AND expires_at > $2 AND tx_tries < $3 AND tx_code_hash <> '' RETURNING id, tx_code_hash",
    )
    .bind(sha256_hex(code))
    .bind(now)
    .bind(TX_CODE_TRIES)
    .fetch_optional(db)
    .await?
    else {
        return Ok(Err(
            "pre-authorized_code is unknown, used, expired or out of tx_code tries".into(),
        ));
    };
    let id: i64 = row.try_get("id")?;
    let stored: String = row.try_get("tx_code_hash")?;
    if stored != tx_code_digest(key, code, tx_code.trim()) {
        return Ok(Err("tx_code is wrong".into()));
    }
    redeem(db, id, jkt, now).await
}

/// Redeems the offer `id` (once) for an access token bound to `jkt`.
async fn redeem(
    db: &AnyPool,
    id: i64,
    jkt: &str,
    now: i64,
) -> Result<Result<String, GrantRefusal>, sqlx::Error> {
    let token = crate::platform::ids::random_token();
    let mut tx = crate::platform::db::begin_write(db).await?;
    let taken = sqlx::query(
        "UPDATE vci_offers SET redeemed_at = $1 WHERE id = $2 AND redeemed_at = 0 \
         AND expires_at > $1",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() != 1 {
        return Ok(Err("the code was used already".into()));
    }
    sqlx::query(
        "INSERT INTO vci_tokens (token_hash, offer, jkt, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(sha256_hex(&token))
    .bind(id)
    .bind(jkt)
    .bind(now + TOKEN_SECONDS)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(token))
}

/// An authorization request pushed by a wallet (RFC 9126).
pub struct Pushed<'a> {
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub code_challenge: &'a str,
    pub state: &'a str,
    pub configuration: &'a str,
}

/// Keeps a pushed authorization request: the random part of its `request_uri`.
pub async fn push_authorization(
    db: &AnyPool,
    pushed: &Pushed<'_>,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = crate::platform::ids::random_token();
    sqlx::query(
        "INSERT INTO vci_authorizations (request_hash, client_id, redirect_uri, code_challenge, \
         state, configuration, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(sha256_hex(&id))
    .bind(pushed.client_id)
    .bind(pushed.redirect_uri)
    .bind(pushed.code_challenge)
    .bind(pushed.state)
    .bind(pushed.configuration)
    .bind(now)
    .bind(now + super::AUTHORIZATION_SECONDS)
    .execute(db)
    .await?;
    Ok(id)
}

/// A pushed request still waiting for the holder's decision.
pub struct Pending {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: String,
    pub configuration: String,
}

/// The undecided, unexpired pushed request `id`.
pub async fn pending_authorization(
    db: &AnyPool,
    id: &str,
    now: i64,
) -> Result<Option<Pending>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT client_id, redirect_uri, state, configuration FROM vci_authorizations \
         WHERE request_hash = $1 AND decided_at = 0 AND expires_at > $2",
    )
    .bind(sha256_hex(id))
    .bind(now)
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        Ok(Pending {
            client_id: r.try_get("client_id")?,
            redirect_uri: r.try_get("redirect_uri")?,
            state: r.try_get("state")?,
            configuration: r.try_get("configuration")?,
        })
    })
    .transpose()
}

/// Decides the pushed request `id` once: approved for `new` (an authorization code, bound to
/// the holder and the certificate, valid [`super::CODE_SECONDS`]), or refused (`None`). The
/// code, or `None` when refused; `Err` when the request was decided meanwhile or expired.
pub async fn decide_authorization(
    db: &AnyPool,
    id: &str,
    account_id: i64,
    new: Option<&NewOffer<'_>>,
    now: i64,
) -> Result<Result<Option<String>, ()>, sqlx::Error> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    let decided = sqlx::query(
        "UPDATE vci_authorizations SET decided_at = $1, decided_by = $3 WHERE request_hash = $2 \
         AND decided_at = 0 AND expires_at > $1",
    )
    .bind(now)
    .bind(sha256_hex(id))
    .bind(account_id)
    .execute(&mut *tx)
    .await?;
    if decided.rows_affected() != 1 {
        return Ok(Err(()));
    }
    let Some(new) = new else {
        tx.commit().await?;
        return Ok(Ok(None));
    };
    let code = crate::platform::ids::random_token();
    // An offer row without a tx_code: the pre-authorized exchange never takes it.
    let offer: i64 = sqlx::query(
        "INSERT INTO vci_offers (offer_id, code_hash, account_id, person_digest, certificate, \
         configuration, tx_code_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, '', $7, $8) RETURNING id",
    )
    .bind(sha256_hex(&random_hex::<16>()))
    .bind(sha256_hex(&code))
    .bind(new.account_id)
    .bind(new.person_digest)
    .bind(new.certificate)
    .bind(new.configuration)
    .bind(now)
    .bind(now + super::CODE_SECONDS)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    sqlx::query("UPDATE vci_authorizations SET offer = $1 WHERE request_hash = $2")
        .bind(offer)
        .bind(sha256_hex(id))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Ok(Some(code)))
}

/// Keeps the way back to the wallet for the page without script (see the migration).
pub async fn keep_back_uri(db: &AnyPool, id: &str, back: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE vci_authorizations SET back_uri = $1 WHERE request_hash = $2")
        .bind(back)
        .bind(sha256_hex(id))
        .execute(db)
        .await?;
    Ok(())
}

/// The way back to the wallet of a request `account_id` decided within the code's minute.
pub async fn back_uri(
    db: &AnyPool,
    id: &str,
    account_id: i64,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT back_uri FROM vci_authorizations WHERE request_hash = $1 AND decided_by = $2 \
         AND decided_at > $3 AND back_uri <> ''",
    )
    .bind(sha256_hex(id))
    .bind(account_id)
    .bind(now - super::CODE_SECONDS)
    .fetch_optional(db)
    .await?;
    row.map(|r| r.try_get(0)).transpose()
}

/// Exchanges an authorization code with its PKCE verifier (S256) and the `redirect_uri` it
/// was asked with for an access token bound to `jkt`.
pub async fn exchange_code(
    db: &AnyPool,
    code: &str,
    verifier: &str,
    redirect_uri: &str,
    client_id: Option<&str>,
    jkt: &str,
    now: i64,
) -> Result<Result<String, GrantRefusal>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT o.id, a.code_challenge, a.redirect_uri, a.client_id FROM vci_offers o \
         JOIN vci_authorizations a ON a.offer = o.id WHERE o.code_hash = $1 \
         AND o.redeemed_at = 0 AND o.expires_at > $2 AND o.tx_code_hash = ''",
    )
    .bind(sha256_hex(code))
    .bind(now)
    .fetch_optional(db)
    .await?
    else {
        return Ok(Err("code is unknown, used or expired".into()));
    };
    let id: i64 = row.try_get("id")?;
    // The code is spent by any exchange that names it, right or wrong: a stolen code tried
    // without its verifier is no use afterwards either (RFC 9700 §4.5).
    let challenge: String = row.try_get("code_challenge")?;
    let computed =
        crate::platform::sd_jwt::b64(&<sha2::Sha256 as sha2::Digest>::digest(verifier.as_bytes()));
    let bad_verifier = !(43..=128).contains(&verifier.len()) || computed != challenge;
    let bad_redirect = row.try_get::<String, _>("redirect_uri")? != redirect_uri;
    let bad_client =
        client_id.is_some_and(|c| row.try_get::<String, _>("client_id").is_ok_and(|k| k != c));
    if bad_verifier || bad_redirect || bad_client {
        sqlx::query("UPDATE vci_offers SET redeemed_at = $1 WHERE id = $2 AND redeemed_at = 0")
            .bind(now)
            .bind(id)
            .execute(db)
            .await?;
        return Ok(Err(if bad_verifier {
            "code_verifier does not match the code_challenge (S256)".into()
        } else if bad_redirect {
            "redirect_uri is not the one the code was issued for".into()
        } else {
            "client_id is not the one the code was issued to".into()
        }));
    }
    redeem(db, id, jkt, now).await
}

/// The offer behind an unused, unexpired access token bound to `jkt`, without using it (the
/// request is checked against it first).
pub async fn peek_token(
    db: &AnyPool,
    token: &str,
    jkt: &str,
    now: i64,
) -> Result<Option<Redeemed>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT o.id, o.account_id, o.person_digest, o.certificate, o.configuration \
         FROM vci_tokens t JOIN vci_offers o ON o.id = t.offer WHERE t.token_hash = $1 \
         AND t.jkt = $2 AND t.used_at = 0 AND t.expires_at > $3",
    )
    .bind(sha256_hex(token))
    .bind(jkt)
    .bind(now)
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        Ok(Redeemed {
            offer: row.try_get("id")?,
            account_id: row.try_get("account_id")?,
            person_digest: row.try_get("person_digest")?,
            certificate: row.try_get("certificate")?,
            configuration: row.try_get("configuration")?,
        })
    })
    .transpose()
}

/// Uses up the access token (a token serves one credential request, of up to
/// [`super::BATCH_SIZE`] credentials): false when another request took it meanwhile.
pub async fn take_token(
    db: &AnyPool,
    token: &str,
    jkt: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE vci_tokens SET used_at = $1 WHERE token_hash = $2 AND jkt = $3 AND used_at = 0 \
         AND expires_at > $1",
    )
    .bind(now)
    .bind(sha256_hex(token))
    .bind(jkt)
    .execute(db)
    .await?
    .rows_affected()
        == 1)
}

/// A new single-use `c_nonce`.
pub async fn new_c_nonce(db: &AnyPool, now: i64) -> Result<String, sqlx::Error> {
    let nonce = crate::platform::sd_jwt::b64(&rand::random::<[u8; 24]>());
    sqlx::query("INSERT INTO vci_nonces (nonce, expires_at) VALUES ($1, $2)")
        .bind(&nonce)
        .bind(now + NONCE_SECONDS)
        .execute(db)
        .await?;
    Ok(nonce)
}

/// Uses up `c_nonce` `nonce`: true when it was fresh and unused.
pub async fn use_c_nonce(db: &AnyPool, nonce: &str, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE vci_nonces SET used_at = $1 WHERE nonce = $2 AND used_at = 0 AND expires_at > $1",
    )
    .bind(now)
    .bind(nonce)
    .execute(db)
    .await?
    .rows_affected()
        == 1)
}

/// Whether `c_nonce` `nonce` is fresh and unused (without using it).
pub async fn c_nonce_is_fresh(db: &AnyPool, nonce: &str, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT 1 AS one FROM vci_nonces WHERE nonce = $1 AND used_at = 0 AND expires_at > $2",
    )
    .bind(nonce)
    .bind(now)
    .fetch_optional(db)
    .await?
    .is_some())
}

/// Records a DPoP proof's `jti`: false when it was seen before (a replayed proof).
pub async fn record_jti(db: &AnyPool, jkt: &str, jti: &str, now: i64) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO vci_jtis (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING",
    )
    .bind(sha256_hex(&format!("{jkt}:{jti}")))
    .bind(now + NONCE_SECONDS + super::dpop::IAT_SKEW)
    .execute(db)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Deletes expired offers' leftovers, nonces and `jti`s (the session purge calls it).
pub async fn purge(db: &AnyPool, now: i64) -> Result<(), sqlx::Error> {
    // Pushed requests go soon after they end (a code made at the last moment is used within
    // a minute): nobody's pile of them grows past what ten minutes bring.
    sqlx::query("DELETE FROM vci_authorizations WHERE expires_at <= $1")
        .bind(now - 2 * super::CODE_SECONDS)
        .execute(db)
        .await?;
    sqlx::query("DELETE FROM vci_nonces WHERE expires_at <= $1")
        .bind(now)
        .execute(db)
        .await?;
    sqlx::query("DELETE FROM vci_jtis WHERE expires_at <= $1")
        .bind(now)
        .execute(db)
        .await?;
    sqlx::query("DELETE FROM vci_tokens WHERE expires_at <= $1")
        .bind(now - 86_400)
        .execute(db)
        .await?;
    sqlx::query("DELETE FROM vci_offers WHERE expires_at <= $1")
        .bind(now - 86_400)
        .execute(db)
        .await?;
    Ok(())
}
