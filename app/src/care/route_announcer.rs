//! What a screen reader and the keyboard meet after a client-side navigation (Leptos has no
//! route announcer): once the new page has its heading, focus moves to it and a polite live
//! region says the page's title. A full page load needs neither: the browser does both.
//! What happens on arrival is in the lazily loaded [`aids`](crate::care::aids) chunk,
//! fetched with the first navigation's page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn RouteAnnouncer() -> impl IntoView {
    let location = use_location();
    #[cfg(feature = "hydrate")]
    Effect::new(move |before: Option<(String, u32)>| {
        let path = location.pathname.get();
        let navigation = before.as_ref().map_or(0, |(_, n)| n + 1);
        if before.is_some_and(|(b, _)| b != path) {
            depart(navigation);
            crate::care::aids::ask(crate::care::aids::Aid::Arrive(navigation));
        }
        (path, navigation)
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = location;
    view! { <p id="route-announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></p> }
}

/// Marks what a navigation leaves: the old page's heading (it may still be on screen, and is
/// not the one to find) and the element that had the focus (the focus may be taken from it).
#[cfg(feature = "hydrate")]
fn depart(navigation: u32) {
    let doc = document();
    if let Some(announcer) = doc.get_element_by_id("route-announcer") {
        let _ = announcer.set_attribute("data-navigation", &navigation.to_string());
    }
    if let Ok(Some(old)) = doc.query_selector("main h1") {
        let _ = old.set_attribute("data-left", "");
        let _ = old.remove_attribute("data-arrived");
    }
    if let Ok(Some(old)) = doc.query_selector("[data-nav-from]") {
        let _ = old.remove_attribute("data-nav-from");
    }
    if let Some(active) = doc.active_element() {
        let _ = active.set_attribute("data-nav-from", "");
    }
}
