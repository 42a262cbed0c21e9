//! 授权数字钱包 (`/user/wallet-authorize?request=…`): a wallet that started the OpenID4VCI
//! authorization code flow sends the holder here. Signed in and face-checked in this session
//! (the page leads to the face check and back), the holder sees which wallet asks for which
//! kind of certificate, chooses theirs, and approves or refuses; either way the browser goes
//! back to the wallet.

use crate::credentials::oid4vci::authorize::{DecideWalletRequest, wallet_request, wallet_return};
use crate::credentials::text;
use crate::platform::error::AppError;
use crate::platform::lang::use_lang;
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::form_errors::{FieldError, FormAlert, FormErrors};
use crate::ui::status::{ErrorAlert, Loading};
use crate::ui::text::user_centre_trail;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn WalletAuthorizePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    if query.read_untracked().get("decided").is_some() {
        let request = query.read_untracked().get("request").unwrap_or_default();
        return view! { <BackToWallet request=request/> }.into_any();
    }
    let request = query.read_untracked().get("request").unwrap_or_default();
    let asked = StoredValue::new(request.clone());
    let pending = Resource::new(|| (), move |_| wallet_request(asked.get_value()));
    let decide = ServerAction::<DecideWalletRequest>::new();
    let errors = FormErrors::of(decide.value());
    let face_check = format!(
        "/user/certificates?then=wallet&request={}",
        crate::domain::url::percent_encode(&request)
    );
    view! {
        <Title text=text::AUTHORIZE.of(lang)/>
        <Breadcrumb trail=user_centre_trail(lang) current=text::AUTHORIZE_SHORT.of(lang)/>
        <h1>{text::AUTHORIZE.of(lang)}</h1>
        <FormAlert errors=errors/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || pending.get().map(|outcome| match outcome {
                Err(AppError::Refused(message)) if text::is_not_face_checked(&message) => view! {
                    <p class="notice" role="note">{text::AUTHORIZE_FACE_CHECK.of(lang)}</p>
                    <a class="btn btn-primary" href=face_check.clone()>{text::TAKE_FACE_CHECK.of(lang)}</a>
                }.into_any(),
                Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                Ok(req) => {
                    let has = !req.certificates.is_empty();
                    view! {
                        <div class="wallet-request">
                            <p>
                                {text::WALLET.of(lang)}<strong>{req.name.clone()}</strong>
                                " ("<span class="mono">{req.client_id.clone()}</span>")"
                                {text::wallet_asks(lang, has.then_some(req.title.as_str()))}
                            </p>
                            <p>{text::RETURNS_TO.of(lang)}<strong class="mono">{req.returns_to.clone()}</strong></p>
                            <p class="notice" role="note">{text::YOURS.of(lang)}</p>
                            <p class="field-hint">{text::AUTHORIZE_NOTE.of(lang)}</p>
                        </div>
                        {has.then(|| view! {
                            <ActionForm action=decide>
                                <input type="hidden" name="request" value=asked.get_value()/>
                                <input type="hidden" name="approve" value="true"/>
                                <fieldset class="choices">
                                    <legend>{text::CHOOSE.of(lang)}</legend>
                                    {req.certificates.iter().enumerate().map(|(i, (id, number))| {
                                        let input_id = format!("certificate-{i}");
                                        let target = input_id.clone();
                                        view! {
                                            <label class="choice" for=target>
                                                <input type="radio" id=input_id name="certificate_id" value=id.clone() checked=i == 0/>
                                                {text::certificate_choice(lang, &req.title, number)}
                                            </label>
                                        }
                                    }).collect_view()}
                                    <FieldError errors=errors field="certificate_id"/>
                                </fieldset>
                                <div class="form-actions">
                                    <button type="submit" class="btn btn-primary" disabled=move || decide.pending().get()>{text::AGREE.of(lang)}</button>
                                </div>
                            </ActionForm>
                        })}
                        <ActionForm action=decide>
                            <input type="hidden" name="request" value=asked.get_value()/>
                            <input type="hidden" name="approve" value="false"/>
                            <div class="form-actions">
                                <button type="submit" class="btn" disabled=move || decide.pending().get()>{text::REFUSE.of(lang)}</button>
                            </div>
                        </ActionForm>
                    }.into_any()
                }
            })}
        </Transition>
    }
    .into_any()
}

/// After a decision made without script: the way back to the wallet, as a link.
#[component]
fn BackToWallet(request: String) -> impl IntoView {
    let lang = use_lang();
    let back = Resource::new(|| (), move |_| wallet_return(request.clone()));
    view! {
        <Title text=text::BACK_TO_WALLET.of(lang)/>
        <h1>{text::BACK_TO_WALLET.of(lang)}</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || back.get().map(|outcome| match outcome {
                Ok(url) => view! {
                    <p role="status">{text::DECIDED.of(lang)}</p>
                    <a class="btn btn-primary" href=url>{text::BACK_TO_WALLET.of(lang)}</a>
                }.into_any(),
                Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
            })}
        </Transition>
    }
}
