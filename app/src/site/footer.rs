//! The footer on every page: 常见问题, 联系方式 and 好差评公示 links and the support line.

use crate::platform::lang::use_lang;
use crate::site::text::{CONTACT, EVALUATION, FAQ, HELP, OWNER, SUPPORT};
use leptos::prelude::*;

#[component]
pub fn SiteFooter() -> impl IntoView {
    let lang = use_lang();
    view! {
        <footer class="site-footer">
            <div class="container footer-inner">
                <nav class="footer-links" aria-label=HELP.of(lang)>
                    <a href="/faq">{FAQ.of(lang)}</a>
                    <a href="/contact">{CONTACT.of(lang)}</a>
                    <a href="/evaluation">{EVALUATION.of(lang)}</a>
                </nav>
                <p>{SUPPORT.of(lang)}</p>
                <p>{OWNER.of(lang)}</p>
            </div>
        </footer>
    }
}
