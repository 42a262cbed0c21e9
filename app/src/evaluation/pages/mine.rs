//! 我的办件与评价: each 办件 of the account, rated or waiting for a rating (always optional),
//! and for a 差评 the ministry's follow-up — 核实, 整改, 回访 — and the rating of the fix.

use crate::evaluation::api::{RateCase, RateFix, my_cases};
use crate::evaluation::text;
use crate::evaluation::{CaseView, LEVELS, OrderView, REASONS};
use crate::platform::lang::{Lang, use_lang};
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::form_errors::{FormAlert, FormErrors};
use crate::ui::status::{ErrorAlert, Loading};
use crate::ui::text::user_centre_trail;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MyCasesPage() -> impl IntoView {
    let lang = use_lang();
    let rate = ServerAction::<RateCase>::new();
    let fix = ServerAction::<RateFix>::new();
    let cases = Resource::new(
        move || (rate.version().get(), fix.version().get()),
        |_| my_cases(),
    );
    let errors = FormErrors::of(rate.value());
    let fix_errors = FormErrors::of(fix.value());
    let title = text::MINE.of(lang);
    let [before, link, after] = text::MINE_LEAD.map(|t| t.of(lang));
    view! {
        <Title text=title/>
        <Breadcrumb trail=user_centre_trail(lang) current=title/>
        <h1>{title}</h1>
        <p class="lead">{before}<a href="/evaluation">{link}</a>{after}</p>
        {move || {
            (rate.value().get().is_some_and(|r| r.is_ok()) || fix.value().get().is_some_and(|r| r.is_ok()))
                .then(|| view! { <p class="notice" role="status">{text::THANKS.of(lang)}</p> })
        }}
        <FormAlert errors=errors/>
        <FormAlert errors=fix_errors/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || {
                cases.get().map(|outcome| match outcome {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="hint">{text::NO_CASES.of(lang)}</p> }.into_any(),
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
    let lang = use_lang();
    let heading = text::case_heading(lang, &case.service, &case.summary);
    let rated = !case.rating.is_empty();
    let case_no = case.case_no.clone();
    view! {
        <li class="settings-card">
            <h2>{heading}</h2>
            <dl class="detail-list">
                <dt>{text::CASE_NO.of(lang)}</dt><dd class="mono">{case.case_no.clone()}</dd>
                <dt>{text::COMPLETED.of(lang)}</dt><dd>{case.completed_at.clone()}</dd>
                {rated.then(|| view! {
                    <dt>{text::YOUR_RATING.of(lang)}</dt>
                    <dd>
                        {text::level_label(lang, &case.rating)}
                        {(!case.reasons.is_empty()).then(|| text::reasons(lang, &case.reasons))}
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
fn level_choices(lang: Lang, prefix: String, name: &'static str) -> impl IntoView {
    LEVELS
        .into_iter()
        .map(|(level, _)| {
            let label = text::level(lang, level);
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
    let lang = use_lang();
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
                    {text::reason(lang, reason)}
                </label>
            }
        })
        .collect_view();
    view! {
        <ActionForm action=rate>
            <input type="hidden" name="case_no" value=case_no/>
            <fieldset class="choices">
                <legend>{text::RATE.of(lang)}</legend>
                {level_choices(lang, format!("{prefix}-level"), "level")}
            </fieldset>
            <fieldset class="choices">
                <legend>{text::WHY.of(lang)}</legend>
                {reasons}
            </fieldset>
            <div class="field">
                <label for=comment_target>{text::COMMENT.of(lang)}</label>
                <textarea id=comment_id name="comment" rows="2" maxlength="300"></textarea>
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || rate.pending().get()>{text::SUBMIT.of(lang)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn FollowUp(order: OrderView, case_no: String, fix: ServerAction<RateFix>) -> impl IntoView {
    let lang = use_lang();
    let [verified, rectified, visited] = text::STEPS.map(|t| t.of(lang));
    let steps = [
        (verified, order.verified.clone()),
        (rectified, order.rectified.clone()),
        (visited, order.visited.clone()),
    ];
    let prefix = format!("fix-{case_no}");
    view! {
        <section class="follow-up" aria-label=text::FOLLOW_UP.of(lang)>
            <h3>{text::FOLLOW_UP.of(lang)}</h3>
            <dl class="detail-list">
                <dt>{text::STATE.of(lang)}</dt><dd>{text::order_state(lang, &order.state)}</dd>
                <dt>{text::DUE.of(lang)}</dt><dd>{text::due(lang, &order.due)}</dd>
                {steps.into_iter().filter(|(_, note)| !note.is_empty()).map(|(label, note)| view! {
                    <dt>{label}</dt><dd>{note}</dd>
                }).collect_view()}
                {(!order.fix_rating.is_empty()).then(|| view! {
                    <dt>{text::FIX_RATING.of(lang)}</dt><dd>{text::level_label(lang, &order.fix_rating)}</dd>
                })}
            </dl>
            {order.may_rate_fix.then(|| view! {
                <ActionForm action=fix>
                    <input type="hidden" name="case_no" value=case_no/>
                    <fieldset class="choices">
                        <legend>{text::FIX_RATING.of(lang)}</legend>
                        {level_choices(lang, prefix, "level")}
                    </fieldset>
                    <div class="form-actions">
                        <button type="submit" class="btn" disabled=move || fix.pending().get()>{text::RATE_FIX.of(lang)}</button>
                    </div>
                </ActionForm>
            })}
        </section>
    }
}
