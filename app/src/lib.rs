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

use components::care_bar::CareBar;
use components::route_announcer::RouteAnnouncer;
use components::session::{SessionWatch, provide_session};
use components::{footer::SiteFooter, header::SiteHeader};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    Lazy, SsrMode,
    components::{ParentRoute, Route, Router, Routes},
    path,
};
use routes::accounts::user_center::UserCenterLayout;
use routes::lazy::{
    AccountSettingsRoute, CertificateManageRoute, ContactRoute, EnterpriseConfirmRoute, FaqRoute,
    ForgotPasswordRoute, LoginRoute, MobileHomeRoute, MobileLoginRoute, MobileScanRoute,
    MyCertificatesRoute, PrivacyRoute, RegisterRoute, RegistrationRoute, SearchRoute,
    SecurityLogRoute, UserCenterHomeRoute, VerifyLookupRoute, VerifyRoute,
};
use routes::{home::HomePage, not_found::NotFound};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::provide_request_nonce();
    // The 无障碍工具条's choices shape the first paint (see `components::care_bar`).
    #[cfg(feature = "ssr")]
    let classes = Some(components::care_bar::initial_care().classes()).filter(|c| !c.is_empty());
    #[cfg(not(feature = "ssr"))]
    let classes = None::<String>;
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN" class=classes>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="description" content="住房和城乡建设部政务服务门户:人员资格查询、电子证照加注与下载"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
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
        <Title formatter=|text: String| format!("{text} - 住房和城乡建设部政务服务门户")/>
        <Router>
            <SessionScope/>
            <div class="page" data-hydrated=move || hydrated.get().to_string()>
                <a class="skip-link" href="#main">"跳到主要内容"</a>
                <CareBar/>
                <DesktopOnly><SiteHeader/></DesktopOnly>
                <main id="main" class="container" tabindex="-1">
                    <Routes fallback=NotFound>
                        <Route path=path!("") view=HomePage/>
                        <Route path=path!("/faq") view={Lazy::<FaqRoute>::new()}/>
                        <Route path=path!("/contact") view={Lazy::<ContactRoute>::new()}/>
                        <Route path=path!("/login") view={Lazy::<LoginRoute>::new()}/>
                        <Route path=path!("/register") view={Lazy::<RegisterRoute>::new()}/>
                        <Route path=path!("/forgot-password") view={Lazy::<ForgotPasswordRoute>::new()}/>
                        <Route path=path!("/privacy") view={Lazy::<PrivacyRoute>::new()}/>
                        // Guarded: rendered whole so that a visitor without a session gets a
                        // real redirect to the login page.
                        <ParentRoute path=path!("/user") view=UserCenterLayout ssr=SsrMode::Async>
                            <Route path=path!("") view={Lazy::<UserCenterHomeRoute>::new()}/>
                            <Route path=path!("/certificates") view={Lazy::<MyCertificatesRoute>::new()}/>
                            <Route path=path!("/certificates/manage") view={Lazy::<CertificateManageRoute>::new()}/>
                            <Route path=path!("/settings") view={Lazy::<AccountSettingsRoute>::new()}/>
                            <Route path=path!("/security") view={Lazy::<SecurityLogRoute>::new()}/>
                            <Route path=path!("/enterprise") view={Lazy::<EnterpriseConfirmRoute>::new()}/>
                        </ParentRoute>
                        // Rendered whole before the first byte, so that the status (404, 429)
                        // is right and the page is complete without JavaScript.
                        <Route path=path!("/search") view={Lazy::<SearchRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/registration/:id") view={Lazy::<RegistrationRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/verify") view={Lazy::<VerifyLookupRoute>::new()}/>
                        <Route path=path!("/verify/:code") view={Lazy::<VerifyRoute>::new()} ssr=SsrMode::Async/>
                        // The mini-program (a mobile web app): its own login and the face check.
                        <Route path=path!("/m") view={Lazy::<MobileHomeRoute>::new()}/>
                        <Route path=path!("/m/login") view={Lazy::<MobileLoginRoute>::new()}/>
                        <Route path=path!("/m/scan") view={Lazy::<MobileScanRoute>::new()}/>
                    </Routes>
                </main>
                <DesktopOnly><SiteFooter/></DesktopOnly>
                <SessionWatch/>
                <RouteAnnouncer/>
            </div>
        </Router>
    }
}

/// The portal's header and footer, which the mini-program's pages (`/m…`) do without.
#[component]
fn DesktopOnly(children: ChildrenFn) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let desktop = move || {
        let path = location.pathname.get();
        !(path == "/m" || path.starts_with("/m/"))
    };
    view! { <Show when=desktop>{children()}</Show> }
}

/// Makes the signed-in user known to every page (see `components::session`).
#[component]
fn SessionScope() -> impl IntoView {
    provide_session();
}
