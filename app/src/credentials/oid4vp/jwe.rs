//! The wallet's encrypted answer (`direct_post.jwt`, OID4VP 1.0 §8.3; HAIP 1.0 §5): a compact
//! JWE (RFC 7516 §7.1) with `alg` `ECDH-ES` on P-256 — direct key agreement, so the encrypted
//! key is empty — and `enc` `A128GCM` or `A256GCM`. The content key is the Concat KDF of RFC
//! 7518 §4.6.2 over the ECDH shared secret with the wallet's ephemeral key (`epk`), the
//! algorithm being `enc`; AES-GCM authenticates the protected header as its AAD.
//!
//! The verifier's key is made for one request and erased with its answer.

use crate::platform::sd_jwt::{b64, unb64};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes128Gcm, Aes256Gcm, Nonce};
use p256::elliptic_curve::sec1::ToEncodedPoint as _;
use p256::{PublicKey, SecretKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The content encryptions the verifier accepts (its `encrypted_response_enc_values_supported`).
pub const ENC_VALUES: [&str; 2] = ["A128GCM", "A256GCM"];

/// A new key for one request: the private scalar in hex (kept until the answer) and the
/// public JWK for the request's `client_metadata.jwks`.
pub fn new_key() -> (String, Value) {
    let secret = random_secret();
    let hex = crate::platform::ids::hex(&secret.to_bytes());
    (hex, public_jwk(&secret.public_key()))
}

/// The public JWK of a request's key from its stored secret.
pub fn public_of(secret_hex: &str) -> Result<Value, String> {
    Ok(public_jwk(&secret(secret_hex)?.public_key()))
}

fn random_secret() -> SecretKey {
    loop {
        if let Ok(key) = SecretKey::from_slice(&rand::random::<[u8; 32]>()) {
            return key;
        }
    }
}

fn secret(secret_hex: &str) -> Result<SecretKey, String> {
    crate::platform::ids::unhex(secret_hex)
        .and_then(|b| SecretKey::from_slice(&b).ok())
        .ok_or_else(|| "核验请求的解密密钥无效".to_string())
}

fn public_jwk(key: &PublicKey) -> Value {
    let mut jwk = crate::platform::sd_jwt::jwk_of_point(&key.to_encoded_point(false));
    jwk["kid"] = crate::platform::sd_jwt::thumbprint(&jwk).into();
    jwk["use"] = "enc".into();
    jwk["alg"] = "ECDH-ES".into();
    jwk
}

fn public_from_jwk(jwk: &Value) -> Result<PublicKey, String> {
    if jwk["kty"] != "EC" || jwk["crv"] != "P-256" {
        return Err("epk 不是 P-256 公钥".into());
    }
    let coordinate = |name: &str| {
        jwk[name]
            .as_str()
            .and_then(unb64)
            .filter(|c| c.len() == 32)
            .ok_or_else(|| format!("epk 的 {name} 无效"))
    };
    let mut sec1 = vec![4u8];
    sec1.extend(coordinate("x")?);
    sec1.extend(coordinate("y")?);
    // Refuses a point off the curve (an invalid-curve attack on the verifier's key).
    PublicKey::from_sec1_bytes(&sec1).map_err(|_| "epk 不在 P-256 曲线上".to_string())
}

/// RFC 7518 §4.6.2: the Concat KDF (NIST SP 800-56A, SHA-256) of the shared secret `z`.
fn concat_kdf(z: &[u8], enc: &str, apu: &[u8], apv: &[u8], bytes: usize) -> Vec<u8> {
    let mut info = Vec::new();
    for part in [enc.as_bytes(), apu, apv] {
        info.extend((part.len() as u32).to_be_bytes());
        info.extend(part);
    }
    info.extend(((bytes * 8) as u32).to_be_bytes());
    let mut out = Vec::new();
    let mut counter = 1u32;
    while out.len() < bytes {
        let mut h = Sha256::new();
        h.update(counter.to_be_bytes());
        h.update(z);
        h.update(&info);
        out.extend(h.finalize());
        counter += 1;
    }
    out.truncate(bytes);
    out
}

fn key_bytes(enc: &str) -> Result<usize, String> {
    match enc {
        "A128GCM" => Ok(16),
        "A256GCM" => Ok(32),
        _ => Err("不支持的内容加密算法(应为 A128GCM 或 A256GCM)".into()),
    }
}

fn gcm(enc: &str, key: &[u8], iv: &[u8], aad: &[u8], data: &[u8], seal: bool) -> Option<Vec<u8>> {
    let nonce = Nonce::from_slice(iv);
    let payload = Payload { msg: data, aad };
    match (enc, seal) {
        ("A128GCM", true) => Aes128Gcm::new_from_slice(key)
            .ok()?
            .encrypt(nonce, payload)
            .ok(),
        ("A128GCM", false) => Aes128Gcm::new_from_slice(key)
            .ok()?
            .decrypt(nonce, payload)
            .ok(),
        ("A256GCM", true) => Aes256Gcm::new_from_slice(key)
            .ok()?
            .encrypt(nonce, payload)
            .ok(),
        ("A256GCM", false) => Aes256Gcm::new_from_slice(key)
            .ok()?
            .decrypt(nonce, payload)
            .ok(),
        _ => None,
    }
}

/// Decrypts a compact JWE made to the request's key (`secret_hex`): its JSON payload.
pub fn decrypt(jwe: &str, secret_hex: &str) -> Result<Value, String> {
    let parts: Vec<&str> = jwe.trim().split('.').collect();
    let [protected, encrypted_key, iv, ciphertext, tag] = parts[..] else {
        return Err("响应不是紧凑格式的 JWE".into());
    };
    let header: Value = unb64(protected)
        .and_then(|h| serde_json::from_slice(&h).ok())
        .ok_or("JWE 头部无效")?;
    if header["alg"] != "ECDH-ES" {
        return Err("JWE 的 alg 应为 ECDH-ES".into());
    }
    if !encrypted_key.is_empty() {
        return Err("ECDH-ES 直接密钥协商不应有加密密钥".into());
    }
    if header.get("zip").is_some() {
        return Err("不接受压缩的 JWE".into());
    }
    let enc = header["enc"].as_str().unwrap_or_default();
    let bytes = key_bytes(enc)?;
    let epk = public_from_jwk(&header["epk"])?;
    let ours = secret(secret_hex)?;
    let shared = p256::ecdh::diffie_hellman(ours.to_nonzero_scalar(), epk.as_affine());
    let optional = |name: &str| -> Result<Vec<u8>, String> {
        match header.get(name).and_then(Value::as_str) {
            None => Ok(Vec::new()),
            Some(v) => unb64(v).ok_or_else(|| format!("JWE 的 {name} 无效")),
        }
    };
    let key = concat_kdf(
        shared.raw_secret_bytes(),
        enc,
        &optional("apu")?,
        &optional("apv")?,
        bytes,
    );
    let iv = unb64(iv)
        .filter(|iv| iv.len() == 12)
        .ok_or("JWE 的 iv 无效")?;
    let mut sealed = unb64(ciphertext).ok_or("JWE 的密文无效")?;
    sealed.extend(
        unb64(tag)
            .filter(|t| t.len() == 16)
            .ok_or("JWE 的认证标签无效")?,
    );
    let plain = gcm(enc, &key, &iv, protected.as_bytes(), &sealed, false)
        .ok_or("JWE 无法解密(密钥不符或内容被改动)")?;
    serde_json::from_slice(&plain).map_err(|_| "JWE 的内容不是 JSON".into())
}

/// Encrypts `payload` to `recipient` (a P-256 JWK) as a wallet does, with `enc`: the
/// counterpart of [`decrypt`], for the tests that play a wallet.
pub fn encrypt(
    payload: &Value,
    recipient: &Value,
    enc: &str,
    apv: &[u8],
) -> Result<String, String> {
    let bytes = key_bytes(enc)?;
    let theirs = public_from_jwk(recipient)?;
    let ephemeral = random_secret();
    let shared = p256::ecdh::diffie_hellman(ephemeral.to_nonzero_scalar(), theirs.as_affine());
    let mut epk = public_jwk(&ephemeral.public_key());
    if let Some(map) = epk.as_object_mut() {
        for extra in ["kid", "use", "alg"] {
            map.remove(extra);
        }
    }
    let mut header = json!({ "alg": "ECDH-ES", "enc": enc, "epk": epk });
    if let Some(kid) = recipient["kid"].as_str() {
        header["kid"] = kid.into();
    }
    if !apv.is_empty() {
        header["apv"] = b64(apv).into();
    }
    let protected = b64(header.to_string().as_bytes());
    let key = concat_kdf(shared.raw_secret_bytes(), enc, &[], apv, bytes);
    let iv: [u8; 12] = rand::random();
    let sealed = gcm(
        enc,
        &key,
        &iv,
        protected.as_bytes(),
        payload.to_string().as_bytes(),
        true,
    )
    .ok_or("加密失败")?;
    let (ciphertext, tag) = sealed.split_at(sealed.len() - 16);
    Ok(format!(
        "{protected}..{}.{}.{}",
        b64(&iv),
        b64(ciphertext),
        b64(tag)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_round_trips_with_both_encryptions_and_tampering_is_refused() {
        let (secret, jwk) = new_key();
        assert_eq!(public_of(&secret).unwrap(), jwk);
        let payload = json!({ "vp_token": { "q": ["x"] }, "state": "s" });
        for enc in ENC_VALUES {
            let jwe = encrypt(&payload, &jwk, enc, b"nonce").unwrap();
            assert_eq!(decrypt(&jwe, &secret).unwrap(), payload);
            // Another request's key cannot open it.
            let (other, _) = new_key();
            assert!(decrypt(&jwe, &other).is_err());
            // A changed byte of the ciphertext or of the header is caught by GCM.
            let mut parts: Vec<String> = jwe.split('.').map(str::to_string).collect();
            let mut ct = unb64(&parts[3]).unwrap();
            ct[0] ^= 1;
            parts[3] = b64(&ct);
            assert!(decrypt(&parts.join("."), &secret).is_err());
        }
        assert!(encrypt(&payload, &jwk, "A192CBC", b"").is_err());
        assert!(decrypt("a.b.c", &secret).is_err());
    }

    /// RFC 7518 Appendix C: the Concat KDF example (ECDH-ES, A128GCM, apu "Alice", apv "Bob").
    #[test]
    fn the_kdf_matches_rfc_7518_appendix_c() {
        let z: Vec<u8> = vec![
            158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49,
            110, 163, 218, 128, 106, 72, 246, 218, 167, 121, 140, 254, 144, 196,
        ];
        let key = concat_kdf(&z, "A128GCM", b"Alice", b"Bob", 16);
        assert_eq!(b64(&key), "VqqN6vgjbSBcIijNcacQGg");
    }
}
