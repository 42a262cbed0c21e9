//! Per-client request limits (人员资格查询, 核验, login, 获取验证码): a fixed window per client
//! address, counted in the shared database so that the limit is the same however many server
//! processes stand behind the load balancer. Each request takes one slot with one atomic
//! upsert (`request_counters`, UNLOGGED on PostgreSQL: a lost count after a crash only resets
//! a minute's window), so concurrent requests on different processes never share a count.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Above this many remembered refusals, those whose window has ended are swept first.
const SWEEP_AT: usize = 10_000;

/// The `scope` of each limit in `request_counters`.
pub mod scopes {
    pub const SEARCH: &str = "search";
    pub const LOGIN: &str = "login";
    pub const SMS: &str = "sms";
}

/// The IPv6 network one client is counted by unless the operator says otherwise
/// (`PORTAL_IPV6_PREFIX`): a subscriber is commonly given a /56 (256 /64s), so counting by /64
/// would multiply every per-client limit by up to 256.
pub const DEFAULT_IPV6_PREFIX: u8 = 56;
/// The prefixes an operator may choose: wider than /32 would put whole providers under one
/// limit, narrower than /64 would count one subscriber's addresses apart.
pub const IPV6_PREFIXES: std::ops::RangeInclusive<u8> = 32..=64;

#[derive(Debug)]
pub struct RateLimiter {
    scope: &'static str,
    limit: u32,
    window: Duration,
    /// The IPv6 network a client is counted by (see [`client_key`]).
    ipv6_prefix: u8,
    /// Requests this process refused (`/metrics`).
    refused: AtomicU64,
    /// Clients this process found over the limit, and when their window ends: their further
    /// requests in the window are refused without a database write, so a flood of refused
    /// requests costs the database nothing.
    refused_until: Mutex<HashMap<String, i64>>,
}

impl RateLimiter {
    /// `limit` requests per `window` and client; a limit of 0 turns limiting off (benchmarks).
    pub fn new(scope: &'static str, limit: u32, window: Duration, ipv6_prefix: u8) -> Self {
        Self {
            scope,
            limit,
            window,
            ipv6_prefix,
            refused: AtomicU64::new(0),
            refused_until: Mutex::new(HashMap::new()),
        }
    }

    pub fn scope(&self) -> &'static str {
        self.scope
    }

    /// How many requests this process has refused since it started.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// Counts one request from `client` at `now` (Unix seconds); false when it is over the
    /// limit. A database that cannot count is an error: the request fails, it never passes
    /// uncounted.
    #[cfg(feature = "ssr")]
    pub async fn allow(
        &self,
        db: &sqlx::AnyPool,
        client: IpAddr,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        if self.limit == 0 {
            return Ok(true);
        }
        let key = client_key(client, self.ipv6_prefix);
        if self.known_over(&key, now) {
            self.refused.fetch_add(1, Ordering::Relaxed);
            return Ok(false);
        }
        let window = self.window.as_secs() as i64;
        let slot =
            crate::models::counters::repo::take_request(db, self.scope, &key, window, now).await?;
        let within = slot.within(i64::from(self.limit));
        if !within {
            self.refused.fetch_add(1, Ordering::Relaxed);
            self.remember(key, slot.window_start + window, now);
        }
        Ok(within)
    }

    fn known_over(&self, key: &str, now: i64) -> bool {
        self.refused_until
            .lock()
            .map(|m| m.get(key).is_some_and(|&until| until > now))
            .unwrap_or(false)
    }

    fn remember(&self, key: String, until: i64, now: i64) {
        if let Ok(mut m) = self.refused_until.lock() {
            if m.len() >= SWEEP_AT {
                m.retain(|_, &mut u| u > now);
            }
            m.insert(key, until);
        }
    }
}

/// The address a limit counts: an IPv4 address whole; an IPv6 address by its network of
/// `ipv6_prefix` bits (default /56), which one subscriber usually holds entirely (counting
/// each address would let one client take 2^64 windows, each /64 up to 256).
pub fn client_key(client: IpAddr, ipv6_prefix: u8) -> String {
    match client {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let prefix = ipv6_prefix.clamp(*IPV6_PREFIXES.start(), *IPV6_PREFIXES.end());
                let mask = u128::MAX << (128 - u32::from(prefix));
                let network = std::net::Ipv6Addr::from(u128::from(v6) & mask);
                format!("{network}/{prefix}")
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_by_their_network() {
        let key = |a: &str, p| client_key(a.parse().unwrap(), p);
        // One subscriber's /56: every /64 in it is one client.
        assert_eq!(
            key("2001:db8:1:200::1", 56),
            key("2001:db8:1:2ff:ffff::9", 56)
        );
        assert_eq!(key("2001:db8:1:2ab::1", 56), "2001:db8:1:200::/56");
        assert_ne!(key("2001:db8:1:200::1", 56), key("2001:db8:1:300::1", 56));
        // An operator may count by /64 or /48 instead.
        assert_ne!(key("2001:db8:1:2::1", 64), key("2001:db8:1:3::1", 64));
        assert_eq!(key("2001:db8:1:2::1", 48), key("2001:db8:1:ff00::1", 48));
        // Out of range: held to /32–/64.
        assert_eq!(key("2001:db8:1:2::1", 128), key("2001:db8:1:2::2", 128));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(client_key(mapped, 56), "10.0.0.1");
        assert_eq!(key("10.0.0.1", 56), "10.0.0.1");
    }
}
