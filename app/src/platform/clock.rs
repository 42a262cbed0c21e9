//! The portal's clock. Every rule with a time in it (session expiry, code lifetime, locks)
//! reads it from here, so tests can move time forward instead of waiting.

use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Debug, Default)]
pub struct Clock {
    offset: AtomicI64,
    /// When non-zero, the wall-clock second this clock stays at (plus `offset`).
    frozen: AtomicI64,
}

impl Clock {
    /// Unix seconds.
    pub fn now(&self) -> i64 {
        let base = match self.frozen.load(Ordering::Relaxed) {
            0 => crate::domain::time::now(),
            at => at,
        };
        base + self.offset.load(Ordering::Relaxed)
    }

    /// Stops the wall clock's seconds ticking under this clock, so a test can count exact
    /// seconds; [`Self::advance`] still moves it.
    pub fn freeze(&self) {
        self.frozen
            .store(crate::domain::time::now(), Ordering::Relaxed);
    }

    /// Moves this clock forward (tests only ever need forward).
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}
