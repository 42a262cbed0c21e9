//! The issuer's SM2 key (GM/T 0003) and SM3 digests (GM/T 0004) for the OFD's signature.
//!
//! The key is the operator's (`PORTAL_ISSUER_KEY_FILE`: a file holding the 64-hex-digit
//! private scalar) or, when none is configured, one made at first run and kept in the
//! database's `signing_keys` table, so every process behind a load balancer signs with the
//! same key. Signatures are deterministic (RFC 6979 nonces, as the `sm2` crate makes them):
//! the same copy is signed to the same bytes.

use sm2::dsa::signature::{Signer, Verifier};
use sm2::dsa::{Signature, SigningKey, VerifyingKey};
use sqlx::{AnyPool, Row};
use std::sync::OnceLock;

/// The default SM2 user id (GM/T 0009): what verifiers assume when none is given.
pub const DIST_ID: &str = "1234567812345678";
/// The SM2 signature algorithm's and SM3's object identifiers (GB/T 33190's SignatureMethod
/// and CheckMethod).
pub const SM2_SIGN_OID: &str = "1.2.156.10197.1.501";
pub const SM3_OID: &str = "1.2.156.10197.1.401";

#[derive(Clone)]
pub struct IssuerKey {
    signing: SigningKey,
}

impl std::fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerKey")
            .field("public", &self.public_hex())
            .finish()
    }
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

impl IssuerKey {
    pub fn from_secret_hex(hex: &str) -> Result<Self, String> {
        let bytes = hex_decode(hex)
            .filter(|b| b.len() == 32)
            .ok_or("签名私钥应为 64 位十六进制数")?;
        let field = sm2::FieldBytes::clone_from_slice(&bytes);
        SigningKey::from_bytes(DIST_ID, &field)
            .map(|signing| Self { signing })
            .map_err(|_| "签名私钥不是有效的 SM2 私钥".into())
    }

    /// A new random key and its private scalar in hex.
    pub fn generate() -> (Self, String) {
        loop {
            let bytes: [u8; 32] = rand::random();
            let hex = app::models::ids::hex(&bytes);
            if let Ok(key) = Self::from_secret_hex(&hex) {
                return (key, hex);
            }
        }
    }

    /// The public key, SEC1 uncompressed (`04‖x‖y`).
    pub fn public_bytes(&self) -> Vec<u8> {
        self.signing.verifying_key().to_sec1_bytes().to_vec()
    }

    /// [`Self::public_bytes`] in hex.
    pub fn public_hex(&self) -> String {
        app::models::ids::hex(&self.public_bytes())
    }

    /// SM2 signature (with Z_A over [`DIST_ID`]) of `message`, DER-encoded
    /// `SEQUENCE { r INTEGER, s INTEGER }` (GM/T 0009).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let sig: Signature = self.signing.sign(message);
        der_signature(&sig.r_bytes(), &sig.s_bytes())
    }
}

/// Checks a DER SM2 signature of `message` against a SEC1 public key in hex.
pub fn verify(public_hex: &str, message: &[u8], der: &[u8]) -> bool {
    let Some(public) = hex_decode(public_hex) else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_sec1_bytes(DIST_ID, &public) else {
        return false;
    };
    let Some((r, s)) = parse_der_signature(der) else {
        return false;
    };
    let mut raw = [0u8; 64];
    raw[32 - r.len()..32].copy_from_slice(&r);
    raw[64 - s.len()..].copy_from_slice(&s);
    Signature::from_bytes(&raw).is_ok_and(|sig| key.verify(message, &sig).is_ok())
}

fn der_integer(bytes: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    let mut v = if trimmed.is_empty() { vec![0] } else { trimmed };
    if v[0] & 0x80 != 0 {
        v.insert(0, 0);
    }
    let mut out = vec![0x02, v.len() as u8];
    out.extend(v);
    out
}

fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    let body = [der_integer(r), der_integer(s)].concat();
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}

fn parse_der_signature(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    if der.first() != Some(&0x30) || usize::from(*der.get(1)?) != der.len() - 2 {
        return None;
    }
    let mut at = 2;
    let mut ints = Vec::new();
    for _ in 0..2 {
        if der.get(at) != Some(&0x02) {
            return None;
        }
        let len = usize::from(*der.get(at + 1)?);
        let v: Vec<u8> = der
            .get(at + 2..at + 2 + len)?
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        if v.len() > 32 {
            return None;
        }
        ints.push(v);
        at += 2 + len;
    }
    (at == der.len()).then(|| (ints[0].clone(), ints[1].clone()))
}

/// SM3 of `data`.
pub fn sm3(data: &[u8]) -> [u8; 32] {
    use sm3::Digest as _;
    sm3::Sm3::digest(data).into()
}

static CONFIGURED: OnceLock<IssuerKey> = OnceLock::new();

/// Installs the operator's key (from `PORTAL_ISSUER_KEY_FILE`) for this process.
pub fn configure(key: IssuerKey) {
    let _ = CONFIGURED.set(key);
}

const KEY_NAME: &str = "issuer";

/// Production keeps the issuer's private key only in `PORTAL_ISSUER_KEY_FILE`: a development
/// key left in the database (a database that once ran in development) is deleted at start.
/// Copies it signed stay verifiable: each carries its certificate. Returns whether one was.
pub async fn forget_stored_key(db: &AnyPool) -> Result<bool, String> {
    let deleted = sqlx::query("DELETE FROM signing_keys WHERE name = $1")
        .bind(KEY_NAME)
        .execute(db)
        .await
        .map_err(|e| e.to_string())?
        .rows_affected();
    Ok(deleted > 0)
}

/// The issuer's key: the configured one, or the database's development key (made on first
/// use; concurrent first uses by several processes agree on one).
pub async fn issuer_key(db: &AnyPool, now: i64) -> Result<IssuerKey, String> {
    if let Some(k) = CONFIGURED.get() {
        return Ok(k.clone());
    }
    let stored = |db: &AnyPool| {
        let db = db.clone();
        async move {
            sqlx::query("SELECT secret FROM signing_keys WHERE name = $1")
                .bind(KEY_NAME)
                .fetch_optional(&db)
                .await
                .map_err(|e| e.to_string())?
                .map(|r| r.try_get::<String, _>("secret").map_err(|e| e.to_string()))
                .transpose()
        }
    };
    if let Some(secret) = stored(db).await? {
        return IssuerKey::from_secret_hex(&secret);
    }
    let (key, secret) = IssuerKey::generate();
    sqlx::query(
        "INSERT INTO signing_keys (name, secret, public_key, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(KEY_NAME)
    .bind(&secret)
    .bind(key.public_hex())
    .bind(now)
    .execute(db)
    .await
    .map_err(|e| e.to_string())?;
    tracing::warn!(
        public_key = %key.public_hex(),
        "no PORTAL_ISSUER_KEY_FILE: made a development signing key (kept in the database)"
    );
    match stored(db).await? {
        Some(secret) => IssuerKey::from_secret_hex(&secret),
        None => Err("签名密钥无法保存".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_are_deterministic() {
        let (key, secret) = IssuerKey::generate();
        let again = IssuerKey::from_secret_hex(&secret).unwrap();
        let sig = key.sign(b"Signature.xml");
        assert_eq!(sig, again.sign(b"Signature.xml"));
        assert!(verify(&key.public_hex(), b"Signature.xml", &sig));
        assert!(!verify(&key.public_hex(), b"Signature.xmL", &sig));
        let (other, _) = IssuerKey::generate();
        assert!(!verify(&other.public_hex(), b"Signature.xml", &sig));
    }

    #[test]
    fn bad_secrets_are_refused_with_a_message() {
        assert!(IssuerKey::from_secret_hex("12").is_err());
        assert!(IssuerKey::from_secret_hex(&"0".repeat(64)).is_err());
        assert!(IssuerKey::from_secret_hex(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn sm3_matches_the_standard_example() {
        // GM/T 0004-2012, example 1: "abc".
        assert_eq!(
            app::models::ids::hex(&sm3(b"abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }
}
