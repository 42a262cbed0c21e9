//! 登录 (manual §6, FAQ 1): 个人用户登录 with 身份证号, 法人用户登录 with 统一社会信用代码, and a
//! password field with the eye button and the Caps Lock hint. A form that posts, so it works
//! before the page's script has loaded.

use crate::accounts::api::session::Login;
use crate::accounts::pages::password_input::PasswordInput;
use crate::domain::account::AccountKind;
use crate::ui::document_fields::{DocumentFields, LOGIN_NAMES};
use crate::ui::form_errors::{FieldError, FormAlert, FormErrors};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::accounts::pages::kind_tabs::{KindTabs, kind_from_query};

/// What the login page says first: a registration done, a password reset, or a session that
/// timed out.
fn notice_for(q: &leptos_router::params::ParamsMap) -> Option<String> {
    if let Some(k) = q.get("registered") {
        let kind = AccountKind::from_form(&k);
        Some(if kind == AccountKind::Enterprise {
            "注册成功!法人账户须由法定代表人使用本人的个人用户账户登录,在“用户中心 → 确认法人账户”完成人脸识别认证后确认,确认后方可使用。".to_string()
        } else {
            format!("注册成功!请使用{}和密码登录。", kind.login_id_label())
        })
    } else if q.get("reset").is_some() {
        Some("密码已重置,请使用新密码登录。".to_string())
    } else if q.get("expired").is_some() {
        Some("由于长时间未操作,登录已失效,请重新登录。".to_string())
    } else {
        None
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let kind = kind_from_query();
    let login = ServerAction::<Login>::new();
    let errors = FormErrors::of(login.value());
    let notice = move || query.with(notice_for);
    let next = move || query.with(|q| q.get("next").unwrap_or_default());
    let title = move || match kind.get() {
        AccountKind::Person => "个人用户登录",
        AccountKind::Enterprise => "法人用户登录",
    };

    view! {
        <Title text="登录"/>
        <section class="page-section auth-page">
            <h1>{title}</h1>
            <KindTabs base="/login" kind=kind person="个人用户登录" enterprise="法人用户登录"/>
            {move || notice().map(|text| view! { <p class="alert alert-info" role="status">{text}</p> })}
            <ActionForm action=login attr:class="auth-form" attr:aria-label=title>
                <input type="hidden" name="kind" value=move || kind.get().as_str()/>
                <input type="hidden" name="next" value=next/>
                {move || match kind.get() {
                    AccountKind::Person => view! {
                        <DocumentFields prefix="login-id" names=LOGIN_NAMES errors=errors autocomplete="username"/>
                    }
                    .into_any(),
                    AccountKind::Enterprise => view! {
                        <div class="field">
                            <label for="login-id">{AccountKind::Enterprise.login_id_label()}</label>
                            <input
                                id="login-id"
                                name="login_id"
                                type="text"
                                autocomplete="username"
                                maxlength="18"
                                required
                                spellcheck="false"
                                autocapitalize="characters"
                                aria-invalid=move || errors.invalid("login_id")
                                aria-describedby=move || errors.message("login_id").map(|_| "login_id-error")
                            />
                            <FieldError errors=errors field="login_id"/>
                        </div>
                    }
                    .into_any(),
                }}
                <PasswordInput
                    id="login-password"
                    name="password"
                    label="密码"
                    autocomplete="current-password"
                    errors=errors
                />
                <FormAlert errors=errors/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || login.pending().get()>
                        {move || if login.pending().get() { "正在登录…" } else { "登录" }}
                    </button>
                </div>
                <p class="auth-links">
                    <a href=move || format!("/forgot-password?kind={}", kind.get().as_str())>"忘记密码"</a>
                    <span aria-hidden="true">" | "</span>
                    <a href=move || format!("/register?kind={}", kind.get().as_str())>"立即注册"</a>
                </p>
            </ActionForm>
            <aside class="auth-help" aria-label="登录帮助">
                <h2>"登录提示"</h2>
                <ul>
                    <li>"请先选择证件类型:港澳居民可选择港澳居民来往内地通行证或港澳台居民居住证,台湾居民可选择台湾居民来往大陆通行证,外国人可选择外国人永久居留身份证或护照。"</li>
                    <li>"证件号码和密码中不能包含空格;身份证号最后一位为X时请输入大写或小写字母X均可。"</li>
                    <li>"请注意大写锁定(Caps Lock)是否开启。"</li>
                    <li>"密码连续错误5次,账户将被锁定30分钟;可通过【忘记密码】用手机验证码重置密码并立即解锁。"</li>
                </ul>
            </aside>
        </section>
    }
}
