//! The 亮证 token: the showing's id (8 bytes), the moment it was made (8 bytes, Unix
//! seconds) and an HMAC-SHA-256 of both under `PORTAL_DATA_KEY` with this use's own label
//! (`portal show token`, unlike any other MAC the portal makes), truncated to 16 bytes, in
//! hex. Every process shares the key, so any of them can check it.

use hmac::{Hmac, Mac};
use sha2::Sha256;

fn mac(key: &[u8]) -> Hmac<Sha256> {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key");
    m.update(b"portal show token\0");
    m
}

/// The token for showing `showing` (16 hex digits) made at `at`.
pub fn make(key: &[u8], showing: &str, at: i64) -> Option<String> {
    let id = crate::platform::ids::unhex(showing).filter(|b| b.len() == 8)?;
    let mut body = id;
    body.extend_from_slice(&at.to_be_bytes());
    let mut m = mac(key);
    m.update(&body);
    let tag = m.finalize().into_bytes();
    body.extend_from_slice(&tag[..16]);
    Some(crate::platform::ids::hex(&body))
}

/// The showing and moment a token names, if this portal made it.
pub fn open(key: &[u8], token: &str) -> Option<(String, i64)> {
    let bytes = crate::platform::ids::unhex(token).filter(|b| b.len() == 32)?;
    let (body, tag) = bytes.split_at(16);
    let mut m = mac(key);
    m.update(body);
    m.verify_truncated_left(tag).ok()?;
    let at = i64::from_be_bytes(body[8..16].try_into().ok()?);
    Some((crate::platform::ids::hex(&body[..8]), at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_open_only_with_their_key_and_untouched() {
        let key = b"0123456789abcdef0123456789abcdef";
        let t = make(key, "00112233aabbccdd", 1_796_000_000).unwrap();
        assert_eq!(t.len(), 64);
        assert!(super::super::is_show_token(&t));
        assert_eq!(
            open(key, &t),
            Some(("00112233aabbccdd".into(), 1_796_000_000))
        );
        assert_eq!(open(b"another key", &t), None);
        // A later time written into a screenshot's code breaks the signature.
        let later = make(key, "00112233aabbccdd", 1_796_000_100).unwrap();
        let forged = format!("{}{}", &later[..32], &t[32..]);
        assert_eq!(open(key, &forged), None);
        assert_eq!(open(key, "zz"), None);
        assert_eq!(make(key, "short", 1), None);
    }
}
