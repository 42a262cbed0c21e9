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

/// The pre-authorized code of an offer: a keyed MAC of its (secret, random) id, so it is not
/// stored readable and the offer object can still give it.
pub fn pre_authorized_code(key: &[u8], offer_id: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(b"oid4vci-pre-authorized-code\0");
    mac.update(offer_id.as_bytes());
    crate::platform::sd_jwt::b64(&mac.finalize().into_bytes())
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
    .bind(&made.offer_id)
    .bind(sha256_hex(&made.code))
    .bind(new.account_id)
    .bind(new.person_digest)
    .bind(new.certificate)
    .bind(new.configuration)
    .bind(sha256_hex(&format!("{}:{}", made.offer_id, made.tx_code)))
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
    .bind(offer_id)
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
    code: &str,
    tx_code: &str,
    jkt: &str,
    now: i64,
) -> Result<Result<String, GrantRefusal>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT id, offer_id, tx_code_hash, tx_tries, expires_at, redeemed_at FROM vci_offers \
         WHERE code_hash = $1",
    )
    .bind(sha256_hex(code))
    .fetch_optional(db)
    .await?
    else {
        return Ok(Err("pre-authorized_code is not known".into()));
    };
    let id: i64 = row.try_get("id")?;
    let offer_id: String = row.try_get("offer_id")?;
    if row.try_get::<i64, _>("redeemed_at")? != 0 {
        return Ok(Err("pre-authorized_code was used already".into()));
    }
    if row.try_get::<i64, _>("expires_at")? <= now {
        return Ok(Err("pre-authorized_code has expired".into()));
    }
    if row.try_get::<i64, _>("tx_tries")? >= TX_CODE_TRIES {
        return Ok(Err("too many wrong tx_code: the offer has ended".into()));
    }
    let stored: String = row.try_get("tx_code_hash")?;
    if stored != sha256_hex(&format!("{offer_id}:{}", tx_code.trim())) {
        // Counted only while the offer is still open, whoever races.
        sqlx::query(
            "UPDATE vci_offers SET tx_tries = tx_tries + 1 WHERE id = $1 AND redeemed_at = 0",
        )
        .bind(id)
        .execute(db)
        .await?;
        return Ok(Err("tx_code is wrong".into()));
    }
    let token = crate::platform::sd_jwt::b64(&rand::random::<[u8; 32]>());
    let mut tx = crate::platform::db::begin_write(db).await?;
    let taken = sqlx::query(
        "UPDATE vci_offers SET redeemed_at = $1 WHERE id = $2 AND redeemed_at = 0 \
         AND expires_at > $1 AND tx_tries < $3",
    )
    .bind(now)
    .bind(id)
    .bind(TX_CODE_TRIES)
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() != 1 {
        return Ok(Err("pre-authorized_code was used already".into()));
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

/// The offer behind an unused, unexpired access token bound to `jkt`, taken for one credential
/// request (a token serves one request, of up to [`super::BATCH_SIZE`] credentials).
pub async fn take_token(
    db: &AnyPool,
    token: &str,
    jkt: &str,
    now: i64,
) -> Result<Option<Redeemed>, sqlx::Error> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    let taken = sqlx::query(
        "UPDATE vci_tokens SET used_at = $1 WHERE token_hash = $2 AND jkt = $3 AND used_at = 0 \
         AND expires_at > $1",
    )
    .bind(now)
    .bind(sha256_hex(token))
    .bind(jkt)
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() != 1 {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT o.id, o.account_id, o.person_digest, o.certificate, o.configuration \
         FROM vci_tokens t JOIN vci_offers o ON o.id = t.offer WHERE t.token_hash = $1",
    )
    .bind(sha256_hex(token))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(Redeemed {
        offer: row.try_get("id")?,
        account_id: row.try_get("account_id")?,
        person_digest: row.try_get("person_digest")?,
        certificate: row.try_get("certificate")?,
        configuration: row.try_get("configuration")?,
    }))
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
