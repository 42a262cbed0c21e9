//! 语音阅读: reads aloud, in Chinese, what has the keyboard focus or is under the pointer, or
//! the page's main content from the start, with the browser's own speech synthesis; 暂停 /
//! 继续 and 停止. Where the browser has no Chinese voice it says so plainly.
//!
//! It needs JavaScript: the buttons are shown only on a live page (the stylesheet hides them
//! while `data-hydrated` is false, which it stays without script). The toolbar's click
//! listener ([`CareBar`](crate::components::care_bar::CareBar)) passes a button's
//! `data-speech` command to [`run`], in the lazily loaded [`aids`](crate::components::aids)
//! chunk: the speech code downloads on first use, not with the page. The buttons hold the state (`aria-pressed`, `hidden`).

use leptos::prelude::*;

#[component]
pub fn ReadAloud() -> impl IntoView {
    view! {
        <span class="read-aloud">
            <button type="button" class="care-button" data-speech="toggle" aria-pressed="false">
                "语音阅读"
            </button>
            <span class="speech-controls" hidden>
                <button type="button" class="care-button" data-speech="all">"朗读全文"</button>
                <button type="button" class="care-button" data-speech="pause" aria-pressed="false">
                    "暂停"
                </button>
                <button type="button" class="care-button" data-speech="stop">"停止"</button>
            </span>
            <span class="care-problem" role="status"></span>
        </span>
    }
}

/// A 语音阅读 button's command (`toggle`, `all`, `pause`, `stop`), and the page's answer.
#[cfg(feature = "hydrate")]
pub(super) fn run(command: &str) {
    let problem = match command {
        "toggle" => {
            let on = !speech::switch("toggle");
            speech::set_switch("toggle", on);
            speech::set_switch("pause", false);
            speech::show_controls(on);
            if on {
                speech::follow_focus_and_pointer();
                speech::say("语音阅读已开启").err()
            } else {
                speech::stop();
                None
            }
        }
        "all" => {
            speech::set_switch("pause", false);
            speech::say(&speech::main_text()).err()
        }
        "pause" => {
            let paused = !speech::switch("pause");
            speech::set_switch("pause", paused);
            speech::pause(paused);
            None
        }
        "stop" => {
            speech::set_switch("pause", false);
            speech::stop();
            None
        }
        _ => None,
    };
    speech::show_problem(problem);
}

/// The browser's speech synthesis, and the toolbar's buttons that hold its state.
#[cfg(feature = "hydrate")]
mod speech {
    /// What the reader says when it cannot read.
    const NO_CHINESE_VOICE: &str =
        "本浏览器没有可用的中文语音,无法朗读。可使用操作系统自带的读屏软件,或换用其他浏览器。";

    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{SpeechSynthesis, SpeechSynthesisUtterance, SpeechSynthesisVoice};

    /// Longest text read for one focused or pointed-at element.
    const MOST: usize = 300;

    fn part(selector: &str) -> Option<web_sys::Element> {
        document()
            .query_selector(&format!(".read-aloud {selector}"))
            .ok()
            .flatten()
    }

    /// Whether a switch (`toggle` = reading, `pause`) is on.
    pub fn switch(name: &str) -> bool {
        part(&format!("[data-speech=\"{name}\"]"))
            .and_then(|b| b.get_attribute("aria-pressed"))
            .is_some_and(|p| p == "true")
    }

    pub fn set_switch(name: &str, on: bool) {
        if let Some(b) = part(&format!("[data-speech=\"{name}\"]")) {
            let _ = b.set_attribute("aria-pressed", if on { "true" } else { "false" });
        }
    }

    /// 朗读全文, 暂停 and 停止 are offered while reading is on.
    pub fn show_controls(on: bool) {
        if let Some(c) = part(".speech-controls") {
            let _ = if on {
                c.remove_attribute("hidden")
            } else {
                c.set_attribute("hidden", "")
            };
        }
    }

    pub fn show_problem(problem: Option<&str>) {
        if let Some(p) = part(".care-problem") {
            p.set_text_content(problem);
        }
    }

    fn synth() -> Option<SpeechSynthesis> {
        window().speech_synthesis().ok()
    }

    /// Whether a Chinese voice is installed (the browser picks it by the utterance's language).
    fn has_chinese_voice(synth: &SpeechSynthesis) -> bool {
        synth.get_voices().iter().any(|v| {
            v.unchecked_ref::<SpeechSynthesisVoice>()
                .lang()
                .to_ascii_lowercase()
                .starts_with("zh")
        })
    }

    /// Reads `text` in zh-CN, cutting off what was being read.
    pub fn say(text: &str) -> Result<(), &'static str> {
        let text = text.trim();
        let synth = synth().ok_or(NO_CHINESE_VOICE)?;
        if !has_chinese_voice(&synth) {
            return Err(NO_CHINESE_VOICE);
        }
        if text.is_empty() {
            return Ok(());
        }
        let utterance =
            SpeechSynthesisUtterance::new_with_text(text).map_err(|_| NO_CHINESE_VOICE)?;
        utterance.set_lang("zh-CN");
        utterance.set_rate(0.9);
        synth.cancel();
        synth.speak(&utterance);
        Ok(())
    }

    pub fn pause(paused: bool) {
        if let Some(s) = synth() {
            if paused { s.pause() } else { s.resume() }
        }
    }

    pub fn stop() {
        if let Some(s) = synth() {
            s.cancel();
        }
    }

    /// The page's main content, as a reader would see it.
    pub fn main_text() -> String {
        document()
            .get_element_by_id("main")
            .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|m| m.inner_text())
            .unwrap_or_default()
    }

    /// What an element says: its label, or its text, shortened.
    fn text_of(target: &web_sys::EventTarget) -> Option<String> {
        let el = target.dyn_ref::<web_sys::HtmlElement>()?;
        let text = el
            .get_attribute("aria-label")
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(|| el.inner_text());
        let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        (!text.is_empty()).then(|| text.chars().take(MOST).collect())
    }

    /// While reading is on, what gets the focus — or the pointer, once it rests on something
    /// new — is read. Installed once per page (the bar is marked), for the page's lifetime;
    /// with reading off the listeners do nothing.
    pub fn follow_focus_and_pointer() {
        let Some(bar) = document().query_selector(".read-aloud").ok().flatten() else {
            return;
        };
        if bar.has_attribute("data-listening") {
            return;
        }
        let _ = bar.set_attribute("data-listening", "");
        let last = StoredValue::new(String::new());
        let read = move |target: Option<web_sys::EventTarget>| {
            if !switch("toggle") {
                return;
            }
            let Some(text) = target.as_ref().and_then(text_of) else {
                return;
            };
            if last.with_value(|l| *l == text) {
                return;
            }
            last.set_value(text.clone());
            show_problem(say(&text).err());
        };
        let _ = window_event_listener(leptos::ev::focusin, move |ev| read(ev.target()));
        let _ = window_event_listener(leptos::ev::mouseover, move |ev| read(ev.target()));
    }
}
