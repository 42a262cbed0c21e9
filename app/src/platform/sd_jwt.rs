//! The certificate as a verifiable credential: SD-JWT (RFC 9901) in the SD-JWT VC profile
//! (draft-ietf-oauth-sd-jwt-vc), signed ES256, and its revocation through a Token Status
//! List (draft-ietf-oauth-status-list).
//!
//! An SD-JWT is `<issuer-signed JWT>~<disclosure>~…~`: each selectively disclosable claim is
//! a disclosure, `base64url(["<salt>", "<name>", <value>])`, and the JWT carries only the
//! SHA-256 of each (`_sd`, sorted). A presentation keeps the JWT and drops the disclosures
//! the holder does not want to show. `iss`, `iat`, `exp`, `vct`, `cnf` and `status` are
//! always in the clear, as the profile requires.

use crate::platform::error::Message;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// The SD-JWT VC media type, in the issuer JWT's `typ`.
pub const TYP: &str = "dc+sd-jwt";
/// A status list token's `typ`.
pub const STATUS_LIST_TYP: &str = "statuslist+jwt";
/// Credentials per status list: a fixed size, so one list says nothing of how many exist
/// (the draft's herd privacy), and 2^20 one-bit entries compress to a few hundred bytes
/// while few are revoked.
pub const STATUS_LIST_SIZE: i64 = 1 << 20;

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

/// The issuer's ES256 key (P-256), with its certificate chain when it has one.
#[derive(Clone)]
pub struct VcKey {
    signing: SigningKey,
    /// The `x5c` chain (DER): the key's certificate first, the trust anchor left out.
    chain: Vec<Vec<u8>>,
    /// The trust anchor the chain leads to (DER), for verifiers.
    anchor: Option<Vec<u8>>,
}

impl std::fmt::Debug for VcKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VcKey").field("kid", &self.kid()).finish()
    }
}

impl VcKey {
    /// From the private scalar in 64 hex digits (`PORTAL_VC_KEY_FILE`, or the development
    /// key kept in the database).
    pub fn from_secret_hex(hex: &str) -> Result<Self, String> {
        let bytes = crate::platform::ids::unhex(hex)
            .filter(|b| b.len() == 32)
            .ok_or("凭证签名私钥应为 64 位十六进制数")?;
        SigningKey::from_slice(&bytes)
            .map(|signing| Self {
                signing,
                chain: Vec::new(),
                anchor: None,
            })
            .map_err(|_| "凭证签名私钥不是有效的 P-256 私钥".into())
    }

    /// A new random key and its private scalar in hex.
    pub fn generate() -> (Self, String) {
        loop {
            let bytes: [u8; 32] = rand::random();
            let hex = crate::platform::ids::hex(&bytes);
            if let Ok(key) = Self::from_secret_hex(&hex) {
                return (key, hex);
            }
        }
    }

    /// The same key with its certificate chain (`x5c`, the anchor left out) and the anchor.
    pub fn with_chain(mut self, chain: Vec<Vec<u8>>, anchor: Vec<u8>) -> Self {
        self.chain = chain;
        self.anchor = Some(anchor);
        self
    }

    /// The key's certificate chain (DER), the trust anchor left out.
    pub fn chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    /// The trust anchor of the chain (DER).
    pub fn anchor(&self) -> Option<&[u8]> {
        self.anchor.as_deref()
    }

    /// The public key.
    pub fn verifying_key(&self) -> &p256::ecdsa::VerifyingKey {
        self.signing.verifying_key()
    }

    /// The signing key, for making certificates with it.
    pub fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    /// The public key as a JWK (`kty`, `crv`, `x`, `y`).
    pub fn public_jwk(&self) -> Value {
        jwk_of_point(&self.signing.verifying_key().to_encoded_point(false))
    }

    /// The key's id: its RFC 7638 thumbprint.
    pub fn kid(&self) -> String {
        thumbprint(&self.public_jwk())
    }

    /// The JWK as published: with its id, algorithm and use.
    pub fn published_jwk(&self) -> Value {
        let mut jwk = self.public_jwk();
        if let Some(map) = jwk.as_object_mut() {
            map.insert("kid".into(), self.kid().into());
            map.insert("alg".into(), "ES256".into());
            map.insert("use".into(), "sig".into());
        }
        jwk
    }

    /// A compact JWS of `payload` with `typ`, signed ES256 (`r‖s`, as JWS requires), with
    /// the key's `x5c` chain when it has one (HAIP).
    pub fn sign_jwt(&self, typ: &str, payload: &Value) -> String {
        let mut header = json!({ "alg": "ES256", "typ": typ, "kid": self.kid() });
        if !self.chain.is_empty() {
            header["x5c"] = self.x5c().into();
        }
        self.sign_jwt_with(header, payload)
    }

    /// The chain as the `x5c` header carries it: standard base64 (with padding) of each DER.
    pub fn x5c(&self) -> Vec<String> {
        use base64::engine::general_purpose::STANDARD;
        self.chain.iter().map(|der| STANDARD.encode(der)).collect()
    }

    /// A compact JWS of `payload` with the JOSE header `header`, signed ES256.
    pub fn sign_jwt_with(&self, header: Value, payload: &Value) -> String {
        let input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(payload.to_string().as_bytes())
        );
        let signature: Signature = self.signing.sign(input.as_bytes());
        format!("{input}.{}", b64(&signature.to_bytes()))
    }
}

/// A P-256 public key (its uncompressed point) as a JWK: `kty`, `crv`, `x`, `y`.
pub fn jwk_of_point(point: &p256::EncodedPoint) -> Value {
    json!({
        "kty": "EC",
        "crv": "P-256",
        "x": b64(point.x().map(|x| x.as_slice()).unwrap_or_default()),
        "y": b64(point.y().map(|y| y.as_slice()).unwrap_or_default()),
    })
}

/// RFC 7638 thumbprint of an EC JWK: SHA-256 of its required members in order.
pub fn thumbprint(jwk: &Value) -> String {
    let canonical = format!(
        r#"{{"crv":"{}","kty":"{}","x":"{}","y":"{}"}}"#,
        jwk["crv"].as_str().unwrap_or_default(),
        jwk["kty"].as_str().unwrap_or_default(),
        jwk["x"].as_str().unwrap_or_default(),
        jwk["y"].as_str().unwrap_or_default()
    );
    b64(&Sha256::digest(canonical.as_bytes()))
}

/// Reads the public key a holder's wallet gives (a P-256 JWK), refusing anything else — and
/// a private key, which must never leave the wallet.
/// Its refusals are a citizen's to read (a key pasted on the export page), in both languages;
/// a wallet's protocol errors carry the Chinese.
pub fn holder_jwk(text: &str) -> Result<Value, Message> {
    let value: Value = serde_json::from_str(text.trim()).map_err(|_| {
        Message::new(
            "钱包公钥应为 JSON 格式的 JWK,例如 {\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":…,\"y\":…}",
            "Enter your wallet's public key as a P-256 JWK in JSON, for example \
             {\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":…,\"y\":…}",
        )
    })?;
    if value.get("d").is_some() {
        return Err(Message::new(
            "请只提供钱包的公钥:您粘贴的内容包含私钥(d),私钥不应离开您的钱包",
            "Give only your wallet's public key: what you pasted contains the private key (d), \
             which must never leave your wallet",
        ));
    }
    if value["kty"] != "EC" || value["crv"] != "P-256" {
        return Err(Message::new(
            "钱包公钥须为 P-256 椭圆曲线公钥(kty 为 EC,crv 为 P-256)",
            "The wallet's key must be a P-256 elliptic-curve public key (kty EC, crv P-256)",
        ));
    }
    let coord = |name: &str| {
        value[name]
            .as_str()
            .and_then(unb64)
            .filter(|b| b.len() == 32)
    };
    let (Some(x), Some(y)) = (coord("x"), coord("y")) else {
        return Err(Message::new(
            "钱包公钥的 x、y 坐标应为 32 字节的 base64url 编码",
            "The key's x and y must each be 32 bytes in base64url",
        ));
    };
    let mut sec1 = vec![4u8];
    sec1.extend_from_slice(&x);
    sec1.extend_from_slice(&y);
    p256::PublicKey::from_sec1_bytes(&sec1).map_err(|_| {
        Message::new(
            "钱包公钥不是 P-256 曲线上的点",
            "The key is not a point on the P-256 curve",
        )
    })?;
    Ok(json!({ "kty": "EC", "crv": "P-256", "x": value["x"], "y": value["y"] }))
}

/// A compact JWS's header and payload, read without checking anything (to find its key).
pub fn jws_parts(jwt: &str) -> Result<(Value, Value), String> {
    let mut parts = jwt.split('.');
    let (Some(header), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("not a compact JWS".into());
    };
    let read = |part: &str| -> Result<Value, String> {
        let bytes = unb64(part).ok_or("not base64url")?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|_| "not JSON")?;
        value
            .is_object()
            .then_some(value)
            .ok_or_else(|| "not a JSON object".to_string())
    };
    Ok((read(header)?, read(payload)?))
}

/// Checks a compact JWS signed ES256 by the P-256 public key `jwk` and returns its header
/// and payload. Any other `alg` is refused (`none` above all).
pub fn verify_es256(jwt: &str, jwk: &Value) -> Result<(Value, Value), String> {
    use p256::ecdsa::VerifyingKey;
    use p256::ecdsa::signature::Verifier as _;
    let (header, payload) = jws_parts(jwt)?;
    if header["alg"] != "ES256" {
        return Err("alg must be ES256".into());
    }
    let jwk = holder_jwk(&jwk.to_string()).map_err(|m| m.zh)?;
    let coord = |name: &str| jwk[name].as_str().and_then(unb64).unwrap_or_default();
    let mut sec1 = vec![4u8];
    sec1.extend_from_slice(&coord("x"));
    sec1.extend_from_slice(&coord("y"));
    let key = VerifyingKey::from_sec1_bytes(&sec1).map_err(|_| "not a P-256 key")?;
    let (input, signature) = jwt.rsplit_once('.').ok_or("not a compact JWS")?;
    let signature = unb64(signature)
        .and_then(|s| Signature::from_slice(&s).ok())
        .ok_or("not an ES256 signature")?;
    key.verify(input.as_bytes(), &signature)
        .map_err(|_| "signature does not verify".to_string())?;
    Ok((header, payload))
}

/// One selectively disclosable claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub name: &'static str,
    pub value: Value,
}

/// An issued SD-JWT: the signed JWT and every disclosure, by claim name.
#[derive(Debug, Clone)]
pub struct Issued {
    pub jwt: String,
    pub disclosures: Vec<(&'static str, String)>,
}

impl Issued {
    /// The SD-JWT with only the disclosures of `names` (a presentation without key binding).
    pub fn present(&self, names: &[&str]) -> String {
        let mut out = self.jwt.clone();
        out.push('~');
        for (name, disclosure) in &self.disclosures {
            if names.contains(name) {
                out.push_str(disclosure);
                out.push('~');
            }
        }
        out
    }
}

/// A disclosure of `name` = `value` with `salt`.
pub fn disclosure(salt: &str, name: &str, value: &Value) -> String {
    b64(json!([salt, name, value]).to_string().as_bytes())
}

/// What a JWT carries in `_sd` for a disclosure: SHA-256 of its ASCII text.
pub fn digest(disclosure: &str) -> String {
    b64(&Sha256::digest(disclosure.as_bytes()))
}

/// Issues an SD-JWT VC: `clear` claims (iss, iat, exp, vct, status, cnf …) in the JWT as
/// they are, each of `claims` as a salted disclosure.
pub fn issue(key: &VcKey, clear: Map<String, Value>, claims: &[Claim]) -> Issued {
    let disclosures: Vec<(&'static str, String)> = claims
        .iter()
        .map(|c| {
            let salt = b64(&rand::random::<[u8; 16]>());
            (c.name, disclosure(&salt, c.name, &c.value))
        })
        .collect();
    let mut sd: Vec<String> = disclosures.iter().map(|(_, d)| digest(d)).collect();
    sd.sort();
    let mut payload = clear;
    payload.insert("_sd".into(), sd.into());
    payload.insert("_sd_alg".into(), "sha-256".into());
    Issued {
        jwt: key.sign_jwt(TYP, &Value::Object(payload)),
        disclosures,
    }
}

/// How long a status list token is valid (`exp` − `iat`): a verifier that keeps a list until
/// its `exp` instead of refreshing it every `ttl` seconds sees a revocation within this long.
pub const STATUS_LIST_LIFETIME: i64 = 600;

/// The bits of a status list, one per credential (1 = invalid), least significant bit first.
pub fn status_bits(invalid: impl IntoIterator<Item = i64>) -> Vec<u8> {
    let mut bits = vec![0u8; (STATUS_LIST_SIZE / 8) as usize];
    for idx in invalid {
        set_status_bit(&mut bits, idx, true);
    }
    bits
}

/// Sets or clears one credential's bit; whether it changed. `bits` grows to the list's size.
pub fn set_status_bit(bits: &mut Vec<u8>, idx: i64, invalid: bool) -> bool {
    if !(0..STATUS_LIST_SIZE).contains(&idx) {
        return false;
    }
    bits.resize((STATUS_LIST_SIZE / 8) as usize, 0);
    let (byte, mask) = ((idx / 8) as usize, 1u8 << (idx % 8));
    let before = bits[byte] & mask != 0;
    if invalid {
        bits[byte] |= mask;
    } else {
        bits[byte] &= !mask;
    }
    before != invalid
}

/// A status list token of the stored `bits` (shorter than the list: the rest are 0), packed
/// least significant bit first and zlib-compressed, as the draft specifies. Valid for
/// [`STATUS_LIST_LIFETIME`], to be refreshed every `ttl` seconds.
pub fn status_list_jwt(
    key: &VcKey,
    uri: &str,
    iat: i64,
    ttl: i64,
    bits: &[u8],
) -> Result<String, String> {
    use std::io::Write as _;
    let size = (STATUS_LIST_SIZE / 8) as usize;
    if bits.len() > size {
        return Err(format!("status list of {} bytes", bits.len()));
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(bits).map_err(|e| e.to_string())?;
    z.write_all(&vec![0u8; size - bits.len()])
        .map_err(|e| e.to_string())?;
    let lst = b64(&z.finish().map_err(|e| e.to_string())?);
    Ok(key.sign_jwt(
        STATUS_LIST_TYP,
        &json!({
            "sub": uri,
            "iat": iat,
            "exp": iat + STATUS_LIST_LIFETIME,
            "ttl": ttl,
            "status_list": { "bits": 1, "lst": lst },
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier as _;

    fn key() -> VcKey {
        VcKey::from_secret_hex(&"11".repeat(32)).unwrap()
    }

    fn part(jwt: &str, i: usize) -> Value {
        serde_json::from_slice(&unb64(jwt.split('.').nth(i).unwrap()).unwrap()).unwrap()
    }

    #[test]
    fn a_jws_verifies_with_its_key_only_and_only_as_es256() {
        let key = key();
        let jwt = key.sign_jwt("x+jwt", &json!({ "a": 1 }));
        let (header, payload) = verify_es256(&jwt, &key.public_jwk()).unwrap();
        assert_eq!(
            (header["typ"].clone(), payload["a"].clone()),
            (json!("x+jwt"), json!(1))
        );
        let other = VcKey::from_secret_hex(&"22".repeat(32)).unwrap();
        assert!(verify_es256(&jwt, &other.public_jwk()).is_err());
        // The payload changed, or alg none: refused.
        let mut parts: Vec<&str> = jwt.split('.').collect();
        let forged = b64(br#"{"a":2}"#);
        parts[1] = &forged;
        assert!(verify_es256(&parts.join("."), &key.public_jwk()).is_err());
        let none = format!("{}.{}.", b64(br#"{"alg":"none"}"#), b64(br#"{"a":1}"#));
        assert!(verify_es256(&none, &key.public_jwk()).is_err());
    }

    #[test]
    fn the_rfc_9901_disclosure_example_digests_as_published() {
        // RFC 9901 §5.2.1: the example disclosure of family_name (Möbius) and its digest.
        let d = "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0";
        assert_eq!(digest(d), "X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0");
        // Ours: the array, the salt first.
        let mine = disclosure("salt", "name", &json!("王建国"));
        let decoded: Value = serde_json::from_slice(&unb64(&mine).unwrap()).unwrap();
        assert_eq!(decoded, json!(["salt", "name", "王建国"]));
    }

    #[test]
    fn an_issued_credential_verifies_and_hides_what_is_not_presented() {
        let key = key();
        let mut clear = Map::new();
        clear.insert("iss".into(), "https://zwfw.example.gov.cn".into());
        clear.insert("vct".into(), "https://zwfw.example.gov.cn/vct/x".into());
        let issued = issue(
            &key,
            clear,
            &[
                Claim {
                    name: "name",
                    value: json!("王建国"),
                },
                Claim {
                    name: "registration_category",
                    value: json!("一级注册建造师"),
                },
            ],
        );
        let header = part(&issued.jwt, 0);
        assert_eq!(header["typ"], TYP);
        assert_eq!(header["alg"], "ES256");
        assert_eq!(header["kid"], key.kid());
        let payload = part(&issued.jwt, 1);
        assert_eq!(payload["_sd_alg"], "sha-256");
        assert_eq!(payload["_sd"].as_array().unwrap().len(), 2);
        assert!(!payload.to_string().contains("王建国"));
        // The signature checks with the published key.
        let (input, sig) = issued.jwt.rsplit_once('.').unwrap();
        let sig = Signature::from_slice(&unb64(sig).unwrap()).unwrap();
        key.signing
            .verifying_key()
            .verify(input.as_bytes(), &sig)
            .unwrap();
        // A presentation of one claim carries one disclosure, whose digest is in _sd.
        let shown = issued.present(&["registration_category"]);
        let parts: Vec<&str> = shown.split('~').collect();
        assert_eq!(parts.len(), 3, "{shown}");
        assert!(parts[2].is_empty(), "ends with ~");
        assert!(
            payload["_sd"]
                .as_array()
                .unwrap()
                .contains(&json!(digest(parts[1])))
        );
        assert!(!shown.contains(&issued.disclosures[0].1));
    }

    #[test]
    fn status_lists_set_the_right_bits() {
        use std::io::Read as _;
        let jwt = status_list_jwt(
            &key(),
            "https://x/status-lists/0",
            1,
            60,
            &status_bits([0, 9, 1 << 19]),
        )
        .unwrap();
        let payload = part(&jwt, 1);
        assert_eq!(payload["exp"], 1 + STATUS_LIST_LIFETIME, "{payload}");
        const { assert!(STATUS_LIST_LIFETIME <= 600) };
        assert_eq!(part(&jwt, 0)["typ"], STATUS_LIST_TYP);
        assert_eq!(payload["status_list"]["bits"], 1);
        let compressed = unb64(payload["status_list"]["lst"].as_str().unwrap()).unwrap();
        assert!(compressed.len() < 2048, "{} bytes", compressed.len());
        let mut bits = Vec::new();
        flate2::read::ZlibDecoder::new(&compressed[..])
            .read_to_end(&mut bits)
            .unwrap();
        assert_eq!(bits.len() as i64, STATUS_LIST_SIZE / 8);
        assert_eq!(bits[0], 0b0000_0001);
        assert_eq!(bits[1], 0b0000_0010);
        assert_eq!(bits[(1 << 16) as usize], 1);
        assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 3);
        // Stored bits shorter than the list read as zeros; setting and clearing say whether
        // anything changed.
        let mut stored = Vec::new();
        assert!(set_status_bit(&mut stored, 9, true));
        assert!(!set_status_bit(&mut stored, 9, true));
        assert!(!set_status_bit(&mut stored, STATUS_LIST_SIZE, true));
        assert!(set_status_bit(&mut stored, 9, false));
        assert_eq!(stored.iter().map(|b| b.count_ones()).sum::<u32>(), 0);
    }

    #[test]
    fn holder_keys_must_be_public_p256_points() {
        let good = key().public_jwk();
        assert_eq!(holder_jwk(&good.to_string()).unwrap(), good);
        let mut private = good.clone();
        private["d"] = json!(b64(&[1; 32]));
        assert!(
            holder_jwk(&private.to_string())
                .unwrap_err()
                .zh
                .contains("私钥")
        );
        let mut off_curve = good.clone();
        off_curve["y"] = json!(b64(&[7; 32]));
        assert!(holder_jwk(&off_curve.to_string()).is_err());
        assert!(holder_jwk("not json").unwrap_err().zh.contains("JWK"));
        assert!(holder_jwk(r#"{"kty":"RSA","n":"x","e":"AQAB"}"#).is_err());
    }
}
