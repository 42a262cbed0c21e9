//! 住房和城乡建设部政务服务门户: the Leptos application shared by the server (`ssr`) and the
//! browser (`hydrate`): the page shell and the router. Each feature is one folder (its types,
//! server functions, SQL, rules and pages); under them the shared `ui`, the `platform` and the
//! `domain` value types (docs/architecture.md).

pub mod accounts;
pub mod care;
pub mod certificates;
pub mod credentials;
pub mod domain;
pub mod evaluation;
pub mod face_check;
pub mod mobile;
pub mod platform;
pub mod privacy;
pub mod registry;
pub mod site;
#[cfg(feature = "ssr")]
pub mod staff;
pub mod ui;

use accounts::pages::session::provide_session;
use accounts::pages::user_center::UserCenterLayout;
use care::bar::CareBar;
use care::route_announcer::RouteAnnouncer;
use care::session_watch::SessionWatch;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{ParentRoute, Route, Router, Routes},
    path,
};
use site::lazy::{LazyPage, Page};
use site::{footer::SiteFooter, header::SiteHeader, home::HomePage};
use ui::not_found::NotFound;

/// The portal's emblem as the browser tab's icon (`public/favicon.svg`, for other clients).
const FAVICON: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 48 48'%3E%3Ccircle cx='24' cy='24' r='23' fill='%23b71c1c'/%3E%3Ccircle cx='24' cy='24' r='19.5' fill='none' stroke='%23f6c244' stroke-width='1.5'/%3E%3Cpath d='M12 25 24 14l12 11' fill='none' stroke='%23f6c244' stroke-width='3' stroke-linejoin='round' stroke-linecap='round'/%3E%3Cpath d='M16 24v11h16V24' fill='none' stroke='%23f6c244' stroke-width='3' stroke-linejoin='round'/%3E%3Crect x='21.5' y='28' width='5' height='7' fill='%23f6c244'/%3E%3C/svg%3E";

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    platform::security::provide_request_nonce();
    // The 无障碍工具条's choices shape the first paint (see `care::bar`).
    #[cfg(feature = "ssr")]
    let classes = Some(care::bar::initial_care().classes()).filter(|c| !c.is_empty());
    #[cfg(not(feature = "ssr"))]
    let classes = None::<String>;
    // The page's language: the citizen's choice, else what the browser asks for.
    platform::lang::provide_lang();
    let lang = platform::lang::use_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() class=classes>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="description" content=site::text::DESCRIPTION.of(lang)/>
                // In the page, not fetched: one request fewer on every first visit.
                <link rel="icon" href=FAVICON type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <platform::hydration::PortalHydration options/>
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
    platform::lang::provide_lang();
    let lang = platform::lang::use_lang();

    view! {
        <Title formatter=move |text: String| format!("{text} - {}", site::text::PORTAL.of(lang))/>
        <Router>
            <SessionScope/>
            <div class="page" data-hydrated="false">
                <a class="skip-link" href="#main">{care::text::SKIP.of(lang)}</a>
                <CareBar/>
                <DesktopOnly><SiteHeader/></DesktopOnly>
                <main id="main" class="container" tabindex="-1">
                    <Routes fallback=NotFound>
                        <Route path=path!("") view=HomePage/>
                        <Route path=path!("/faq") view={LazyPage(Page::Faq)}/>
                        <Route path=path!("/contact") view={LazyPage(Page::Contact)}/>
                        <Route path=path!("/login") view={LazyPage(Page::Login)}/>
                        <Route path=path!("/register") view={LazyPage(Page::Register)}/>
                        <Route path=path!("/forgot-password") view={LazyPage(Page::ForgotPassword)}/>
                        <Route path=path!("/privacy") view={LazyPage(Page::Privacy)}/>
                        <Route path=path!("/evaluation") view={LazyPage(Page::Evaluation)} ssr=SsrMode::Async/>
                        <Route path=path!("/verifier") view={LazyPage(Page::Verifier)} ssr=SsrMode::Async/>
                        // Guarded: rendered whole so that a visitor without a session gets a
                        // real redirect to the login page.
                        <ParentRoute path=path!("/user") view=UserCenterLayout ssr=SsrMode::Async>
                            <Route path=path!("") view={LazyPage(Page::UserCenterHome)}/>
                            <Route path=path!("/certificates") view={LazyPage(Page::MyCertificates)}/>
                            <Route path=path!("/certificates/manage") view={LazyPage(Page::CertificateManage)}/>
                            <Route path=path!("/settings") view={LazyPage(Page::AccountSettings)}/>
                            <Route path=path!("/security") view={LazyPage(Page::SecurityLog)}/>
                            <Route path=path!("/wallet-authorize") view={LazyPage(Page::WalletAuthorize)}/>
                            <Route path=path!("/grants") view={LazyPage(Page::Grants)}/>
                            <Route path=path!("/uses") view={LazyPage(Page::Uses)}/>
                            <Route path=path!("/evaluations") view={LazyPage(Page::MyCases)}/>
                            <Route path=path!("/data") view={LazyPage(Page::MyData)}/>
                            <Route path=path!("/enterprise") view={LazyPage(Page::EnterpriseConfirm)}/>
                        </ParentRoute>
                        // Rendered whole before the first byte, so that the status (404, 429)
                        // is right and the page is complete without JavaScript.
                        <Route path=path!("/search") view={LazyPage(Page::Search)} ssr=SsrMode::Async/>
                        <Route path=path!("/registration/:id") view={LazyPage(Page::Registration)} ssr=SsrMode::Async/>
                        <Route path=path!("/verify") view={LazyPage(Page::VerifyLookup)}/>
                        <Route path=path!("/verify/:code") view={LazyPage(Page::Verify)} ssr=SsrMode::Async/>
                        <Route path=path!("/verify/show/:token") view={LazyPage(Page::ShowVerify)} ssr=SsrMode::Async/>
                        <Route path=path!("/verify/grant/:code") view={LazyPage(Page::GrantVerify)} ssr=SsrMode::Async/>
                        // The mini-program (a mobile web app): its own login and the face check.
                        <Route path=path!("/m") view={LazyPage(Page::MobileHome)}/>
                        <Route path=path!("/m/login") view={LazyPage(Page::MobileLogin)}/>
                        <Route path=path!("/m/scan") view={LazyPage(Page::MobileScan)}/>
                        <Route path=path!("/m/face-return") view={LazyPage(Page::MobileFaceReturn)}/>
                        <Route path=path!("/m/certificates") view={LazyPage(Page::MobileCertificates)}/>
                    </Routes>
                </main>
                <DesktopOnly><SiteFooter/></DesktopOnly>
                <SessionWatch/>
                <RouteAnnouncer/>
            </div>
        </Router>
    }
}

/// Marks the page live (`data-hydrated="true"` on `.page`) once the whole of it is hydrated,
/// the page's own chunk included: styles and tests can tell a server-rendered page from a live
/// one. Called by the browser's entry point when hydration has finished.
#[cfg(feature = "hydrate")]
pub fn mark_hydrated() {
    if let Some(page) = document().query_selector(".page").ok().flatten() {
        let _ = page.set_attribute("data-hydrated", "true");
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

/// Makes the signed-in user known to every page (see `accounts::pages::session`).
#[component]
fn SessionScope() -> impl IntoView {
    provide_session();
}
