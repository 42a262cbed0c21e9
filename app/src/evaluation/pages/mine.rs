//! 我的办件与评价: each 办件 of the account, rated or waiting for a rating (always optional),
//! and for a 差评 the ministry's follow-up — 核实, 整改, 回访 — and the rating of the fix.

use crate::evaluation::api::{RateCase, RateFix, my_cases};
use crate::evaluation::{CaseView, LEVELS, OrderView, REASONS};
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::form_errors::{FormAlert, FormErrors};
use crate::ui::status::{ErrorAlert, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MyCasesPage() -> impl IntoView {
    let rate = ServerAction::<RateCase>::new();
    let fix = ServerAction::<RateFix>::new();
    let cases = Resource::new(
        move || (rate.version().get(), fix.version().get()),
        |_| my_cases(),
    );
    let errors = FormErrors::of(rate.value());
    let fix_errors = FormErrors::of(fix.value());
    view! {
        <Title text="我的办件与评价"/>
        <Breadcrumb trail=&[("用户中心", "/user")] current="我的办件与评价"/>
        <h1>"我的办件与评价"</h1>
        <p class="lead">
            "每件办件办结后,您可以对服务进行评价(自愿,可不评价;每件办件评价一次)。评价“不满意”或“非常不满意”的,工作人员将在 5 个工作日内核实整改并回访,处理情况在此显示。评价不关联您的身份证号,汇总结果在"
            <a href="/evaluation">"好差评公示"</a>"中公开。"
        </p>
        {move || {
            (rate.value().get().is_some_and(|r| r.is_ok()) || fix.value().get().is_some_and(|r| r.is_ok()))
                .then(|| view! { <p class="notice" role="status">"感谢您的评价。"</p> })
        }}
        <FormAlert errors=errors/>
        <FormAlert errors=fix_errors/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || {
                cases.get().map(|outcome| match outcome {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="hint">"近 90 天没有办结的办件。"</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="case-list">
                            {list.into_iter().map(|c| view! { <CaseItem case=c rate=rate fix=fix/> }).collect_view()}
                        </ul>
                    }.into_any(),
                })
            }}
        </Transition>
    }
}

#[component]
fn CaseItem(
    case: CaseView,
    rate: ServerAction<RateCase>,
    fix: ServerAction<RateFix>,
) -> impl IntoView {
    let heading = format!("{}:{}", case.service, case.summary);
    let rated = !case.rating.is_empty();
    let case_no = case.case_no.clone();
    view! {
        <li class="settings-card">
            <h2>{heading}</h2>
            <dl class="detail-list">
                <dt>"办件编号"</dt><dd class="mono">{case.case_no.clone()}</dd>
                <dt>"办结时间"</dt><dd>{case.completed_at.clone()}</dd>
                {rated.then(|| view! {
                    <dt>"我的评价"</dt>
                    <dd>
                        {case.rating.clone()}
                        {(!case.reasons.is_empty()).then(|| format!("(原因:{})", case.reasons))}
                        {(!case.comment.is_empty()).then(|| format!(" {}", case.comment))}
                    </dd>
                })}
            </dl>
            {(!rated).then(|| view! { <RateForm case_no=case_no.clone() rate=rate/> })}
            {case.order.map(|order| view! { <FollowUp order=order case_no=case_no fix=fix/> })}
        </li>
    }
}

/// The five levels as radio buttons in a fieldset, each with its own label.
fn level_choices(prefix: String, name: &'static str) -> impl IntoView {
    LEVELS
        .into_iter()
        .map(|(level, label)| {
            let id = format!("{prefix}-{level}");
            let target = id.clone();
            view! {
                <label class="choice" for=target>
                    <input type="radio" id=id name=name value=level.to_string() required/>
                    {label}
                </label>
            }
        })
        .collect_view()
}

#[component]
fn RateForm(case_no: String, rate: ServerAction<RateCase>) -> impl IntoView {
    let prefix = format!("rate-{case_no}");
    let comment_id = format!("{prefix}-comment");
    let comment_target = comment_id.clone();
    let reasons = REASONS
        .into_iter()
        .enumerate()
        .map(|(i, reason)| {
            let id = format!("{prefix}-reason-{i}");
            let target = id.clone();
            view! {
                <label class="choice" for=target>
                    <input type="checkbox" id=id name=format!("reasons[{i}]") value=reason/>
                    {reason}
                </label>
            }
        })
        .collect_view();
    view! {
        <ActionForm action=rate>
            <input type="hidden" name="case_no" value=case_no/>
            <fieldset class="choices">
                <legend>"对本次服务的评价"</legend>
                {level_choices(format!("{prefix}-level"), "level")}
            </fieldset>
            <fieldset class="choices">
                <legend>"不满意的原因(评价“不满意”或“非常不满意”时必选,可多选)"</legend>
                {reasons}
            </fieldset>
            <div class="field">
                <label for=comment_target>"意见建议(选填,300 字以内)"</label>
                <textarea id=comment_id name="comment" rows="2" maxlength="300"></textarea>
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || rate.pending().get()>"提交评价"</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn FollowUp(order: OrderView, case_no: String, fix: ServerAction<RateFix>) -> impl IntoView {
    let steps = [
        ("核实情况", order.verified.clone()),
        ("整改情况", order.rectified.clone()),
        ("回访情况", order.visited.clone()),
    ];
    let prefix = format!("fix-{case_no}");
    view! {
        <section class="follow-up" aria-label="差评处理情况">
            <h3>"差评处理情况"</h3>
            <dl class="detail-list">
                <dt>"状态"</dt><dd>{order.state.clone()}</dd>
                <dt>"办结时限"</dt><dd>{format!("{} 前(5 个工作日)", order.due)}</dd>
                {steps.into_iter().filter(|(_, note)| !note.is_empty()).map(|(label, note)| view! {
                    <dt>{label}</dt><dd>{note}</dd>
                }).collect_view()}
                {(!order.fix_rating.is_empty()).then(|| view! {
                    <dt>"对整改结果的评价"</dt><dd>{order.fix_rating.clone()}</dd>
                })}
            </dl>
            {order.may_rate_fix.then(|| view! {
                <ActionForm action=fix>
                    <input type="hidden" name="case_no" value=case_no/>
                    <fieldset class="choices">
                        <legend>"对整改结果的评价"</legend>
                        {level_choices(prefix, "level")}
                    </fieldset>
                    <div class="form-actions">
                        <button type="submit" class="btn" disabled=move || fix.pending().get()>"评价整改结果"</button>
                    </div>
                </ActionForm>
            })}
        </section>
    }
}
