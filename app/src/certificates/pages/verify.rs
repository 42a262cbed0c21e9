//! 证照核验 (journey 8), no login. `/verify/<code>` is the page a copy's QR code opens: whether
//! the copy is genuine, what it certifies, for whom (masked), whether its 加注 is still valid,
//! and whether the certificate has changed or been revoked since. `/verify` is where anyone
//! types the 核验码 printed under the QR code (a plain GET form: it works without JavaScript)
//! or picks a photo of the QR code, decoded in the browser where `BarcodeDetector` exists.

use crate::certificates::Verification;
use crate::certificates::api::verify_copy;
use crate::ui::status::{ErrorAlert, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// The 核验码 in what was typed or scanned: 32 hex digits, spaces and hyphens ignored, or the
/// code inside a whole `/verify/<code>` address.
pub fn code_in(text: &str) -> Option<String> {
    let text = text.trim();
    let tail = text.rsplit("/verify/").next().unwrap_or(text);
    let code: String = tail
        .chars()
        .take_while(|c| !matches!(c, '?' | '#'))
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    crate::certificates::api::is_code(&code).then_some(code)
}

/// `/verify`: 证照核验 by the typed 核验码 or a photo of the QR code.
#[component]
pub fn VerifyLookupPage() -> impl IntoView {
    let query = use_query_map();
    let typed = query.with_untracked(|q| q.get("code"));
    let found = typed.as_deref().and_then(code_in);
    if let Some(code) = found {
        // The typed code's page; the status makes it a real redirect without JavaScript.
        #[cfg(feature = "ssr")]
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::SEE_OTHER);
        }
        return view! { <Redirect path=format!("/verify/{code}")/> }.into_any();
    }
    let problem = RwSignal::new(typed.filter(|t| !t.trim().is_empty()).map(|_| {
        "核验码为32位数字和字母(a–f),请按副本二维码下方的核验码核对后重新输入".to_string()
    }));
    let can_scan = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move || can_scan.set(crate::ui::camera::can_scan()));
    let navigate = use_navigate();
    let on_photo = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use crate::ui::camera;
            let navigate = navigate.clone();
            let Some(file) = ev.target().and_then(|t| camera::chosen_file(&t)) else {
                return;
            };
            problem.set(None);
            leptos::task::spawn_local(async move {
                match camera::detect_qr(&file).await.as_deref().and_then(code_in) {
                    Some(code) => navigate(&format!("/verify/{code}"), Default::default()),
                    None => problem.set(Some(
                        "未能从图片中识别出电子证照二维码,请换一张清晰的照片,或直接输入核验码"
                            .into(),
                    )),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, &navigate);
    };
    view! {
        <Title text="证照核验"/>
        <section class="page-section auth-page">
            <h1>"证照核验"</h1>
            <p class="lead">"输入电子证照副本二维码下方的核验码,核验副本真伪及加注有效期;无需登录。"</p>
            <form method="get" action="/verify" class="auth-form" aria-label="证照核验">
                <div class="field">
                    <label for="verify-code">"核验码"</label>
                    <input
                        id="verify-code"
                        name="code"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        maxlength="80"
                        required
                        aria-invalid=move || problem.get().is_some().then_some("true")
                        aria-describedby=move || problem.get().map(|_| "verify-code-error")
                    />
                    {move || problem.get().map(|p| view! { <p id="verify-code-error" class="field-error" role="alert">{p}</p> })}
                </div>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary">"核验"</button>
                </div>
            </form>
            <Show when=move || can_scan.get()>
                <div class="field">
                    <label for="verify-photo">"或选择二维码照片"</label>
                    <input id="verify-photo" type="file" accept="image/*" on:change=on_photo.clone()/>
                </div>
            </Show>
            <p class="field-hint">"持证人使用数字钱包出示证书的,请使用"<a href="/verifier">"数字钱包证照核验"</a>"。"</p>
        </section>
    }
    .into_any()
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let result = Resource::new(
        move || params.with(|p| p.get("code").unwrap_or_default()),
        verify_copy,
    );
    view! {
        <Title text="电子证照核验"/>
        <section class="page-section">
            <h1>"电子证照核验"</h1>
            <Suspense fallback=|| view! { <Loading text="正在核验…"/> }>
                {move || {
                    result
                        .get()
                        .map(|outcome| match outcome {
                            Ok(Some(v)) => view! { <Verified v=v/> }.into_any(),
                            Ok(None) => view! {
                                <div class="verify-result bad" role="status">
                                    <h2>"未找到该电子证照副本"</h2>
                                    <p>"核验码不存在。该副本不是本门户签发的,或二维码已损坏、链接输入有误。请向出示副本的人员核实。"</p>
                                </div>
                            }
                                .into_any(),
                            Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                        })
                }}
            </Suspense>
            <p class="hint">"核验结果以本门户数据库为准。本页按规定对持证人姓名脱敏显示,请与副本上的姓名、注册编号和副本编号核对。"</p>
        </section>
    }
}

#[component]
fn Verified(v: Verification) -> impl IntoView {
    let revoked_label = v.revoked_label();
    let (class, heading, detail) = if v.revoked && revoked_label == "已撤销" {
        (
            "verify-result bad",
            "证书已撤销",
            "该副本由本门户签发,但其对应的注册已被撤销,副本不再具有证明效力。",
        )
    } else if v.revoked {
        (
            "verify-result bad",
            "证书已注销",
            "该副本由本门户签发,但其对应的注册证书已被注销,副本不再具有证明效力。",
        )
    } else if !v.valid {
        (
            "verify-result warning",
            "副本真实,加注已过期",
            "该副本由本门户签发,但已超过加注的使用有效期,不再具有证明效力。",
        )
    } else if v.changed {
        (
            "verify-result warning",
            "副本真实,证书信息已变更",
            "该副本由本门户签发且在使用有效期内,但证书信息在加注后已有变更,副本显示的是加注时的信息。",
        )
    } else {
        (
            "verify-result genuine",
            "副本真实有效",
            "该副本由本门户签发,证书信息与加注时一致,且在加注的使用有效期内。",
        )
    };
    let validity = if v.valid { "有效" } else { "已过期" };
    view! {
        <div class=class role="status">
            <h2>{heading}</h2>
            <p>{detail}</p>
        </div>
        <h2 class="section-title">"证照信息"</h2>
        <dl class="detail-grid">
            <div class="wide"><dt>"证照名称"</dt><dd>{v.title.clone()}</dd></div>
            <div class="wide"><dt>"电子证照标识"</dt><dd class="mono licence-id">{v.licence_id.clone()}</dd></div>
            <div><dt>"证照类型代码"</dt><dd class="mono">{v.type_code.clone()}</dd></div>
            <div><dt>"注册类别"</dt><dd>{v.category.clone()}</dd></div>
            <div><dt>"注册编号"</dt><dd class="mono">{v.registration_no.clone()}</dd></div>
            <div><dt>"持证主体"</dt><dd>{v.holder.clone()}</dd></div>
            <div><dt>"持证主体代码"</dt><dd class="mono">{v.holder_code.clone()}{format!(" ({},代码类型 {})", v.holder_kind.label(), v.holder_kind.holder_code_type())}</dd></div>
            <div><dt>"颁发机构"</dt><dd>"中华人民共和国住房和城乡建设部"</dd></div>
            <div><dt>"颁发日期"</dt><dd>{v.issued_on.clone()}</dd></div>
            <div><dt>"有效期"</dt><dd>{format!("{} 至 {}", v.issued_on, v.cert_valid_until)}</dd></div>
            <div><dt>"证书状态"</dt><dd>{if v.revoked { revoked_label } else if v.changed { "加注后已变更" } else { "未变更" }}</dd></div>
        </dl>
        <h2 class="section-title">"加注件信息"</h2>
        <dl class="detail-grid">
            <div><dt>"副本编号"</dt><dd class="mono">{v.copy_no.clone()}</dd></div>
            <div><dt>"加注时间"</dt><dd>{v.made_at.clone()}</dd></div>
            <div><dt>"加注人"</dt><dd>{v.holder.clone()}" (持证人本人)"</dd></div>
            <div><dt>"用途"</dt><dd>{v.purpose.clone()}</dd></div>
            <div><dt>"使用有效期至"</dt><dd>{v.valid_until.clone()}</dd></div>
            <div><dt>"加注状态"</dt><dd>{validity}</dd></div>
        </dl>
    }
}
