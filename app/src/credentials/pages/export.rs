//! 存入数字钱包 on each card of 电子证照管理: a Credential Offer (OpenID4VCI 1.0) a standard
//! wallet redeems with the 6-digit 交易码 shown here, or the certificate exported by hand as an
//! SD-JWT VC with the claims the holder chooses to disclose.

use crate::certificates::CertificateCard;
use crate::certificates::pages::manage::CardDialog;
use crate::credentials::api::IssueCredential;
use crate::credentials::text;
use crate::platform::lang::use_lang;
use crate::ui::dialog::Dialog;
use crate::ui::form_errors::{FieldError, FormAlert, FormErrors};
use leptos::prelude::*;

/// The dialog as 电子证照管理 offers it (`site::lazy` hands it to the page). Its button's
/// label is Chinese only while `CardDialog::label` is a `&str`: it is [`text::ADD_TO_WALLET`].
pub const EXPORT: CardDialog = CardDialog {
    label: text::ADD_TO_WALLET,
    view: export_dialog,
};

fn export_dialog(card: Memo<CertificateCard>, open: RwSignal<bool>) -> AnyView {
    view! { <CredentialDialog card=card open=open/> }.into_any()
}

/// 导出可验证凭证: the certificate as an SD-JWT VC for a wallet. The holder ticks what to
/// disclose (only those claims' disclosures are handed over) and may bind it to the wallet's
/// public key.
#[component]
fn CredentialDialog(card: Memo<CertificateCard>, open: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    let issue = ServerAction::<IssueCredential>::new();
    let errors = FormErrors::of(issue.value());
    let id = move || card.with(|c| c.id.clone());
    let title_id = move || format!("vc-dialog-{}", id());
    // Least by default: the holder adds what the other side needs.
    let chosen = RwSignal::new(vec![
        "registration_category",
        "registration_number",
        "valid_until",
    ]);
    let jwk = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        issue.dispatch(IssueCredential {
            certificate_id: id(),
            disclose: chosen.get_untracked().join(","),
            holder_jwk: jwk.get_untracked(),
        });
    };
    view! {
        <Dialog labelled_by=title_id() on_escape=Callback::new(move |_| open.set(false))>
            <h2 id=title_id>{text::ADD_TO_WALLET.of(lang)}</h2>
            <WalletOfferPanel card_id=card.with_untracked(|c| c.id.clone())/>
            <h3>{text::EXPORT_BY_HAND.of(lang)}</h3>
            <p>{text::EXPORT_LEAD.of(lang)}</p>
            <form class="auth-form" aria-label=text::EXPORT_FORM.of(lang) on:submit=submit>
                <DisclosureChoices card_id=card.with_untracked(|c| c.id.clone()) chosen=chosen errors=errors/>
                <div class="field">
                    <label for=move || format!("vc-jwk-{}", id())>{text::JWK.of(lang)}</label>
                    <textarea
                        id=move || format!("vc-jwk-{}", id())
                        rows="3"
                        spellcheck="false"
                        placeholder="{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"…\",\"y\":\"…\"}"
                        aria-invalid=move || errors.invalid("holder_jwk")
                        aria-describedby=move || errors.message("holder_jwk").map(|_| "holder_jwk-error")
                        on:input=move |ev| jwk.set(event_target_value(&ev))
                    ></textarea>
                    <FieldError errors=errors field="holder_jwk"/>
                </div>
                <FormAlert errors=errors/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || issue.pending().get()>{text::EXPORT.of(lang)}</button>
                    <button type="button" class="btn" on:click=move |_| open.set(false)>{text::CLOSE.of(lang)}</button>
                </div>
            </form>
            {move || issue.value().get().and_then(Result::ok).map(|vc| view! { <IssuedOutput card_id=id() vc=vc/> })}
        </Dialog>
    }
}

/// 存入数字钱包 (OpenID4VCI): the offer's QR code for a wallet on a phone, the same offer as a
/// link for a wallet on this device, and the 交易码 the wallet asks for.
#[component]
fn WalletOfferPanel(card_id: String) -> impl IntoView {
    use crate::credentials::oid4vci::OfferToWallet;
    let lang = use_lang();
    let offer = ServerAction::<OfferToWallet>::new();
    let errors = FormErrors::of(offer.value());
    let make = move |_| {
        offer.dispatch(OfferToWallet {
            certificate_id: card_id.clone(),
        });
    };
    view! {
        <section class="wallet-offer" aria-label=text::COLLECT.of(lang)>
            <p>{text::COLLECT_LEAD.of(lang)}</p>
            <div class="form-actions">
                <button type="button" class="btn btn-primary" on:click=make disabled=move || offer.pending().get()>
                    {text::MAKE_OFFER.of(lang)}
                </button>
            </div>
            <FormAlert errors=errors/>
            {move || {
                offer.value().get().and_then(Result::ok).map(|o| {
                    view! {
                        <div class="wallet-offer-result" role="status">
                            <div class="qr" role="img" aria-label=text::OFFER_QR.of(lang) inner_html=o.qr_svg.clone()></div>
                            <p class="tx-code">{text::TX_CODE.of(lang)}<strong class="mono">{o.tx_code.clone()}</strong></p>
                            <p><a href=o.offer_uri.clone()>{text::OPEN_HERE.of(lang)}</a></p>
                            <p class="hint">{text::offer_valid(lang, o.expires_in / 60)}</p>
                        </div>
                    }
                })
            }}
        </section>
    }
}

/// 出示的信息: a checkbox per claim of the credential.
#[component]
fn DisclosureChoices(
    card_id: String,
    chosen: RwSignal<Vec<&'static str>>,
    errors: FormErrors,
) -> impl IntoView {
    use crate::credentials::vc::CLAIMS;
    let lang = use_lang();
    view! {
        <fieldset class="field" aria-describedby=move || errors.message("disclose").map(|_| "disclose-error")>
            <legend>{text::DISCLOSE.of(lang)}</legend>
            {CLAIMS
                .into_iter()
                .map(|(name, _)| {
                    let label = text::claim(lang, name);
                    let input_id = format!("vc-{name}-{card_id}");
                    view! {
                        <div class="check">
                            <input
                                type="checkbox"
                                id=input_id.clone()
                                prop:checked=move || chosen.with(|c| c.contains(&name))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| {
                                        c.retain(|n| *n != name);
                                        if on {
                                            c.push(name);
                                        }
                                    });
                                }
                            />
                            <label for=input_id>{label}</label>
                        </div>
                    }
                })
                .collect_view()}
            <FieldError errors=errors field="disclose"/>
        </fieldset>
    }
}

/// The exported credential: what it shows, the text to copy and a file to download.
#[component]
fn IssuedOutput(card_id: String, vc: crate::credentials::vc::IssuedCredential) -> impl IntoView {
    let lang = use_lang();
    let output = format!("vc-output-{card_id}");
    let href = format!(
        "data:application/dc+sd-jwt;charset=utf-8,{}",
        crate::domain::url::percent_encode(&vc.sd_jwt)
    );
    view! {
        <div class="alert alert-success" role="status">
            <p>{text::exported(lang, &vc.disclosed, &vc.expires_on)}</p>
            <label for=output.clone()>{text::SD_JWT.of(lang)}</label>
            <textarea id=output class="mono vc-output" rows="5" readonly>{vc.sd_jwt.clone()}</textarea>
            <a class="btn" href=href download="certificate.sd-jwt">{text::DOWNLOAD.of(lang)}</a>
        </div>
    }
}
