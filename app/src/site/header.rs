//! The portal header: emblem and name on the left, 登录 at the top right as in the manual
//! (图 6-1-1), and the main navigation. The manual's 【】 mark a button in print; they are not
//! part of a control's name or visible label.

use crate::accounts::pages::session::{LogoutButton, use_session};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Main navigation entries: (label, path).
const NAV: [(&str, &str); 4] = [
    ("首页", "/"),
    ("人员资格查询", "/search"),
    ("常见问题", "/faq"),
    ("联系方式", "/contact"),
];

#[component]
pub fn SiteHeader() -> impl IntoView {
    let location = use_location();
    let session = use_session();
    let current = move |path: &'static str| {
        let here = location.pathname.get();
        (here == path).then_some("page")
    };

    view! {
        <header class="site-header">
            <div class="topbar">
                <div class="container topbar-inner">
                    <span class="topbar-note">"中华人民共和国住房和城乡建设部"</span>
                    <Transition fallback=|| view! { <a class="login-link" href="/login">"登录"</a> }>
                        {move || match session.current() {
                            Some(user) => view! {
                                <span class="user-links">
                                    <span class="user-name">{user.display_name}</span>
                                    <a class="login-link" href="/user">"用户中心"</a>
                                    <LogoutButton/>
                                </span>
                            }
                                .into_any(),
                            None => view! { <a class="login-link" href="/login">"登录"</a> }.into_any(),
                        }}
                    </Transition>
                </div>
            </div>
            <div class="container brand-bar">
                <a class="brand" href="/">
                    <span class="brand-emblem" aria-hidden="true"></span>
                    <span class="brand-text">
                        <span class="brand-name">"住房和城乡建设部政务服务门户"</span>
                        <span class="brand-sub" lang="en">"Ministry of Housing and Urban-Rural Development"</span>
                    </span>
                </a>
            </div>
            <nav class="main-nav" aria-label="主导航">
                <ul class="container">
                    {NAV
                        .into_iter()
                        .map(|(label, path)| {
                            view! {
                                <li>
                                    <a href=path aria-current=move || current(path)>{label}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </header>
    }
}
