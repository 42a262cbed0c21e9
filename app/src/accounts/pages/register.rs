//! 注册 (FAQ 5, 6): 个人用户注册 and 企业用户注册. The ID number is checked here and by the
//! identity source; the phone proves itself with an SMS code; the password follows the rule.

use crate::accounts::api::register::{RegisterEnterprise, RegisterPerson};
use crate::accounts::pages::enterprise as org;
use crate::accounts::pages::form_fields::{PhoneWithCode, TextField};
use crate::accounts::pages::kind_tabs::{KindTabs, kind_from_query};
use crate::accounts::pages::password_input::PasswordInput;
use crate::accounts::text;
use crate::domain::account::AccountKind;
use crate::platform::lang::use_lang;
use crate::ui::document_fields::{DocumentFields, DocumentNames};
use crate::ui::form_errors::{FieldError, FormAlert, FormErrors};

/// The legal representative's document fields.
const LEGAL_NAMES: DocumentNames = DocumentNames {
    kind: "legal_id_kind",
    number: "legal_id_number",
    country: "legal_id_country",
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// 密码, 确认密码 and, for registration, the consent to the privacy notice.
#[component]
fn PasswordPair(errors: FormErrors) -> impl IntoView {
    let lang = use_lang();
    view! {
        <PasswordInput
            id="password"
            name="password"
            label=text::SET_PASSWORD.of(lang)
            autocomplete="new-password"
            errors=errors
            hint=text::PASSWORD_RULE.of(lang)
        />
        <PasswordInput
            id="password-confirm"
            name="password_confirm"
            label=text::CONFIRM_PASSWORD.of(lang)
            autocomplete="new-password"
            errors=errors
        />
    }
}

#[component]
fn Consent(errors: FormErrors) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field consent">
            <label class="checkbox">
                <input
                    type="checkbox"
                    name="consent"
                    value="on"
                    aria-invalid=move || errors.invalid("consent")
                />
                {text::CONSENT.of(lang)}
                <a href="/privacy" target="_blank" rel="noopener">{text::PRIVACY.of(lang)}</a>
            </label>
            <FieldError errors=errors field="consent"/>
        </div>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = use_lang();
    let kind = kind_from_query();
    view! {
        <Title text=text::REGISTER.of(lang)/>
        <section class="page-section auth-page">
            <h1>{move || match kind.get() {
                AccountKind::Person => text::PERSON_REGISTER.of(lang),
                AccountKind::Enterprise => text::ENTERPRISE_REGISTER.of(lang),
            }}</h1>
            <KindTabs base="/register" kind=kind person=text::PERSON_REGISTER.of(lang) enterprise=text::ENTERPRISE_REGISTER.of(lang)/>
            {move || match kind.get() {
                AccountKind::Person => view! { <PersonForm/> }.into_any(),
                AccountKind::Enterprise => view! { <EnterpriseForm/> }.into_any(),
            }}
            <p class="auth-links">{text::HAVE_ACCOUNT.of(lang)} <a href=move || format!("/login?kind={}", kind.get().as_str())>{text::LOGIN_DIRECTLY.of(lang)}</a></p>
        </section>
    }
}

#[component]
fn PersonForm() -> impl IntoView {
    let lang = use_lang();
    let register = ServerAction::<RegisterPerson>::new();
    let errors = FormErrors::of(register.value());
    view! {
        <ActionForm action=register attr:class="auth-form" attr:aria-label=text::PERSON_REGISTER.of(lang)>
            <TextField id="name" name="name" label=text::NAME.of(lang) errors=errors autocomplete="name" maxlength="30"/>
            <DocumentFields prefix="id" errors=errors/>
            <PhoneWithCode errors=errors purpose="register"/>
            <AccountFields errors=errors pending=register.pending()/>
        </ActionForm>
    }
}

#[component]
fn EnterpriseForm() -> impl IntoView {
    let lang = use_lang();
    let register = ServerAction::<RegisterEnterprise>::new();
    let errors = FormErrors::of(register.value());
    view! {
        <ActionForm action=register attr:class="auth-form" attr:aria-label=text::ENTERPRISE_REGISTER.of(lang)>
            <TextField id="org-name" name="org_name" label=org::UNIT_NAME.of(lang) errors=errors autocomplete="organization" maxlength="100"/>
            <TextField
                id="credit-code"
                name="credit_code"
                label=org::CREDIT_CODE.of(lang)
                errors=errors
                maxlength="18"
                hint=org::CREDIT_CODE_HINT.of(lang)
            />
            <TextField id="legal-name" name="legal_name" label=org::LEGAL_NAME.of(lang) errors=errors maxlength="30"/>
            <DocumentFields prefix="legal-id" names=LEGAL_NAMES errors=errors whose=org::LEGAL_WHOSE.of(lang)/>
            <PhoneWithCode errors=errors purpose="register" label=org::CONTACT_PHONE.of(lang)/>
            <AccountFields errors=errors pending=register.pending()/>
        </ActionForm>
    }
}

/// What both registrations end with: the password twice, the consent, the form's alert and
/// 【注册】.
#[component]
fn AccountFields(errors: FormErrors, #[prop(into)] pending: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <PasswordPair errors=errors/>
        <Consent errors=errors/>
        <FormAlert errors=errors/>
        <div class="form-actions">
            <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
                {move || if pending.get() { text::REGISTERING.of(lang) } else { text::REGISTER_BUTTON.of(lang) }}
            </button>
        </div>
    }
}
