//! A client-side navigation's arrival (lazy half of
//! [`RouteAnnouncer`](crate::care::route_announcer::RouteAnnouncer)).

use leptos::prelude::*;

/// Watches, for five seconds (a page's code may load on demand, and a page may show a
/// heading while it loads and another once loaded), for the new page's heading. Each new
/// heading is announced with the title, and takes the focus unless the citizen has already
/// moved it somewhere of their own. Stops when another navigation starts.
#[cfg(feature = "hydrate")]
pub(super) fn arrive(navigation: u32, tick: u32) {
    use wasm_bindgen::JsCast;
    const TICKS: u32 = 50;
    let doc = document();
    let Some(announcer) = doc.get_element_by_id("route-announcer") else {
        return;
    };
    if announcer.get_attribute("data-navigation") != Some(navigation.to_string()) {
        return;
    }
    let find = |selector: &str| doc.query_selector(selector).ok().flatten();
    let arrived = find("main h1[data-arrived]:not([data-left])").is_some();
    let heading = find("main h1:not([data-left])").or_else(|| {
        // The same heading stayed (a page that keeps its layout): it is the one.
        (tick == TICKS && !arrived)
            .then(|| find("main h1"))
            .flatten()
    });
    if let Some(h) = heading.filter(|h| !h.has_attribute("data-arrived")) {
        let _ = h.remove_attribute("data-left");
        let _ = h.set_attribute("data-arrived", "");
        let free = doc.active_element().is_none_or(|a| {
            !a.is_connected()
                || doc.body().is_some_and(|b| a.is_same_node(Some(&b)))
                || a.has_attribute("data-nav-from")
        });
        if let Some(h) = h.dyn_ref::<web_sys::HtmlElement>()
            && free
        {
            if !h.has_attribute("tabindex") {
                let _ = h.set_attribute("tabindex", "-1");
            }
            let _ = h.focus();
        }
        let opened = crate::platform::lang::Text::new("已打开:", "Opened: ")
            .of(crate::platform::lang::document_lang());
        announcer.set_text_content(Some(&format!("{opened}{}", doc.title())));
    }
    if tick < TICKS {
        set_timeout(
            move || arrive(navigation, tick + 1),
            std::time::Duration::from_millis(100),
        );
    }
}
