//! The portal's clock. Every rule with a time in it (session expiry, code lifetime, locks)
//! reads it from here, so tests can move time forward instead of waiting.

use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Debug, Default)]
pub struct Clock {
    offset: AtomicI64,
}

impl Clock {
    /// Unix seconds.
    pub fn now(&self) -> i64 {
        crate::domain::time::now() + self.offset.load(Ordering::Relaxed)
    }

    /// Moves this clock forward (tests only ever need forward).
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}
