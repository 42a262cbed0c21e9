//! 好差评公示 (`/evaluation`): 满意率 per service and month over the last twelve months, and
//! how many 差评 were put right. Open to everyone, rendered on the server.

use crate::evaluation::api::public_evaluation;
use crate::evaluation::format_permille;
use crate::evaluation::text;
use crate::platform::lang::use_lang;
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::status::{ErrorAlert, Loading};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn EvaluationPage() -> impl IntoView {
    let lang = use_lang();
    let rows = Resource::new(|| (), |_| public_evaluation());
    let title = text::PUBLIC.of(lang);
    let [basis, rule] = text::PUBLIC_LEAD.map(|t| t.of(lang));
    let columns = text::COLUMNS.map(|t| t.of(lang));
    view! {
        <Title text=title/>
        <section class="page-section">
            <Breadcrumb current=title/>
            <h1>{text::PUBLIC_HEADING.of(lang)}</h1>
            <p class="lead">{basis}{rule}</p>
            <Transition fallback=|| view! { <Loading/> }>
                {move || {
                    rows.get().map(|outcome| match outcome {
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <p class="hint">{text::NO_RATINGS.of(lang)}</p> }.into_any(),
                        Ok(rows) => view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-label=text::TABLE.of(lang)>
                                <table class="data-table">
                                    <caption>{text::CAPTION.of(lang)}</caption>
                                    <thead>
                                        <tr>
                                            {columns.map(|c| view! { <th scope="col">{c}</th> })}
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td>{r.month}</td>
                                                <td>{text::service_label(lang, &r.service)}</td>
                                                <td>{r.ratings}</td>
                                                <td>{format_permille(r.rate_permille)}</td>
                                                <td>{r.poor}</td>
                                                <td>{r.rectified}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    })
                }}
            </Transition>
        </section>
    }
}
