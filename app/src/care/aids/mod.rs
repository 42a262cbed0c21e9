//! What the pages need only sometimes, in one lazily loaded chunk: the browser's side of the
//! 无障碍工具条, 语音阅读 and the route announcer, and the session-timeout warning (its dialog is
//! the accounts' [`idle_warning`](crate::accounts::pages::idle_warning)). None of it is
//! needed to show or hydrate a page, so none of it is in the first download, and one split
//! point (rather than one each) keeps the build's chunks few.

use leptos::prelude::*;

#[cfg(feature = "hydrate")]
mod arrival;
#[cfg(feature = "hydrate")]
mod care;
#[cfg(feature = "hydrate")]
mod speech;

/// What the page asks of the chunk.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum Aid {
    /// A toolbar button's action (`elder`, `zoom-in`, …).
    Change(String),
    /// A 语音阅读 button's command (`toggle`, `all`, `pause`, `stop`).
    Speech(String),
    /// A client-side navigation has started: watch for the new page's heading.
    Arrive(u32),
    /// The session-timeout warning, with the idle count it restarts.
    IdleWarning(Callback<Option<i64>>),
}

/// Runs `aid` in the browser once the chunk is loaded (at once after the first time).
#[cfg(feature = "hydrate")]
pub fn ask(aid: Aid) {
    leptos::task::spawn_local(async move {
        let _ = run(aid).await;
    });
}

/// The session-timeout warning ([`SessionWatch`](crate::care::session_watch::SessionWatch)), from the chunk.
pub async fn idle_warning(restart: Callback<Option<i64>>) -> AnyView {
    run(Aid::IdleWarning(restart))
        .await
        .unwrap_or_else(|| ().into_any())
}

#[leptos::lazy]
fn run(aid: Aid) -> Option<AnyView> {
    match aid {
        Aid::IdleWarning(restart) => {
            return Some(crate::accounts::pages::idle_warning::idle_warning(restart));
        }
        #[cfg(feature = "hydrate")]
        Aid::Change(action) => care::change(&action),
        #[cfg(feature = "hydrate")]
        Aid::Speech(command) => speech::run(&command),
        #[cfg(feature = "hydrate")]
        Aid::Arrive(navigation) => arrival::arrive(navigation, 0),
        #[cfg(not(feature = "hydrate"))]
        _ => {}
    }
    None
}
