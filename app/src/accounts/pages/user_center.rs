//! 用户中心: guarded pages of the signed-in user. The layout checks the session before any
//! of them renders; without one the browser goes to the login page and comes back after.

use crate::accounts::pages::session::use_session;
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::status::{ErrorAlert, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;

const SECTIONS: [(&str, &str); 6] = [
    ("我的证照", "/user/certificates"),
    ("授权用证", "/user/grants"),
    ("用证记录", "/user/uses"),
    ("我的办件与评价", "/user/evaluations"),
    ("账户设置", "/user/settings"),
    ("安全记录", "/user/security"),
];

#[component]
pub fn UserCenterLayout() -> impl IntoView {
    let location = use_location();
    let session = use_session();
    view! {
        <Title text="用户中心"/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || {
                session
                    .answer_for(&location.pathname.get())
                    .map(|outcome| match outcome {
                        Ok(Some(user)) if user.awaiting_confirmation => view! {
                            <section class="settings-card" aria-labelledby="awaiting">
                                <h1 id="awaiting">"法人账户待确认"</h1>
                                <p>{format!("{},您的法人账户已注册,尚待法定代表人确认。", user.display_name)}</p>
                                <p>
                                    "请法定代表人使用本人的个人用户账户登录,在“用户中心 → 确认法人账户”完成人脸识别认证后确认。"
                                    "确认前,本账户只能查看此状态。如对账户归属有异议,请通过"
                                    <a href="/contact">"联系我们"</a>"提出申诉。"
                                </p>
                            </section>
                        }
                            .into_any(),
                        Ok(Some(user)) => {
                            let here = location.pathname.get();
                            view! {
                                <div class="user-center">
                                    <nav class="user-nav" aria-label="用户中心">
                                        <p class="user-nav-name">{user.display_name}<span class="kind-badge">{user.kind.label()}</span></p>
                                        <ul>
                                            <li><a href="/user" aria-current=(here == "/user").then_some("page")>"用户中心"</a></li>
                                            {SECTIONS
                                                .into_iter()
                                                .map(|(label, path)| {
                                                    view! {
                                                        <li><a href=path aria-current=(here == path).then_some("page")>{label}</a></li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    </nav>
                                    <div class="user-main">
                                        <Outlet/>
                                    </div>
                                </div>
                            }
                                .into_any()
                        }
                        Ok(None) => {
                            let here = location.pathname.get_untracked();
                            // The guard runs again as the browser leaves for the login page:
                            // only a user-center address is one to come back to.
                            if !here.starts_with("/user") {
                                return ().into_any();
                            }
                            // Leptos sets the Location; the status makes it a real redirect.
                            #[cfg(feature = "ssr")]
                            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                                response.set_status(http::StatusCode::FOUND);
                            }
                            let next = crate::domain::url::percent_encode(&here);
                            view! { <Redirect path=format!("/login?next={next}")/> }.into_any()
                        }
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    })
            }}
        </Transition>
    }
}

/// 用户中心's first page: the user's services.
#[component]
pub fn UserCenterHome() -> impl IntoView {
    let session = use_session();
    view! {
        <Breadcrumb current="用户中心"/>
        <h1>"用户中心"</h1>
        <p class="lead">
            {move || session.current().map(|u| format!("您好,{}!", u.display_name))}
        </p>
        <ul class="service-grid">
            <li class="service-card">
                <a href="/user/certificates">
                    <span class="service-name">"我的证照"</span>
                    <span class="service-desc">"人脸识别验证后,查看、加注和下载电子证照"</span>
                </a>
            </li>
            <li class="service-card">
                <a href="/user/grants">
                    <span class="service-name">"授权用证"</span>
                    <span class="service-desc">"授权指定单位在一定期限内核验您的证照,随时撤销"</span>
                </a>
            </li>
            <li class="service-card">
                <a href="/user/uses">
                    <span class="service-name">"用证记录"</span>
                    <span class="service-desc">"谁在何时核验了您的证照副本、亮证二维码和授权链接"</span>
                </a>
            </li>
            <li class="service-card">
                <a href="/user/evaluations">
                    <span class="service-name">"我的办件与评价"</span>
                    <span class="service-desc">"对办结的服务进行评价,查看差评的核实、整改和回访情况"</span>
                </a>
            </li>
            <li class="service-card">
                <a href="/user/settings">
                    <span class="service-name">"账户设置"</span>
                    <span class="service-desc">"查看账户信息,修改绑定手机号和登录密码"</span>
                </a>
            </li>
            <Show when=move || session.current().is_some_and(|u| u.kind == crate::domain::account::AccountKind::Person)>
                <li class="service-card">
                    <a href="/user/enterprise">
                        <span class="service-name">"确认法人账户"</span>
                        <span class="service-desc">"您作为法定代表人,确认以您名义注册的法人账户"</span>
                    </a>
                </li>
            </Show>
            <li class="service-card">
                <a href="/user/security">
                    <span class="service-name">"安全记录"</span>
                    <span class="service-desc">"最近的登录、密码和手机号变更记录"</span>
                </a>
            </li>
        </ul>
    }
}
