//! A registration's public detail: 注册类别, 注册专业 with 有效期, 证书编号, 执业印章号, 注册单位
//! and 变更记录. Reached from the search results.

use crate::domain::DocumentKind;
use crate::platform::error::AppError;
use crate::platform::lang::{Lang, use_lang};
use crate::registry::RegistrationDetail;
use crate::registry::api::fetch_registration;
use crate::registry::text;
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::not_found::NotFound;
use crate::ui::record_table::RecordTable;
use crate::ui::status::Loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RegistrationPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let detail = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        fetch_registration,
    );
    view! {
        <Title text=text::DETAIL.of(lang)/>
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
                                    <p class="alert" role="alert">{err.message(lang)}</p>
                                    <a class="btn" href="/search">{text::BACK.of(lang)}</a>
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
    let lang = use_lang();
    let changes = detail.changes.clone();
    let f = text::FIELDS.map(|t| t.of(lang));
    let kind = DocumentKind::from_stored(&detail.id_kind);
    let document = match lang {
        Lang::Zh => format!("{} {}", kind.label(), detail.id_number_masked),
        Lang::En => format!(
            "{} ({}) {}",
            kind.label(),
            kind.english(),
            detail.id_number_masked
        ),
    };
    let valid = match lang {
        Lang::Zh => format!("{} 至 {}", detail.issued_on, detail.valid_until),
        Lang::En => format!("{} to {}", detail.issued_on, detail.valid_until),
    };
    let search: &'static [(&'static str, &'static str)] = match lang {
        Lang::Zh => &[("人员资格查询", "/search")],
        Lang::En => &[("Search the register", "/search")],
    };
    let dash = |v: Option<String>| {
        v.filter(|s| !s.is_empty())
            .unwrap_or_else(|| "—".to_string())
    };
    view! {
        <section class="page-section">
            <Breadcrumb trail=search current=text::DETAIL.of(lang)/>
            <h1>{format!("{} · {}", detail.name, detail.category)}</h1>
            <dl class="detail-grid">
                <div><dt>{f[0]}</dt><dd>{detail.name.clone()}</dd></div>
                <div><dt>{f[1]}</dt><dd>{text::gender(lang, &detail.gender)}</dd></div>
                <div><dt>{f[2]}</dt><dd class="mono">{document}</dd></div>
                <div><dt>{f[3]}</dt><dd>{text::category(lang, &detail.category)}</dd></div>
                <div><dt>{f[4]}</dt><dd class="mono">{detail.registration_no.clone()}</dd></div>
                <div><dt>{f[5]}</dt><dd class="mono">{detail.seal_no.clone()}</dd></div>
                <div><dt>{f[6]}</dt><dd class="mono">{detail.certificate_no.clone()}</dd></div>
                <div><dt>{f[7]}</dt><dd>{valid}</dd></div>
                <div class="wide"><dt>{f[8]}</dt><dd>{detail.employer.clone()}</dd></div>
                <div class="wide"><dt>{f[9]}</dt><dd class="mono">{detail.employer_credit_code.clone()}</dd></div>
            </dl>
        </section>
        <section class="page-section" aria-labelledby="specialties-title">
            <h2 id="specialties-title" class="section-title">{text::SPECIALTIES.of(lang)}</h2>
            <RecordTable
                columns=match lang { Lang::Zh => &["注册专业", "有效期"], Lang::En => &["Specialty", "Valid until"] }
                rows=detail.specialties
                row=move |s| view! { <tr><td>{s.name}</td><td>{match lang { Lang::Zh => format!("至 {}", s.valid_until), Lang::En => s.valid_until }}</td></tr> }
            />
        </section>
        <section class="page-section" aria-labelledby="changes-title">
            <h2 id="changes-title" class="section-title">{text::CHANGES.of(lang)}</h2>
            <RecordTable
                columns=match lang { Lang::Zh => &["变更日期", "变更类型", "原注册单位", "现注册单位"], Lang::En => &["Date", "Change", "Employer before", "Employer after"] }
                rows=changes
                row=move |c| view! {
                    <tr>
                        <td>{c.changed_on}</td>
                        <td>{text::change_kind(lang, &c.kind)}</td>
                        <td>{dash(c.old_employer)}</td>
                        <td>{dash(c.new_employer)}</td>
                    </tr>
                }
            />
            <p><a class="btn" href="/search">{text::BACK.of(lang)}</a></p>
        </section>
    }
}
