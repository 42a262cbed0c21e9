//! The portal header: emblem and name on the left, 登录 at the top right as in the manual
//! (图 6-1-1), and the main navigation. The manual's 【】 mark a button in print; they are not
//! part of a control's name or visible label.

use crate::accounts::pages::session::{LogoutButton, use_session};
use crate::platform::lang::{Lang, Text, use_lang};
use crate::site::text::{
    CONTACT, FAQ, HOME, LOGIN, MAIN_NAV, MINISTRY, PORTAL, SEARCH, USER_CENTRE,
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Main navigation entries: (label, path).
const NAV: [(Text, &str); 4] = [
    (HOME, "/"),
    (SEARCH, "/search"),
    (FAQ, "/faq"),
    (CONTACT, "/contact"),
];

#[component]
pub fn SiteHeader() -> impl IntoView {
    let location = use_location();
    let session = use_session();
    let lang = use_lang();
    let current = move |path: &'static str| {
        let here = location.pathname.get();
        (here == path).then_some("page")
    };

    view! {
        <header class="site-header">
            <div class="topbar">
                <div class="container topbar-inner">
                    <span class="topbar-note">{MINISTRY.of(lang)}</span>
                    <Transition fallback=move || view! { <a class="login-link" href="/login">{LOGIN.of(lang)}</a> }>
                        {move || match session.current() {
                            Some(user) => view! {
                                <span class="user-links">
                                    <span class="user-name">{user.display_name}</span>
                                    <a class="login-link" href="/user">{USER_CENTRE.of(lang)}</a>
                                    <LogoutButton/>
                                </span>
                            }
                                .into_any(),
                            None => view! { <a class="login-link" href="/login">{LOGIN.of(lang)}</a> }.into_any(),
                        }}
                    </Transition>
                </div>
            </div>
            <div class="container brand-bar">
                <a class="brand" href="/">
                    <span class="brand-emblem" aria-hidden="true"></span>
                    <span class="brand-text">
                        <span class="brand-name">{PORTAL.of(lang)}</span>
                        {match lang {
                            Lang::Zh => view! { <span class="brand-sub" lang="en">"Ministry of Housing and Urban-Rural Development"</span> }.into_any(),
                            Lang::En => view! { <span class="brand-sub" lang="zh-CN">"住房和城乡建设部政务服务门户"</span> }.into_any(),
                        }}
                    </span>
                </a>
            </div>
            <nav class="main-nav" aria-label=MAIN_NAV.of(lang)>
                <ul class="container">
                    {NAV
                        .into_iter()
                        .map(|(label, path)| {
                            view! {
                                <li>
                                    <a href=path aria-current=move || current(path)>{label.of(lang)}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </header>
    }
}
