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
        <DisputeSection/>
    }
}

/// 法人账户申诉: the representative of an enterprise whose credit code another account holds.
#[component]
fn DisputeSection() -> impl IntoView {
    use crate::accounts::disputes::{FileDispute, my_disputes};
    use crate::ui::form_errors::FieldError;
    let file = ServerAction::<FileDispute>::new();
    let errors = FormErrors::of(file.value());
    let mine = Resource::new(move || file.version().get(), |_| my_disputes());
    let field = move |name: &'static str, label: &'static str, max: u32| {
        let id = format!("dispute-{}", name.replace('_', "-"));
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id name=name type="text" maxlength=max autocomplete="off" required
                    aria-invalid=move || errors.invalid(name)
                    aria-describedby=move || errors.message(name).map(|_| format!("{name}-error"))/>
                <FieldError errors=errors field=name/>
            </div>
        }
    };
    view! {
        <section class="settings-card" id="dispute" aria-labelledby="dispute-heading">
            <h2 id="dispute-heading">"法人账户申诉"</h2>
            <p>
                "贵单位的统一社会信用代码已被他人注册为法人账户,且该账户并非贵单位所有的,法定代表人本人可在此提出申诉。"
                "提出前须"<a href="/user/certificates?then=enterprise">"完成人脸识别认证"</a>
                ",并填写本人身份证号,以便向企业登记机关核验您是该企业的法定代表人。工作人员核查属实并经审核后,将注销占用该代码的账户,结果以短信通知您。"
            </p>
            {move || {
                file.value().get().and_then(Result::ok).map(|id| {
                    view! { <p class="notice" role="status">{format!("申诉已提交(第 {id} 号),工作人员将尽快核查。")}</p> }
                })
            }}
            <ActionForm action=file>
                {field("credit_code", "统一社会信用代码", 18)}
                {field("org_name", "企业名称", 60)}
                {field("id_number", "法定代表人身份证号", 18)}
                <div class="field">
                    <label for="dispute-statement">"申诉理由"</label>
                    <textarea id="dispute-statement" name="statement" rows="4" maxlength="500" required
                        aria-invalid=move || errors.invalid("statement")
                        aria-describedby=move || errors.message("statement").map(|_| "statement-error")></textarea>
                    <FieldError errors=errors field="statement"/>
                </div>
                <FormAlert errors=errors/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || file.pending().get()>"提交申诉"</button>
                </div>
            </ActionForm>
            <Transition fallback=|| ()>
                {move || {
                    mine.get().and_then(Result::ok).filter(|list| !list.is_empty()).map(|list| {
                        view! {
                            <table class="record-table">
                                <caption>"我的申诉"</caption>
                                <thead><tr><th scope="col">"编号"</th><th scope="col">"企业"</th><th scope="col">"提出时间"</th><th scope="col">"状态"</th><th scope="col">"处理结果"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|d| view! {
                                        <tr>
                                            <td>{d.id}</td>
                                            <td>{format!("{}({})", d.org_name, d.credit_code)}</td>
                                            <td>{d.filed_at}</td>
                                            <td>{d.state}</td>
                                            <td>{d.outcome}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }
                    })
                }}
            </Transition>
        </section>
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
