//! 语音阅读: reads aloud, in Chinese, what has the keyboard focus or is under the pointer, or
//! the page's main content from the start, with the browser's own speech synthesis; 暂停 /
//! 继续 and 停止. Where the browser has no Chinese voice it says so plainly. It needs
//! JavaScript, so the server renders its button hidden and the browser shows it. The speech
//! code is a lazily loaded chunk ([`command`]): it downloads on the first use, not with the page.

use leptos::prelude::*;

#[component]
pub fn ReadAloud() -> impl IntoView {
    // Shown once the page is live (hydrated): the server cannot read aloud.
    let live = RwSignal::new(false);
    let reading = RwSignal::new(false);
    let paused = RwSignal::new(false);
    let problem = RwSignal::new(None::<&'static str>);
    #[cfg(feature = "hydrate")]
    Effect::new(move || live.set(true));
    let listening = StoredValue::new(false);
    // Runs a command of the speech chunk and shows what it could not do.
    let run = move |cmd: Command| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            problem.set(command(cmd, reading, problem, listening).await);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (cmd, listening);
    };
    let toggle = move |_| {
        let on = !reading.get_untracked();
        reading.set(on);
        paused.set(false);
        problem.set(None);
        run(if on { Command::On } else { Command::Stop });
    };
    let read_all = move |_| {
        paused.set(false);
        run(Command::ReadAll);
    };
    let pause = move |_| {
        let now = !paused.get_untracked();
        paused.set(now);
        run(Command::Pause(now));
    };
    let stop = move |_| {
        paused.set(false);
        run(Command::Stop);
    };
    view! {
        <span class="read-aloud" hidden=move || !live.get()>
            <button type="button" class="care-button" aria-pressed=move || reading.get().to_string() on:click=toggle>
                "语音阅读"
            </button>
            <Show when=move || reading.get()>
                <button type="button" class="care-button" on:click=read_all>"朗读全文"</button>
                <button type="button" class="care-button" aria-pressed=move || paused.get().to_string() on:click=pause>
                    "暂停"
                </button>
                <button type="button" class="care-button" on:click=stop>"停止"</button>
            </Show>
            <span class="care-problem" role="status">{move || problem.get()}</span>
        </span>
    }
}

/// What the toolbar asks of the speech chunk (which the server never runs).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, Copy)]
enum Command {
    /// 语音阅读 turned on: follow focus and pointer from now on.
    On,
    ReadAll,
    Pause(bool),
    Stop,
}

/// The speech chunk's one entry point; what it could not do, if anything.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
fn command(
    cmd: Command,
    reading: RwSignal<bool>,
    problem: RwSignal<Option<&'static str>>,
    listening: StoredValue<bool>,
) -> Option<&'static str> {
    match cmd {
        Command::On => {
            if !listening.get_value() {
                listening.set_value(true);
                speech::follow_focus_and_pointer(reading, problem);
            }
            speech::say("语音阅读已开启").err()
        }
        Command::ReadAll => speech::say(&speech::main_text()).err(),
        Command::Pause(paused) => {
            speech::pause(paused);
            None
        }
        Command::Stop => {
            speech::stop();
            None
        }
    }
}

/// The browser's speech synthesis.
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
    /// new — is read.
    pub fn follow_focus_and_pointer(
        reading: RwSignal<bool>,
        problem: RwSignal<Option<&'static str>>,
    ) {
        let last = StoredValue::new(String::new());
        let read = move |target: Option<web_sys::EventTarget>| {
            if !reading.get_untracked() {
                return;
            }
            let Some(text) = target.as_ref().and_then(text_of) else {
                return;
            };
            if last.with_value(|l| *l == text) {
                return;
            }
            last.set_value(text.clone());
            problem.set(say(&text).err());
        };
        // For the page's lifetime: reading off, they do nothing.
        let _ = window_event_listener(leptos::ev::focusin, move |ev| read(ev.target()));
        let _ = window_event_listener(leptos::ev::mouseover, move |ev| read(ev.target()));
    }
}
