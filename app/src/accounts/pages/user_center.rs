//! 用户中心: guarded pages of the signed-in user. The layout checks the session before any
//! of them renders; without one the browser goes to the login page and comes back after.

use crate::accounts::pages::session::use_session;
use crate::accounts::text;
use crate::platform::lang::{Lang, Text, use_lang};
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::status::{ErrorAlert, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;

const AWAITING: Text = Text::new(
    "法人账户待确认",
    "Your organisation's account is waiting for confirmation",
);
const AWAITING_HOW: Text = Text::new(
    "请法定代表人使用本人的个人用户账户登录,在“用户中心 → 确认法人账户”完成人脸识别认证后确认。",
    "The legal representative signs in with their own personal account and, after a face check, confirms it under Your account → Confirm an organisation's account. ",
);
/// The dispute note: before the link, the link, after it.
const AWAITING_DISPUTE: [Text; 3] = [
    Text::new(
        "确认前,本账户只能查看此状态。如对账户归属有异议,请通过",
        "Until then this account can only see this page. If you think the account is not your organisation's, ",
    ),
    Text::new("联系我们", "contact us"),
    Text::new("提出申诉。", " to dispute it."),
];

/// …,您的法人账户已注册,尚待法定代表人确认。
fn awaiting_registered(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!("{name},您的法人账户已注册,尚待法定代表人确认。"),
        Lang::En => format!(
            "{name}: your organisation's account is registered and is waiting for its legal representative to confirm it."
        ),
    }
}

/// One of the user centre's services as a card.
fn card(name: Text, what: Text, path: &'static str) -> impl IntoView + use<> {
    let lang = use_lang();
    view! {
        <li class="service-card">
            <a href=path>
                <span class="service-name">{name.of(lang)}</span>
                <span class="service-desc">{what.of(lang)}</span>
            </a>
        </li>
    }
}

#[component]
pub fn UserCenterLayout() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let session = use_session();
    view! {
        <Title text=text::USER_CENTRE.of(lang)/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || {
                session
                    .answer_for(&location.pathname.get())
                    .map(|outcome| match outcome {
                        Ok(Some(user)) if user.closing_until.is_some() => view! {
                            <ClosingPanel
                                until=user.closing_until.unwrap_or_default()
                                enterprise=user.kind == crate::domain::account::AccountKind::Enterprise
                            />
                        }
                            .into_any(),
                        Ok(Some(user)) if user.awaiting_confirmation => view! {
                            <section class="settings-card" aria-labelledby="awaiting">
                                <h1 id="awaiting">{AWAITING.of(lang)}</h1>
                                <p>{awaiting_registered(lang, &user.display_name)}</p>
                                <p>
                                    {AWAITING_HOW.of(lang)}
                                    {AWAITING_DISPUTE[0].of(lang)}
                                    <a href="/contact">{AWAITING_DISPUTE[1].of(lang)}</a>{AWAITING_DISPUTE[2].of(lang)}
                                </p>
                            </section>
                        }
                            .into_any(),
                        Ok(Some(user)) => {
                            let here = location.pathname.get();
                            view! {
                                <div class="user-center">
                                    <nav class="user-nav" aria-label=text::USER_CENTRE.of(lang)>
                                        <p class="user-nav-name">{user.display_name}<span class="kind-badge">{match lang { crate::platform::lang::Lang::Zh => user.kind.label(), crate::platform::lang::Lang::En => match user.kind { crate::domain::account::AccountKind::Person => "Person", crate::domain::account::AccountKind::Enterprise => "Organisation" } }}</span></p>
                                        <ul>
                                            <li><a href="/user" aria-current=(here == "/user").then_some("page")>{text::USER_CENTRE.of(lang)}</a></li>
                                            {text::SECTIONS
                                                .into_iter()
                                                .map(|(label, _, path)| {
                                                    view! {
                                                        <li><a href=path aria-current=(here == path).then_some("page")>{label.of(lang)}</a></li>
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
    let lang = use_lang();
    let session = use_session();
    view! {
        <Breadcrumb current=text::USER_CENTRE.of(lang)/>
        <h1>{text::USER_CENTRE.of(lang)}</h1>
        <p class="lead">
            {move || session.current().map(|u| text::hello(lang, &u.display_name))}
        </p>
        <ul class="service-grid">
            {text::SECTIONS[..5].iter().map(|(name, what, path)| card(*name, *what, path)).collect_view()}
            <Show when=move || session.current().is_some_and(|u| u.kind == crate::domain::account::AccountKind::Person)>
                {card(text::CONFIRM_ENTERPRISE.0, text::CONFIRM_ENTERPRISE.1, "/user/enterprise")}
            </Show>
            {let (name, what, path) = text::SECTIONS[5]; card(name, what, path)}
        </ul>
    }
}

/// What an account being closed sees when it signs in: when it will be deleted, and
/// 【撤销注销】, which keeps it (with or without script: the form posts).
#[component]
fn ClosingPanel(until: String, enterprise: bool) -> impl IntoView {
    let lang = use_lang();
    let cancel = ServerAction::<crate::accounts::api::closing::CancelClosing>::new();
    let errors = crate::ui::form_errors::FormErrors::of(cancel.value());
    let kept = move || matches!(cancel.value().get(), Some(Ok(())));
    view! {
        <section class="settings-card" aria-labelledby="closing">
            <h1 id="closing">{CLOSING_TITLE.of(lang)}</h1>
            <Show
                when=kept
                fallback=move || {
                    let until = until.clone();
                    if enterprise {
                        return view! {
                            <p>{enterprise_closing(lang, &until)}</p>
                        }
                            .into_any();
                    }
                    view! {
                        <p>{closing_until(lang, &until)}</p>
                        <leptos::form::ActionForm action=cancel attr:class="auth-form" attr:aria-label=CANCEL_CLOSING.of(lang)>
                            <crate::ui::form_errors::FormAlert errors=errors/>
                            <div class="form-actions">
                                <button type="submit" class="btn btn-primary" disabled=move || cancel.pending().get()>{CANCEL_CLOSING.of(lang)}</button>
                            </div>
                        </leptos::form::ActionForm>
                    }
                    .into_any()
                }
            >
                <p class="alert alert-success" role="status">{KEPT.of(lang)}" "<a href="/user">{text::USER_CENTRE.of(lang)}</a></p>
            </Show>
        </section>
    }
}

const CLOSING_TITLE: Text = Text::new("账户注销中", "Your account is being closed");
const CANCEL_CLOSING: Text = Text::new("撤销注销", "Cancel closing");
const KEPT: Text = Text::new(
    "已撤销注销,账户恢复正常使用。",
    "Closing is cancelled: your account works as before.",
);

fn closing_until(lang: Lang, until: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "您已申请注销本账户,账户已暂停使用,将于 {until} 完成注销并删除个人信息。如需继续使用本账户,请点击【撤销注销】。"
        ),
        Lang::En => format!(
            "You asked to close this account. It cannot be used now and will be deleted, with your personal information, at {until} (Beijing time). To keep it, choose Cancel closing."
        ),
    }
}

fn enterprise_closing(lang: Lang, until: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "法定代表人已申请注销本法人账户,账户已暂停使用,将于 {until} 完成注销。如需继续使用,请法定代表人使用本人的个人账户,在“确认法人账户”中完成人脸识别认证后撤销注销。"
        ),
        Lang::En => format!(
            "The legal representative asked to close this organisation's account. It cannot be used now and will be deleted at {until} (Beijing time). To keep it, the legal representative cancels from their own account, under Confirm an organisation's account, after a face check."
        ),
    }
}
