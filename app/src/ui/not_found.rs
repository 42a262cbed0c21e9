//! The page for any address the portal does not have; answers with status 404.

use crate::platform::lang::Text;
use leptos::prelude::*;
use leptos_meta::Title;

const TITLE: Text = Text::new("页面不存在", "Page not found");
const HEADING: Text = Text::new("您访问的页面不存在", "This page does not exist");
const LEAD: Text = Text::new(
    "页面地址可能有误,或该页面已经调整。请核对地址,或从下面的入口继续办理。",
    "The address may be mistyped, or the page has moved. Check the address, or carry on from one of these:",
);
const LINKS: [Text; 3] = [
    Text::new("返回首页", "Home"),
    crate::ui::text::FAQ,
    Text::new("联系技术支持", "Contact technical support"),
];

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=TITLE.get()/>
        <section class="page-section status-page">
            <p class="status-code" aria-hidden="true">"404"</p>
            <h1>{HEADING.get()}</h1>
            <p class="lead">{LEAD.get()}</p>
            <ul class="status-links">
                <li><a class="btn btn-primary" href="/">{LINKS[0].get()}</a></li>
                <li><a class="btn" href="/faq">{LINKS[1].get()}</a></li>
                <li><a class="btn" href="/contact">{LINKS[2].get()}</a></li>
            </ul>
        </section>
    }
}
