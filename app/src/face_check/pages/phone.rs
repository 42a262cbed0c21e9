//! The face check a desktop QR code asks of the mini-program (`/m/scan`) — the approval
//! screen (which
//! desktop request), the authorisation sheet, the 身份证号 the provider needs, the hand-off
//! to the provider's own page, and the result when the provider sends the phone back (manual
//! §6, 图 6-1-5 … 6-1-7).

use crate::domain::url::percent_encode;
use crate::face_check::PhoneTicketInfo;
use crate::face_check::api::{
    AllowFaceCheck, BeginFaceCheck, DenyFaceCheck, FinishFaceCheck, ScanFaceTicket, StartFaceCheck,
    read_face_ticket,
};
use crate::face_check::text;
use crate::platform::error::AppError;
use crate::platform::lang::{Lang, use_lang};
use crate::ui::dialog::Dialog;
use crate::ui::form_errors::{FieldError, FormAlert, FormErrors};
use crate::ui::mobile::MobileFrame;
use crate::ui::status::{ErrorAlert, Loading};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::time::Duration;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Approve,
    Authorise,
    Face,
    Failed,
}

/// What the QR's address opens: `/m/scan?t=<token>`. Whether the phone is signed in is
/// the server's answer to reading the ticket (401 → the mini-program's login, back here
/// after), not the page's cached session, which can still say "nobody" for a moment right
/// after logging in.
#[component]
pub fn MobileScanPage() -> impl IntoView {
    let query = use_query_map();
    let token = Memo::new(move |_| query.with(|q| q.get("t").unwrap_or_default()));
    // The phone's own check for 亮证 comes back to 我的证照; any other goes home.
    let back =
        if query.with_untracked(|q| q.get("next").as_deref() == Some(crate::ui::mobile::WALLET)) {
            crate::ui::mobile::WALLET
        } else {
            "/m"
        };
    view! {
        <MobileFrame title=text::TITLE>
            <ScanFlow token=token.get_untracked() back=back/>
        </MobileFrame>
    }
}

/// The four steps' server actions on one ticket, and its token.
#[derive(Clone, Copy)]
struct Flow {
    token: StoredValue<String>,
    scan: ServerAction<ScanFaceTicket>,
    allow: ServerAction<AllowFaceCheck>,
    deny: ServerAction<DenyFaceCheck>,
}

impl Flow {
    /// Where the citizen is, from what the server answered: each step's action moves it on.
    fn step(self) -> Step {
        if self.deny.value().get().is_some() {
            Step::Failed
        } else if matches!(self.allow.value().get(), Some(Ok(()))) {
            Step::Face
        } else if matches!(self.scan.value().get(), Some(Ok(_))) {
            Step::Authorise
        } else {
            Step::Approve
        }
    }

    /// What went wrong at the furthest step that failed, in `lang`.
    fn problem(self, lang: Lang) -> Option<String> {
        let failed = |e: Option<AppError>| e.map(|e| e.message(lang));
        failed(self.allow.value().get().and_then(Result::err))
            .or_else(|| failed(self.scan.value().get().and_then(Result::err)))
    }

    fn scan(self) {
        self.scan.dispatch(ScanFaceTicket {
            token: self.token.get_value(),
        });
    }
}

#[component]
fn ScanFlow(token: String, back: &'static str) -> impl IntoView {
    let info = {
        let token = token.clone();
        Resource::new(move || token.clone(), read_face_ticket)
    };
    let flow = Flow {
        token: StoredValue::new(token),
        scan: ServerAction::new(),
        allow: ServerAction::new(),
        deny: ServerAction::new(),
    };
    let lang = use_lang();
    let step = Memo::new(move |_| flow.step());
    let problem = Memo::new(move |_| flow.problem(lang));
    // Not signed in on this phone: to the mini-program's login, and back here after.
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Err(AppError::Unauthenticated)) = info.get() {
            let next = percent_encode(&format!("/m/scan?t={}", flow.token.get_value()));
            navigate(&format!("/m/login?next={next}"), Default::default());
        }
    });
    let problem_alert = move || {
        problem
            .get()
            .map(|p| view! { <p class="alert" role="alert">{p}</p> })
    };
    view! {
        <Transition fallback=move || view! { <Loading text=text::READING.get()/> }>
            {move || {
                info.get().map(|outcome| match outcome {
                    Err(e) => view! { <Unusable error=e flow=flow/> }.into_any(),
                    Ok(info) => view! {
                        {problem_alert}
                        {move || match step.get() {
                            Step::Approve | Step::Authorise => view! {
                                <Approve info=info.clone() flow=flow authorising=Signal::derive(move || step.get() == Step::Authorise)/>
                            }
                                .into_any(),
                            Step::Face => view! { <FaceStep flow=flow kind=info.id_kind/> }.into_any(),
                            Step::Failed => view! { <Outcome passed=false back=back own=info.own_device/> }.into_any(),
                        }}
                    }
                        .into_any(),
                })
            }}
        </Transition>
    }
}

/// A ticket this phone cannot use, and why. Another person's phone: 【通知电脑端】 ends the
/// ticket so the desktop says why too (an explicit POST; opening the link changes nothing).
#[component]
fn Unusable(error: AppError, flow: Flow) -> impl IntoView {
    let lang = use_lang();
    let wrong_person = error.to_string()
        == crate::face_check::failures::message(crate::face_check::failures::WRONG_PERSON);
    view! {
        <h1>{text::UNUSABLE.get()}</h1>
        <p class="alert" role="alert">{error.message(lang)}</p>
        {move || flow.problem(lang).map(|p| view! { <p class="alert" role="alert">{p}</p> })}
        <Show when=move || wrong_person && flow.scan.value().get().is_none()>
            <button type="button" class="btn btn-block" on:click=move |_| flow.scan()>{text::NOTIFY.get()}</button>
        </Show>
        <a class="btn btn-block" href="/m">{text::HOME.get()}</a>
    }
}

/// Which desktop asks, 【下一步】, then the authorisation sheet (【拒绝】/【允许】).
#[component]
fn Approve(info: PhoneTicketInfo, flow: Flow, authorising: Signal<bool>) -> impl IntoView {
    let token = move || flow.token.get_value();
    view! {
        <section class="approve" aria-labelledby="approve-title">
            <h1 id="approve-title">{crate::platform::lang::PORTAL.get()}</h1>
            <p>{if info.own_device { text::OWN_REQUEST.get() } else { text::DESKTOP_REQUEST.get() }}</p>
            <dl class="detail-list">
                <dt>{text::REQUESTED_AT.get()}</dt><dd>{info.requested_at}</dd>
                <dt>{text::BROWSER.get()}</dt><dd>{info.browser}</dd>
                <dt>{text::IP.get()}</dt><dd>{info.ip}</dd>
            </dl>
            <p class="field-hint">{text::NOT_YOU.get()}</p>
            <button type="button" class="btn btn-primary btn-block" disabled=move || flow.scan.pending().get() on:click=move |_| flow.scan()>{text::NEXT.get()}</button>
        </section>
        <Show when=move || authorising.get()>
            <Dialog kind="sheet" labelled_by="sheet-text">
                <p id="sheet-text">{text::SHEET.get()}</p>
                <div class="sheet-actions">
                    <button type="button" class="btn" on:click=move |_| { flow.deny.dispatch(DenyFaceCheck { token: token() }); }>{text::DENY.get()}</button>
                    <button type="button" class="btn btn-primary" on:click=move |_| { flow.allow.dispatch(AllowFaceCheck { token: token() }); }>{text::ALLOW.get()}</button>
                </div>
            </Dialog>
        </Show>
    }
}

/// 人脸识别: the 身份证号 the provider checks the face against (the portal keeps only a keyed
/// digest of it, so the citizen types it; the server compares before the provider is asked),
/// then 【开始人脸识别】 hands the phone to the provider's page.
#[component]
fn FaceStep(flow: Flow, kind: crate::domain::DocumentKind) -> impl IntoView {
    let lang = use_lang();
    let number = match lang {
        Lang::Zh => kind.number_label(),
        Lang::En => kind.english_number_label(),
    };
    let label = match lang {
        Lang::Zh => format!("本人{number}"),
        Lang::En => format!("Your {}", number.to_lowercase()),
    };
    let begin = ServerAction::<BeginFaceCheck>::new();
    let errors = FormErrors::of(begin.value());
    let leaving = Memo::new(move |_| matches!(begin.value().get(), Some(Ok(_))));
    Effect::new(move || {
        if let Some(Ok(url)) = begin.value().get() {
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().assign(&url);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = url;
        }
    });
    view! {
        <section class="face-step" aria-labelledby="face-title">
            <h1 id="face-title">{text::FACE.of(lang)}</h1>
            <FacePreview/>
            <ActionForm action=begin attr:class="auth-form" attr:aria-label=text::FACE.of(lang)>
                <input type="hidden" name="token" value=move || flow.token.get_value()/>
                <div class="field">
                    <label for="face-id-number">{label}</label>
                    <input id="face-id-number" name="id_number" type="text" autocomplete="off" maxlength="20" required
                        aria-describedby="face-id-hint" aria-invalid=move || errors.invalid("id_number")/>
                    <p class="field-hint" id="face-id-hint">{text::FACE_HINT.of(lang)}</p>
                    <FieldError errors=errors field="id_number"/>
                </div>
                <p>{text::POSTURE.of(lang)}</p>
                <FormAlert errors=errors/>
                <button type="submit" class="btn btn-primary btn-block" disabled=move || begin.pending().get() || leaving.get()>
                    {move || if leaving.get() { text::LEAVING.of(lang) } else if begin.pending().get() { text::WAIT.of(lang) } else { text::START.of(lang) }}
                </button>
            </ActionForm>
        </section>
    }
}

/// Where the provider sends the phone back: `/m/face-return?ticket=…&token=…`. The page asks
/// the server for the result (the server asks the provider) and shows 认证成功 or 认证失败.
#[component]
pub fn MobileFaceReturnPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let ticket = query.with_untracked(|q| q.get("ticket").unwrap_or_default());
    let token = query.with_untracked(|q| q.get("token"));
    let finish = ServerAction::<FinishFaceCheck>::new();
    let dispatch = {
        let (ticket, token) = (ticket.clone(), token.clone());
        move || {
            finish.dispatch(FinishFaceCheck {
                ticket: ticket.clone(),
                token: token.clone(),
            });
        }
    };
    // Once, in the browser: a server render must not change a ticket.
    Effect::new({
        let dispatch = dispatch.clone();
        move |done: Option<()>| {
            if done.is_none() {
                dispatch();
            }
        }
    });
    let navigate = use_navigate();
    let here = match &token {
        Some(t) => format!("/m/face-return?ticket={ticket}&token={}", percent_encode(t)),
        None => format!("/m/face-return?ticket={ticket}"),
    };
    Effect::new(move || {
        if let Some(Err(AppError::Unauthenticated)) = finish.value().get() {
            navigate(
                &format!("/m/login?next={}", percent_encode(&here)),
                Default::default(),
            );
        }
    });
    let dispatch = StoredValue::new(dispatch);
    view! {
        <MobileFrame title=text::TITLE>
            {move || match finish.value().get() {
                None => view! { <Loading text=text::RESULT_LOADING.get()/> }.into_any(),
                Some(Ok(r)) => {
                    let back = if r.own_device { crate::ui::mobile::WALLET } else { "/m" };
                    view! {
                        <Outcome passed=r.passed back=back own=r.own_device/>
                        {(!r.message.is_empty()).then(|| {
                            let reason = crate::face_check::failures::text(&r.failure).of(lang);
                            view! { <p class="alert" role="alert">{reason}</p> }
                        })}
                    }
                        .into_any()
                }
                Some(Err(e)) => view! {
                    <h1>{text::RESULT_UNKNOWN.get()}</h1>
                    <p class="alert" role="alert">{e.message(lang)}</p>
                    <button type="button" class="btn btn-primary btn-block" disabled=move || finish.pending().get()
                        on:click=move |_| dispatch.with_value(|d| d())>{text::RESULT_AGAIN.get()}</button>
                    <a class="btn btn-block" href="/m">{text::HOME.get()}</a>
                }
                    .into_any(),
            }}
        </MobileFrame>
    }
}

/// The front camera's picture inside the face frame, where the browser allows it. Nothing is
/// recorded or sent: the provider's own capture does the check.
#[component]
fn FacePreview() -> impl IntoView {
    let video = NodeRef::<leptos::html::Video>::new();
    let live = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        use crate::ui::camera;
        let stream = StoredValue::new_local(None::<web_sys::MediaStream>);
        Effect::new(move || {
            if let Some(el) = video.get()
                && camera::has_camera()
            {
                leptos::task::spawn_local(async move {
                    if let Ok(s) = camera::start(&el, "user").await {
                        stream.set_value(Some(s));
                        live.set(true);
                    }
                });
            }
        });
        on_cleanup(move || {
            if let Some(Some(s)) = stream.try_get_value() {
                camera::stop(&s);
            }
        });
    }
    view! {
        <div class="face-frame">
            <video node_ref=video class="face-video" playsinline muted aria-label=text::PREVIEW.get() hidden=move || !live.get()></video>
        </div>
    }
}

/// 认证成功 with 【返回 (2)】 counting down to the mini-program's home.
#[component]
fn Outcome(passed: bool, back: &'static str, own: bool) -> impl IntoView {
    let lang = use_lang();
    let left = RwSignal::new(2i64);
    let navigate = use_navigate();
    Effect::new(move || {
        let n = left.get();
        let navigate = navigate.clone();
        if let Ok(h) = set_timeout_with_handle(
            move || {
                if n <= 1 {
                    navigate(back, Default::default());
                } else {
                    left.set(n - 1);
                }
            },
            Duration::from_secs(1),
        ) {
            on_cleanup(move || h.clear());
        }
    });
    view! {
        <section class="result" role="status">
            {if passed {
                view! {
                    <h1>{text::PASSED.of(lang)}</h1>
                    <p>{text::PASSED_LEAD.of(lang)}</p>
                    <p class="field-hint">{if own { text::BACK_TO_WALLET.of(lang) } else { text::DESKTOP_MOVES_ON.of(lang) }}</p>
                }
                    .into_any()
            } else {
                view! {
                    <h1>{text::FAILED.of(lang)}</h1>
                    <p>{if own { text::FAILED_OWN.of(lang) } else { text::FAILED_DESKTOP.of(lang) }}</p>
                }
                    .into_any()
            }}
            <a class="btn btn-primary btn-block" href=back>{move || text::back_in(lang, left.get())}</a>
        </section>
    }
}

/// 【人脸识别认证】 for a page of the mini-program that needs this phone's own face check (我的证照
/// before 亮证): the same steps a desktop's QR code asks for, on this phone's own request, then
/// back to `next`. Why one could not start is said above the button. The scan page goes back
/// only to the pages it knows (`WALLET` today; see `MobileScanPage`), anywhere else to `/m`:
/// a new caller adds its page there.
#[component]
pub fn OwnFaceCheckButton(next: &'static str) -> impl IntoView {
    let check = ServerAction::<StartFaceCheck>::new();
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(ticket)) = check.value().get()
            && let Some(at) = ticket.scan_url.find("/m/scan?t=")
        {
            let next = percent_encode(next);
            navigate(
                &format!("{}&next={next}", &ticket.scan_url[at..]),
                Default::default(),
            );
        }
    });
    view! {
        {move || check.value().get().and_then(Result::err).map(|e| view! { <ErrorAlert error=e/> })}
        <button type="button" class="btn btn-primary btn-block" disabled=move || check.pending().get()
            on:click=move |_| { check.dispatch(StartFaceCheck {}); }>
            {text::TITLE.get()}
        </button>
    }
}
