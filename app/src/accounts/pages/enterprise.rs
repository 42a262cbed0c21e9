//! 确认法人账户: a legal representative's list of enterprise accounts that name them, each
//! confirmed with 【确认并激活】 once this session has passed a face check.

use crate::accounts::api::enterprise::{
    ConfirmEnterprise, PendingConfirmations, RejectEnterprise, pending_enterprises,
};
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::form_errors::{FormAlert, FormErrors};
use crate::ui::status::{ErrorAlert, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn EnterpriseConfirmPage() -> impl IntoView {
    let confirm = ServerAction::<ConfirmEnterprise>::new();
    let reject = ServerAction::<RejectEnterprise>::new();
    let list = Resource::new(
        move || (confirm.version().get(), reject.version().get()),
        |_| pending_enterprises(),
    );
    let errors = FormErrors::of(confirm.value());
    let reject_errors = FormErrors::of(reject.value());
    view! {
        <Title text="确认法人账户"/>
        <Breadcrumb trail=&[("用户中心", "/user")] current="确认法人账户"/>
        <h1>"确认法人账户"</h1>
        <p class="lead">
            "以您为法定代表人注册的法人账户,须由您本人完成人脸识别认证后确认,确认后方可使用;注册后 7 天内未确认的,注册自动失效。"
            "如某个账户并非贵单位所注册,请点击【不是本单位,拒绝】将其删除;如有其他异议,请通过"<a href="/contact">"联系我们"</a>"提出申诉。"
        </p>
        {move || {
            confirm.value().get().and_then(Result::ok).map(|org| {
                view! { <p class="notice" role="status">{format!("已确认:{org} 的法人账户已激活。")}</p> }
            })
        }}
        {move || {
            reject.value().get().and_then(Result::ok).map(|org| {
                view! { <p class="notice" role="status">{format!("已拒绝:以“{org}”名义注册的法人账户已删除。")}</p> }
            })
        }}
        <FormAlert errors=errors/>
        <FormAlert errors=reject_errors/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || {
                list.get()
                    .map(|outcome| match outcome {
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                        Ok(p) => view! { <PendingList data=p confirm=confirm reject=reject/> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn PendingList(
    data: PendingConfirmations,
    confirm: ServerAction<ConfirmEnterprise>,
    reject: ServerAction<RejectEnterprise>,
) -> impl IntoView {
    if data.pending.is_empty() {
        return view! { <p class="hint">"没有等待您确认的法人账户。"</p> }.into_any();
    }
    let face_checked = data.face_checked;
    view! {
        {(!face_checked).then(|| view! {
            <p class="notice">
                "确认前须完成人脸识别认证。"
                <a class="btn btn-primary" href="/user/certificates?then=enterprise">"去完成人脸识别认证"</a>
            </p>
        })}
        <ul class="pending-enterprises">
            {data
                .pending
                .into_iter()
                .map(|e| {
                    let heading = format!("{}({})", e.org_name, e.credit_code);
                    view! {
                        <li class="settings-card">
                            <h2>{heading}</h2>
                            <dl class="detail-list">
                                <dt>"注册时间"</dt><dd>{e.registered_at}</dd>
                                <dt>"联系手机号"</dt><dd>{e.phone_masked}</dd>
                            </dl>
                            {face_checked.then(|| {
                                let id = e.account_id.clone();
                                view! {
                                    <div class="form-actions">
                                        <ActionForm action=confirm>
                                            <input type="hidden" name="account_id" value=id/>
                                            <button type="submit" class="btn btn-primary">"确认并激活"</button>
                                        </ActionForm>
                                        <ActionForm action=reject>
                                            <input type="hidden" name="account_id" value=e.account_id/>
                                            <button type="submit" class="btn">"不是本单位,拒绝"</button>
                                        </ActionForm>
                                    </div>
                                }
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
