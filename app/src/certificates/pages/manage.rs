//! 电子证照管理 (manual §6, 图 6-1-8, 6-1-9): a card per certificate with its 加注 state
//! (未加注 / 加注有效期至 … / 加注已过期) and 【证照加注】, which opens a dialog that says what the
//! 加注 is for and how long it will be valid, and why; 【加注】 → "加注成功!". Without a face
//! check in the last 30 minutes the page sends the user back to it. Each card shows the
//! certificate's preview image (the same layout as the documents); with a valid 加注,
//! hovering over it or focusing it offers 【PDF下载】 and 【OFD下载】.

use crate::certificates::api::{AnnotateCertificate, my_certificates};
use crate::certificates::text;
use crate::certificates::{AnnotationState, CertificateCard};
use crate::platform::error::AppError;
use crate::platform::lang::{Lang, use_lang};
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::dialog::Dialog;
use crate::ui::form_errors::{FieldError, FormAlert, FormErrors};
use crate::ui::status::{ErrorAlert, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// Purposes offered in the dialog (any other may be typed).
const PURPOSES: [&str; 4] = ["投标使用", "资质申报", "人员备案", "项目报建"];

/// A dialog another feature offers on every card, with its button's label: 存入数字钱包 is the
/// credentials' ([`crate::credentials::pages::export::EXPORT`]). The page is put together in
/// `site::lazy`, so this feature does not name that one.
#[derive(Clone, Copy)]
pub struct CardDialog {
    pub label: crate::platform::lang::Text,
    pub view: fn(Memo<CertificateCard>, RwSignal<bool>) -> AnyView,
}

#[component]
pub fn CertificatesPage(#[prop(optional)] extra: Option<CardDialog>) -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| my_certificates());
    let trail: &'static [(&'static str, &'static str)] = match lang {
        Lang::Zh => &[("用户中心", "/user"), ("我的证照", "/user/certificates")],
        Lang::En => &[
            ("Your account", "/user"),
            ("Your certificates", "/user/certificates"),
        ],
    };
    view! {
        <Title text=text::MANAGE.of(lang)/>
        <Breadcrumb trail=trail current=text::MANAGE.of(lang)/>
        <h1>{text::MANAGE.of(lang)}</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || {
                list.get()
                    .map(|outcome| match outcome {
                        Err(AppError::Forbidden) => view! { <Redirect path="/user/certificates"/> }.into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                        Ok(items) if items.is_empty() => view! {
                            <p class="notice" role="note">{text::NONE.of(lang)}</p>
                        }
                            .into_any(),
                        Ok(items) => view! {
                            <ul class="cert-list">
                                {items.into_iter().map(|card| view! { <CertificateCardView card=card extra=extra/> }).collect_view()}
                            </ul>
                        }
                            .into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn CertificateCardView(card: CertificateCard, extra: Option<CardDialog>) -> impl IntoView {
    let lang = use_lang();
    let annotate = ServerAction::<AnnotateCertificate>::new();
    // The card: as loaded, then as the last 加注 answered.
    let card = Memo::new(
        move |before: Option<&CertificateCard>| match annotate.value().get() {
            Some(Ok(updated)) => updated,
            _ => before.cloned().unwrap_or_else(|| card.clone()),
        },
    );
    let done = Signal::derive(move || matches!(annotate.value().get(), Some(Ok(_))));
    // The dialog is open from 【证照加注】 until the 加注 succeeds or 【取消】.
    let open = RwSignal::new(false);
    // The other feature's dialog (存入数字钱包), likewise.
    let credential_open = RwSignal::new(false);
    let state_class = move || match card.with(|c| c.state.clone()) {
        AnnotationState::Valid { .. } => "cert-state valid",
        AnnotationState::Expired { .. } => "cert-state expired",
        AnnotationState::None => "cert-state none",
    };
    view! {
        <li class="cert-card">
            <CertPreview card=card/>
            <div class="cert-body">
            <h2>{move || card.with(|c| c.title.clone())}</h2>
            <p class=state_class>{move || card.with(|c| text::state(lang, &c.state))}</p>
            <CertDetails card=card/>
            <Show when=move || done.get()>
                <p class="alert alert-success" role="status">{text::DONE.of(lang)}</p>
            </Show>
            <div class="form-actions">
                <button type="button" class="btn btn-primary" on:click=move |_| { annotate.value().set(None); open.set(true); }>
                    {text::ANNOTATE.of(lang)}
                </button>
                {extra.map(|d| view! {
                    <button type="button" class="btn" on:click=move |_| credential_open.set(true)>{d.label.of(lang)}</button>
                })}
            </div>
            <Show when=move || open.get() && !done.get()>
                <AnnotateDialog card=card annotate=annotate open=open/>
            </Show>
            {extra.map(|d| view! {
                <Show when=move || credential_open.get()>{(d.view)(card, credential_open)}</Show>
            })}
            </div>
        </li>
    }
}

/// The copy of a valid 加注 (its number), if any.
fn copy_no(card: &CertificateCard) -> Option<String> {
    match &card.state {
        AnnotationState::Valid { copy_no, .. } => Some(copy_no.clone()),
        _ => None,
    }
}

/// The preview image; with a valid 加注, hovering or focusing it offers the downloads.
#[component]
fn CertPreview(card: Memo<CertificateCard>) -> impl IntoView {
    let lang = use_lang();
    let id = move || card.with(|c| c.id.clone());
    let copy_no = move || card.with(copy_no);
    // The image follows the 加注: a new copy gives a new address.
    let preview_src = move || {
        format!(
            "/api/certificates/{}/preview?copy={}",
            id(),
            copy_no().unwrap_or_else(|| "none".into())
        )
    };
    let preview_alt = move || card.with(|c| format!("{}{}", text::PREVIEW.of(lang), c.title));
    let hint_id = move || format!("preview-hint-{}", id());
    view! {
        <figure class="cert-preview" tabindex="0" aria-describedby=hint_id>
            <img src=preview_src alt=preview_alt width="297" height="210" loading="lazy"/>
            <Show when=move || copy_no().is_some()>
                <div class="cert-downloads">
                    <a class="btn btn-primary" href=move || format!("/api/certificates/{}/pdf", id()) download>
                        {text::PDF.of(lang)}
                    </a>
                    <a class="btn btn-primary" href=move || format!("/api/certificates/{}/ofd", id()) download>
                        {text::OFD.of(lang)}
                    </a>
                </div>
            </Show>
            <figcaption id=hint_id class="hint">
                {move || if copy_no().is_some() {
                    text::DOWNLOAD_HINT.of(lang)
                } else {
                    text::ANNOTATE_FIRST.of(lang)
                }}
            </figcaption>
        </figure>
    }
}

/// 注册类别, 注册编号, 聘用企业 and the specialties with their validity.
#[component]
fn CertDetails(card: Memo<CertificateCard>) -> impl IntoView {
    let lang = use_lang();
    let f = text::FIELDS.map(|t| t.of(lang));
    view! {
        <dl class="detail-list">
            <dt>{f[0]}</dt><dd>{move || card.with(|c| crate::registry::text::category(lang, &c.category))}</dd>
            <dt>{f[1]}</dt><dd>{move || card.with(|c| c.registration_no.clone())}</dd>
            <dt>{f[2]}</dt><dd>{move || card.with(|c| c.employer.clone())}</dd>
            <dt>{f[3]}</dt><dd class="mono licence-id">{move || card.with(|c| c.licence_id.clone())}</dd>
            <dt>{f[4]}</dt>
            <dd>
                {move || card.with(|c| {
                    if c.specialties.is_empty() {
                        text::valid_until(lang, &c.valid_until)
                    } else {
                        c.specialties
                            .iter()
                            .map(|s| text::specialty(lang, &s.name, &s.valid_until))
                            .collect::<Vec<_>>()
                            .join(if lang == Lang::Zh { "、" } else { "; " })
                    }
                })}
            </dd>
        </dl>
    }
}

/// The 证照加注 dialog: what a 加注 is, how long this one would be valid (or why it cannot be
/// made), and the purpose.
#[component]
fn AnnotateDialog(
    card: Memo<CertificateCard>,
    annotate: ServerAction<AnnotateCertificate>,
    open: RwSignal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let errors = FormErrors::of(annotate.value());
    let id = move || card.with(|c| c.id.clone());
    let dialog_title = move || format!("dialog-{}", id());
    view! {
        <Dialog labelled_by=dialog_title() on_escape=Callback::new(move |_| open.set(false))>
                <h2 id=dialog_title>{text::ANNOTATE.of(lang)}</h2>
                <p>{text::DIALOG_LEAD.of(lang)}</p>
                {move || match card.with(|c| c.next_validity.clone()) {
                    Ok(text) => view! { <p class="validity-note">{text.of(lang).to_string()}</p> }.into_any(),
                    Err(reason) => view! { <p class="alert" role="alert">{reason.of(lang).to_string()}</p> }.into_any(),
                }}
                <ActionForm action=annotate attr:class="auth-form" attr:aria-label=text::ANNOTATE.of(lang)>
                    <input type="hidden" name="certificate_id" value=id/>
                    <div class="field">
                        <label for=move || format!("purpose-{}", id())>{text::PURPOSE.of(lang)}</label>
                        <input
                            id=move || format!("purpose-{}", id())
                            name="purpose"
                            type="text"
                            list="purposes"
                            maxlength="50"
                            required
                            value=PURPOSES[0]
                            aria-invalid=move || errors.invalid("purpose")
                        />
                        <datalist id="purposes">
                            {PURPOSES.into_iter().map(|p| view! { <option value=p></option> }).collect_view()}
                        </datalist>
                        <FieldError errors=errors field="purpose"/>
                    </div>
                    <FormAlert errors=errors/>
                    <div class="form-actions">
                        <button
                            type="submit"
                            class="btn btn-primary"
                            disabled=move || annotate.pending().get() || card.with(|c| c.next_validity.is_err())
                        >
                            {text::SUBMIT.of(lang)}
                        </button>
                        <button type="button" class="btn" on:click=move |_| open.set(false)>{text::CANCEL.of(lang)}</button>
                    </div>
                </ActionForm>
        </Dialog>
    }
}
