//! The footer on every page: 常见问题, 联系方式 and 好差评公示 links and the support line.

use leptos::prelude::*;

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container footer-inner">
                <nav class="footer-links" aria-label="帮助">
                    <a href="/faq">"常见问题"</a>
                    <a href="/contact">"联系方式"</a>
                    <a href="/evaluation">"好差评公示"</a>
                </nav>
                <p>"技术支持电话:010-58934542 / 010-58934446  电子邮箱:XTC@mohurd.gov.cn"</p>
                <p>"主办单位:中华人民共和国住房和城乡建设部"</p>
            </div>
        </footer>
    }
}
