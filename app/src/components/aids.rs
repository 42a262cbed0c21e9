//! The browser's side of the 无障碍工具条, 语音阅读 and the route announcer, in one lazily
//! loaded chunk: none of it is needed to show or hydrate a page, so none of it is in the first
//! download, and one split point (rather than one each) keeps the build's chunks few.

/// What the page asks of the chunk.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum Aid {
    /// A toolbar button's action (`elder`, `zoom-in`, …): [`care_bar::change`](super::care_bar).
    Change(String),
    /// A 语音阅读 button's command (`toggle`, `all`, `pause`, `stop`).
    Speech(String),
    /// A client-side navigation has started: watch for the new page's heading.
    Arrive(u32),
}

/// Runs `aid` once the chunk is loaded (at once after the first time).
#[cfg(feature = "hydrate")]
pub fn ask(aid: Aid) {
    leptos::task::spawn_local(run(aid));
}

#[cfg(feature = "hydrate")]
#[leptos::lazy]
fn run(aid: Aid) {
    match aid {
        Aid::Change(action) => super::care_bar::change(&action),
        Aid::Speech(command) => super::read_aloud::run(&command),
        Aid::Arrive(navigation) => super::route_announcer::arrive(navigation, 0),
    }
}
