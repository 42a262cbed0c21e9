//! What a screen reader and the keyboard meet after a client-side navigation (Leptos has no
//! route announcer): once the new page has its heading, focus moves to it and a polite live
//! region says the page's title. A full page load needs neither: the browser does both.
//! What happens on arrival is a lazily loaded chunk, fetched with the first navigation's page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn RouteAnnouncer() -> impl IntoView {
    let location = use_location();
    #[cfg(feature = "hydrate")]
    Effect::new(move |before: Option<String>| {
        let path = location.pathname.get();
        if before.is_some_and(|b| b != path) {
            // The page being left may still be on screen: its heading is not the one to find.
            if let Ok(Some(leaving)) = document().query_selector("main h1") {
                let _ = leaving.set_attribute("data-left", "");
            }
            leptos::task::spawn_local(arrive(0));
        }
        path
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = location;
    view! { <p id="route-announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></p> }
}

/// Waits (up to two seconds: a page's code may load on demand) for the new page's heading,
/// then focuses it and announces the title. If the heading stayed the same element (a page
/// that keeps its layout), that heading is the one.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
fn arrive(tries: u32) {
    use wasm_bindgen::JsCast;
    const TRIES: u32 = 20;
    let find = |selector: &str| document().query_selector(selector).ok().flatten();
    let heading = find("main h1:not([data-left])")
        .or_else(|| (tries >= TRIES).then(|| find("main h1")).flatten())
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
    let Some(h) = heading else {
        if tries >= TRIES {
            return;
        }
        set_timeout(
            move || leptos::task::spawn_local(arrive(tries + 1)),
            std::time::Duration::from_millis(100),
        );
        return;
    };
    let _ = h.remove_attribute("data-left");
    if !h.has_attribute("tabindex") {
        let _ = h.set_attribute("tabindex", "-1");
    }
    let _ = h.focus();
    if let Some(said) = document().get_element_by_id("route-announcer") {
        said.set_text_content(Some(&format!("已打开:{}", document().title())));
    }
}
