//! 找回密码: a code to the phone bound to the account sets a new password; it also lifts a
//! lock after too many wrong passwords.

use crate::accounts::api::recovery::ResetPassword;
use crate::accounts::pages::form_fields::{PhoneWithCode, TextField};
use crate::accounts::pages::kind_tabs::{KindTabs, kind_from_query};
use crate::accounts::pages::password_input::PasswordInput;
use crate::domain::account::AccountKind;
use crate::ui::document_fields::{DocumentFields, DocumentRefs, LOGIN_NAMES};
use crate::ui::form_errors::{FormAlert, FormErrors};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let kind = kind_from_query();
    let reset = ServerAction::<ResetPassword>::new();
    let errors = FormErrors::of(reset.value());
    let login_id = DocumentRefs::default();
    let kind_value = Signal::derive(move || kind.get().as_str().to_string());
    view! {
        <Title text="找回密码"/>
        <section class="page-section auth-page">
            <h1>"找回密码"</h1>
            <KindTabs base="/forgot-password" kind=kind person="个人用户" enterprise="法人用户"/>
            <p class="lead">"验证码将发送至账户绑定的手机号。重置成功后,账户的锁定随即解除,其他设备上的登录将退出。"</p>
            <ActionForm action=reset attr:class="auth-form" attr:aria-label="找回密码">
                <input type="hidden" name="kind" value=kind_value/>
                {move || match kind.get() {
                    AccountKind::Person => view! {
                        <DocumentFields prefix="login-id" names=LOGIN_NAMES errors=errors refs=login_id autocomplete="username"/>
                    }.into_any(),
                    AccountKind::Enterprise => view! {
                        <TextField id="login-id" name="login_id" label=AccountKind::Enterprise.login_id_label() errors=errors maxlength="18" node_ref=login_id.number/>
                    }.into_any(),
                }}
                <PhoneWithCode errors=errors purpose="reset_password" kind=kind_value login_id=login_id label="绑定的手机号"/>
                <PasswordInput id="password" name="password" label="新密码" autocomplete="new-password" errors=errors hint=crate::accounts::text::PASSWORD_RULE.get()/>
                <PasswordInput id="password-confirm" name="password_confirm" label="确认新密码" autocomplete="new-password" errors=errors/>
                <FormAlert errors=errors/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || reset.pending().get()>
                        "重置密码"
                    </button>
                </div>
            </ActionForm>
            <p class="auth-links"><a href="/login">"返回登录"</a></p>
        </section>
    }
}
