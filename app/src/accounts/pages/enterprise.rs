//! 确认法人账户: a legal representative's list of enterprise accounts that name them, each
//! confirmed with 【确认并激活】 once this session has passed a face check.

use crate::accounts::PendingEnterprise;
use crate::accounts::api::enterprise::{
    CancelEnterpriseClosing, CloseEnterprise, ConfirmEnterprise, PendingConfirmations,
    RejectEnterprise, pending_enterprises,
};
use crate::platform::lang::{Lang, Text, use_lang};
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::form_errors::{FormAlert, FormErrors};
use crate::ui::status::{ErrorAlert, Loading};
use crate::ui::text::user_centre_trail;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

// The words of 确认法人账户 and of the organisation's fields of 登录 and 注册.
pub use crate::ui::text::CONFIRM_ENTERPRISE as CONFIRM;
/// The lead: before the contact link, the link, after it.
pub const CONFIRM_LEAD: [Text; 3] = [
    Text::new(
        "以您为法定代表人注册的法人账户,须由您本人完成人脸识别认证后确认,确认后方可使用;注册后 7 天内未确认的,注册自动失效。如某个账户并非贵单位所注册,请点击【不是本单位,拒绝】将其删除;如有其他异议,请通过",
        "An organisation's account that names you as its legal representative can be used only once you confirm it, after a face check. If it is not confirmed within 7 days of registering, the registration lapses. If an account was not registered by your organisation, choose Not my organisation: refuse to delete it. For any other objection, ",
    ),
    Text::new("联系我们", "contact us"),
    Text::new("提出申诉。", "."),
];
pub const FACE_CHECK_FIRST: Text = Text::new(
    "确认前须完成人脸识别认证。",
    "You need a face check before you can confirm. ",
);
pub const TAKE_FACE_CHECK: Text = Text::new("去完成人脸识别认证", "Take the face check");
pub const NONE_PENDING: Text = Text::new(
    "没有等待您确认的法人账户。",
    "No organisation's account is waiting for you to confirm it.",
);
pub const REGISTERED_AT: Text = Text::new("注册时间", "Registered");
pub const CONTACT_PHONE: Text = Text::new("联系手机号", "Contact mobile number");
pub const CONFIRM_BUTTON: Text = Text::new("确认并激活", "Confirm and activate");
pub const REJECT_BUTTON: Text = Text::new("不是本单位,拒绝", "Not my organisation: refuse");
pub const DISPUTE: Text = Text::new("法人账户申诉", "Dispute an organisation's account");
/// The dispute's lead: before the face-check link, the link, after it.
pub const DISPUTE_LEAD: [Text; 3] = [
    Text::new(
        "贵单位的统一社会信用代码已被他人注册为法人账户,且该账户并非贵单位所有的,法定代表人本人可在此提出申诉。提出前须",
        "If someone else has registered an account with your organisation's unified social credit code, its legal representative can dispute it here. First ",
    ),
    Text::new("完成人脸识别认证", "take a face check"),
    Text::new(
        ",并填写本人身份证号,以便向企业登记机关核验您是该企业的法定代表人。工作人员核查属实并经审核后,将注销占用该代码的账户,结果以短信通知您。",
        " and give your identity card number, so that the business register can confirm you are the legal representative. If our staff find the dispute is right and it is approved, the account holding the code is closed. We tell you the result by text message.",
    ),
];
pub const CREDIT_CODE: Text = Text::new("统一社会信用代码", "Unified social credit code");
pub const CREDIT_CODE_HINT: Text = Text::new(
    "18位,见营业执照",
    "18 characters, as on the business licence",
);
pub const ORG_NAME: Text = Text::new("企业名称", "Organisation's name");
pub const LEGAL_ID_NUMBER: Text = Text::new(
    "法定代表人身份证号",
    "Legal representative's identity card number",
);
pub const STATEMENT: Text = Text::new("申诉理由", "Why you dispute it");
pub const FILE_DISPUTE: Text = Text::new("提交申诉", "Send the dispute");
pub const MY_DISPUTES: Text = Text::new("我的申诉", "Your disputes");
pub const DISPUTE_COLUMNS: [Text; 5] = [
    Text::new("编号", "Number"),
    Text::new("企业", "Organisation"),
    Text::new("提出时间", "Sent"),
    Text::new("状态", "Status"),
    Text::new("处理结果", "Outcome"),
];
// 注册 (企业用户注册) and 登录 (法人用户登录).
pub const UNIT_NAME: Text = Text::new("单位名称", "Organisation's name");
pub const LEGAL_NAME: Text = Text::new("法定代表人姓名", "Legal representative's full name");
/// Before the legal representative's document fields' labels.
pub const LEGAL_WHOSE: Text = Text::new("法定代表人", "Legal representative: ");

/// 已确认:… 的法人账户已激活。
fn confirmed(lang: Lang, org: &str) -> String {
    match lang {
        Lang::Zh => format!("已确认:{org} 的法人账户已激活。"),
        Lang::En => format!("Confirmed: the account of {org} is active."),
    }
}

/// 已拒绝:以“…”名义注册的法人账户已删除。
fn rejected(lang: Lang, org: &str) -> String {
    match lang {
        Lang::Zh => format!("已拒绝:以“{org}”名义注册的法人账户已删除。"),
        Lang::En => format!("Refused: the account registered as {org} is deleted."),
    }
}

/// 申诉已提交(第 n 号)….
fn dispute_filed(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Zh => format!("申诉已提交(第 {id} 号),工作人员将尽快核查。"),
        Lang::En => format!("Dispute number {id} is sent. Our staff will look into it soon."),
    }
}

#[component]
pub fn EnterpriseConfirmPage() -> impl IntoView {
    let lang = use_lang();
    let confirm = ServerAction::<ConfirmEnterprise>::new();
    let reject = ServerAction::<RejectEnterprise>::new();
    let close = ServerAction::<CloseEnterprise>::new();
    let keep = ServerAction::<CancelEnterpriseClosing>::new();
    let list = Resource::new(
        move || {
            (
                confirm.version().get(),
                reject.version().get(),
                close.version().get(),
                keep.version().get(),
            )
        },
        |_| pending_enterprises(),
    );
    let close_errors = FormErrors::of(close.value());
    let keep_errors = FormErrors::of(keep.value());
    let errors = FormErrors::of(confirm.value());
    let reject_errors = FormErrors::of(reject.value());
    let title = CONFIRM.of(lang);
    let [before, contact, after] = CONFIRM_LEAD.map(|t| t.of(lang));
    view! {
        <Title text=title/>
        <Breadcrumb trail=user_centre_trail(lang) current=title/>
        <h1>{title}</h1>
        <p class="lead">{before}<a href="/contact">{contact}</a>{after}</p>
        {move || {
            confirm.value().get().and_then(Result::ok).map(|org| {
                view! { <p class="notice" role="status">{confirmed(lang, &org)}</p> }
            })
        }}
        {move || {
            reject.value().get().and_then(Result::ok).map(|org| {
                view! { <p class="notice" role="status">{rejected(lang, &org)}</p> }
            })
        }}
        {move || {
            close.value().get().and_then(Result::ok).map(|org| {
                view! { <p class="notice" role="status">{closing(lang, &org)}</p> }
            })
        }}
        <FormAlert errors=errors/>
        <FormAlert errors=reject_errors/>
        <FormAlert errors=close_errors/>
        <FormAlert errors=keep_errors/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || {
                list.get()
                    .map(|outcome| match outcome {
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                        Ok(p) => {
                            let represented = p.represented.clone();
                            let closing = p.closing.clone();
                            let face_checked = p.face_checked;
                            view! {
                                <PendingList data=p confirm=confirm reject=reject/>
                                <RepresentedList represented=represented face_checked=face_checked close=close/>
                                <ClosingList closing=closing face_checked=face_checked keep=keep/>
                            }
                                .into_any()
                        }
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
    let lang = use_lang();
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
            <h2 id="dispute-heading">{DISPUTE.of(lang)}</h2>
            <p>
                {DISPUTE_LEAD[0].of(lang)}
                <a href="/user/certificates?then=enterprise">{DISPUTE_LEAD[1].of(lang)}</a>
                {DISPUTE_LEAD[2].of(lang)}
            </p>
            {move || {
                file.value().get().and_then(Result::ok).map(|id| {
                    view! { <p class="notice" role="status">{dispute_filed(lang, id)}</p> }
                })
            }}
            <ActionForm action=file>
                {field("credit_code", CREDIT_CODE.of(lang), 18)}
                {field("org_name", ORG_NAME.of(lang), 60)}
                {field("id_number", LEGAL_ID_NUMBER.of(lang), 18)}
                <div class="field">
                    <label for="dispute-statement">{STATEMENT.of(lang)}</label>
                    <textarea id="dispute-statement" name="statement" rows="4" maxlength="500" required
                        aria-invalid=move || errors.invalid("statement")
                        aria-describedby=move || errors.message("statement").map(|_| "statement-error")></textarea>
                    <FieldError errors=errors field="statement"/>
                </div>
                <FormAlert errors=errors/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || file.pending().get()>{FILE_DISPUTE.of(lang)}</button>
                </div>
            </ActionForm>
            <Transition fallback=|| ()>
                {move || {
                    mine.get().and_then(Result::ok).filter(|list| !list.is_empty()).map(|list| {
                        view! {
                            <table class="record-table">
                                <caption>{MY_DISPUTES.of(lang)}</caption>
                                <thead><tr>{DISPUTE_COLUMNS.map(|c| view! { <th scope="col">{c.of(lang)}</th> })}</tr></thead>
                                <tbody>
                                    {list.into_iter().map(|d| {
                                        let state = d.state_in(lang).to_string();
                                        view! {
                                        <tr>
                                            <td>{d.id}</td>
                                            <td>{format!("{}({})", d.org_name, d.credit_code)}</td>
                                            <td>{d.filed_at}</td>
                                            <td>{state}</td>
                                            <td>{d.outcome}</td>
                                        </tr>
                                        }
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
    let lang = use_lang();
    if data.pending.is_empty() {
        return view! { <p class="hint">{NONE_PENDING.of(lang)}</p> }.into_any();
    }
    let face_checked = data.face_checked;
    view! {
        {(!face_checked).then(|| view! {
            <p class="notice">
                {FACE_CHECK_FIRST.of(lang)}
                <a class="btn btn-primary" href="/user/certificates?then=enterprise">{TAKE_FACE_CHECK.of(lang)}</a>
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
                                <dt>{REGISTERED_AT.of(lang)}</dt><dd>{e.registered_at}</dd>
                                <dt>{CONTACT_PHONE.of(lang)}</dt><dd>{e.phone_masked}</dd>
                            </dl>
                            {face_checked.then(|| {
                                let id = e.account_id.clone();
                                view! {
                                    <div class="form-actions">
                                        <ActionForm action=confirm>
                                            <input type="hidden" name="account_id" value=id/>
                                            <button type="submit" class="btn btn-primary">{CONFIRM_BUTTON.of(lang)}</button>
                                        </ActionForm>
                                        <ActionForm action=reject>
                                            <input type="hidden" name="account_id" value=e.account_id/>
                                            <button type="submit" class="btn">{REJECT_BUTTON.of(lang)}</button>
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

/// The confirmed enterprise accounts that name the representative, each with
/// 【注销法人账户】 after a face check.
#[component]
fn RepresentedList(
    represented: Vec<PendingEnterprise>,
    face_checked: bool,
    close: ServerAction<CloseEnterprise>,
) -> impl IntoView {
    let lang = use_lang();
    let button = move |id: String| {
        view! {
            <ActionForm action=close>
                <input type="hidden" name="account_id" value=id/>
                <button type="submit" class="btn">{CLOSE_BUTTON.of(lang)}</button>
            </ActionForm>
        }
        .into_any()
    };
    let hint = REPRESENTED_HINT.of(lang);
    decided_by_representative(
        "represented",
        REPRESENTED,
        Some(hint),
        represented,
        face_checked,
        button,
    )
}

/// A section of enterprise accounts the representative decides on: each card has the
/// action's `button` once this session passed a face check, the way to one before.
fn decided_by_representative(
    id: &'static str,
    title: Text,
    hint: Option<&'static str>,
    enterprises: Vec<PendingEnterprise>,
    face_checked: bool,
    button: impl Fn(String) -> AnyView + 'static,
) -> AnyView {
    let lang = use_lang();
    if enterprises.is_empty() {
        return ().into_any();
    }
    view! {
        <section aria-labelledby=id>
            <h2 id=id>{title.of(lang)}</h2>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <ul class="pending-enterprises">
                {enterprises
                    .into_iter()
                    .map(|e| {
                        let heading = format!("{}({})", e.org_name, e.credit_code);
                        view! {
                            <li class="settings-card">
                                <h3>{heading}</h3>
                                {if face_checked {
                                    button(e.account_id)
                                } else {
                                    view! {
                                        <a class="btn" href="/user/certificates?then=enterprise">{TAKE_FACE_CHECK.of(lang)}</a>
                                    }
                                        .into_any()
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

const REPRESENTED: Text = Text::new(
    "您是法定代表人的法人账户",
    "Organisations' accounts you represent",
);
const REPRESENTED_HINT: Text = Text::new(
    "注销法人账户须先完成人脸识别认证。申请后账户立即暂停使用,7 天冷静期满后注销;期间登录该法人账户可撤销注销。",
    "Closing an organisation's account needs a face check first. It stops working at once and is deleted after a 7-day cooling-off; signing in to it within that time cancels.",
);
const CLOSE_BUTTON: Text = Text::new("注销法人账户", "Close this organisation's account");

fn closing(lang: Lang, org: &str) -> String {
    match lang {
        Lang::Zh => format!("已申请注销“{org}”的法人账户,7 天冷静期满后注销。"),
        Lang::En => format!("{org}'s account will be closed after a 7-day cooling-off."),
    }
}

/// The enterprise accounts this representative asked to close, each with 【撤销注销】 after a
/// face check.
#[component]
fn ClosingList(
    closing: Vec<PendingEnterprise>,
    face_checked: bool,
    keep: ServerAction<CancelEnterpriseClosing>,
) -> impl IntoView {
    let lang = use_lang();
    let button = move |id: String| {
        view! {
            <ActionForm action=keep>
                <input type="hidden" name="account_id" value=id/>
                <button type="submit" class="btn">{KEEP_BUTTON.of(lang)}</button>
            </ActionForm>
        }
        .into_any()
    };
    decided_by_representative(
        "closing-enterprises",
        CLOSING_TITLE,
        None,
        closing,
        face_checked,
        button,
    )
}

const CLOSING_TITLE: Text = Text::new(
    "注销冷静期中的法人账户",
    "Organisations' accounts being closed",
);
const KEEP_BUTTON: Text = Text::new("撤销注销", "Cancel closing");
