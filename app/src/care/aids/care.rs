//! The 无障碍工具条's change, made in place (lazy half of
//! [`CareBar`](crate::care::bar::CareBar)).

use crate::care::{Care, CareAction};
use leptos::prelude::*;

/// A toolbar button's change, made in place: the choices shown (the root element's classes)
/// change by the action, the cookie keeps them as `/care` would, and the switches and the zoom
/// status follow.
#[cfg(feature = "hydrate")]
pub(super) fn change(action: &str) {
    use wasm_bindgen::JsCast;
    let Some(action) = CareAction::parse(action) else {
        return;
    };
    let doc = document();
    let Some(root) = doc.document_element() else {
        return;
    };
    let care = Care::from_classes(&root.class_name()).apply(action);
    root.set_class_name(&care.classes());
    if let Ok(html) = doc.clone().dyn_into::<web_sys::HtmlDocument>() {
        let secure = window().location().protocol().is_ok_and(|p| p == "https:");
        let _ = html.set_cookie(&care.set_cookie(secure));
    }
    for (action, on) in [
        (CareAction::Elder, care.elder),
        (CareAction::Contrast, care.contrast),
        (CareAction::BigCursor, care.big_cursor),
    ] {
        let selector = format!(".care-bar button[value=\"{}\"]", action.as_str());
        if let Ok(Some(button)) = doc.query_selector(&selector) {
            let _ = button.set_attribute("aria-pressed", if on { "true" } else { "false" });
        }
    }
    if let Ok(Some(status)) = doc.query_selector(".care-bar .care-zoom") {
        status.set_text_content(Some(
            &care.zoom_label(crate::platform::lang::document_lang()),
        ));
    }
}
