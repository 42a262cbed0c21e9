//! `/verifier`: an organisation checks a registered professional's certificate in their
//! digital wallet (OpenID4VP, `credentials::oid4vp`), with no account. It chooses what to ask
//! for, shows the QR code (or the link, on the same phone), and the page moves on by itself
//! when the wallet has answered — without script, 【刷新核验结果】 reloads it. It shows only
//! what was asked for and presented.

use crate::credentials::oid4vp::{
    DEFAULT_CLAIMS, StartVerification, VerifierOutcome, categories, verification_result,
};
use crate::credentials::vc::CLAIMS;
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::form_errors::{FieldError, FormAlert, FormErrors};
use crate::ui::status::{ErrorAlert, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn VerifierPage() -> impl IntoView {
    let query = use_query_map();
    let request = move || query.read().get("request").filter(|r| !r.is_empty());
    view! {
        <Title text="数字钱包证照核验"/>
        <section class="page-section">
            <Breadcrumb current="数字钱包证照核验"/>
            <h1>"核验数字钱包中的注册证书"</h1>
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
    let start = ServerAction::<StartVerification>::new();
    let errors = FormErrors::of(start.value());
    let choices = CLAIMS
        .iter()
        .enumerate()
        .map(|(i, (name, label))| {
            let id = format!("claim-{name}");
            let target = id.clone();
            view! {
                <label class="choice" for=target>
                    <input type="checkbox" id=id name=format!("claims[{i}]") value=*name
                        checked=DEFAULT_CLAIMS.contains(name)/>
                    {*label}
                </label>
            }
        })
        .collect_view();
    view! {
        <p class="lead">
            "招标代理机构、建设单位等需要核验注册执业人员证书时,可在此向持证人的数字钱包发起核验请求。持证人用钱包扫描二维码并确认后,本页显示其出示的信息。无需注册或登录;核验结果只在发起核验的浏览器中显示,一小时后删除。"
        </p>
        <FormAlert errors=errors/>
        <ActionForm action=start>
            <div class="field">
                <label for="organisation">"核验单位名称"</label>
                <input id="organisation" name="organisation" type="text" maxlength="50" required
                    autocomplete="organization"
                    aria-describedby="organisation-hint"
                    aria-invalid=move || errors.message("organisation").is_some().to_string()/>
                <p class="field-hint" id="organisation-hint">"将记入持证人的用证记录,以便其知晓谁核验了证书。"</p>
                <FieldError errors=errors field="organisation"/>
            </div>
            <div class="field">
                <label for="category">"要核验的证书类别"</label>
                <select id="category" name="category">
                    <option value="">"任意注册类别"</option>
                    {categories().into_iter().map(|c| view! { <option value=c>{c}</option> }).collect_view()}
                </select>
                <FieldError errors=errors field="category"/>
            </div>
            <fieldset class="choices">
                <legend>"请求出示的信息(只请求核验所需的信息)"</legend>
                {choices}
                <FieldError errors=errors field="claims"/>
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || start.pending().get()>"生成核验二维码"</button>
            </div>
        </ActionForm>
        <p class="field-hint">
            "本核验服务遵循 OpenID for Verifiable Presentations 1.0 与 HAIP 1.0,支持符合标准的数字钱包。"
        </p>
    }
}

/// One request: its QR code while it waits, then what the wallet presented.
#[component]
fn RequestPanel(id: String, code: Option<String>) -> impl IntoView {
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
                    <p><a href="/verifier">"发起新的核验"</a></p>
                }.into_any(),
                Ok(VerifierOutcome::Waiting { link, qr_svg, asked, seconds_left }) => view! {
                    <div class="verifier-request">
                        <p>"请持证人打开数字钱包,扫描下方二维码,确认出示以下信息:"</p>
                        <p class="asked">{asked.join("、")}</p>
                        <div class="qr" role="img" aria-label="数字钱包核验二维码" inner_html=qr_svg></div>
                        <p><a class="btn" href=link>"在本机数字钱包中打开"</a></p>
                        <p class="field-hint" role="status">
                            {format!("二维码约 {} 分钟内有效,只能被一个钱包读取一次。", (seconds_left + 59) / 60)}
                        </p>
                    </div>
                }.into_any(),
                Ok(VerifierOutcome::Opened) => view! {
                    <p class="notice" role="status">"钱包已读取核验请求,等待持证人确认出示……"</p>
                }.into_any(),
                Ok(VerifierOutcome::Verified { claims }) => view! {
                    <div class="verify-result verify-ok" role="status">
                        <h2>"核验通过"</h2>
                        <p>"以下信息由本门户签发的注册证书凭证出示,签名、证书链、持有人绑定和证书状态均已核验:"</p>
                        <dl class="detail-list">
                            {claims.into_iter().map(|(label, value)| view! {
                                <dt>{label}</dt><dd>{value}</dd>
                            }).collect_view()}
                        </dl>
                    </div>
                    <p><a href="/verifier">"发起新的核验"</a></p>
                }.into_any(),
                Ok(VerifierOutcome::Refused { reason }) => view! {
                    <div class="alert" role="alert">
                        <h2>"核验未通过"</h2>
                        <p>{reason}</p>
                    </div>
                    <p><a href="/verifier">"重新发起核验"</a></p>
                }.into_any(),
                Ok(VerifierOutcome::Expired) => view! {
                    <p class="notice" role="status">"核验请求已过期,持证人未在有效期内出示。"</p>
                    <p><a href="/verifier">"重新发起核验"</a></p>
                }.into_any(),
            })}
        </Transition>
        <noscript>
            <p><a class="btn" href=again>"刷新核验结果"</a></p>
        </noscript>
    }
}
