//! The signed status lists of verifiable credentials, as each server keeps them.

/// How long a verifier may keep a status list, and each server its own copy, by default: a
/// change in the registry shows within this many seconds.
pub const STATUS_TTL: i64 = 10;

/// Each server's copy of the status lists it signed, for its TTL ([`STATUS_TTL`] seconds
/// unless the operator sets `PORTAL_STATUS_LIST_TTL`): many verifiers polling a list cost one
/// database read per server per TTL, not one each. The TTL is also what verifiers are told.
/// Only lists that exist are kept (others answer 404 before they reach it), one entry each,
/// so no request can grow it or push a list out.
pub struct StatusCache {
    ttl: i64,
    made: std::sync::Mutex<std::collections::HashMap<i64, (String, i64, String)>>,
}

impl Default for StatusCache {
    fn default() -> Self {
        Self::with_ttl(STATUS_TTL)
    }
}

impl StatusCache {
    /// A cache whose lists live `ttl` seconds (at least one).
    pub fn with_ttl(ttl: i64) -> Self {
        Self {
            ttl: ttl.max(1),
            made: Default::default(),
        }
    }

    /// How long a signed list is kept, here and by verifiers, in seconds.
    pub fn ttl(&self) -> i64 {
        self.ttl
    }

    /// The list's token for this public address made less than the TTL ago, if any.
    pub fn get(&self, base: &str, list: i64, now: i64) -> Option<String> {
        let made = self.made.lock().ok()?;
        made.get(&list)
            .filter(|(b, at, _)| b == base && now - at < self.ttl && *at <= now)
            .map(|(_, _, token)| token.clone())
    }

    /// Keeps the token of an existing list (a development server answering under another
    /// Host replaces it rather than adding one).
    pub fn put(&self, base: &str, list: i64, now: i64, token: String) {
        if let Ok(mut made) = self.made.lock() {
            made.insert(list, (base.to_string(), now, token));
        }
    }

    /// Forgets every list (a credential was revoked here: this server shows it at once).
    pub fn clear(&self) {
        if let Ok(mut made) = self.made.lock() {
            made.clear();
        }
    }
}
