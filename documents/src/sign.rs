//! The issuer's SM2 key (GM/T 0003) and SM3 digests (GM/T 0004) for the OFD's signature.
//!
//! The key is the operator's (`PORTAL_ISSUER_KEY_FILE`: a file holding the 64-hex-digit
//! private scalar) or, when none is configured, one made at first run and kept in the
//! database (`models::signing_key`), so every process behind a load balancer signs with the
//! same key. Signatures are deterministic (RFC 6979 nonces, as the `sm2` crate makes them):
//! the same copy is signed to the same bytes.

use sm2::dsa::signature::{Signer, Verifier};
use sm2::dsa::{Signature, SigningKey, VerifyingKey};

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

impl IssuerKey {
    pub fn from_secret_hex(hex: &str) -> Result<Self, String> {
        let bytes = app::platform::ids::unhex(hex)
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
            let hex = app::platform::ids::hex(&bytes);
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
        app::platform::ids::hex(&self.public_bytes())
    }

    /// SM2 signature (with Z_A over [`DIST_ID`]) of `message`, DER-encoded
    /// `SEQUENCE { r INTEGER, s INTEGER }` (GM/T 0009).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let sig: Signature = self.signing.sign(message);
        der_signature(&sig.r_bytes(), &sig.s_bytes())
    }
}

/// Checks a DER SM2 signature of `message` against a SEC1 public key in hex.
pub fn verify(public_hex: &str, message: &[u8], der: &[u8]) -> bool {
    let Some(public) = app::platform::ids::unhex(public_hex) else {
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

/// An SM2 signature as GM/T 0009 encodes it: `SEQUENCE { r INTEGER, s INTEGER }`.
#[derive(der::Sequence)]
struct DerSignature<'a> {
    r: der::asn1::UintRef<'a>,
    s: der::asn1::UintRef<'a>,
}

fn der_signature(r: &[u8], s: &[u8]) -> Result<Vec<u8>, String> {
    use der::Encode as _;
    let r = der::asn1::UintRef::new(r).map_err(|e| e.to_string())?;
    let s = der::asn1::UintRef::new(s).map_err(|e| e.to_string())?;
    DerSignature { r, s }
        .to_der()
        .map_err(|e| format!("SM2 签名编码失败:{e}"))
}

fn parse_der_signature(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    use der::Decode as _;
    let sig = DerSignature::from_der(der).ok()?;
    let (r, s) = (sig.r.as_bytes(), sig.s.as_bytes());
    (r.len() <= 32 && s.len() <= 32).then(|| (r.to_vec(), s.to_vec()))
}

/// SM3 of `data`.
pub fn sm3(data: &[u8]) -> [u8; 32] {
    use sm3::Digest as _;
    sm3::Sm3::digest(data).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_are_deterministic() {
        let (key, secret) = IssuerKey::generate();
        let again = IssuerKey::from_secret_hex(&secret).unwrap();
        let sig = key.sign(b"Signature.xml").unwrap();
        assert_eq!(sig, again.sign(b"Signature.xml").unwrap());
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
            app::platform::ids::hex(&sm3(b"abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }
}
