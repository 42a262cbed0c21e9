//! 账户设置 (FAQ 7): the account's name and ID masked, the bound phone with a pencil to
//! change it (a code to the new number and the current password), and 修改密码.

use crate::accounts::AccountSettings;
use crate::accounts::api::closing::RequestClosing;
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
                        Ok(s) => {
                            let person = s.kind == AccountKind::Person;
                            view! {
                                <AccountDetails settings=s/>
                                <PasswordChange/>
                                <MyData/>
                                {person.then(|| view! { <CloseAccount/> })}
                            }
                                .into_any()
                        }
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

/// 个人信息导出: the way to the page that shows and downloads it.
#[component]
fn MyData() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="settings-card" aria-labelledby="my-data">
            <h2 id="my-data">{MY_DATA.of(lang)}</h2>
            <p>{MY_DATA_LEAD.of(lang)}</p>
            <p><a class="btn" href="/user/data">{EXPORT.of(lang)}</a></p>
        </section>
    }
}

/// 注销账户: what goes and what stays, then the password, a code to the bound phone and a
/// confirmation.
#[component]
fn CloseAccount() -> impl IntoView {
    let lang = use_lang();
    let close = ServerAction::<RequestClosing>::new();
    let errors = FormErrors::of(close.value());
    view! {
        <section class="settings-card" aria-labelledby="close-account">
            <h2 id="close-account">{CLOSE.of(lang)}</h2>
            <p>{CLOSE_LEAD.of(lang)}</p>
            <h3>{DELETED.of(lang)}</h3>
            <ul>{DELETED_ITEMS.map(|t| view! { <li>{t.of(lang)}</li> }).collect_view()}</ul>
            <h3>{KEPT.of(lang)}</h3>
            <ul>{KEPT_ITEMS.map(|t| view! { <li>{t.of(lang)}</li> }).collect_view()}</ul>
            <details class="close-account">
                <summary>{APPLY.of(lang)}</summary>
                <ActionForm action=close attr:class="auth-form" attr:aria-label=CLOSE.of(lang)>
                    <PhoneWithCode errors=errors purpose="close_account" label=BOUND_PHONE.of(lang)/>
                    <PasswordInput id="close-password" name="password" label={Text::new("当前登录密码", "Your current password").of(lang)} autocomplete="current-password" errors=errors/>
                    <div class="field consent">
                        <label class="checkbox">
                            <input type="checkbox" name="confirm" value="on" aria-invalid=move || errors.invalid("confirm")/>
                            {CONFIRM.of(lang)}
                        </label>
                        <crate::ui::form_errors::FieldError errors=errors field="confirm"/>
                    </div>
                    <FormAlert errors=errors/>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" disabled=move || close.pending().get()>{SUBMIT.of(lang)}</button>
                    </div>
                </ActionForm>
            </details>
        </section>
    }
}

const MY_DATA: Text = Text::new("导出我的信息", "Export your information");
const MY_DATA_LEAD: Text = Text::new(
    "查看并下载本门户保存的您的全部个人信息:账户信息、安全记录、用证记录、授权、导出的凭证、证照副本和与您证件绑定的注册信息(JSON 文件)。",
    "See and download everything the portal holds about you: your account, security record, who used your certificates, grants, exported credentials, copies and the registrations bound to your document (a JSON file).",
);
const EXPORT: Text = Text::new("导出我的信息", "Export your information");
const CLOSE: Text = Text::new("注销账户", "Close your account");
const CLOSE_LEAD: Text = Text::new(
    "申请后账户立即暂停使用,7 天冷静期满后注销;冷静期内登录可撤销注销。申请和注销完成时都会发送短信通知。",
    "Once you ask, the account stops working at once and is deleted after a 7-day cooling-off; sign in within it to cancel. A text message tells you when you ask and when it is done.",
);
const DELETED: Text = Text::new("将删除的信息", "What is deleted");
const DELETED_ITEMS: [Text; 4] = [
    Text::new(
        "手机号、登录密码、姓名和证件号码(掩码)",
        "Your phone number, password, name and masked document number",
    ),
    Text::new(
        "授权用证、亮证和登录会话",
        "Your grants, showings and sign-ins",
    ),
    Text::new(
        "导出的可验证凭证:先在状态列表中撤销,核验方将看到其已失效",
        "Credentials you exported: revoked first, so anyone who checks them sees they are no longer valid",
    ),
    Text::new(
        "数字钱包的领取请求和待发送的短信通知",
        "Wallet requests and text messages not yet sent",
    ),
];
const KEPT: Text = Text::new("将保留的信息及原因", "What is kept, and why");
const KEPT_ITEMS: [Text; 3] = [
    Text::new(
        "已出具的证照副本在有效期内仍可核验,因为已有单位凭其办事",
        "Copies you already handed out can still be checked until they expire, because an organisation relied on them",
    ),
    Text::new(
        "安全记录按法定期限保留,其中的账户以随机匿名标识代替",
        "Your security record is kept for its legal period, under a random anonymous id instead of you",
    ),
    Text::new(
        "全国注册信息由住房和城乡建设部管理,不属于账户,不因注销而删除",
        "Your entries in the national register belong to the ministry, not to the account, and stay",
    ),
];
const APPLY: Text = Text::new("申请注销账户", "Ask to close your account");
const BOUND_PHONE: Text = Text::new("本账户绑定的手机号", "Your account's phone number");
const CONFIRM: Text = Text::new(
    "我已了解注销的后果:冷静期满后账户和上述信息将被删除,无法恢复",
    "I understand that after the cooling-off the account and the information above are deleted for good",
);
const SUBMIT: Text = Text::new("确认注销", "Close my account");
