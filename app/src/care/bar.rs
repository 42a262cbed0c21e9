//! 无障碍工具条: 长辈模式, 语音阅读, 放大 / 缩小, 高对比度, 大鼠标 and 重置 on every page, reached by the
//! keyboard right after the skip link. The choices ([`Care`]) live in the `portal_care` cookie:
//! the server renders the first paint as chosen (no flash of small text), and without
//! JavaScript each button posts to `/care`, which keeps the choice and comes back.
//!
//! With JavaScript the page changes in place. The bar is every page's, so its code would weigh
//! on every first load: the first-load code is one click listener on the bar, and what a click
//! does (the toolbar's change and 语音阅读's reading) is in the
//! lazily loaded [`aids`](crate::care::aids) chunk that downloads on the first use. The
//! page itself holds the state: the root element's classes are the choices shown, the buttons'
//! `aria-pressed` their switches.

use crate::care::read_aloud::ReadAloud;
use crate::care::text;
use crate::care::{Care, CareAction};
use crate::platform::lang::{Lang, Text, use_lang};
use leptos::prelude::*;

/// The citizen's choices, from the request's cookie (the server renders the first paint).
#[cfg(feature = "ssr")]
pub fn initial_care() -> Care {
    use crate::care::COOKIE;
    use_context::<http::request::Parts>()
        .and_then(|parts| crate::platform::caller::cookie(&parts.headers, COOKIE))
        .map_or_else(Care::default, |value| Care::parse(&value))
}

#[component]
pub fn CareBar() -> impl IntoView {
    // The server renders the switches as the cookie says and the path the no-script form comes
    // back to. Hydration keeps the attributes and text the server rendered, and later changes
    // are made by the lazy chunk, so the browser's build needs none of this.
    #[cfg(feature = "ssr")]
    let (care, here) = {
        let location = leptos_router::hooks::use_location();
        let (path, search) = (location.pathname.get(), location.search.get());
        let here = if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        };
        (initial_care(), here)
    };
    #[cfg(not(feature = "ssr"))]
    let (care, here) = (Care::default(), String::new());
    let lang = use_lang();
    let pressed = |on: bool| Some(if on { "true" } else { "false" });
    let button = move |action: CareAction, label: Text, on: Option<&'static str>| {
        view! {
            <button type="submit" class="care-button" name="do" value=action.as_str() aria-pressed=on>
                {label.of(lang)}
            </button>
        }
    };
    let switch = Lang::ALL
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            view! {
                {(i > 0).then(|| view! { <span class="lang-sep" aria-hidden="true">"|"</span> })}
                <button type="submit" class="lang-button" name="lang" value=l.code() lang=l.code()
                    aria-current=(l == lang).then_some("true")>
                    {l.own_name()}
                </button>
            }
        })
        .collect_view();
    view! {
        <nav class="care-bar" aria-label=text::TOOLBAR.of(lang)>
            // On a phone the bar and the language switch fold into one 【无障碍 / Language】
            // control (a `<details>`: its state is announced and it works without script); on
            // wider screens it is always open.
            <details class="container care-fold">
            <summary class="care-summary">{text::FOLD.of(lang)}</summary>
            <div class="care-row">
            <form method="post" action="/care" class="care-form" on:click=clicked>
                <input type="hidden" name="next" value=here.clone()/>
                {button(CareAction::Elder, text::ELDER, pressed(care.elder))}
                <ReadAloud/>
                {button(CareAction::ZoomIn, text::ZOOM_IN, None)}
                {button(CareAction::ZoomOut, text::ZOOM_OUT, None)}
                {button(CareAction::Contrast, text::CONTRAST, pressed(care.contrast))}
                {button(CareAction::BigCursor, text::BIG_CURSOR, pressed(care.big_cursor))}
                {button(CareAction::Reset, text::RESET, None)}
                <span class="care-zoom" role="status">{care.zoom_label(lang)}</span>
            </form>
            // The whole page changes language: the switch posts (a full load) with or
            // without script.
            <form method="post" action="/lang" class="lang-switch" aria-label=text::LANGUAGE.of(lang) on:submit=switching>
                <input type="hidden" name="next" value=here/>
                {switch}
            </form>
            </div>
            </details>
        </nav>
    }
}

/// The language switch posts with the page the browser is on now (the server rendered the
/// first one; later pages came without a load).
fn switching(ev: leptos::ev::SubmitEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let here = web_sys::window()
            .map(|w| w.location())
            .and_then(|l| Some(format!("{}{}", l.pathname().ok()?, l.search().ok()?)));
        let next = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|form| form.query_selector("input[name=next]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let (Some(input), Some(here)) = (next, here) {
            input.set_value(&here);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

/// A click anywhere on the bar: a toolbar button changes the page in place instead of
/// posting the form; a 语音阅读 button runs its command. Both load their code on first use.
fn clicked(ev: leptos::ev::MouseEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("button").ok().flatten())
        else {
            return;
        };
        if let Some(command) = button.get_attribute("data-speech") {
            use crate::care::aids::{Aid, ask};
            ask(Aid::Speech(command));
        } else if let Some(action) = button.get_attribute("value") {
            ev.prevent_default();
            crate::care::aids::ask(crate::care::aids::Aid::Change(action));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}
