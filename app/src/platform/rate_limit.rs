//! Per-client request limits (人员资格查询, 核验, login, 获取验证码): a fixed window per client
//! address, counted in the shared database (`request_counters`, UNLOGGED on PostgreSQL) so
//! that the limit is the same however many server processes stand behind the load balancer.
//!
//! Two ways of counting:
//! - [`Counting::EachRequest`] (login, 获取验证码: rare, and worth an exact count): each request
//!   takes one slot with one atomic upsert, so concurrent requests on different processes
//!   never share a count.
//! - [`Counting::Batched`] (the public searches and 核验: read-mostly, many): a request is
//!   counted in memory and the counts go to the database as one upsert for all clients every
//!   [`FLUSH_EVERY`] (~100 ms), which answers each client's count over every server. A search
//!   therefore costs no database write. With one server the limit is exact, however
//!   concurrent the requests (those on their way to the database still count). With several,
//!   a server decides on a count up to 100 ms old (a client past half its limit is looked up
//!   at every flush, whichever server it asked), and no server holds more than a tenth of a
//!   client's limit uncounted in the database (past that, it adds them at once): a client
//!   passes the limit by at most a tenth of it per other server. A count not yet flushed is
//!   lost if the process dies, at most 100 ms of one window's searches; a graceful stop
//!   flushes first.
//!
//! Both fail closed: a database that cannot count fails the request (503), and a batched
//! limiter whose last flush failed counts each request in the database until one succeeds.
//! A client over its limit is refused from memory until its window ends, so a flood of
//! refused requests costs the database nothing.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Above this many remembered refusals, those whose window has ended are swept first.
const SWEEP_AT: usize = 10_000;

/// How often a batched limiter's counts go to the database.
pub const FLUSH_EVERY: Duration = Duration::from_millis(100);

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

/// How a limiter counts (see the module's opening comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// One database upsert per request.
    EachRequest,
    /// Counted in memory, flushed for all clients every [`FLUSH_EVERY`].
    Batched,
}

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
    /// requests in the window are refused without a database write.
    refused_until: Mutex<HashMap<String, i64>>,
    /// The in-memory counts of a [`Counting::Batched`] limiter.
    batch: Option<Arc<Batch>>,
}

/// One client's count as this process knows it.
#[derive(Debug, Clone, Copy)]
struct Tally {
    /// Requests counted here and not yet added to the database.
    pending: i64,
    /// Requests on their way to the database (a flush or an ask not answered yet): still
    /// counted here, so that concurrent requests never pass on a count that left them out.
    in_flight: i64,
    /// The client's count in the database at the last answer (every server's requests).
    shared: i64,
    /// When the client's window began (the database's, once answered).
    window_start: i64,
}

impl Tally {
    fn new(now: i64) -> Self {
        Self {
            pending: 0,
            in_flight: 0,
            shared: 0,
            window_start: now,
        }
    }

    /// Takes `n` on their way to the database.
    fn send(&mut self, n: i64) {
        self.in_flight += n;
    }

    /// The database's answer for `n` sent: the newest count wins (answers may come back out
    /// of order), and a newer window replaces an older one.
    fn answered(&mut self, n: i64, slot: crate::platform::counters::Slot) {
        self.in_flight = (self.in_flight - n).max(0);
        if slot.window_start > self.window_start {
            self.window_start = slot.window_start;
            self.shared = slot.number;
        } else if slot.window_start == self.window_start {
            self.shared = self.shared.max(slot.number);
        }
    }

    /// The database did not take `n` sent: `waiting` of them count again here.
    fn not_answered(&mut self, n: i64, waiting: i64) {
        self.in_flight = (self.in_flight - n).max(0);
        self.pending += waiting;
    }

    fn counted(&self) -> i64 {
        self.shared + self.in_flight + self.pending
    }
}

/// What counting one request in memory decided.
enum Verdict {
    Pass,
    /// Over the limit until this time.
    Over(i64),
    /// Add this many waiting requests, and this one, in the database now.
    Ask(i64),
}

/// How many requests of one client a server counts in memory between flushes before it
/// counts them in the database: a tenth of the limit (at least one), so that a burst spread
/// over N servers passes the limit by at most (N − 1) tenths of it.
fn ask_after(limit: i64) -> i64 {
    (limit / 10).max(1)
}

#[derive(Debug)]
struct Batch {
    scope: &'static str,
    limit: i64,
    window: i64,
    tallies: Mutex<HashMap<String, Tally>>,
    /// When the last flush began.
    last_flush: Mutex<Instant>,
    flushing: AtomicBool,
    /// The last flush failed: count in the database until one succeeds.
    failing: AtomicBool,
    /// Flushes that failed (`/metrics`).
    failures: AtomicU64,
}

impl RateLimiter {
    /// `limit` requests per `window` and client, counted one database write per request; a
    /// limit of 0 turns limiting off (benchmarks).
    pub fn new(scope: &'static str, limit: u32, window: Duration, ipv6_prefix: u8) -> Self {
        Self::counting(Counting::EachRequest, scope, limit, window, ipv6_prefix)
    }

    /// A limiter that counts as `counting` says.
    pub fn counting(
        counting: Counting,
        scope: &'static str,
        limit: u32,
        window: Duration,
        ipv6_prefix: u8,
    ) -> Self {
        let batch = (counting == Counting::Batched).then(|| {
            Arc::new(Batch {
                scope,
                limit: i64::from(limit),
                window: window.as_secs() as i64,
                tallies: Mutex::new(HashMap::new()),
                last_flush: Mutex::new(Instant::now()),
                flushing: AtomicBool::new(false),
                failing: AtomicBool::new(false),
                failures: AtomicU64::new(0),
            })
        });
        Self {
            scope,
            limit,
            window,
            ipv6_prefix,
            refused: AtomicU64::new(0),
            refused_until: Mutex::new(HashMap::new()),
            batch,
        }
    }

    pub fn scope(&self) -> &'static str {
        self.scope
    }

    /// How many requests this process has refused since it started.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// How many of a batched limiter's flushes failed since the process started.
    pub fn flush_failures(&self) -> u64 {
        self.batch
            .as_ref()
            .map_or(0, |b| b.failures.load(Ordering::Relaxed))
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
        let limit = i64::from(self.limit);
        let window = self.window.as_secs() as i64;
        let slot = match &self.batch {
            Some(batch) if !batch.failing.load(Ordering::Acquire) => {
                let verdict = batch.count(&key, now);
                batch.flush_if_due(db, now);
                match verdict {
                    Verdict::Pass => return Ok(true),
                    Verdict::Over(until) => {
                        self.refused.fetch_add(1, Ordering::Relaxed);
                        self.remember(key, until, now);
                        return Ok(false);
                    }
                    // Many requests from one client within a flush: counted in the database
                    // with what waits, as a limit that counts each request would.
                    Verdict::Ask(waiting) => batch.add_now(db, &key, waiting + 1, now).await?,
                }
            }
            _ => {
                if let Some(batch) = &self.batch {
                    // The last flush failed: this request is counted in the database, and
                    // the waiting counts are tried again with it.
                    batch.flush_if_due(db, now);
                }
                crate::platform::counters::repo::take_request(db, self.scope, &key, window, now)
                    .await?
            }
        };
        let within = slot.within(limit);
        if !within {
            self.refused.fetch_add(1, Ordering::Relaxed);
            self.remember(key, slot.window_start + window, now);
        }
        Ok(within)
    }

    /// Adds a batched limiter's counts to the database now (the server's 100 ms tick, and a
    /// graceful stop). Nothing for a limiter that counts each request.
    #[cfg(feature = "ssr")]
    pub async fn flush(&self, db: &sqlx::AnyPool, now: i64) {
        if let Some(batch) = &self.batch {
            batch.flush_now(db, now).await;
        }
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

impl Batch {
    /// Counts one request of `key` in memory; or the end of its window when it is over
    /// its limit; or, when this client has asked more than [`ask_after`] times here since the
    /// last flush, takes its waiting count out to be added in the database at once.
    fn count(&self, key: &str, now: i64) -> Verdict {
        let Ok(mut tallies) = self.tallies.lock() else {
            // A poisoned lock: refuse rather than pass uncounted.
            return Verdict::Over(now + self.window);
        };
        let tally = tallies
            .entry(key.to_string())
            .or_insert_with(|| Tally::new(now));
        if tally.window_start + self.window <= now {
            // The window ended: what it counted no longer matters.
            *tally = Tally::new(now);
        }
        if tally.counted() >= self.limit {
            return Verdict::Over(tally.window_start + self.window);
        }
        if tally.pending >= ask_after(self.limit) {
            // This request and those waiting go to the database now, still counted here
            // until it answers.
            let waiting = std::mem::take(&mut tally.pending);
            tally.send(waiting + 1);
            return Verdict::Ask(waiting);
        }
        tally.pending += 1;
        Verdict::Pass
    }

    /// Adds `n` requests of `key` in the database now and learns its count over all servers.
    /// A database that cannot count fails the request; the counts wait for the next flush.
    #[cfg(feature = "ssr")]
    async fn add_now(
        &self,
        db: &sqlx::AnyPool,
        key: &str,
        n: i64,
        now: i64,
    ) -> Result<crate::platform::counters::Slot, sqlx::Error> {
        let added = crate::platform::counters::repo::add_requests(
            db,
            self.scope,
            self.window,
            now,
            &[(key.to_string(), n)],
        )
        .await;
        let mut tallies = self.tallies.lock().ok();
        let tally = tallies.as_mut().and_then(|t| t.get_mut(key));
        let slot = added.and_then(|slots| {
            slots
                .into_iter()
                .next()
                .map(|(_, slot)| slot)
                .ok_or_else(|| {
                    sqlx::Error::Protocol("request counter upsert returned no row".into())
                })
        });
        match slot {
            Ok(slot) => {
                if let Some(tally) = tally {
                    tally.answered(n, slot);
                }
                Ok(slot)
            }
            Err(e) => {
                if let Some(tally) = tally {
                    // This request failed; what waited before it still counts.
                    tally.not_answered(n, n - 1);
                }
                Err(e)
            }
        }
    }

    /// Starts a flush in the background when the last began [`FLUSH_EVERY`] ago.
    #[cfg(feature = "ssr")]
    fn flush_if_due(self: &Arc<Self>, db: &sqlx::AnyPool, now: i64) {
        let due = self
            .last_flush
            .lock()
            .map(|last| last.elapsed() >= FLUSH_EVERY)
            .unwrap_or(true);
        if due && !self.flushing.load(Ordering::Relaxed) {
            let batch = Arc::clone(self);
            let db = db.clone();
            tokio::spawn(async move { batch.flush_now(&db, now).await });
        }
    }

    /// Adds the pending counts to the database in one statement and learns every client's
    /// count over all servers. On failure the counts wait for the next try and the limiter
    /// counts each request in the database meanwhile.
    #[cfg(feature = "ssr")]
    async fn flush_now(&self, db: &sqlx::AnyPool, now: i64) {
        if self.flushing.swap(true, Ordering::AcqRel) {
            return;
        }
        if let Ok(mut last) = self.last_flush.lock() {
            *last = Instant::now();
        }
        let counts: Vec<(String, i64)> = match self.tallies.lock() {
            Ok(mut tallies) => {
                // Clients whose window ended with nothing waiting are forgotten.
                tallies.retain(|_, t| t.pending > 0 || t.window_start + self.window > now);
                // A client past half its limit is looked at again even when it asked nothing
                // here since (adding 0), so that what it asked the other servers counts here
                // within one flush.
                // One already over is refused from memory until its window ends: it is not
                // looked at again.
                tallies
                    .iter_mut()
                    .filter(|(_, t)| {
                        t.pending > 0 || (2 * t.shared >= self.limit && t.shared < self.limit)
                    })
                    .map(|(key, t)| {
                        let n = std::mem::take(&mut t.pending);
                        t.send(n);
                        (key.clone(), n)
                    })
                    .collect()
            }
            Err(_) => Vec::new(),
        };
        if counts.is_empty() {
            // Nothing waits: counting in memory may resume (a database still down fails the
            // next flush, within [`FLUSH_EVERY`]).
            self.failing.store(false, Ordering::Release);
        } else {
            let added = crate::platform::counters::repo::add_requests(
                db,
                self.scope,
                self.window,
                now,
                &counts,
            )
            .await;
            match (added, self.tallies.lock()) {
                (Ok(slots), Ok(mut tallies)) => {
                    let sent: HashMap<&str, i64> =
                        counts.iter().map(|(k, n)| (k.as_str(), *n)).collect();
                    for (key, slot) in slots {
                        if let Some(tally) = tallies.get_mut(&key) {
                            tally.answered(sent.get(key.as_str()).copied().unwrap_or(0), slot);
                        }
                    }
                    if self.failing.swap(false, Ordering::AcqRel) {
                        tracing::info!(
                            scope = self.scope,
                            "request counts reach the database again"
                        );
                    }
                }
                (added, tallies) => {
                    if let (Ok(mut tallies), Err(_)) = (tallies, &added) {
                        for (key, n) in counts {
                            if let Some(tally) = tallies.get_mut(&key) {
                                tally.not_answered(n, n);
                            }
                        }
                    }
                    self.failures.fetch_add(1, Ordering::Relaxed);
                    if !self.failing.swap(true, Ordering::AcqRel) {
                        let error = added.err().map(|e| e.to_string()).unwrap_or_default();
                        tracing::warn!(scope = self.scope, %error, "request counts could not be flushed; counting each request");
                    }
                }
            }
        }
        self.flushing.store(false, Ordering::Release);
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
