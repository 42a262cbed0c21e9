//! 账户设置 (FAQ 7): the account's name and ID masked, the bound phone with a pencil to
//! change it (a code to the new number and the current password), and 修改密码.

use crate::accounts::AccountSettings;
use crate::accounts::api::settings::{ChangePassword, ChangePhone, fetch_account_settings};
use crate::accounts::pages::form_fields::PhoneWithCode;
use crate::accounts::pages::password_input::PasswordInput;
use crate::domain::account::AccountKind;
use crate::platform::lang::{Lang, Text, use_lang};
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::form_errors::{FormAlert, FormErrors};
use crate::ui::status::{ErrorAlert, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountSettingsPage() -> impl IntoView {
    let lang = use_lang();
    let settings = Resource::new(|| (), |_| fetch_account_settings());
    let title = crate::ui::text::SETTINGS.of(lang);
    let trail = crate::ui::text::user_centre_trail(lang);
    view! {
        <Title text=title/>
        <Breadcrumb trail=trail current=title/>
        <h1>{title}</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || {
                settings
                    .get()
                    .map(|outcome| match outcome {
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                        Ok(s) => view! { <AccountDetails settings=s/> <PasswordChange/> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn AccountDetails(settings: AccountSettings) -> impl IntoView {
    let lang = use_lang();
    let change = ServerAction::<ChangePhone>::new();
    let errors = FormErrors::of(change.value());
    // The bound number: as loaded, then as the last change answered.
    let loaded = settings.phone_masked.clone();
    let phone = Memo::new(move |before: Option<&String>| match change.value().get() {
        Some(Ok(masked)) => masked,
        _ => before.cloned().unwrap_or_else(|| loaded.clone()),
    });
    let done = move || {
        change
            .value()
            .get()
            .and_then(Result::ok)
            .map(move |masked| match lang {
                Lang::Zh => format!("手机号已修改为 {masked}"),
                Lang::En => format!("Your phone number is now {masked}"),
            })
    };
    // The form is open from 【修改】 until a change succeeds or 【取消】.
    let editing = RwSignal::new(false);
    let form_open = move || editing.get() && done().is_none();
    let enterprise = settings.kind == AccountKind::Enterprise;
    view! {
        <section class="settings-card" aria-labelledby="account-info">
            <h2 id="account-info">{Text::new("账户信息", "Your details").of(lang)}</h2>
            <dl class="detail-list">
                <dt>{Text::new("用户类型", "Account type").of(lang)}</dt>
                <dd>{match (lang, settings.kind) {
                    (Lang::Zh, kind) => kind.label(),
                    (Lang::En, AccountKind::Person) => "Person",
                    (Lang::En, AccountKind::Enterprise) => "Organisation",
                }}</dd>
                {settings.org_name.clone().map(|org| view! { <dt>{Text::new("单位名称", "Organisation").of(lang)}</dt><dd>{org}</dd> })}
                {settings.credit_code.clone().map(|code| view! { <dt>{Text::new("统一社会信用代码", "Unified social credit code").of(lang)}</dt><dd>{code}</dd> })}
                <dt>{if enterprise { Text::new("法定代表人", "Legal representative").of(lang) } else { Text::new("姓名", "Name").of(lang) }}</dt>
                <dd>{settings.name_masked.clone()}</dd>
                <dt>{if enterprise { Text::new("法定代表人证件", "Legal representative's document").of(lang) } else { Text::new("证件", "Identity document").of(lang) }}</dt>
                <dd>{match lang { Lang::Zh => settings.id_kind.label(), Lang::En => settings.id_kind.english() }}" "<span class="mono">{settings.id_number_masked.clone()}</span></dd>
                <dt>{Text::new("手机号", "Phone").of(lang)}</dt>
                <dd class="phone-row">
                    <span data-testid="bound-phone">{move || phone.get()}</span>
                    <button
                        type="button"
                        class="icon-button"
                        aria-label={Text::new("修改手机号", "Change phone number").of(lang)}
                        aria-expanded=move || form_open().to_string()
                        aria-controls="phone-change"
                        on:click=move |_| {
                            let open = !form_open();
                            // A new change starts without the last one's answer.
                            change.value().set(None);
                            editing.set(open);
                        }
                    >
                        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
                            <path d="M3 17.25V21h3.75L17.8 9.94l-3.75-3.75L3 17.25zm17.7-10.2a1 1 0 0 0 0-1.42l-2.34-2.33a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75 1.83-1.83z" fill="currentColor"/>
                        </svg>
                    </button>
                </dd>
            </dl>
            {move || done().map(|text| view! { <p class="alert alert-success" role="status">{text}</p> })}
            <Show when=form_open>
                <ActionForm action=change attr:id="phone-change" attr:class="auth-form" attr:aria-label={Text::new("修改手机号", "Change phone number").of(lang)}>
                    <p class="field-hint">{Text::new("验证码将发送至新手机号;修改后,找回密码等短信将发送至新手机号。", "The code goes to the new number; afterwards, messages such as password recovery go there too.").of(lang)}</p>
                    <PhoneWithCode errors=errors purpose="change_phone" label={Text::new("新手机号", "New phone number").of(lang)}/>
                    <PasswordInput id="phone-password" name="password" label={Text::new("当前登录密码", "Your current password").of(lang)} autocomplete="current-password" errors=errors/>
                    <FormAlert errors=errors/>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" disabled=move || change.pending().get()>{Text::new("确定", "Change").of(lang)}</button>
                        <button type="button" class="btn" on:click=move |_| editing.set(false)>{crate::ui::text::CANCEL.of(lang)}</button>
                    </div>
                </ActionForm>
            </Show>
        </section>
    }
}

#[component]
fn PasswordChange() -> impl IntoView {
    let lang = use_lang();
    let change_password = Text::new("修改密码", "Change password").of(lang);
    let change = ServerAction::<ChangePassword>::new();
    let errors = FormErrors::of(change.value());
    let form = NodeRef::<leptos::html::Form>::new();
    let succeeded = move || matches!(change.value().get(), Some(Ok(())));
    Effect::new(move || {
        if succeeded()
            && let Some(form) = form.get()
        {
            form.reset();
        }
    });
    view! {
        <section class="settings-card" aria-labelledby="password-title">
            <h2 id="password-title">{change_password}</h2>
            <ActionForm action=change node_ref=form attr:class="auth-form" attr:aria-label=change_password>
                <PasswordInput id="current-password" name="current_password" label={Text::new("当前密码", "Current password").of(lang)} autocomplete="current-password" errors=errors/>
                <PasswordInput id="new-password" name="password" label={Text::new("新密码", "New password").of(lang)} autocomplete="new-password" errors=errors hint=crate::accounts::text::PASSWORD_RULE.get()/>
                <PasswordInput id="new-password-confirm" name="password_confirm" label={Text::new("确认新密码", "Type the new password again").of(lang)} autocomplete="new-password" errors=errors/>
                <FormAlert errors=errors/>
                <Show when=succeeded>
                    <p class="alert alert-success" role="status">{Text::new("密码已修改。其他设备上的登录已退出。", "Password changed. You have been signed out on other devices.").of(lang)}</p>
                </Show>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || change.pending().get()>{change_password}</button>
                </div>
            </ActionForm>
        </section>
    }
}
