//! 语音阅读: reads aloud, in Chinese, what has the keyboard focus or is under the pointer, or
//! the page's main content from the start, with the browser's own speech synthesis; 暂停 /
//! 继续 and 停止. Where the browser has no Chinese voice it says so plainly.
//!
//! It needs JavaScript: the buttons are shown only on a live page (the stylesheet hides them
//! while `data-hydrated` is false, which it stays without script). The toolbar's click
//! listener ([`CareBar`](crate::care::bar::CareBar)) passes a button's
//! `data-speech` command to the lazily loaded [`aids`](crate::care::aids)
//! chunk: the speech code downloads on first use, not with the page. The buttons hold the state (`aria-pressed`, `hidden`).

use crate::care::text::{PAUSE, READ_ALL, READ_ALOUD, STOP};
use leptos::prelude::*;

#[component]
pub fn ReadAloud() -> impl IntoView {
    view! {
        <span class="read-aloud">
            <button type="button" class="care-button" data-speech="toggle" aria-pressed="false">
                {READ_ALOUD.get()}
            </button>
            <span class="speech-controls" hidden>
                <button type="button" class="care-button" data-speech="all">{READ_ALL.get()}</button>
                <button type="button" class="care-button" data-speech="pause" aria-pressed="false">
                    {PAUSE.get()}
                </button>
                <button type="button" class="care-button" data-speech="stop">{STOP.get()}</button>
            </span>
            <span class="care-problem" role="status"></span>
        </span>
    }
}
