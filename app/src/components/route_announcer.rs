//! What a screen reader and the keyboard meet after a client-side navigation (Leptos has no
//! route announcer): once the new page has its heading, focus moves to it and a polite live
//! region says the page's title. A full page load needs neither: the browser does both.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn RouteAnnouncer() -> impl IntoView {
    let location = use_location();
    let said = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |before: Option<String>| {
        let path = location.pathname.get();
        if before.is_some_and(|b| b != path) {
            // The page being left may still be on screen: its heading is not the one to find.
            let leaving = document().query_selector("main h1").ok().flatten();
            arrive(said, leaving, 0);
        }
        path
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = location;
    view! { <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">{move || said.get()}</p> }
}

/// Waits (up to two seconds: a page's code may load on demand) for the new page's heading,
/// then focuses it and announces the title.
#[cfg(feature = "hydrate")]
fn arrive(said: RwSignal<String>, leaving: Option<web_sys::Element>, tries: u32) {
    use wasm_bindgen::JsCast;
    set_timeout(
        move || {
            let heading = document()
                .query_selector("main h1")
                .ok()
                .flatten()
                .filter(|h| {
                    leaving
                        .as_ref()
                        .is_none_or(|old| !old.is_same_node(Some(h)))
                })
                .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
            match heading {
                Some(h) => {
                    if !h.has_attribute("tabindex") {
                        let _ = h.set_attribute("tabindex", "-1");
                    }
                    let _ = h.focus();
                    said.set(format!("已打开:{}", document().title()));
                }
                None if tries < 20 => arrive(said, leaving, tries + 1),
                None => {}
            }
        },
        std::time::Duration::from_millis(100),
    );
}
