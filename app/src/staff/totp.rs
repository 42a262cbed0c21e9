//! The staff login's second factor: TOTP (RFC 6238, HMAC-SHA-1, 6 digits, 30-second steps, one
//! step of clock skew either way), as every authenticator app speaks it. A code is accepted
//! once: the step it matched is kept (`staff_accounts.totp_last_step`), and a code of that step
//! or an earlier one is refused (RFC 6238 §5.2). The secret is kept sealed with the portal's
//! data key, so the database alone cannot produce codes.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use totp_rs::{Algorithm, Builder, Totp};

pub const DIGITS: u8 = 6;
pub const STEP_SECONDS: u64 = 30;
pub const SKEW_STEPS: u16 = 1;
/// 160 bits, as RFC 4226 §4 recommends.
pub const SECRET_BYTES: usize = 20;
/// The issuer an authenticator app shows beside the code.
pub const ISSUER: &str = "住建政务服务门户";

/// A new random secret.
pub fn new_secret() -> Vec<u8> {
    rand::random::<[u8; SECRET_BYTES]>().to_vec()
}

fn totp(secret: &[u8], username: &str) -> Result<Totp, String> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_skew(SKEW_STEPS)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret.to_vec())
        .with_issuer(Some(ISSUER))
        .with_account_name(username)
        .build()
        .map_err(|e| format!("TOTP 参数无效:{e}"))
}

/// The `otpauth://totp/…` address an authenticator app takes (as a QR code or typed).
pub fn provisioning_uri(secret: &[u8], username: &str) -> Result<String, String> {
    totp(secret, username)?
        .to_url()
        .map_err(|e| format!("TOTP 地址生成失败:{e}"))
}

/// The code for `unix_seconds` (tests and the command line's check).
pub fn code_at(secret: &[u8], unix_seconds: u64) -> String {
    totp(secret, "staff")
        .map(|t| t.generate(unix_seconds).to_string())
        .unwrap_or_default()
}

/// The step `code` is valid for at `now` (the step before, now's or the one after), if any.
pub fn matching_step(secret: &[u8], code: &str, now: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = u64::try_from(now).ok()?;
    let totp = totp(secret, "staff").ok()?;
    totp.check(code, now).and_then(|s| i64::try_from(s).ok())
}

const SEAL_NONCE: usize = 16;
const SEAL_TAG: usize = 16;

fn keyed(key: &[u8], label: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(label);
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// The secret sealed with the data key: a random nonce, the secret under an HMAC-SHA-256
/// keystream of the nonce, and a tag over both, in hex.
pub fn seal(key: &[u8], secret: &[u8]) -> String {
    assert!(secret.len() <= 32, "a TOTP secret fits one keystream block");
    let nonce: [u8; SEAL_NONCE] = rand::random();
    let stream = keyed(key, b"portal staff totp\0", &[&nonce]);
    let sealed: Vec<u8> = secret.iter().zip(stream).map(|(b, k)| b ^ k).collect();
    let tag = keyed(key, b"portal staff totp tag\0", &[&nonce, &sealed]);
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    out.extend_from_slice(&tag[..SEAL_TAG]);
    crate::domain::hex::hex(&out)
}

/// The secret of [`seal`], or `None` if it was not sealed with this key or was altered.
pub fn open(key: &[u8], sealed: &str) -> Option<Vec<u8>> {
    let bytes = crate::domain::hex::unhex(sealed)?;
    if bytes.len() < SEAL_NONCE + SEAL_TAG + 1 || bytes.len() > SEAL_NONCE + SEAL_TAG + 32 {
        return None;
    }
    let (nonce, rest) = bytes.split_at(SEAL_NONCE);
    let (body, tag) = rest.split_at(rest.len() - SEAL_TAG);
    let expected = keyed(key, b"portal staff totp tag\0", &[nonce, body]);
    // Constant time: the tag must not be found a byte at a time.
    let differs = expected[..SEAL_TAG]
        .iter()
        .zip(tag)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if differs != 0 {
        return None;
    }
    let stream = keyed(key, b"portal staff totp\0", &[nonce]);
    Some(body.iter().zip(stream).map(|(b, k)| b ^ k).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1 (seed "12345678901234567890"), last 6 of the 8 digits.
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, eight) in [
            (59u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(code_at(secret, time), eight[2..], "T = {time}");
        }
    }

    #[test]
    fn a_code_matches_its_step_and_one_either_side_only() {
        let secret = new_secret();
        let now = 1_800_000_015i64;
        let step = now / 30;
        let code = code_at(&secret, now as u64);
        assert_eq!(matching_step(&secret, &code, now), Some(step));
        assert_eq!(matching_step(&secret, &code, now + 30), Some(step));
        assert_eq!(matching_step(&secret, &code, now - 30), Some(step));
        assert_eq!(matching_step(&secret, &code, now + 90), None);
        assert_eq!(matching_step(&secret, " 12345", now), None);
        assert_eq!(matching_step(&secret, "abcdef", now), None);
        assert_eq!(matching_step(&new_secret(), &code, now), None);
    }

    #[test]
    fn the_sealed_secret_opens_with_its_key_only_and_not_altered() {
        let key = b"data key one";
        let secret = new_secret();
        let sealed = seal(key, &secret);
        assert_eq!(open(key, &sealed), Some(secret.clone()));
        assert_ne!(seal(key, &secret), sealed, "a fresh nonce each time");
        assert_eq!(open(b"data key two", &sealed), None);
        let mut altered = sealed.into_bytes();
        altered[40] = if altered[40] == b'0' { b'1' } else { b'0' };
        assert_eq!(open(key, &String::from_utf8(altered).unwrap()), None);
        assert_eq!(open(key, "zz"), None);
    }

    #[test]
    fn the_provisioning_uri_names_the_portal_and_the_member() {
        let uri = provisioning_uri(&[7u8; 20], "zhang.san").unwrap();
        assert!(uri.starts_with("otpauth://totp/"), "{uri}");
        assert!(
            uri.contains("secret=A4DQOBYHA4DQOBYHA4DQOBYHA4DQOBYH"),
            "{uri}"
        );
        assert!(uri.contains("zhang.san"), "{uri}");
        assert!(uri.contains("issuer="), "{uri}");
    }
}
