//! The mini-program (小程序) as a mobile web app under `/m`: its frame, its own login, and a
//! home with the scan icon. The face check a desktop QR code asks for is in
//! [`face_check::phone`](crate::face_check::pages::phone), 我的证照 with 亮证 in
//! [`face_check::wallet`](crate::credentials::pages::wallet).

use crate::accounts::api::session::Login;
use crate::accounts::pages::password_input::PasswordInput;
use crate::accounts::pages::session::use_session;
use crate::ui::document_fields::{DocumentFields, LOGIN_NAMES};
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
    let session = use_session();
    let scanning = RwSignal::new(false);
    view! {
        <MobileFrame title="小程序首页">
            <Transition fallback=|| view! { <Loading text="正在加载…"/> }>
                {move || match session.current() {
                    None => view! {
                        <h1>"住建部政务服务"</h1>
                        <p>"请先登录,再扫描电脑上的二维码完成人脸识别。"</p>
                        <a class="btn btn-primary btn-block" href="/m/login">"登录"</a>
                    }
                        .into_any(),
                    Some(user) => view! {
                        <div class="mobile-home-top">
                            <h1>{format!("您好,{}", user.display_name)}</h1>
                            <button
                                type="button"
                                class="scan-icon"
                                aria-label="扫一扫"
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
                        <a class="btn btn-block mobile-entry" href=WALLET>"我的证照(亮证)"</a>
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
            None => problem.set(Some(
                "未识别到有效的二维码内容,请重新扫码或粘贴电脑上显示的链接".into(),
            )),
        }
    });
    view! {
        <section class="scan-panel" aria-label="扫一扫">
            <p>"请使用手机相机或小程序扫一扫对准电脑上的二维码,识别后将自动打开认证页面。"</p>
            <Show when=move || camera_scan.get()>
                <button type="button" class="btn btn-primary btn-block" on:click=move |_| scan_with_camera.with_value(|f| f())>
                    {move || if camera_on.get() { "正在扫码…" } else { "打开相机扫码" }}
                </button>
            </Show>
            <video class="camera" node_ref=video playsinline muted hidden=move || !camera_on.get() aria-label="相机取景"></video>
            <p>"也可以粘贴二维码内容(电脑上“无法扫码?”处的链接):"</p>
            <div class="field">
                <label for="qr-text">"二维码内容"</label>
                <input id="qr-text" type="url" inputmode="url" on:input=move |ev| pasted.set(event_target_value(&ev))/>
            </div>
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
            <button type="button" class="btn btn-primary btn-block" on:click=move |_| open.with_value(|f| f())>"打开"</button>
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
                        problem.set(Some(e));
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
        let _ = (&navigate, video, camera_on, problem);
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
        <MobileFrame title="小程序登录">
            <h1>"登录"</h1>
            <ActionForm action=login attr:class="auth-form" attr:aria-label="小程序登录">
                <input type="hidden" name="kind" value="person"/>
                <input type="hidden" name="next" value=next/>
                <DocumentFields prefix="m-login-id" names=LOGIN_NAMES errors=errors autocomplete="username"/>
                <PasswordInput id="m-password" name="password" label="密码" autocomplete="current-password" errors=errors/>
                <FormAlert errors=errors/>
                <button type="submit" class="btn btn-primary btn-block">"登录"</button>
            </ActionForm>
        </MobileFrame>
    }
}
