//! 当前位置: the trail from 首页 to the current page, shown above each page's heading.

use leptos::prelude::*;

/// `trail` lists the pages between 首页 and this one as (label, path); `current` is this page.
#[component]
pub fn Breadcrumb(
    #[prop(default = &[])] trail: &'static [(&'static str, &'static str)],
    current: &'static str,
) -> impl IntoView {
    view! {
        <nav class="breadcrumb" aria-label="当前位置">
            <a href="/">"首页"</a>
            {trail
                .iter()
                .map(|(label, path)| {
                    view! {
                        <span aria-hidden="true">" > "</span>
                        <a href=*path>{*label}</a>
                    }
                })
                .collect_view()}
            <span aria-hidden="true">" > "</span>
            <span aria-current="page">{current}</span>
        </nav>
    }
}
