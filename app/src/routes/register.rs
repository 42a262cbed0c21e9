//! 注册 (FAQ 5, 6): 个人用户注册 and 企业用户注册. The ID number is checked here and by the
//! identity source; the phone proves itself with an SMS code; the password follows the rule.

use super::login::{KindTabs, kind_from_query};
use crate::api::auth::{RegisterEnterprise, RegisterPerson};
use crate::components::form_errors::{FieldError, FormAlert, FormErrors};
use crate::components::password_input::PasswordInput;
use crate::components::sms_code_button::SmsCodeButton;
use crate::models::account::AccountKind;
use leptos::form::ActionForm;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_meta::Title;

pub const PASSWORD_RULE: &str =
    "8–64位,至少包含大写字母、小写字母、数字、特殊符号中的三种,不能包含空格";

/// One labelled text input with its error.
#[component]
pub fn TextField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    errors: FormErrors,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] maxlength: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] node_ref: Option<NodeRef<Input>>,
) -> impl IntoView {
    let node_ref = node_ref.unwrap_or_default();
    let hint_id = format!("{id}-hint");
    let described = {
        let hint_id = hint_id.clone();
        move || {
            let mut ids = vec![];
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if errors.message(name).is_some() {
                ids.push(format!("{name}-error"));
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=name
                type="text"
                node_ref=node_ref
                autocomplete=if autocomplete.is_empty() { "off" } else { autocomplete }
                maxlength=maxlength.unwrap_or("64")
                inputmode=inputmode
                required
                spellcheck="false"
                aria-invalid=move || errors.invalid(name)
                aria-describedby=described
            />
            {hint.map(|text| view! { <p class="field-hint" id=hint_id.clone()>{text}</p> })}
            <FieldError errors=errors field=name/>
        </div>
    }
}

/// 手机号, 获取验证码 and 短信验证码.
#[component]
pub fn PhoneWithCode(
    errors: FormErrors,
    purpose: &'static str,
    #[prop(optional, into)] kind: Signal<String>,
    #[prop(optional)] login_id: Option<NodeRef<Input>>,
    #[prop(default = "手机号")] label: &'static str,
) -> impl IntoView {
    let phone = NodeRef::<Input>::new();
    let ticket = RwSignal::new(String::new());
    view! {
        <input type="hidden" name="sms_ticket" value=move || ticket.get()/>
        <div class="field">
            <label for="phone">{label}</label>
            <div class="input-with-button">
                <input
                    id="phone"
                    name="phone"
                    type="tel"
                    node_ref=phone
                    autocomplete="tel-national"
                    inputmode="numeric"
                    maxlength="16"
                    required
                    aria-invalid=move || errors.invalid("phone")
                    aria-describedby=move || errors.message("phone").map(|_| "phone-error")
                />
                <SmsCodeButton purpose=purpose phone=phone kind=kind login_id=login_id ticket=ticket/>
            </div>
            <FieldError errors=errors field="phone"/>
        </div>
        <TextField
            id="sms-code"
            name="sms_code"
            label="短信验证码"
            errors=errors
            autocomplete="one-time-code"
            maxlength="6"
            inputmode="numeric"
        />
    }
}

/// 密码, 确认密码 and, for registration, the consent to the privacy notice.
#[component]
fn PasswordPair(errors: FormErrors) -> impl IntoView {
    view! {
        <PasswordInput
            id="password"
            name="password"
            label="设置密码"
            autocomplete="new-password"
            errors=errors
            hint=PASSWORD_RULE
        />
        <PasswordInput
            id="password-confirm"
            name="password_confirm"
            label="确认密码"
            autocomplete="new-password"
            errors=errors
        />
    }
}

#[component]
fn Consent(errors: FormErrors) -> impl IntoView {
    view! {
        <div class="field consent">
            <label class="checkbox">
                <input
                    type="checkbox"
                    name="consent"
                    value="on"
                    aria-invalid=move || errors.invalid("consent")
                />
                "我已阅读并同意"
                <a href="/privacy" target="_blank" rel="noopener">"《隐私政策》"</a>
            </label>
            <FieldError errors=errors field="consent"/>
        </div>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let kind = kind_from_query();
    view! {
        <Title text="用户注册"/>
        <section class="page-section auth-page">
            <h1>{move || match kind.get() {
                AccountKind::Person => "个人用户注册",
                AccountKind::Enterprise => "企业用户注册",
            }}</h1>
            <KindTabs base="/register" kind=kind person="个人用户注册" enterprise="企业用户注册"/>
            {move || match kind.get() {
                AccountKind::Person => view! { <PersonForm/> }.into_any(),
                AccountKind::Enterprise => view! { <EnterpriseForm/> }.into_any(),
            }}
            <p class="auth-links">"已有账户?" <a href=move || format!("/login?kind={}", kind.get().as_str())>"直接登录"</a></p>
        </section>
    }
}

#[component]
fn PersonForm() -> impl IntoView {
    let register = ServerAction::<RegisterPerson>::new();
    let errors = FormErrors::of(register.value());
    view! {
        <ActionForm action=register attr:class="auth-form" attr:aria-label="个人用户注册">
            <TextField id="name" name="name" label="姓名" errors=errors autocomplete="name" maxlength="30"/>
            <TextField
                id="id-number"
                name="id_number"
                label="身份证号"
                errors=errors
                maxlength="18"
                hint="18位居民身份证号码,最后一位可为X"
            />
            <PhoneWithCode errors=errors purpose="register"/>
            <PasswordPair errors=errors/>
            <Consent errors=errors/>
            <FormAlert errors=errors/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary btn-block" disabled=move || register.pending().get()>
                    {move || if register.pending().get() { "正在注册…" } else { "注册" }}
                </button>
            </div>
        </ActionForm>
    }
}

#[component]
fn EnterpriseForm() -> impl IntoView {
    let register = ServerAction::<RegisterEnterprise>::new();
    let errors = FormErrors::of(register.value());
    view! {
        <ActionForm action=register attr:class="auth-form" attr:aria-label="企业用户注册">
            <TextField id="org-name" name="org_name" label="单位名称" errors=errors autocomplete="organization" maxlength="100"/>
            <TextField
                id="credit-code"
                name="credit_code"
                label="统一社会信用代码"
                errors=errors
                maxlength="18"
                hint="18位,见营业执照"
            />
            <TextField id="legal-name" name="legal_name" label="法定代表人姓名" errors=errors maxlength="30"/>
            <TextField
                id="legal-id-number"
                name="legal_id_number"
                label="法定代表人身份证号"
                errors=errors
                maxlength="18"
            />
            <PhoneWithCode errors=errors purpose="register" label="联系手机号"/>
            <PasswordPair errors=errors/>
            <Consent errors=errors/>
            <FormAlert errors=errors/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary btn-block" disabled=move || register.pending().get()>
                    {move || if register.pending().get() { "正在注册…" } else { "注册" }}
                </button>
            </div>
        </ActionForm>
    }
}
