//! 人员资格查询 (manual §4): a form that works without JavaScript, the results table, and
//! paging. The form posts; the results' address keeps a name / category / employer query
//! readable, while a 身份证号 is replaced by its 查询凭据 (`k`, opaque, 30 minutes): no full ID
//! number is ever in an address, the browser's history, a Referer or a log.

use crate::platform::error::AppError;
use crate::platform::lang::{Lang, use_lang};
use crate::registry::SearchResults;
use crate::registry::api::{search_key, search_registry};
use crate::registry::query::{QualificationQuery, REGISTRATION_CATEGORIES};
use crate::registry::text;
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::document_fields::{DocumentFields, DocumentRefs};
use crate::ui::status::{ErrorAlert, Loading};
use leptos::html::{Input, Select};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn SearchPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| {
            let field = |key: &str| p.get(key).unwrap_or_default();
            QualificationQuery {
                name: field("name"),
                // Never read from the address.
                id_number: String::new(),
                id_kind: String::new(),
                id_country: String::new(),
                key: field("k"),
                reg_no: field("reg_no"),
                category: field("category"),
                employer: field("employer"),
                page: p.get("page").and_then(|v| v.parse().ok()).unwrap_or(1),
            }
        })
    });
    // The rules run here first, so a bad query gets its message without a round trip.
    let results = Resource::new(
        move || query.get(),
        move |query| async move {
            if query.is_blank() {
                return None;
            }
            Some(match query.validate() {
                Err(e) => Err(AppError::invalid(e)),
                Ok(_) => search_registry(query).await,
            })
        },
    );

    view! {
        <Title text=text::TITLE.of(lang)/>
        <section class="page-section">
            <Breadcrumb current=text::TITLE.of(lang)/>
            <h1>{text::TITLE.of(lang)}</h1>
            <p class="lead">{text::LEAD.of(lang)}</p>
            <SearchForm query=query/>
        </section>
        <section class="page-section" aria-labelledby="results-title">
            <h2 id="results-title" class="section-title">{text::RESULTS.of(lang)}</h2>
            <Transition fallback=move || view! { <Loading text=text::SEARCHING.of(lang)/> }>
                {move || {
                    results
                        .get()
                        .map(|outcome| match outcome {
                            None => {
                                view! { <p class="hint">{text::PROMPT.of(lang)}</p> }.into_any()
                            }
                            Some(Err(err)) => view! { <ErrorAlert error=err/> }.into_any(),
                            Some(Ok(found)) => view! { <ResultsTable found=found query=query.get()/> }.into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn SearchForm(query: Memo<QualificationQuery>) -> impl IntoView {
    let lang = use_lang();
    let q = move || query.get();
    let name = NodeRef::<Input>::new();
    let document = DocumentRefs::default();
    let reg_no = NodeRef::<Input>::new();
    let category = NodeRef::<Select>::new();
    let employer = NodeRef::<Input>::new();
    let id_problem = RwSignal::new(None::<String>);
    let fields = SearchFields {
        name,
        document,
        reg_no,
        category,
        employer,
    };
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        search(fields.read(), id_problem, lang, navigate.clone());
    };
    view! {
        <form method="post" action="/search" class="search-form" role="search" aria-label=text::TITLE.of(lang) on:submit=submit>
            <div class="form-grid">
                <div class="field">
                    <label for="q-name">{text::NAME.of(lang)}</label>
                    <input id="q-name" name="name" type="text" autocomplete="off" maxlength="64" node_ref=name value=move || q().name/>
                </div>
                <DocumentFields
                    prefix="q-id"
                    refs=document
                    optional=true
                    placeholder=Signal::derive(move || (!q().key.is_empty()).then_some(text::BY_KEY.of(lang)))
                    problem=id_problem
                />
                <div class="field">
                    <label for="q-reg">{text::REG_NO.of(lang)}</label>
                    <input id="q-reg" name="reg_no" type="text" autocomplete="off" maxlength="64" node_ref=reg_no value=move || q().reg_no/>
                </div>
                <div class="field">
                    <label for="q-category">{text::CATEGORY.of(lang)}</label>
                    <select id="q-category" name="category" node_ref=category>
                        <option value="" selected=move || q().category.is_empty()>{text::ALL_CATEGORIES.of(lang)}</option>
                        {REGISTRATION_CATEGORIES
                            .iter()
                            .map(|c| view! { <option value=*c selected=move || q().category == *c>{text::category(lang, c)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field field-wide">
                    <label for="q-employer">{text::EMPLOYER.of(lang)}</label>
                    <input id="q-employer" name="employer" type="text" autocomplete="off" maxlength="64" node_ref=employer value=move || q().employer/>
                </div>
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary">{text::SEARCH.of(lang)}</button>
                <a class="btn" href="/search">{text::RESET.of(lang)}</a>
            </div>
        </form>
    }
}

/// The search form's inputs.
#[derive(Clone, Copy)]
struct SearchFields {
    name: NodeRef<Input>,
    document: DocumentRefs,
    reg_no: NodeRef<Input>,
    category: NodeRef<Select>,
    employer: NodeRef<Input>,
}

impl SearchFields {
    /// What is typed, as a first-page query.
    fn read(self) -> QualificationQuery {
        let value = |r: NodeRef<Input>| r.get_untracked().map(|i| i.value()).unwrap_or_default();
        let (id_kind, id_number, id_country) = self.document.read();
        QualificationQuery {
            name: value(self.name),
            id_number,
            id_kind,
            id_country,
            reg_no: value(self.reg_no),
            category: self
                .category
                .get_untracked()
                .map(|s| s.value())
                .unwrap_or_default(),
            employer: value(self.employer),
            page: 1,
            key: String::new(),
        }
    }
}

/// 【查询】 with JavaScript: a 身份证号 goes to the server in a request body and comes back as a
/// 查询凭据 for the address; the other fields go to the address as typed. (Without script the
/// form posts to the server, which answers with the same address.)
fn search(
    typed: QualificationQuery,
    id_problem: RwSignal<Option<String>>,
    lang: Lang,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static,
) {
    id_problem.set(None);
    if typed.id_number.trim().is_empty() {
        navigate(&typed.search_url(1), Default::default());
        return;
    }
    leptos::task::spawn_local(async move {
        let document = (typed.id_kind.clone(), typed.id_country.clone());
        match search_key(typed.id_number.clone(), document.0, document.1).await {
            Ok(key) => {
                let by_key = QualificationQuery {
                    key,
                    id_number: String::new(),
                    id_kind: String::new(),
                    id_country: String::new(),
                    ..typed
                };
                navigate(&by_key.search_url(1), Default::default());
            }
            Err(e) => id_problem.set(Some(e.message(lang))),
        }
    });
}

#[component]
fn ResultsTable(found: SearchResults, query: QualificationQuery) -> impl IntoView {
    let lang = use_lang();
    if found.rows.is_empty() {
        return view! {
            <p class="alert alert-info" role="status">{text::NONE_FOUND.of(lang)}</p>
        }
        .into_any();
    }
    let first = (found.page - 1) * found.page_size;
    let total_text = text::total(lang, found.total, found.total_capped);
    let pages = found.page_count();
    let page = found.page;
    let rows = found
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let href = format!("/registration/{}", row.public_id);
            view! {
                <tr>
                    <td class="col-no">{first + i as u32 + 1}</td>
                    <td><a href=href>{row.name}</a></td>
                    <td class="mono">{row.id_number_masked}</td>
                    <td>{text::category(lang, &row.category)}</td>
                    <td class="mono">{row.registration_no}</td>
                    <td>{row.specialties}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="result-count" role="status">{total_text}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-label=text::CAPTION.of(lang)>
            <table class="data-table results-table">
                <caption class="visually-hidden">{text::CAPTION.of(lang)}</caption>
                <thead>
                    <tr>
                        {text::COLUMNS
                            .iter()
                            .enumerate()
                            .map(|(i, c)| view! { <th scope="col" class=(i == 0).then_some("col-no")>{c.of(lang)}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <nav class="pager" aria-label=text::PAGES.of(lang)>
            {(page > 1).then(|| view! { <a class="btn" href=query.search_url(page - 1) rel="prev">{text::PREVIOUS.of(lang)}</a> })}
            <span class="pager-info">{text::page_of(lang, page, pages)}</span>
            {(page < pages).then(|| view! { <a class="btn" href=query.search_url(page + 1) rel="next">{text::NEXT.of(lang)}</a> })}
        </nav>
    }
    .into_any()
}
