//! 找回密码: a code to the phone bound to the account sets a new password; it also lifts a
//! lock after too many wrong passwords.

use crate::accounts::api::recovery::ResetPassword;
use crate::accounts::pages::form_fields::{PhoneWithCode, TextField};
use crate::accounts::pages::kind_tabs::{KindTabs, kind_from_query};
use crate::accounts::pages::password_input::PasswordInput;
use crate::domain::account::AccountKind;
use crate::platform::lang::{Text, use_lang};
use crate::ui::document_fields::{DocumentFields, DocumentRefs, LOGIN_NAMES};
use crate::ui::form_errors::{FormAlert, FormErrors};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

const TITLE: Text = Text::new("找回密码", "Reset your password");
const PERSON: Text = Text::new("个人用户", "Person");
const ENTERPRISE: Text = Text::new("法人用户", "Organisation");
const LEAD: Text = Text::new(
    "验证码将发送至账户绑定的手机号。重置成功后,账户的锁定随即解除,其他设备上的登录将退出。",
    "We send a code to the mobile number on the account. Once the password is reset, any lock on the account is lifted and you are signed out on other devices.",
);
const CREDIT_CODE: Text = Text::new("统一社会信用代码", "Unified social credit code");
const BOUND_PHONE: Text = Text::new("绑定的手机号", "Mobile number on the account");
const NEW_PASSWORD: Text = Text::new("新密码", "New password");
const CONFIRM_NEW_PASSWORD: Text = Text::new("确认新密码", "Type the new password again");
const RESET: Text = Text::new("重置密码", "Reset password");
const BACK: Text = Text::new("返回登录", "Back to sign in");

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let title = TITLE.of(lang);
    let kind = kind_from_query();
    let reset = ServerAction::<ResetPassword>::new();
    let errors = FormErrors::of(reset.value());
    let login_id = DocumentRefs::default();
    let kind_value = Signal::derive(move || kind.get().as_str().to_string());
    view! {
        <Title text=title/>
        <section class="page-section auth-page">
            <h1>{title}</h1>
            <KindTabs base="/forgot-password" kind=kind person=PERSON.of(lang) enterprise=ENTERPRISE.of(lang)/>
            <p class="lead">{LEAD.of(lang)}</p>
            <ActionForm action=reset attr:class="auth-form" attr:aria-label=title>
                <input type="hidden" name="kind" value=kind_value/>
                {move || match kind.get() {
                    AccountKind::Person => view! {
                        <DocumentFields prefix="login-id" names=LOGIN_NAMES errors=errors refs=login_id autocomplete="username"/>
                    }.into_any(),
                    AccountKind::Enterprise => view! {
                        <TextField id="login-id" name="login_id" label=CREDIT_CODE.of(lang) errors=errors maxlength="18" node_ref=login_id.number/>
                    }.into_any(),
                }}
                <PhoneWithCode errors=errors purpose="reset_password" kind=kind_value login_id=login_id label=BOUND_PHONE.of(lang)/>
                <PasswordInput id="password" name="password" label=NEW_PASSWORD.of(lang) autocomplete="new-password" errors=errors hint=crate::accounts::text::PASSWORD_RULE.of(lang)/>
                <PasswordInput id="password-confirm" name="password_confirm" label=CONFIRM_NEW_PASSWORD.of(lang) autocomplete="new-password" errors=errors/>
                <FormAlert errors=errors/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || reset.pending().get()>
                        {RESET.of(lang)}
                    </button>
                </div>
            </ActionForm>
            <p class="auth-links"><a href="/login">{BACK.of(lang)}</a></p>
        </section>
    }
}
