//! 当前位置: the trail from 首页 to the current page, shown above each page's heading.

use crate::platform::lang::Text;
use leptos::prelude::*;

const WHERE: Text = Text::new("当前位置", "You are here");

/// `trail` lists the pages between 首页 and this one as (label, path); `current` is this page.
#[component]
pub fn Breadcrumb(
    #[prop(default = &[])] trail: &'static [(&'static str, &'static str)],
    current: &'static str,
) -> impl IntoView {
    view! {
        <nav class="breadcrumb" aria-label=WHERE.get()>
            <a href="/">{crate::ui::text::HOME.get()}</a>
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
