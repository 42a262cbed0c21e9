//! 授权数字钱包 (`/user/wallet-authorize?request=…`): a wallet that started the OpenID4VCI
//! authorization code flow sends the holder here. Signed in and face-checked in this session
//! (the page leads to the face check and back), the holder sees which wallet asks for which
//! kind of certificate, chooses theirs, and approves or refuses; either way the browser goes
//! back to the wallet.

use crate::credentials::oid4vci::authorize::{DecideWalletRequest, wallet_request, wallet_return};
use crate::platform::error::AppError;
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::form_errors::{FieldError, FormAlert, FormErrors};
use crate::ui::status::{ErrorAlert, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn WalletAuthorizePage() -> impl IntoView {
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
        <Title text="授权数字钱包领取电子证照"/>
        <Breadcrumb trail=&[("用户中心", "/user")] current="授权数字钱包"/>
        <h1>"授权数字钱包领取电子证照"</h1>
        <FormAlert errors=errors/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || pending.get().map(|outcome| match outcome {
                Err(AppError::Refused(message)) if message == crate::platform::auth::NOT_FACE_CHECKED => view! {
                    <p class="notice" role="note">"将证书存入数字钱包前,需完成本次登录的人脸识别认证(30 分钟内有效)。认证完成后自动回到本页。"</p>
                    <a class="btn btn-primary" href=face_check.clone()>"进行人脸识别认证"</a>
                }.into_any(),
                Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                Ok(req) => {
                    let has = !req.certificates.is_empty();
                    view! {
                        <div class="wallet-request">
                            <p>
                                "数字钱包 "<strong>{req.name.clone()}</strong>
                                " ("<span class="mono">{req.client_id.clone()}</span>")"
                                {if has { format!(" 请求领取您的{}。", req.title) } else { " 请求领取的证书类别,您名下没有。".to_string() }}
                            </p>
                            <p>"同意后将返回:"<strong class="mono">{req.returns_to.clone()}</strong></p>
                            <p class="notice" role="note">
                                "请确认这是您本人刚刚在自己的手机钱包中发起的领取。如果是他人发给您的链接,或您没有发起过领取,请点击“拒绝”。"
                            </p>
                            <p class="field-hint">
                                "同意后,证书将以可验证凭证(SD-JWT VC)存入该钱包,钱包可自行选择向核验方出示哪些信息。您可随时在“授权用证”中撤销钱包中的凭证。"
                            </p>
                        </div>
                        {has.then(|| view! {
                            <ActionForm action=decide>
                                <input type="hidden" name="request" value=asked.get_value()/>
                                <input type="hidden" name="approve" value="true"/>
                                <fieldset class="choices">
                                    <legend>"选择要存入钱包的证书"</legend>
                                    {req.certificates.iter().enumerate().map(|(i, (id, number))| {
                                        let input_id = format!("certificate-{i}");
                                        let target = input_id.clone();
                                        view! {
                                            <label class="choice" for=target>
                                                <input type="radio" id=input_id name="certificate_id" value=id.clone() checked=i == 0/>
                                                {format!("{}(注册编号 {number})", req.title)}
                                            </label>
                                        }
                                    }).collect_view()}
                                    <FieldError errors=errors field="certificate_id"/>
                                </fieldset>
                                <div class="form-actions">
                                    <button type="submit" class="btn btn-primary" disabled=move || decide.pending().get()>"同意并存入钱包"</button>
                                </div>
                            </ActionForm>
                        })}
                        <ActionForm action=decide>
                            <input type="hidden" name="request" value=asked.get_value()/>
                            <input type="hidden" name="approve" value="false"/>
                            <div class="form-actions">
                                <button type="submit" class="btn" disabled=move || decide.pending().get()>"拒绝"</button>
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
    let back = Resource::new(|| (), move |_| wallet_return(request.clone()));
    view! {
        <Title text="返回数字钱包"/>
        <h1>"返回数字钱包"</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || back.get().map(|outcome| match outcome {
                Ok(url) => view! {
                    <p role="status">"已处理该数字钱包的领取请求。请在 1 分钟内返回钱包完成领取。"</p>
                    <a class="btn btn-primary" href=url>"返回数字钱包"</a>
                }.into_any(),
                Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
            })}
        </Transition>
    }
}
