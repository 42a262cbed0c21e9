//! 登录 (manual §6, FAQ 1): 个人用户登录 with 身份证号, 法人用户登录 with 统一社会信用代码, and a
//! password field with the eye button and the Caps Lock hint. A form that posts, so it works
//! before the page's script has loaded.

use crate::accounts::api::session::Login;
use crate::accounts::pages::password_input::PasswordInput;
use crate::accounts::text;
use crate::domain::account::AccountKind;
use crate::platform::lang::{Lang, use_lang};
use crate::ui::document_fields::{DocumentFields, LOGIN_NAMES};
use crate::ui::form_errors::{FieldError, FormAlert, FormErrors};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::accounts::pages::kind_tabs::{KindTabs, kind_from_query};

/// What the login page says first: a registration done, a password reset, or a session that
/// timed out.
fn notice_for(q: &leptos_router::params::ParamsMap, lang: Lang) -> Option<&'static str> {
    let text = if let Some(k) = q.get("registered") {
        match AccountKind::from_form(&k) {
            AccountKind::Enterprise => text::REGISTERED_ENTERPRISE,
            AccountKind::Person => text::REGISTERED_PERSON,
        }
    } else if q.get("reset").is_some() {
        text::RESET_DONE
    } else if q.get("expired").is_some() {
        text::EXPIRED
    } else {
        return None;
    };
    Some(text.of(lang))
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let kind = kind_from_query();
    let login = ServerAction::<Login>::new();
    let errors = FormErrors::of(login.value());
    let notice = move || query.with(|q| notice_for(q, lang));
    let next = move || query.with(|q| q.get("next").unwrap_or_default());
    let title = move || match kind.get() {
        AccountKind::Person => text::PERSON_LOGIN.of(lang),
        AccountKind::Enterprise => text::ENTERPRISE_LOGIN.of(lang),
    };

    view! {
        <Title text=text::LOGIN.of(lang)/>
        <section class="page-section auth-page">
            <h1>{title}</h1>
            <KindTabs base="/login" kind=kind person=text::PERSON_LOGIN.of(lang) enterprise=text::ENTERPRISE_LOGIN.of(lang)/>
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
                            <label for="login-id">{crate::accounts::pages::enterprise::CREDIT_CODE.of(lang)}</label>
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
                    label=text::PASSWORD.of(lang)
                    autocomplete="current-password"
                    errors=errors
                />
                <FormAlert errors=errors/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || login.pending().get()>
                        {move || if login.pending().get() { text::LOGGING_IN.of(lang) } else { text::LOGIN.of(lang) }}
                    </button>
                </div>
                <p class="auth-links">
                    <a href=move || format!("/forgot-password?kind={}", kind.get().as_str())>{text::FORGOT.of(lang)}</a>
                    <span aria-hidden="true">" | "</span>
                    <a href=move || format!("/register?kind={}", kind.get().as_str())>{text::REGISTER_NOW.of(lang)}</a>
                </p>
            </ActionForm>
            <aside class="auth-help" aria-label=text::LOGIN_HELP.of(lang)>
                <h2>{text::LOGIN_TIPS.of(lang)}</h2>
                <ul>{text::TIPS.map(|t| view! { <li>{t.of(lang)}</li> })}</ul>
            </aside>
        </section>
    }
}
