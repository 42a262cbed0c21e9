//! Hex text of digests and of random identifiers, the one way every repository writes them.

pub use crate::domain::hex::{hex, unhex};

/// `N` random bytes as lower-case hex: identifiers, tokens and codes that leave the server.
pub fn random_hex<const N: usize>() -> String {
    hex(&rand::random::<[u8; N]>())
}

/// 32 random bytes as base64url: the codes, tokens and request ids of the wallet protocols
/// (OpenID4VCI, OpenID4VP), which write them so.
pub fn random_token() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// SHA-256 of `text`, as hex: how session tokens, 验证码凭据 and 查询凭据 are stored (the value
/// itself never is).
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(text.as_bytes()))
}

/// Row ids the portal read itself, as the list of an SQL `IN (…)`: integers only, so they are
/// written into the statement rather than bound one by one.
pub fn sql_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// A random 128-bit identifier, hex: what leaves the server instead of row numbers.
pub fn new_public_id() -> String {
    crate::platform::ids::random_hex::<16>()
}
