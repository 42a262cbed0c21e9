//! DPoP (RFC 9449): a proof of possession of the wallet's key on each token and credential
//! request. A proof is a JWT (`typ: dpop+jwt`, ES256, the public key in `jwk`) naming the
//! request's method (`htm`) and address (`htu`), with a fresh `iat`, a `jti` used once, the
//! server's `nonce`, and on a resource request `ath`, the access token's SHA-256.
//!
//! The server's nonces are stateless: the time they were made and a keyed MAC of it, so a
//! nonce made by one server is accepted by every other for [`super::NONCE_SECONDS`].

use crate::platform::sd_jwt::{b64, jws_parts, thumbprint, unb64, verify_es256};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// How far a proof's `iat` may be from the server's clock.
pub const IAT_SKEW: i64 = 60;

/// Why a proof is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum DpopError {
    /// `invalid_dpop_proof`, with the reason.
    Invalid(String),
    /// `use_dpop_nonce`: the proof has no nonce, or an old one; a new one is in the answer.
    UseNonce,
}

/// A checked proof: the key's thumbprint (`jkt`) and its `jti`.
#[derive(Debug)]
pub struct Proof {
    pub jkt: String,
    pub jti: String,
}

fn mac(key: &[u8], made: i64) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(b"dpop-nonce\0");
    mac.update(&made.to_be_bytes());
    mac.finalize().into_bytes()[..16].to_vec()
}

/// A nonce made now.
pub fn new_nonce(key: &[u8], now: i64) -> String {
    let mut bytes = now.to_be_bytes().to_vec();
    bytes.extend(mac(key, now));
    b64(&bytes)
}

/// Whether `nonce` was made by a server of this portal in the last [`super::NONCE_SECONDS`].
pub fn nonce_is_fresh(key: &[u8], nonce: &str, now: i64) -> bool {
    let Some(bytes) = unb64(nonce).filter(|b| b.len() == 24) else {
        return false;
    };
    let made = i64::from_be_bytes(bytes[..8].try_into().expect("8 bytes"));
    let fresh = made <= now + IAT_SKEW && now - made <= super::NONCE_SECONDS;
    fresh && hmac_eq(&bytes[8..], &mac(key, made))
}

fn hmac_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `ath` of an access token.
pub fn ath(token: &str) -> String {
    b64(&Sha256::digest(token.as_bytes()))
}

/// Checks the `DPoP` header's proof for a request of `method` to `url` (with `token` on a
/// resource request). The `jti` is left to the caller to record once.
pub fn check(
    header: Option<&str>,
    method: &str,
    url: &str,
    token: Option<&str>,
    key: &[u8],
    now: i64,
) -> Result<Proof, DpopError> {
    let invalid = |why: &str| DpopError::Invalid(why.to_string());
    let proof = header.ok_or_else(|| invalid("DPoP proof missing"))?;
    let (header, _) = jws_parts(proof).map_err(|e| invalid(&e))?;
    if header["typ"] != "dpop+jwt" {
        return Err(invalid("typ must be dpop+jwt"));
    }
    let jwk = header.get("jwk").ok_or_else(|| invalid("jwk missing"))?;
    let (_, claims) = verify_es256(proof, jwk).map_err(|e| invalid(&e))?;
    if claims["htm"] != method {
        return Err(invalid("htm does not match the request"));
    }
    let htu = claims["htu"].as_str().unwrap_or_default();
    if strip(htu) != strip(url) {
        return Err(invalid("htu does not match the request"));
    }
    let iat = claims["iat"]
        .as_i64()
        .ok_or_else(|| invalid("iat missing"))?;
    if (iat - now).abs() > IAT_SKEW {
        return Err(invalid("iat is not fresh"));
    }
    let jti = claims["jti"]
        .as_str()
        .filter(|j| !j.is_empty() && j.len() <= 128)
        .ok_or_else(|| invalid("jti missing"))?;
    if let Some(token) = token
        && claims["ath"].as_str() != Some(ath(token).as_str())
    {
        return Err(invalid("ath does not match the access token"));
    }
    match claims["nonce"].as_str() {
        Some(nonce) if nonce_is_fresh(key, nonce, now) => {}
        _ => return Err(DpopError::UseNonce),
    }
    Ok(Proof {
        jkt: thumbprint(&public(jwk)),
        jti: jti.to_string(),
    })
}

/// The public members of an EC JWK.
fn public(jwk: &Value) -> Value {
    serde_json::json!({ "kty": jwk["kty"], "crv": jwk["crv"], "x": jwk["x"], "y": jwk["y"] })
}

/// An address without its query and fragment (RFC 9449 §4.3).
fn strip(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::sd_jwt::VcKey;
    use serde_json::json;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";
    const URL: &str = "https://zwfw.example.gov.cn/oid4vci/token";

    fn proof(wallet: &VcKey, claims: serde_json::Value) -> String {
        wallet.sign_jwt_with(
            json!({ "alg": "ES256", "typ": "dpop+jwt", "jwk": wallet.public_jwk() }),
            &claims,
        )
    }

    #[test]
    fn a_proof_holds_only_for_its_request_key_and_time() {
        let wallet = VcKey::from_secret_hex(&"33".repeat(32)).unwrap();
        let now = 1_800_000_000;
        let nonce = new_nonce(KEY, now);
        let good = json!({ "htm": "POST", "htu": URL, "iat": now, "jti": "j1", "nonce": nonce });
        let checked = check(
            Some(&proof(&wallet, good.clone())),
            "POST",
            URL,
            None,
            KEY,
            now,
        )
        .unwrap();
        assert_eq!(checked.jkt, thumbprint(&wallet.public_jwk()));
        let refuse = |claims: serde_json::Value| {
            check(Some(&proof(&wallet, claims)), "POST", URL, None, KEY, now)
        };
        let mut other = good.clone();
        other["htm"] = json!("GET");
        assert!(matches!(refuse(other), Err(DpopError::Invalid(_))));
        let mut other = good.clone();
        other["htu"] = json!("https://elsewhere.example/oid4vci/token");
        assert!(matches!(refuse(other), Err(DpopError::Invalid(_))));
        let mut other = good.clone();
        other["iat"] = json!(now - 3600);
        assert!(matches!(refuse(other), Err(DpopError::Invalid(_))));
        let mut other = good.clone();
        other.as_object_mut().unwrap().remove("nonce");
        assert_eq!(refuse(other).unwrap_err(), DpopError::UseNonce);
        let mut other = good.clone();
        other["nonce"] = json!(new_nonce(b"another server's key, not ours!!", now));
        assert_eq!(refuse(other).unwrap_err(), DpopError::UseNonce);
        // A nonce older than its lifetime.
        let mut other = good.clone();
        other["nonce"] = json!(new_nonce(KEY, now - 600));
        assert_eq!(refuse(other).unwrap_err(), DpopError::UseNonce);
        // On a resource request the token's hash must be there.
        let with_ath = json!({ "htm": "POST", "htu": URL, "iat": now, "jti": "j2", "nonce": nonce, "ath": ath("tok") });
        assert!(
            check(
                Some(&proof(&wallet, with_ath.clone())),
                "POST",
                URL,
                Some("tok"),
                KEY,
                now
            )
            .is_ok()
        );
        assert!(
            check(
                Some(&proof(&wallet, with_ath)),
                "POST",
                URL,
                Some("other"),
                KEY,
                now
            )
            .is_err()
        );
        // Not DPoP's typ, or no proof at all.
        let wrong_typ = wallet.sign_jwt("jwt", &good);
        assert!(check(Some(&wrong_typ), "POST", URL, None, KEY, now).is_err());
        assert!(check(None, "POST", URL, None, KEY, now).is_err());
    }
}
