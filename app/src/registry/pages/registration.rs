//! A registration's public detail: 注册类别, 注册专业 with 有效期, 证书编号, 执业印章号, 注册单位
//! and 变更记录. Reached from the search results.

use crate::platform::error::AppError;
use crate::registry::RegistrationDetail;
use crate::registry::api::fetch_registration;
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::not_found::NotFound;
use crate::ui::record_table::RecordTable;
use crate::ui::status::Loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RegistrationPage() -> impl IntoView {
    let params = use_params_map();
    let detail = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        fetch_registration,
    );
    view! {
        <Title text="注册信息"/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || {
                detail
                    .get()
                    .map(|outcome| match outcome {
                        Ok(d) => view! { <DetailView detail=d/> }.into_any(),
                        Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                        Err(err) => {
                            view! {
                                <section class="page-section">
                                    <p class="alert" role="alert">{err.to_string()}</p>
                                    <a class="btn" href="/search">"返回查询"</a>
                                </section>
                            }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
    }
}

#[component]
fn DetailView(detail: RegistrationDetail) -> impl IntoView {
    let changes = detail.changes.clone();
    let dash = |v: Option<String>| {
        v.filter(|s| !s.is_empty())
            .unwrap_or_else(|| "—".to_string())
    };
    view! {
        <section class="page-section">
            <Breadcrumb trail=&[("人员资格查询", "/search")] current="注册信息"/>
            <h1>{format!("{} · {}", detail.name, detail.category)}</h1>
            <dl class="detail-grid">
                <div><dt>"姓名"</dt><dd>{detail.name.clone()}</dd></div>
                <div><dt>"性别"</dt><dd>{detail.gender.clone()}</dd></div>
                <div><dt>"身份证号"</dt><dd class="mono">{detail.id_number_masked.clone()}</dd></div>
                <div><dt>"注册类别"</dt><dd>{detail.category.clone()}</dd></div>
                <div><dt>"注册编号"</dt><dd class="mono">{detail.registration_no.clone()}</dd></div>
                <div><dt>"执业印章号"</dt><dd class="mono">{detail.seal_no.clone()}</dd></div>
                <div><dt>"证书编号"</dt><dd class="mono">{detail.certificate_no.clone()}</dd></div>
                <div><dt>"有效期"</dt><dd>{format!("{} 至 {}", detail.issued_on, detail.valid_until)}</dd></div>
                <div class="wide"><dt>"注册单位"</dt><dd>{detail.employer.clone()}</dd></div>
                <div class="wide"><dt>"统一社会信用代码"</dt><dd class="mono">{detail.employer_credit_code.clone()}</dd></div>
            </dl>
        </section>
        <section class="page-section" aria-labelledby="specialties-title">
            <h2 id="specialties-title" class="section-title">"注册专业"</h2>
            <RecordTable
                columns=&["注册专业", "有效期"]
                rows=detail.specialties
                row=|s| view! { <tr><td>{s.name}</td><td>{format!("至 {}", s.valid_until)}</td></tr> }
            />
        </section>
        <section class="page-section" aria-labelledby="changes-title">
            <h2 id="changes-title" class="section-title">"变更记录"</h2>
            <RecordTable
                columns=&["变更日期", "变更类型", "原注册单位", "现注册单位"]
                rows=changes
                row=move |c| view! {
                    <tr>
                        <td>{c.changed_on}</td>
                        <td>{c.kind}</td>
                        <td>{dash(c.old_employer)}</td>
                        <td>{dash(c.new_employer)}</td>
                    </tr>
                }
            />
            <p><a class="btn" href="/search">"返回查询"</a></p>
        </section>
    }
}
