//! 语音阅读's reading (lazy half of [`ReadAloud`](crate::care::read_aloud::ReadAloud)):
//! the browser's speech synthesis, and the toolbar's buttons that hold its state.

/// A 语音阅读 button's command (`toggle`, `all`, `pause`, `stop`), and the page's answer.
#[cfg(feature = "hydrate")]
pub(super) fn run(command: &str) {
    let problem = match command {
        "toggle" => {
            let on = !voice::switch("toggle");
            voice::set_switch("toggle", on);
            voice::set_switch("pause", false);
            voice::show_controls(on);
            if on {
                voice::follow_focus_and_pointer();
                voice::say(
                    crate::platform::lang::Text::new("语音阅读已开启", "Reading aloud is on")
                        .of(crate::platform::lang::document_lang()),
                )
                .err()
            } else {
                voice::stop();
                None
            }
        }
        "all" => {
            voice::set_switch("pause", false);
            voice::say(&voice::main_text()).err()
        }
        "pause" => {
            let paused = !voice::switch("pause");
            voice::set_switch("pause", paused);
            voice::pause(paused);
            None
        }
        "stop" => {
            voice::set_switch("pause", false);
            voice::stop();
            None
        }
        _ => None,
    };
    voice::show_problem(problem);
}

/// The browser's speech synthesis, and the toolbar's buttons that hold its state.
#[cfg(feature = "hydrate")]
mod voice {
    /// What the reader says when it cannot read.
    const NO_VOICE: crate::platform::lang::Text = crate::platform::lang::Text::new(
        "本浏览器没有可用的中文语音,无法朗读。可使用操作系统自带的读屏软件,或换用其他浏览器。",
        "This browser has no English voice to read with. Your system's screen reader, or another browser, can read the page.",
    );

    /// The page's language, as the server wrote it: what is read, and in which voice.
    fn page_lang() -> crate::platform::lang::Lang {
        crate::platform::lang::document_lang()
    }

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

    /// Whether a voice of the page's language is installed (the browser picks it by the
    /// utterance's language).
    fn has_voice(synth: &SpeechSynthesis, prefix: &str) -> bool {
        synth.get_voices().iter().any(|v| {
            v.unchecked_ref::<SpeechSynthesisVoice>()
                .lang()
                .to_ascii_lowercase()
                .starts_with(prefix)
        })
    }

    /// Reads `text` in the page's language (zh-CN, or en-GB on English pages), cutting off
    /// what was being read.
    pub fn say(text: &str) -> Result<(), &'static str> {
        use crate::platform::lang::Lang;
        let text = text.trim();
        let lang = page_lang();
        let no_voice = NO_VOICE.of(lang);
        let synth = synth().ok_or(no_voice)?;
        let (prefix, tag) = match lang {
            Lang::Zh => ("zh", "zh-CN"),
            Lang::En => ("en", "en-GB"),
        };
        if !has_voice(&synth, prefix) {
            return Err(no_voice);
        }
        if text.is_empty() {
            return Ok(());
        }
        let utterance = SpeechSynthesisUtterance::new_with_text(text).map_err(|_| no_voice)?;
        utterance.set_lang(tag);
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
