//! `/verifier`: an organisation checks a registered professional's certificate in their
//! digital wallet (OpenID4VP, `credentials::oid4vp`), with no account. It chooses what to ask
//! for, shows the QR code (or the link, on the same phone), and the page moves on by itself
//! when the wallet has answered — without script, 【刷新核验结果】 reloads it. It shows only
//! what was asked for and presented.

use crate::credentials::oid4vp::{
    DEFAULT_CLAIMS, StartVerification, VerifierOutcome, categories, verification_result,
};
use crate::credentials::text;
use crate::credentials::vc::CLAIMS;
use crate::platform::lang::use_lang;
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::form_errors::{FieldError, FormAlert, FormErrors};
use crate::ui::status::{ErrorAlert, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn VerifierPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let request = move || query.read().get("request").filter(|r| !r.is_empty());
    view! {
        <Title text=text::VERIFIER.of(lang)/>
        <section class="page-section">
            <Breadcrumb current=text::VERIFIER.of(lang)/>
            <h1>{text::VERIFIER_HEADING.of(lang)}</h1>
            {move || match request() {
                Some(id) => {
                    let code = query.read_untracked().get("response_code");
                    view! { <RequestPanel id=id code=code/> }.into_any()
                }
                None => view! { <RequestForm/> }.into_any(),
            }}
        </section>
    }
}

/// What to ask for: the organisation, the kind of certificate, the claims.
#[component]
fn RequestForm() -> impl IntoView {
    let lang = use_lang();
    let start = ServerAction::<StartVerification>::new();
    let errors = FormErrors::of(start.value());
    let choices = CLAIMS
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let id = format!("claim-{name}");
            let target = id.clone();
            view! {
                <label class="choice" for=target>
                    <input type="checkbox" id=id name=format!("claims[{i}]") value=*name
                        checked=DEFAULT_CLAIMS.contains(name)/>
                    {text::claim(lang, name)}
                </label>
            }
        })
        .collect_view();
    view! {
        <p class="lead">{text::VERIFIER_LEAD.of(lang)}</p>
        <FormAlert errors=errors/>
        <ActionForm action=start>
            <div class="field">
                <label for="organisation">{text::VERIFIER_ORG.of(lang)}</label>
                <input id="organisation" name="organisation" type="text" maxlength="50" required
                    autocomplete="organization"
                    aria-describedby="organisation-hint"
                    aria-invalid=move || errors.message("organisation").is_some().to_string()/>
                <p class="field-hint" id="organisation-hint">{text::VERIFIER_ORG_HINT.of(lang)}</p>
                <FieldError errors=errors field="organisation"/>
            </div>
            <div class="field">
                <label for="category">{text::VERIFIER_CATEGORY.of(lang)}</label>
                <select id="category" name="category">
                    <option value="">{text::ANY_CATEGORY.of(lang)}</option>
                    {categories()
                        .into_iter()
                        .map(|c| view! { <option value=c>{crate::registry::text::category(lang, c)}</option> })
                        .collect_view()}
                </select>
                <FieldError errors=errors field="category"/>
            </div>
            <fieldset class="choices">
                <legend>{text::ASK_FOR.of(lang)}</legend>
                {choices}
                <FieldError errors=errors field="claims"/>
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || start.pending().get()>{text::MAKE_REQUEST.of(lang)}</button>
            </div>
        </ActionForm>
        <p class="field-hint">{text::STANDARDS.of(lang)}</p>
    }
}

/// One request: its QR code while it waits, then what the wallet presented.
#[component]
fn RequestPanel(id: String, code: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let tick = RwSignal::new(0u32);
    let request = StoredValue::new((id, code));
    let outcome = Resource::new(
        move || tick.get(),
        move |_| {
            let (id, code) = request.get_value();
            verification_result(id, code)
        },
    );
    let settled = move || {
        outcome.with(|o| {
            matches!(
                o,
                Some(
                    Ok(VerifierOutcome::Verified { .. }
                        | VerifierOutcome::Refused { .. }
                        | VerifierOutcome::Expired)
                        | Err(_)
                )
            )
        })
    };
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || {
                if !settled() {
                    tick.update(|t| *t += 1);
                }
            },
            std::time::Duration::from_secs(2),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    let _ = settled;
    let again = move || {
        let (id, code) = request.get_value();
        match code {
            Some(code) => format!("/verifier?request={id}&response_code={code}"),
            None => format!("/verifier?request={id}"),
        }
    };
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || outcome.get().map(|o| match o {
                Err(e) => view! {
                    <ErrorAlert error=e/>
                    <p><a href="/verifier">{text::NEW_CHECK.of(lang)}</a></p>
                }.into_any(),
                Ok(VerifierOutcome::Waiting { link, qr_svg, asked, seconds_left }) => view! {
                    <div class="verifier-request">
                        <p>{text::ASK_HOLDER.of(lang)}</p>
                        <p class="asked">{text::claim_labels(lang, asked.iter().map(String::as_str))}</p>
                        <div class="qr" role="img" aria-label=text::REQUEST_QR.of(lang) inner_html=qr_svg></div>
                        <p><a class="btn" href=link>{text::OPEN_IN_WALLET.of(lang)}</a></p>
                        <p class="field-hint" role="status">
                            {text::request_valid(lang, (seconds_left + 59) / 60)}
                        </p>
                    </div>
                }.into_any(),
                Ok(VerifierOutcome::Opened) => view! {
                    <p class="notice" role="status">{text::OPENED.of(lang)}</p>
                }.into_any(),
                Ok(VerifierOutcome::Verified { claims }) => view! {
                    <div class="verify-result verify-ok" role="status">
                        <h2>{text::PASSED.of(lang)}</h2>
                        <p>{text::PASSED_NOTE.of(lang)}</p>
                        <dl class="detail-list">
                            {claims.into_iter().map(|(label, value)| {
                                // A category is glossed on an English page, like the register's.
                                let value = if label == crate::credentials::vc::claim_label("registration_category") {
                                    crate::registry::text::category(lang, &value)
                                } else {
                                    value
                                };
                                view! { <dt>{text::claim_label(lang, &label)}</dt><dd>{value}</dd> }
                            }).collect_view()}
                        </dl>
                    </div>
                    <p><a href="/verifier">{text::NEW_CHECK.of(lang)}</a></p>
                }.into_any(),
                Ok(VerifierOutcome::Refused { reason }) => view! {
                    <div class="alert" role="alert">
                        <h2>{text::FAILED.of(lang)}</h2>
                        <p>{reason.of(lang).to_string()}</p>
                    </div>
                    <p><a href="/verifier">{text::START_AGAIN.of(lang)}</a></p>
                }.into_any(),
                Ok(VerifierOutcome::Expired) => view! {
                    <p class="notice" role="status">{text::REQUEST_EXPIRED.of(lang)}</p>
                    <p><a href="/verifier">{text::START_AGAIN.of(lang)}</a></p>
                }.into_any(),
            })}
        </Transition>
        <noscript>
            <p><a class="btn" href=again>{text::REFRESH.of(lang)}</a></p>
        </noscript>
    }
}
