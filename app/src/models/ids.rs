//! Hex text of digests and of random identifiers, the one way every repository writes them.

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `N` random bytes as lower-case hex: identifiers, tokens and codes that leave the server.
pub fn random_hex<const N: usize>() -> String {
    hex(&rand::random::<[u8; N]>())
}
