//! 证照核验 (journey 8), no login. `/verify/<code>` is the page a copy's QR code opens: whether
//! the copy is genuine, what it certifies, for whom (masked), whether its 加注 is still valid,
//! and whether the certificate has changed or been revoked since. `/verify` is where anyone
//! types the 核验码 printed under the QR code (a plain GET form: it works without JavaScript)
//! or picks a photo of the QR code, decoded in the browser where `BarcodeDetector` exists.

use crate::certificates::Verification;
use crate::certificates::api::verify_copy;
use crate::certificates::text;
use crate::platform::lang::{Lang, use_lang};
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
    let lang = use_lang();
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
    let problem = RwSignal::new(
        typed
            .filter(|t| !t.trim().is_empty())
            .map(|_| text::BAD_CODE.of(lang).to_string()),
    );
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
                    None => problem.set(Some(text::NO_QR.of(lang).into())),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, &navigate);
    };
    view! {
        <Title text=text::LOOKUP.of(lang)/>
        <section class="page-section auth-page">
            <h1>{text::LOOKUP.of(lang)}</h1>
            <p class="lead">{text::LOOKUP_LEAD.of(lang)}</p>
            <form method="get" action="/verify" class="auth-form" aria-label=text::LOOKUP.of(lang)>
                <div class="field">
                    <label for="verify-code">{text::CODE.of(lang)}</label>
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
                    <button type="submit" class="btn btn-primary">{text::CHECK.of(lang)}</button>
                </div>
            </form>
            <Show when=move || can_scan.get()>
                <div class="field">
                    <label for="verify-photo">{text::PHOTO.of(lang)}</label>
                    <input id="verify-photo" type="file" accept="image/*" on:change=on_photo.clone()/>
                </div>
            </Show>
            <p class="field-hint">{text::WALLET_NOTE[0].of(lang)}<a href="/verifier">{text::WALLET_NOTE[1].of(lang)}</a>{text::WALLET_NOTE[2].of(lang)}</p>
        </section>
    }
    .into_any()
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let result = Resource::new(
        move || params.with(|p| p.get("code").unwrap_or_default()),
        verify_copy,
    );
    view! {
        <Title text=text::VERIFY.of(lang)/>
        <section class="page-section">
            <h1>{text::VERIFY.of(lang)}</h1>
            <Suspense fallback=move || view! { <Loading text=text::VERIFYING.of(lang)/> }>
                {move || {
                    result
                        .get()
                        .map(|outcome| match outcome {
                            Ok(Some(v)) => view! { <Verified v=v/> }.into_any(),
                            Ok(None) => view! {
                                <div class="verify-result bad" role="status">
                                    <h2>{text::NOT_FOUND.0.of(lang)}</h2>
                                    <p>{text::NOT_FOUND.1.of(lang)}</p>
                                </div>
                            }
                                .into_any(),
                            Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                        })
                }}
            </Suspense>
            <p class="hint">{text::VERIFY_NOTE.of(lang)}</p>
        </section>
    }
}

#[component]
fn Verified(v: Verification) -> impl IntoView {
    let lang = use_lang();
    let revoked_label = v.revoked_label();
    let verdict = if v.revoked && revoked_label == "已撤销" {
        0
    } else if v.revoked {
        1
    } else if !v.valid {
        2
    } else if v.changed {
        3
    } else {
        4
    };
    let class = match verdict {
        0 | 1 => "verify-result bad",
        2 | 3 => "verify-result warning",
        _ => "verify-result genuine",
    };
    let (heading, detail) = text::VERDICTS[verdict];
    let validity = if v.valid { text::VALID } else { text::EXPIRED }.of(lang);
    let status = if v.revoked {
        match lang {
            Lang::Zh => revoked_label.to_string(),
            Lang::En => format!("{revoked_label} ({})", heading.en),
        }
    } else if v.changed {
        text::CHANGED.of(lang).to_string()
    } else {
        text::UNCHANGED.of(lang).to_string()
    };
    let f = text::VERIFY_FIELDS.map(|t| t.of(lang));
    view! {
        <div class=class role="status">
            <h2>{heading.of(lang)}</h2>
            <p>{detail.of(lang)}</p>
        </div>
        <h2 class="section-title">{text::CERTIFICATE.of(lang)}</h2>
        <dl class="detail-grid">
            <div class="wide"><dt>{f[0]}</dt><dd>{v.title.clone()}</dd></div>
            <div class="wide"><dt>{f[1]}</dt><dd class="mono licence-id">{v.licence_id.clone()}</dd></div>
            <div><dt>{f[2]}</dt><dd class="mono">{v.type_code.clone()}</dd></div>
            <div><dt>{f[3]}</dt><dd>{crate::registry::text::category(lang, &v.category)}</dd></div>
            <div><dt>{f[4]}</dt><dd class="mono">{v.registration_no.clone()}</dd></div>
            <div><dt>{f[5]}</dt><dd>{v.holder.clone()}</dd></div>
            <div><dt>{f[6]}</dt><dd class="mono">{text::holder_document(lang, &v.holder_code, v.holder_kind)}</dd></div>
            <div><dt>{f[7]}</dt><dd>{text::ISSUER.of(lang)}</dd></div>
            <div><dt>{f[8]}</dt><dd>{v.issued_on.clone()}</dd></div>
            <div><dt>{f[9]}</dt><dd>{text::from_to(lang, &v.issued_on, &v.cert_valid_until)}</dd></div>
            <div><dt>{f[10]}</dt><dd>{status}</dd></div>
        </dl>
        <h2 class="section-title">{text::COPY.of(lang)}</h2>
        <dl class="detail-grid">
            <div><dt>{f[11]}</dt><dd class="mono">{v.copy_no.clone()}</dd></div>
            <div><dt>{f[12]}</dt><dd>{v.made_at.clone()}</dd></div>
            <div><dt>{f[13]}</dt><dd>{v.holder.clone()}{text::HOLDER_SELF.of(lang)}</dd></div>
            <div><dt>{f[14]}</dt><dd>{v.purpose.clone()}</dd></div>
            <div><dt>{f[15]}</dt><dd>{v.valid_until.clone()}</dd></div>
            <div><dt>{f[16]}</dt><dd>{validity}</dd></div>
        </dl>
    }
}
