//! 无障碍工具条: 长辈模式, 语音阅读, 放大 / 缩小, 高对比度, 大鼠标 and 重置 on every page, reached by the
//! keyboard right after the skip link. The choices ([`Care`]) live in the `portal_care` cookie:
//! the server renders the first paint as chosen (no flash of small text), and without
//! JavaScript each button posts to `/care`, which keeps the choice and comes back. With
//! JavaScript the page changes in place and the cookie is written here.

use crate::components::read_aloud::ReadAloud;
use crate::domain::care::{Care, CareAction};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The citizen's choices: from the request's cookie on the server, from `document.cookie` in
/// the browser — the same value on both sides, so hydration agrees.
pub fn initial_care() -> Care {
    #[cfg(feature = "ssr")]
    {
        use crate::domain::care::COOKIE;
        use_context::<http::request::Parts>()
            .and_then(|parts| crate::api::caller::cookie(&parts.headers, COOKIE))
            .map_or_else(Care::default, |value| Care::parse(&value))
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        browser::cookies().map_or_else(Care::default, |c| Care::from_cookies(&c))
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Care::default()
    }
}

/// Makes the choices known to the page; call once, at the top of the app.
pub fn provide_care() -> RwSignal<Care> {
    let care = RwSignal::new(initial_care());
    provide_context(care);
    // The root element is the server's (`shell`): the browser updates it as choices change.
    #[cfg(feature = "hydrate")]
    Effect::new(move || browser::apply(care.get()));
    care
}

#[component]
pub fn CareBar() -> impl IntoView {
    let care = expect_context::<RwSignal<Care>>();
    let location = use_location();
    // Where the no-script form comes back to.
    let here = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    };
    let zoom = move || format!("文字大小 {}%", care.with(|c| c.zoom_percent()));
    view! {
        <nav class="care-bar" aria-label="无障碍工具条">
            <form method="post" action="/care" class="container care-form">
                <input type="hidden" name="next" value=here/>
                <CareButton action=CareAction::Elder label="长辈模式" pressed=|c: Care| c.elder/>
                <ReadAloud/>
                <CareButton action=CareAction::ZoomIn label="放大"/>
                <CareButton action=CareAction::ZoomOut label="缩小"/>
                <CareButton action=CareAction::Contrast label="高对比度" pressed=|c: Care| c.contrast/>
                <CareButton action=CareAction::BigCursor label="大鼠标" pressed=|c: Care| c.big_cursor/>
                <CareButton action=CareAction::Reset label="重置"/>
                <span class="care-zoom" role="status">{zoom}</span>
            </form>
        </nav>
    }
}

/// One button: without script it submits the toolbar's form; with script it changes the page
/// in place. A switch says whether it is on (`aria-pressed`).
#[component]
fn CareButton(
    action: CareAction,
    label: &'static str,
    #[prop(optional)] pressed: Option<fn(Care) -> bool>,
) -> impl IntoView {
    let care = expect_context::<RwSignal<Care>>();
    let state = move || pressed.map(|on| on(care.get()).to_string());
    view! {
        <button
            type="submit"
            class="care-button"
            name="do"
            value=action.as_str()
            aria-pressed=state
            on:click=move |ev| {
                ev.prevent_default();
                let chosen = care.get_untracked().apply(action);
                care.set(chosen);
                #[cfg(feature = "hydrate")]
                browser::keep(chosen);
            }
        >
            {label}
        </button>
    }
}

/// The browser's side: the cookie and the root element.
#[cfg(feature = "hydrate")]
mod browser {
    use crate::domain::care::Care;
    use wasm_bindgen::JsCast;

    fn html_document() -> Option<web_sys::HtmlDocument> {
        leptos::prelude::document()
            .dyn_into::<web_sys::HtmlDocument>()
            .ok()
    }

    pub fn cookies() -> Option<String> {
        html_document()?.cookie().ok()
    }

    /// Writes the choices' cookie, as `/care` would.
    pub fn keep(care: Care) {
        let secure = leptos::prelude::window()
            .location()
            .protocol()
            .is_ok_and(|p| p == "https:");
        if let Some(doc) = html_document() {
            let _ = doc.set_cookie(&care.set_cookie(secure));
        }
    }

    /// The root element's classes, as the server renders them.
    pub fn apply(care: Care) {
        if let Some(root) = leptos::prelude::document().document_element() {
            let _ = root.set_attribute("class", &care.classes());
        }
    }
}
