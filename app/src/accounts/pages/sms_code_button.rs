//! 获取验证码 with its 60-second countdown. It reads the phone (and whatever else the server
//! needs for this purpose) from the form's own inputs when pressed.

use crate::accounts::api::sms::send_sms_code;
use crate::accounts::text;
use crate::platform::error::AppError;
use crate::ui::document_fields::DocumentRefs;
use leptos::html::Input;
use leptos::prelude::*;

#[component]
pub fn SmsCodeButton(
    /// `register`, `reset_password` or `change_phone`.
    purpose: &'static str,
    phone: NodeRef<Input>,
    /// `person` / `enterprise`, for `reset_password`.
    #[prop(optional, into)]
    kind: Signal<String>,
    /// The account's 证件类型, 证件号码 (or credit code) and passport country, for
    /// `reset_password`.
    #[prop(default = None)]
    login_id: Option<DocumentRefs>,
    /// Receives the 验证码凭据 of the code sent (the form posts it back beside the code).
    ticket: RwSignal<String>,
) -> impl IntoView {
    let lang = crate::platform::lang::use_lang();
    let send = Action::new(
        move |args: &(String, String, Option<(String, String, String)>)| {
            let (phone, kind, login_id) = args.clone();
            async move {
                let (id_kind, number, country) = login_id.unwrap_or_default();
                let login_id = (!number.is_empty()).then_some(number);
                send_sms_code(
                    purpose.to_string(),
                    phone,
                    Some(kind),
                    login_id,
                    id_kind,
                    country,
                )
                .await
            }
        },
    );
    let value_of = |input: Option<NodeRef<Input>>| input.and_then(|r| r.get()).map(|i| i.value());
    // What the last request was answered.
    let status = move || {
        send.value().get().map(|outcome| {
            outcome.map(|sent| text::code_sent(lang, &sent.phone_masked, sent.resend_after))
        })
    };
    let (seconds_left, ready_again) = countdown(send, ticket);
    let busy = move || send.pending().get() || seconds_left.get() > 0;
    let label = move || {
        let left = seconds_left.get();
        if send.pending().get() {
            text::SENDING.of(lang).to_string()
        } else if left > 0 {
            text::resend_in(lang, left)
        } else {
            text::GET_CODE.of(lang).to_string()
        }
    };
    view! {
        <button
            type="button"
            class="btn sms-button"
            disabled=busy
            on:click=move |_| {
                ready_again.set(false);
                let phone = value_of(Some(phone)).unwrap_or_default();
                send.dispatch((phone, kind.get_untracked(), login_id.map(DocumentRefs::read)));
            }
        >
            {label}
        </button>
        <p class="sms-status" role="status" aria-live="polite">
            {move || match status() {
                Some(Ok(text)) => view! { <span class="ok">{text}</span> }.into_any(),
                Some(Err(e)) => view! { <span class="error">{e.message(lang)}</span> }.into_any(),
                None => ().into_any(),
            }}
            {move || ready_again.get().then(|| view! { <span class="ok">{text::AGAIN.of(lang)}</span> })}
        </p>
    }
}

/// What an answer to 获取验证码 was, as the action keeps it.
type Sent = Result<crate::accounts::sms::SmsSent, AppError>;

/// The countdown an answer starts (the server says how long), and whether one has run out:
/// the button can be pressed again. An answer also hands the form the code's 验证码凭据.
fn countdown<I: 'static>(
    send: Action<I, Sent>,
    ticket: RwSignal<String>,
) -> (RwSignal<i64>, RwSignal<bool>) {
    let seconds_left = RwSignal::new(0i64);
    // Said (politely) when a countdown has run out: the button can be pressed again.
    let ready_again = RwSignal::new(false);
    // An answer starts the countdown (the server says how long) and hands the form the
    // code's 验证码凭据.
    Effect::new(move || match send.value().get() {
        Some(Ok(sent)) => {
            seconds_left.set(sent.resend_after);
            ticket.set(sent.ticket);
        }
        Some(Err(AppError::TooSoon(s))) => seconds_left.set(s),
        _ => {}
    });
    // One tick a second while counting down.
    Effect::new(move || {
        if seconds_left.get() > 0
            && let Ok(handle) = set_timeout_with_handle(
                move || {
                    seconds_left.update(|s| *s = (*s - 1).max(0));
                    if seconds_left.get_untracked() == 0 {
                        ready_again.set(true);
                    }
                },
                std::time::Duration::from_secs(1),
            )
        {
            on_cleanup(move || handle.clear());
        }
    });

    (seconds_left, ready_again)
}
