//! The warning before the session times out for inactivity, with a way to stay signed in
//! (继续使用). The warning itself is in the lazily loaded [`aids`](crate::care::aids)
//! chunk: most visits never show it. An aid like the toolbar's (WCAG 2.2.1, 调整时限): it lives
//! with them.

use crate::accounts::pages::session::use_session;
use crate::platform::session::WARN_BEFORE_SECONDS;
use leptos::prelude::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Warns five minutes before the idle timeout; 【继续使用】 restarts the clock. When time is
/// up the browser goes to the login page, which says why. The warning's code is in the lazily
/// loaded [`aids`](crate::care::aids) chunk: most visits never show it.
#[component]
pub fn SessionWatch() -> impl IntoView {
    let session = use_session();
    let warn = RwSignal::new(false);
    let restart = idle_count(warn);
    // Each answer for a page (a navigation, a login) restarts the count.
    Effect::new(move || restart.run(session.current().map(|u| u.idle_seconds_left)));
    on_cleanup(move || {
        restart.try_run(None);
    });
    view! {
        <Show when=move || warn.get()>
            {move || Suspend::new(crate::care::aids::idle_warning(restart))}
        </Show>
    }
}

/// The idle count: a function that counts `left` seconds afresh — the warning
/// ([`WARN_BEFORE_SECONDS`] before the end), then the login page, which says why — or, given
/// `None` (nobody signed in), stops counting.
fn idle_count(warn: RwSignal<bool>) -> Callback<Option<i64>> {
    // Each count has a number; a timer acts only if its count is still the latest, so a
    // restarted count never has to find and cancel the timers of the one before.
    let latest = Arc::new(AtomicU64::new(0));
    Callback::new(move |left: Option<i64>| {
        let count = latest.fetch_add(1, Ordering::Relaxed) + 1;
        warn.set(false);
        let Some(left) = left.map(|l| l.max(0)) else {
            return;
        };
        let current = {
            let latest = latest.clone();
            move || latest.load(Ordering::Relaxed) == count
        };
        let warn_in = (left - WARN_BEFORE_SECONDS).max(0);
        let still = current.clone();
        set_timeout(
            move || {
                if still() {
                    warn.set(true);
                }
            },
            Duration::from_secs(warn_in as u64),
        );
        set_timeout(
            move || {
                if current() {
                    let _ = window().location().set_href("/login?expired=1");
                }
            },
            Duration::from_secs(left as u64),
        );
    })
}
