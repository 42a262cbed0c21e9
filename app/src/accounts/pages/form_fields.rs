//! Form pieces the account pages share: a labelled text field with its error, the phone with
//! 获取验证码 and the code (which posts back the code's 验证码凭据), and the password rule.

use crate::accounts::pages::sms_code_button::SmsCodeButton;
use crate::accounts::text;
use crate::ui::form_errors::{FieldError, FormErrors, described_by};
use leptos::html::Input;
use leptos::prelude::*;

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
            described_by([
                hint.map(|_| hint_id.clone()),
                errors.message(name).map(|_| format!("{name}-error")),
            ])
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
    #[prop(optional)] login_id: Option<crate::ui::document_fields::DocumentRefs>,
    #[prop(optional)] label: Option<&'static str>,
) -> impl IntoView {
    let lang = crate::platform::lang::use_lang();
    let label = label.unwrap_or_else(|| text::PHONE.of(lang));
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
            label=text::SMS_CODE.of(lang)
            errors=errors
            autocomplete="one-time-code"
            maxlength="6"
            inputmode="numeric"
        />
    }
}
