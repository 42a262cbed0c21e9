//! A short-lived memory of how many registrations a name query matches. Counting is the
//! costlier half of a name search and the same searches recur (people page through results,
//! share links, retry); a count a minute old is good enough for "共 N 条记录".

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Above this many remembered counts, the memory is emptied rather than grown.
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug)]
pub struct CountCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, i64)>>,
}

impl CountCache {
    /// A `ttl` of zero remembers nothing.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn get(&self, key: &str) -> Option<i64> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, n)| *n)
    }

    pub fn put(&self, key: String, count: i64) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key, (Instant::now(), count));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_within_its_lifetime_only() {
        let cache = CountCache::new(Duration::from_millis(50));
        cache.put("王|一级注册建造师".into(), 42);
        assert_eq!(cache.get("王|一级注册建造师"), Some(42));
        assert_eq!(cache.get("李|一级注册建造师"), None);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get("王|一级注册建造师"), None);
    }

    #[test]
    fn zero_lifetime_remembers_nothing() {
        let cache = CountCache::new(Duration::ZERO);
        cache.put("k".into(), 1);
        assert_eq!(cache.get("k"), None);
    }
}
