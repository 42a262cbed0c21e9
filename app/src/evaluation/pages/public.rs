//! 好差评公示 (`/evaluation`): 满意率 per service and month over the last twelve months, and
//! how many 差评 were put right. Open to everyone, rendered on the server.

use crate::evaluation::api::public_evaluation;
use crate::evaluation::format_permille;
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::status::{ErrorAlert, Loading};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn EvaluationPage() -> impl IntoView {
    let rows = Resource::new(|| (), |_| public_evaluation());
    view! {
        <Title text="好差评公示"/>
        <section class="page-section">
            <Breadcrumb current="好差评公示"/>
            <h1>"政务服务好差评公示"</h1>
            <p class="lead">
                "按照《国务院办公厅关于建立政务服务“好差评”制度提高政务服务水平的意见》(国办发〔2019〕51号),公开本门户各项服务近 12 个月的评价情况。"
                "满意率 = (非常满意 + 满意 + 基本满意)÷ 评价总数;“不满意”和“非常不满意”为差评,每条差评均在 5 个工作日内核实、整改并回访。"
            </p>
            <Transition fallback=|| view! { <Loading/> }>
                {move || {
                    rows.get().map(|outcome| match outcome {
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <p class="hint">"近 12 个月暂无评价。"</p> }.into_any(),
                        Ok(rows) => view! {
                            <div class="table-scroll" tabindex="0" role="region" aria-label="各项服务评价情况">
                                <table class="record-table">
                                    <caption>"各项服务评价情况(按月)"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"月份"</th>
                                            <th scope="col">"服务事项"</th>
                                            <th scope="col">"评价数"</th>
                                            <th scope="col">"满意率"</th>
                                            <th scope="col">"差评数"</th>
                                            <th scope="col">"已整改差评"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td>{r.month}</td>
                                                <td>{r.service}</td>
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
