//! 我的证照 → 人脸识别认证 (manual §6, 图 6-1-4; FAQ 2, 3): the QR code the mini-program scans,
//! its lifetime, the live state (pushed by server-sent events, polled when the stream breaks),
//! 刷新二维码, and 【手动跳转】. A session with a face check in the last 30 minutes goes straight
//! on to 电子证照管理.

use crate::face_check::api::{StartFaceCheck, fetch_face_ticket_status, open_face_check};
use crate::face_check::rules::FaceState;
use crate::face_check::text;
use crate::face_check::{FaceTicketStatus, FaceTicketView};
use crate::platform::lang::{Lang, use_lang};
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::status::{ErrorAlert, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;
use std::time::Duration;

pub const MANAGE_PATH: &str = "/user/certificates/manage";
/// Where a legal representative confirms an enterprise account after the face check.
pub const ENTERPRISE_PATH: &str = "/user/enterprise";
/// Where a wallet's authorization request waits for the holder.
pub const WALLET_AUTHORIZE_PATH: &str = "/user/wallet-authorize";

/// Where the page goes once the check has passed: 电子证照管理, or the enterprise confirmation
/// when the check was asked for there (`?then=enterprise`). Only these two: never a path
/// taken from the address.
fn after_check_path() -> String {
    let query = leptos_router::hooks::use_query_map();
    query.with_untracked(|q| match q.get("then").as_deref() {
        Some("enterprise") => ENTERPRISE_PATH.to_string(),
        // A wallet's authorization request waiting for the holder (OpenID4VCI): back to it.
        Some("wallet") => match q.get("request") {
            Some(r)
                if !r.is_empty()
                    && r.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
            {
                format!("{WALLET_AUTHORIZE_PATH}?request={r}")
            }
            _ => MANAGE_PATH.to_string(),
        },
        _ => MANAGE_PATH.to_string(),
    })
}

#[component]
pub fn FaceCheckPage() -> impl IntoView {
    let lang = use_lang();
    let target = after_check_path();
    // One resource and one server function for the page: whether the session has passed a
    // check, and if not the page's QR code. The server may render the page's parts more than
    // once, and the browser takes over whichever resource comes first: every one of them
    // must hold the same answer, or the browser would ask again and end the QR code shown.
    let page = Resource::new(|| (), |_| open_face_check());
    view! {
        <Title text=text::TITLE.of(lang)/>
        <Breadcrumb
            trail=crate::ui::text::user_centre_trail(lang)
            current=text::MY_CERTIFICATES.of(lang)
        />
        <h1>{text::TITLE.of(lang)}</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || {
                page.get()
                    .map(|outcome| match outcome {
                        Ok(None) => view! { <Redirect path=target.clone()/> }.into_any(),
                        Ok(Some(first)) => view! { <FaceCheckPanel first=first/> }.into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn FaceCheckPanel(first: FaceTicketView) -> impl IntoView {
    let lang = use_lang();
    let [before, faq, or, contact, after] = text::OTHER_WAYS.map(|t| t.of(lang));
    let refresh = ServerAction::<StartFaceCheck>::new();
    // What to do instead of the face check, in the page's language.
    let assisted_only = match lang {
        Lang::Zh => first.assisted_only.clone(),
        Lang::En => first.assisted_only_en.clone(),
    };
    let ticket = Memo::new(move |_| match refresh.value().get() {
        Some(result) => result,
        None => Ok(first.clone()),
    });
    view! {
        <div class="face-check">
            <ol class="face-steps">
                {text::STEPS.map(|t| view! { <li>{t.of(lang)}</li> })}
            </ol>
            // WCAG 3.3.8: the face check is not the only way; say what else there is.
            <p class="notice" role="note">
                {before}
                <a href="/faq">{faq}</a>
                {or}
                <a href="/contact">{contact}</a>
                {after}
            </p>
            {assisted_only.clone().map(|text| view! { <p class="alert alert-info" role="note">{text}</p> })}
            <AssistedCode open_first=assisted_only.is_some()/>
            {move || match ticket.get() {
                Ok(t) => view! { <TicketView ticket=t refresh=refresh/> }.into_any(),
                Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
            }}
        </div>
    }
}

/// 协助核验: the one-time code a citizen verified by a 受理员 received by SMS stands in for
/// the face check of this session.
#[component]
fn AssistedCode(open_first: bool) -> impl IntoView {
    use crate::face_check::assisted::{FIELD, RedeemAssistedCode};
    use crate::ui::form_errors::{FieldError, FormAlert, FormErrors};
    let lang = use_lang();
    let redeem = ServerAction::<RedeemAssistedCode>::new();
    let errors = FormErrors::of(redeem.value());
    let navigate = use_navigate();
    let target = after_check_path();
    Effect::new(move || {
        if matches!(redeem.value().get(), Some(Ok(()))) {
            navigate(&target, Default::default());
        }
    });
    view! {
        <details class="assisted-code" open=move || open_first || errors.message(FIELD).is_some()>
            <summary>{text::ASSISTED.of(lang)}</summary>
            <leptos::form::ActionForm action=redeem>
                <div class="field">
                    <label for="assisted-code">{text::ASSISTED_CODE.of(lang)}</label>
                    <input id="assisted-code" name="code" type="text" inputmode="numeric"
                        autocomplete="one-time-code" maxlength="6" required
                        aria-invalid=move || errors.invalid(FIELD)
                        aria-describedby=move || errors.message(FIELD).map(|_| format!("{FIELD}-error"))/>
                    <FieldError errors=errors field=FIELD/>
                </div>
                <FormAlert errors=errors/>
                <div class="form-actions">
                    <button type="submit" class="btn" disabled=move || redeem.pending().get()>{text::ASSISTED_SUBMIT.of(lang)}</button>
                </div>
            </leptos::form::ActionForm>
        </details>
    }
}

#[component]
fn TicketView(ticket: FaceTicketView, refresh: ServerAction<StartFaceCheck>) -> impl IntoView {
    let lang = use_lang();
    let status = RwSignal::new(ticket.status.clone());
    let seconds = RwSignal::new(ticket.status.seconds_left);
    let large = RwSignal::new(false);
    let note = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let target = after_check_path();
    let ticket_id = ticket.ticket_id.clone();

    // Leave for 电子证照管理 the moment the server says the check passed.
    Effect::new(move || {
        if status.get().state == FaceState::Passed {
            navigate(&target, Default::default());
        }
    });
    count_down(status, seconds);
    // Push, with polling as the fallback.
    #[cfg(feature = "hydrate")]
    {
        let id = ticket_id.clone();
        Effect::new(move || live::follow(id.clone(), status, seconds));
    }

    let manual = manual_jump(ticket_id, status, note, lang);

    let state_class = move || format!("face-state state-{}", status.get().state.as_str());
    view! {
        <div class="qr-panel">
            <div class=move || if large.get() { "qr qr-large" } else { "qr" } role="img" aria-label=text::QR.of(lang) inner_html=ticket.qr_svg.clone()></div>
            <p class=state_class role="status" aria-live="polite">
                {text::STATE.of(lang)} <strong>{move || text::state(lang, status.get().state)}</strong>
                {move || {
                    let s = status.get();
                    let reason = crate::face_check::failures::text(&s.failure).of(lang);
                    (!s.message.is_empty()).then(|| view! { <span class="face-reason">{reason}</span> })
                }}
            </p>
            <p class="qr-lifetime">
                {move || {
                    if status.get().state.is_final() {
                        String::new()
                    } else {
                        text::expires_in(lang, seconds.get())
                    }
                }}
            </p>
            <div class="form-actions qr-actions">
                <button
                    type="button"
                    class="btn"
                    aria-pressed=move || large.get().to_string()
                    on:click=move |_| large.update(|l| *l = !*l)
                >
                    {move || if large.get() { text::SMALLER.of(lang) } else { text::LARGER.of(lang) }}
                </button>
                <Show when=move || matches!(status.get().state, FaceState::Expired | FaceState::Failed)>
                    <button type="button" class="btn btn-primary" on:click=move |_| { refresh.dispatch(StartFaceCheck {}); }>
                        {text::REFRESH.of(lang)}
                    </button>
                </Show>
                <button type="button" class="btn" on:click=move |_| { manual.dispatch(()); }>{text::MANUAL.of(lang)}</button>
            </div>
            {move || note.get().map(|n| view! { <p class="alert alert-info" role="status">{n}</p> })}
            <details class="qr-fallback">
                <summary>{text::CANNOT_SCAN.of(lang)}</summary>
                <p>{text::CANNOT_SCAN_HELP.of(lang)}</p>
                <p class="mono"><a href=ticket.scan_url.clone()>{ticket.scan_url.clone()}</a></p>
            </details>
        </div>
    }
}

/// Counts the ticket's lifetime down between the server's answers; at zero it has expired.
fn count_down(status: RwSignal<FaceTicketStatus>, seconds: RwSignal<i64>) {
    Effect::new(move || {
        if seconds.get() > 0
            && !status.with(|s| s.state.is_final())
            && let Ok(handle) = set_timeout_with_handle(
                move || {
                    seconds.update(|s| *s = (*s - 1).max(0));
                    if seconds.get_untracked() == 0 {
                        status.update(|s| {
                            if !s.state.is_final() {
                                s.state = FaceState::Expired;
                            }
                        });
                    }
                },
                Duration::from_secs(1),
            )
        {
            on_cleanup(move || handle.clear());
        }
    });
}

/// 【手动跳转】: asks the server for the ticket's state; passed, it goes on, otherwise it says
/// why not.
fn manual_jump(
    ticket_id: String,
    status: RwSignal<FaceTicketStatus>,
    note: RwSignal<Option<String>>,
    lang: Lang,
) -> Action<(), ()> {
    let navigate = use_navigate();
    let target = after_check_path();
    Action::new(move |_: &()| {
        let id = ticket_id.clone();
        let navigate = navigate.clone();
        let target = target.clone();
        async move {
            match fetch_face_ticket_status(id).await {
                Ok(s) if s.state == FaceState::Passed => {
                    navigate(&target, Default::default());
                }
                Ok(s) => {
                    let message = if s.state.is_final() {
                        text::unfinished(lang, s.state)
                    } else {
                        text::NOT_YET.of(lang).to_string()
                    };
                    note.set(Some(message));
                    status.set(s);
                }
                Err(e) => note.set(Some(e.message(lang))),
            }
        }
    })
}

/// The event stream and the polling fallback, in the browser.
#[cfg(feature = "hydrate")]
mod live {
    use super::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    /// Listens to `/api/face_events/<id>`; if the stream fails, polls every 2 s instead.
    pub fn follow(id: String, status: RwSignal<FaceTicketStatus>, seconds: RwSignal<i64>) {
        let apply = move |s: FaceTicketStatus| {
            seconds.set(s.seconds_left);
            status.set(s);
        };
        let owner = Owner::current();
        let Ok(source) = web_sys::EventSource::new(&format!("/api/face_events/{id}")) else {
            poll(id, status, apply);
            return;
        };
        let on_state =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                if let Some(text) = ev.data().as_string()
                    && let Ok(s) = serde_json::from_str::<FaceTicketStatus>(&text)
                {
                    apply(s);
                }
            });
        let _ = source.add_event_listener_with_callback("state", on_state.as_ref().unchecked_ref());
        let failed = {
            let source = source.clone();
            let id = id.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                // A stream that ended after the final state needs nothing more.
                if status.with_untracked(|s| s.state.is_final()) {
                    source.close();
                    return;
                }
                source.close();
                if let Some(owner) = &owner {
                    owner.with(|| poll(id.clone(), status, apply));
                }
            })
        };
        source.set_onerror(Some(failed.as_ref().unchecked_ref()));
        let keep = send_wrapper::SendWrapper::new((source, on_state, failed));
        on_cleanup(move || keep.0.close());
    }

    fn poll(
        id: String,
        status: RwSignal<FaceTicketStatus>,
        apply: impl Fn(FaceTicketStatus) + Copy + 'static,
    ) {
        let handle = set_interval_with_handle(
            move || {
                if status.with_untracked(|s| s.state.is_final()) {
                    return;
                }
                let id = id.clone();
                leptos::task::spawn_local(async move {
                    if let Ok(s) = fetch_face_ticket_status(id).await {
                        apply(s);
                    }
                });
            },
            Duration::from_secs(2),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
}
