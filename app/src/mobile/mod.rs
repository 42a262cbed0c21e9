//! The mini-program (小程序) as a mobile web app under `/m`: its frame, its own login, and a
//! home with the scan icon. The face check a desktop QR code asks for is in
//! [`face_check::phone`](crate::face_check::pages::phone), 我的证照 with 亮证 in
//! [`face_check::wallet`](crate::credentials::pages::wallet).

use crate::accounts::api::session::Login;
use crate::accounts::pages::password_input::PasswordInput;
use crate::accounts::pages::session::use_session;
use crate::platform::lang::{Text, use_lang};
use crate::ui::document_fields::{DocumentFields, LOGIN_NAMES};
use crate::ui::text::{APP, LOGIN};

const HOME_TITLE: Text = Text::new("小程序首页", "Mini-program");
const LOGIN_TITLE: Text = Text::new("小程序登录", "Sign in to the mini-program");
const SIGN_IN_FIRST: Text = Text::new(
    "请先登录,再扫描电脑上的二维码完成人脸识别。",
    "Sign in first, then scan the QR code on your computer for the face check.",
);
const SCAN: Text = Text::new("扫一扫", "Scan");
const WALLET_LINK: Text = Text::new("我的证照(亮证)", "Your certificates (show one)");
const NO_CODE: Text = Text::new(
    "未识别到有效的二维码内容,请重新扫码或粘贴电脑上显示的链接",
    "That is not a QR code of the portal: scan again, or paste the link shown on your computer",
);
const SCAN_HELP: Text = Text::new(
    "请使用手机相机或小程序扫一扫对准电脑上的二维码,识别后将自动打开认证页面。",
    "Point the phone's camera or the mini-program's scanner at the QR code on your computer; the check opens by itself.",
);
const SCANNING: Text = Text::new("正在扫码…", "Scanning…");
const OPEN_CAMERA: Text = Text::new("打开相机扫码", "Scan with the camera");
const CAMERA: Text = Text::new("相机取景", "Camera view");
const PASTE: Text = Text::new(
    "也可以粘贴二维码内容(电脑上“无法扫码?”处的链接):",
    "Or paste what the QR code holds (the link under “Cannot scan?” on your computer):",
);
const QR_TEXT: Text = Text::new("二维码内容", "QR code link");
const OPEN: Text = Text::new("打开", "Open");
use crate::ui::form_errors::{FormAlert, FormErrors};
use crate::ui::mobile::{MobileFrame, WALLET};
use crate::ui::status::Loading;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The scan icon: the phone's camera app or the mini-program's scanner opens the QR's
/// address directly; here a pasted code (the address) does the same.
#[component]
pub fn MobileHomePage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let scanning = RwSignal::new(false);
    view! {
        <MobileFrame title=HOME_TITLE>
            <Transition fallback=|| view! { <Loading/> }>
                {move || match session.current() {
                    None => view! {
                        <h1>{APP.of(lang)}</h1>
                        <p>{SIGN_IN_FIRST.of(lang)}</p>
                        <a class="btn btn-primary btn-block" href="/m/login">{LOGIN.of(lang)}</a>
                    }
                        .into_any(),
                    Some(user) => view! {
                        <div class="mobile-home-top">
                            <h1>{crate::accounts::text::hello(lang, &user.display_name)}</h1>
                            <button
                                type="button"
                                class="scan-icon"
                                aria-label=SCAN.of(lang)
                                aria-expanded=move || scanning.get().to_string()
                                on:click=move |_| scanning.update(|s| *s = !*s)
                            >
                                <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
                                    <path d="M3 7V3h4M17 3h4v4M21 17v4h-4M7 21H3v-4M3 12h18" fill="none" stroke="currentColor" stroke-width="2"/>
                                </svg>
                            </button>
                        </div>
                        <Show when=move || scanning.get()>
                            <ScanPanel/>
                        </Show>
                        <a class="btn btn-block mobile-entry" href=WALLET>{WALLET_LINK.of(lang)}</a>
                    }
                        .into_any(),
                }}
            </Transition>
        </MobileFrame>
    }
}

/// 扫一扫: the camera where the browser can read QR codes itself, or the code's address
/// pasted. Either opens the approval page of the desktop's request.
#[component]
fn ScanPanel() -> impl IntoView {
    let navigate = use_navigate();
    let pasted = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    // Known only in the browser: whether it can scan with the camera itself.
    let camera_scan = RwSignal::new(false);
    let camera_on = RwSignal::new(false);
    let video = NodeRef::<leptos::html::Video>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move || camera_scan.set(crate::ui::camera::can_scan()));
    let scan_with_camera = camera_scanner(video, camera_on, problem);
    on_cleanup(move || camera_on.set(false));
    let open = StoredValue::new(move || {
        let text = pasted.get_untracked();
        match text.find("/m/scan?t=") {
            Some(at) => navigate(&text[at..], Default::default()),
            None => problem.set(Some(NO_CODE.get().into())),
        }
    });
    view! {
        <section class="scan-panel" aria-label=SCAN.get()>
            <p>{SCAN_HELP.get()}</p>
            <Show when=move || camera_scan.get()>
                <button type="button" class="btn btn-primary btn-block" on:click=move |_| scan_with_camera.with_value(|f| f())>
                    {move || if camera_on.get() { SCANNING.get() } else { OPEN_CAMERA.get() }}
                </button>
            </Show>
            <video class="camera" node_ref=video playsinline muted hidden=move || !camera_on.get() aria-label=CAMERA.get()></video>
            <p>{PASTE.get()}</p>
            <div class="field">
                <label for="qr-text">{QR_TEXT.get()}</label>
                <input id="qr-text" type="url" inputmode="url" on:input=move |ev| pasted.set(event_target_value(&ev))/>
            </div>
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
            <button type="button" class="btn btn-primary btn-block" on:click=move |_| open.with_value(|f| f())>{OPEN.get()}</button>
        </section>
    }
}

/// 【打开相机扫码】: reads frames until one holds a QR code of this portal, then opens it.
/// Send + Sync values only: a page rendered on the server may finish on another thread than
/// it began (an async session read), and a thread-local value dropped there panics.
fn camera_scanner(
    video: NodeRef<leptos::html::Video>,
    camera_on: RwSignal<bool>,
    problem: RwSignal<Option<String>>,
) -> StoredValue<impl Fn() + Send + Sync + 'static> {
    let navigate = use_navigate();
    let lang = use_lang();
    StoredValue::new(move || {
        #[cfg(feature = "hydrate")]
        {
            use crate::ui::camera;
            let navigate = navigate.clone();
            let Some(el) = video.get() else { return };
            camera_on.set(true);
            leptos::task::spawn_local(async move {
                let stream = match camera::start(&el, "environment").await {
                    Ok(s) => s,
                    Err(e) => {
                        camera_on.set(false);
                        problem.set(Some(e.of(lang).to_string()));
                        return;
                    }
                };
                while camera_on.get_untracked() {
                    if let Some(text) = camera::detect_qr(el.as_ref()).await
                        && let Some(at) = text.find("/m/scan?t=")
                    {
                        camera::stop(&stream);
                        camera_on.set(false);
                        navigate(&text[at..], Default::default());
                        return;
                    }
                    camera::sleep(300).await;
                }
                camera::stop(&stream);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&navigate, video, camera_on, problem, lang);
    })
}

#[component]
pub fn MobileLoginPage() -> impl IntoView {
    let query = use_query_map();
    let login = ServerAction::<Login>::new();
    let errors = FormErrors::of(login.value());
    let next = move || {
        query.with(|q| {
            q.get("next")
                .filter(|n| n.starts_with("/m"))
                .unwrap_or_else(|| "/m".into())
        })
    };
    view! {
        <MobileFrame title=LOGIN_TITLE>
            <h1>{LOGIN.get()}</h1>
            <ActionForm action=login attr:class="auth-form" attr:aria-label=LOGIN_TITLE.get()>
                <input type="hidden" name="kind" value="person"/>
                <input type="hidden" name="next" value=next/>
                <DocumentFields prefix="m-login-id" names=LOGIN_NAMES errors=errors autocomplete="username"/>
                <PasswordInput id="m-password" name="password" label=crate::accounts::text::PASSWORD.get() autocomplete="current-password" errors=errors/>
                <FormAlert errors=errors/>
                <button type="submit" class="btn btn-primary btn-block">{LOGIN.get()}</button>
            </ActionForm>
        </MobileFrame>
    }
}
