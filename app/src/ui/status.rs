//! What a page shows while its data is on the way, and when it could not be had.

use crate::platform::error::AppError;
use leptos::prelude::*;

/// A polite "loading" line, announced by screen readers.
#[component]
pub fn Loading(#[prop(optional)] text: Option<&'static str>) -> impl IntoView {
    const LOADING: crate::platform::lang::Text =
        crate::platform::lang::Text::new("正在加载…", "Loading…");
    let text = text.unwrap_or_else(|| LOADING.get());
    view! { <p class="hint" role="status">{text}</p> }
}

/// The error's message in the page's language, announced at once.
#[component]
pub fn ErrorAlert(error: AppError) -> impl IntoView {
    let message = error.message(crate::platform::lang::use_lang());
    view! { <p class="alert" role="alert">{message}</p> }
}
