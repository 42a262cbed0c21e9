//! 我的证照 in the mini-program (`/m/certificates`): the holder's certificates on the phone and
//! 亮证 — the certificate with a QR code that changes every 30 seconds, for anyone's camera to
//! open its live status. Like every use of a certificate it needs a face check of this
//! session within 30 minutes: the phone does one for itself (the same steps a desktop's QR
//! code asks for, on this phone's own request) and comes back here.

use crate::credentials::api::{StartShowing, holder_certificates};
use crate::credentials::text;
use crate::credentials::{CODE_REFRESH_SECONDS, ShowCode, Showing};
use crate::face_check::pages::phone::OwnFaceCheckButton;
use crate::platform::error::AppError;
use crate::platform::lang::use_lang;
use crate::ui::mobile::MobileFrame;
use crate::ui::mobile::WALLET;
use crate::ui::status::{ErrorAlert, Loading};
use leptos::prelude::*;

#[component]
pub fn MobileCertificatesPage() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| holder_certificates());
    let show = ServerAction::<StartShowing>::new();
    view! {
        <MobileFrame title=text::MY_CERTIFICATES>
            <h1>{text::MY_CERTIFICATES.of(lang)}</h1>
            <Transition fallback=|| view! { <Loading/> }>
                {move || list.get().map(|outcome| match outcome {
                    Err(AppError::Unauthenticated) => view! {
                        <p>{text::SIGN_IN_FIRST.of(lang)}</p>
                        <a class="btn btn-primary btn-block" href=format!("/m/login?next={}", crate::domain::url::percent_encode(WALLET))>{text::LOGIN.of(lang)}</a>
                    }
                        .into_any(),
                    Err(AppError::Refused(message)) if text::is_not_face_checked(&message) => view! {
                        <p class="notice" role="note">{message.of(lang).to_string()}</p>
                        <p>{text::SHOW_NEEDS_FACE_CHECK.of(lang)}</p>
                        <OwnFaceCheckButton next=WALLET/>
                    }
                        .into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(cards) if cards.is_empty() => view! {
                        <p class="notice" role="note">{text::NOTHING_TO_SHOW.of(lang)}</p>
                    }
                        .into_any(),
                    Ok(cards) => view! { <WalletCards cards=cards show=show/> }.into_any(),
                })}
            </Transition>
            {move || match show.value().get() {
                Some(Ok(showing)) => view! { <ShowPanel showing=showing show=show/> }.into_any(),
                // The face check lapsed since the list was shown: the way to a new one.
                Some(Err(AppError::Refused(message))) if text::is_not_face_checked(&message) => view! {
                    <p class="alert" role="alert">{message.of(lang).to_string()}</p>
                    <OwnFaceCheckButton next=WALLET/>
                }
                    .into_any(),
                Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                None => ().into_any(),
            }}
        </MobileFrame>
    }
}

/// The holder's certificates, each with 【亮证】.
#[component]
fn WalletCards(
    cards: Vec<crate::certificates::CertificateCard>,
    show: ServerAction<StartShowing>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="wallet-list">
            {cards
                .into_iter()
                .map(|c| {
                    let id = c.id.clone();
                    let label = text::show_label(lang, &c.title);
                    view! {
                        <li class="wallet-card">
                            <h2>{c.title.clone()}</h2>
                            <dl class="detail-list">
                                <dt>{text::CATEGORY.of(lang)}</dt><dd>{crate::registry::text::category(lang, &c.category)}</dd>
                                <dt>{text::REGISTRATION_NO.of(lang)}</dt><dd class="mono">{c.registration_no.clone()}</dd>
                                <dt>{text::LICENCE_ID.of(lang)}</dt><dd class="mono licence-id">{c.licence_id.clone()}</dd>
                            </dl>
                            <button type="button" class="btn btn-primary btn-block" aria-label=label
                                disabled=move || show.pending().get()
                                on:click=move |_| { show.dispatch(StartShowing { certificate_id: id.clone() }); }>
                                {text::SHOW.of(lang)}
                            </button>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// 亮证: the certificate and its QR code, renewed every 30 seconds while the showing lasts,
/// and at once when the phone's screen comes back (timers sleep while it is locked).
#[component]
fn ShowPanel(showing: Showing, show: ServerAction<StartShowing>) -> impl IntoView {
    let lang = use_lang();
    let code = RwSignal::new(Some(showing.code.clone()));
    let problem = RwSignal::new(None::<String>);
    let heading = NodeRef::<leptos::html::H2>::new();
    #[cfg(feature = "hydrate")]
    {
        let id = showing.id.clone();
        let refresh = move || {
            // An ended showing stays ended: nothing more to ask.
            if code.with_untracked(Option::is_none) {
                return;
            }
            let id = id.clone();
            leptos::task::spawn_local(async move {
                match crate::credentials::api::next_show_code(id).await {
                    Ok(next) => {
                        code.set(next);
                        problem.set(None);
                    }
                    Err(e) => problem.set(Some(text::code_not_renewed(lang, &e.message(lang)))),
                }
            });
        };
        let handle = set_interval_with_handle(
            refresh.clone(),
            std::time::Duration::from_secs(CODE_REFRESH_SECONDS as u64),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
        let visible = window_event_listener_untyped("visibilitychange", move |_| {
            if document().visibility_state() == web_sys::VisibilityState::Visible {
                refresh();
            }
        });
        on_cleanup(move || visible.remove());
        // The panel covers the list: the focus moves to it.
        Effect::new(move || {
            if let Some(h) = heading.get() {
                let _ = h.focus();
            }
        });
    }
    let certificate_id = StoredValue::new(text::licence_id(lang, &showing.licence_id));
    view! {
        <section class="show-panel" aria-labelledby="show-title">
            <h2 id="show-title" tabindex="-1" node_ref=heading>{text::SHOWING.of(lang)}</h2>
            <p class="show-title">{showing.title.clone()}</p>
            <dl class="detail-list">
                <dt>{text::CATEGORY.of(lang)}</dt><dd>{crate::registry::text::category(lang, &showing.category)}</dd>
                <dt>{text::REGISTRATION_NO.of(lang)}</dt><dd class="mono">{showing.registration_no.clone()}</dd>
            </dl>
            {move || problem.get().map(|p| view! { <p class="alert" role="alert">{p}</p> })}
            {move || match code.get() {
                Some(c) => view! { <LiveCode code=c/> }.into_any(),
                None => view! {
                    <p class="notice" role="status">{text::SHOW_ENDED.of(lang)}</p>
                }
                    .into_any(),
            }}
            <button type="button" class="btn btn-block" on:click=move |_| show.value().set(None)>{text::CLOSE.of(lang)}</button>
            <p class="field-hint">{move || certificate_id.get_value()}</p>
        </section>
    }
}

/// The QR code and when it was shown.
#[component]
fn LiveCode(code: ShowCode) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="qr show-qr" role="img" aria-label=text::SHOW_QR.of(lang) inner_html=code.qr_svg.clone()></div>
        <p class="show-time">{text::shown_at(lang, &code.shown_at)}</p>
        <p class="field-hint">
            {text::code_hint(lang, CODE_REFRESH_SECONDS, (code.showing_left + 59) / 60)}
        </p>
    }
}
