//! 住房和城乡建设部政务服务门户: the Leptos application shared by the server (`ssr`) and the
//! browser (`hydrate`): the page shell, the router, pages, components, server functions,
//! shared types and the domain rules.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod count_cache;
pub mod domain;
pub mod error;
pub mod models;
#[cfg(feature = "ssr")]
pub mod rate_limit;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod state;

use components::session::{SessionWatch, provide_session};
use components::{footer::SiteFooter, header::SiteHeader};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{ParentRoute, Route, Router, Routes},
    path,
};
use routes::user_center::{
    UserCenterHome, UserCenterLayout, certificates::MyCertificatesPage, security::SecurityLogPage,
    settings::AccountSettingsPage,
};
use routes::{
    contact::ContactPage, faq::FaqPage, forgot_password::ForgotPasswordPage, home::HomePage,
    login::LoginPage, not_found::NotFound, privacy::PrivacyPage, register::RegisterPage,
    registration::RegistrationPage, search::SearchPage,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::provide_request_nonce();
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="description" content="住房和城乡建设部政务服务门户:人员资格查询、电子证照加注与下载"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Set once the WASM has taken over the page: tests and styles can tell SSR from live.
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));

    view! {
        <Stylesheet id="leptos" href="/pkg/portal.css"/>
        <Title formatter=|text: String| format!("{text} - 住房和城乡建设部政务服务门户")/>
        <Router>
            <SessionScope/>
            <div class="page" data-hydrated=move || hydrated.get().to_string()>
                <a class="skip-link" href="#main">"跳到主要内容"</a>
                <SiteHeader/>
                <main id="main" class="container" tabindex="-1">
                    <Routes fallback=NotFound>
                        <Route path=path!("") view=HomePage/>
                        <Route path=path!("/faq") view=FaqPage/>
                        <Route path=path!("/contact") view=ContactPage/>
                        <Route path=path!("/login") view=LoginPage/>
                        <Route path=path!("/register") view=RegisterPage/>
                        <Route path=path!("/forgot-password") view=ForgotPasswordPage/>
                        <Route path=path!("/privacy") view=PrivacyPage/>
                        // Guarded: rendered whole so that a visitor without a session gets a
                        // real redirect to the login page.
                        <ParentRoute path=path!("/user") view=UserCenterLayout ssr=SsrMode::Async>
                            <Route path=path!("") view=UserCenterHome/>
                            <Route path=path!("/certificates") view=MyCertificatesPage/>
                            <Route path=path!("/settings") view=AccountSettingsPage/>
                            <Route path=path!("/security") view=SecurityLogPage/>
                        </ParentRoute>
                        // Rendered whole before the first byte, so that the status (404, 429)
                        // is right and the page is complete without JavaScript.
                        <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async/>
                        <Route path=path!("/registration/:id") view=RegistrationPage ssr=SsrMode::Async/>
                    </Routes>
                </main>
                <SiteFooter/>
                <SessionWatch/>
            </div>
        </Router>
    }
}

/// Makes the signed-in user known to every page (see `components::session`).
#[component]
fn SessionScope() -> impl IntoView {
    provide_session();
}
