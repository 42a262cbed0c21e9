//! The page for any address the portal does not have; answers with status 404.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="页面不存在"/>
        <section class="page-section status-page">
            <p class="status-code" aria-hidden="true">"404"</p>
            <h1>"您访问的页面不存在"</h1>
            <p class="lead">"页面地址可能有误,或该页面已经调整。请核对地址,或从下面的入口继续办理。"</p>
            <ul class="status-links">
                <li><a class="btn btn-primary" href="/">"返回首页"</a></li>
                <li><a class="btn" href="/faq">"常见问题"</a></li>
                <li><a class="btn" href="/contact">"联系技术支持"</a></li>
            </ul>
        </section>
    }
}
