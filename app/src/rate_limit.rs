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

#[derive(Debug)]
pub struct RateLimiter {
    scope: &'static str,
    limit: u32,
    window: Duration,
    /// Requests this process refused (`/metrics`).
    refused: AtomicU64,
    /// Clients this process found over the limit, and when their window ends: their further
    /// requests in the window are refused without a database write, so a flood of refused
    /// requests costs the database nothing.
    refused_until: Mutex<HashMap<String, i64>>,
}

impl RateLimiter {
    /// `limit` requests per `window` and client; a limit of 0 turns limiting off (benchmarks).
    pub fn new(scope: &'static str, limit: u32, window: Duration) -> Self {
        Self {
            scope,
            limit,
            window,
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
        let key = client_key(client);
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

/// The address a limit counts: an IPv4 address whole; an IPv6 address by its /64 network,
/// which one subscriber usually holds entirely (counting each address would let one client
/// take 2^64 windows).
pub fn client_key(client: IpAddr) -> String {
    match client {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_by_their_network() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(client_key(mapped), "10.0.0.1");
        assert_eq!(client_key("10.0.0.1".parse().unwrap()), "10.0.0.1");
    }
}
