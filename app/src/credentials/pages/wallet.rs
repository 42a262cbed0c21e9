//! 我的证照 in the mini-program (`/m/certificates`): the holder's certificates on the phone and
//! 亮证 — the certificate with a QR code that changes every 30 seconds, for anyone's camera to
//! open its live status. Like every use of a certificate it needs a face check of this
//! session within 30 minutes: the phone does one for itself (the same steps a desktop's QR
//! code asks for, on this phone's own request) and comes back here.

use crate::credentials::api::{StartShowing, holder_certificates};
use crate::credentials::{CODE_REFRESH_SECONDS, ShowCode, Showing};
use crate::face_check::pages::phone::OwnFaceCheckButton;
use crate::platform::error::AppError;
use crate::ui::mobile::MobileFrame;
use crate::ui::mobile::WALLET;
use crate::ui::status::{ErrorAlert, Loading};
use leptos::prelude::*;

#[component]
pub fn MobileCertificatesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| holder_certificates());
    let show = ServerAction::<StartShowing>::new();
    view! {
        <MobileFrame title=crate::platform::lang::Text::new("我的证照", "Your certificates")>
            <h1>"我的证照"</h1>
            <Transition fallback=|| view! { <Loading/> }>
                {move || list.get().map(|outcome| match outcome {
                    Err(AppError::Unauthenticated) => view! {
                        <p>"请先登录小程序。"</p>
                        <a class="btn btn-primary btn-block" href=format!("/m/login?next={}", crate::domain::url::percent_encode(WALLET))>"登录"</a>
                    }
                        .into_any(),
                    Err(AppError::Refused(message)) if message == crate::platform::auth::NOT_FACE_CHECKED => view! {
                        <p class="notice" role="note">{message}</p>
                        <p>"亮证前需在本机完成人脸识别认证,认证后 30 分钟内有效。"</p>
                        <OwnFaceCheckButton next=WALLET/>
                    }
                        .into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(cards) if cards.is_empty() => view! {
                        <p class="notice" role="note">"注册人员库中暂无您的注册信息,没有可出示的电子证照。"</p>
                    }
                        .into_any(),
                    Ok(cards) => view! { <WalletCards cards=cards show=show/> }.into_any(),
                })}
            </Transition>
            {move || match show.value().get() {
                Some(Ok(showing)) => view! { <ShowPanel showing=showing show=show/> }.into_any(),
                // The face check lapsed since the list was shown: the way to a new one.
                Some(Err(AppError::Refused(message))) if message == crate::platform::auth::NOT_FACE_CHECKED => view! {
                    <p class="alert" role="alert">{message}</p>
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
    view! {
        <ul class="wallet-list">
            {cards
                .into_iter()
                .map(|c| {
                    let id = c.id.clone();
                    let label = format!("亮证:{}", c.title);
                    view! {
                        <li class="wallet-card">
                            <h2>{c.title.clone()}</h2>
                            <dl class="detail-list">
                                <dt>"注册类别"</dt><dd>{c.category.clone()}</dd>
                                <dt>"注册编号"</dt><dd class="mono">{c.registration_no.clone()}</dd>
                                <dt>"电子证照标识"</dt><dd class="mono licence-id">{c.licence_id.clone()}</dd>
                            </dl>
                            <button type="button" class="btn btn-primary btn-block" aria-label=label
                                disabled=move || show.pending().get()
                                on:click=move |_| { show.dispatch(StartShowing { certificate_id: id.clone() }); }>
                                "亮证"
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
                    Err(e) => problem.set(Some(format!(
                        "二维码未能更新({e}),旧二维码1分钟后失效;网络恢复后将自动更新"
                    ))),
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
    let certificate_id = StoredValue::new(showing_certificate_hint(&showing));
    view! {
        <section class="show-panel" aria-labelledby="show-title">
            <h2 id="show-title" tabindex="-1" node_ref=heading>"亮证"</h2>
            <p class="show-title">{showing.title.clone()}</p>
            <dl class="detail-list">
                <dt>"注册类别"</dt><dd>{showing.category.clone()}</dd>
                <dt>"注册编号"</dt><dd class="mono">{showing.registration_no.clone()}</dd>
            </dl>
            {move || problem.get().map(|p| view! { <p class="alert" role="alert">{p}</p> })}
            {move || match code.get() {
                Some(c) => view! { <LiveCode code=c/> }.into_any(),
                None => view! {
                    <p class="notice" role="status">"本次亮证已结束。如需继续出示,请关闭后重新亮证。"</p>
                }
                    .into_any(),
            }}
            <button type="button" class="btn btn-block" on:click=move |_| show.value().set(None)>"关闭"</button>
            <p class="field-hint">{move || certificate_id.get_value()}</p>
        </section>
    }
}

/// The QR code and when it was shown.
#[component]
fn LiveCode(code: ShowCode) -> impl IntoView {
    view! {
        <div class="qr show-qr" role="img" aria-label="亮证二维码" inner_html=code.qr_svg.clone()></div>
        <p class="show-time">{format!("出示时间:{}", code.shown_at)}</p>
        <p class="field-hint">
            {format!(
                "二维码每{CODE_REFRESH_SECONDS}秒自动更新,截图1分钟后失效。本次亮证还可出示约{}分钟。",
                (code.showing_left + 59) / 60
            )}
        </p>
    }
}

fn showing_certificate_hint(showing: &Showing) -> String {
    format!("电子证照标识:{}", showing.licence_id)
}
