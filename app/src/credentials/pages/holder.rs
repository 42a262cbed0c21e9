//! 授权用证 and 用证记录 under 用户中心, and the public pages a 亮证 code and a grant's address
//! open: `/verify/show/<token>` (the certificate's live status, holder masked) and
//! `/verify/grant/<code>` (what the holder granted the organisation, while the grant holds).

use crate::certificates::CertificateCard;
use crate::certificates::uses;
use crate::credentials::api::{
    CreateGrant, RevokeCredential, RevokeGrant, check_grant, check_show, holder_certificates,
    my_certificate_uses, my_credentials, my_grants,
};
use crate::credentials::text;
use crate::credentials::{
    CertStatus, GrantCheck, GrantPage, GrantView, LiveCertificate, MAX_GRANT_DAYS, ShowCheck,
    UsePage,
};
use crate::platform::error::AppError;
use crate::platform::lang::use_lang;
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::form_errors::{FieldError, FormAlert, FormErrors};
use crate::ui::record_table::{RecordTable, loaded_list};
use crate::ui::status::{ErrorAlert, Loading};
use crate::ui::text::user_centre_trail;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Grant lengths offered (any of 1–30 days is accepted).
const DAYS: [i64; 5] = [1, 3, 7, 15, MAX_GRANT_DAYS];

/// `/user/grants`: 授权用证 — grant an organisation access to one certificate's verification,
/// see the grants, and revoke any at once.
#[component]
pub fn GrantsPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateGrant>::new();
    let revoke = ServerAction::<RevokeGrant>::new();
    let certificates = Resource::new(|| (), |_| holder_certificates());
    let grants = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| my_grants(),
    );
    let title = text::GRANTS.of(lang);
    view! {
        <Title text=title/>
        <Breadcrumb trail=user_centre_trail(lang) current=title/>
        <h1>{title}</h1>
        <p class="lead">{text::GRANTS_LEAD.of(lang)}</p>
        <section class="settings-card" aria-labelledby="new-grant">
            <h2 id="new-grant">{text::NEW_GRANT.of(lang)}</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || certificates.get().map(|outcome| match outcome {
                    // Not face-checked in this session: the way to it. Any other refusal says why.
                    Err(AppError::Refused(message)) if text::is_not_face_checked(&message) => view! {
                        <p class="notice" role="note">{message.of(lang).to_string()}</p>
                        <p><a class="btn btn-primary" href="/user/certificates">{text::FACE_CHECK.of(lang)}</a></p>
                    }
                        .into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(cards) if cards.is_empty() => view! {
                        <p class="notice" role="note">{text::NOTHING_TO_GRANT.of(lang)}</p>
                    }
                        .into_any(),
                    Ok(cards) => view! { <GrantForm cards=cards create=create/> }.into_any(),
                })}
            </Transition>
            {move || create.value().get().and_then(Result::ok).map(|made| view! {
                <div class="alert alert-success" role="status">
                    <p>{text::granted(lang, &made.grant.org_name, &made.grant.expires_at)}</p>
                    <p>{text::SEND_LINK.of(lang)}</p>
                    <label for="grant-url">{text::LINK.of(lang)}</label>
                    <input id="grant-url" class="mono" type="text" readonly value=made.url.clone()/>
                </div>
            })}
        </section>
        <section aria-labelledby="grant-list">
            <h2 id="grant-list">{text::MY_GRANTS.of(lang)}</h2>
            {move || match revoke.value().get() {
                Some(Ok(())) => view! { <p class="alert alert-success" role="status">{text::GRANT_REVOKED.of(lang)}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                None => ().into_any(),
            }}
            <Transition fallback=|| view! { <Loading/> }>
                {move || grants.get().map(|outcome| loaded_list(outcome, text::NO_GRANTS.of(lang), |rows| {
                    view! { <GrantTable rows=rows revoke=revoke/> }.into_any()
                }))}
            </Transition>
        </section>
        <CredentialList/>
    }
}

/// 已导出的可验证凭证: each credential the holder exported, and 【撤销】 for a lost or leaked
/// one (its status list marks it invalid).
#[component]
fn CredentialList() -> impl IntoView {
    let lang = use_lang();
    let revoke = ServerAction::<RevokeCredential>::new();
    let list = Resource::new(move || revoke.version().get(), |_| my_credentials());
    view! {
        <section aria-labelledby="credential-list">
            <h2 id="credential-list">{text::CREDENTIALS.of(lang)}</h2>
            <p class="hint">{text::CREDENTIALS_HINT.of(lang)}</p>
            {move || match revoke.value().get() {
                Some(Ok(())) => view! { <p class="alert alert-success" role="status">{text::CREDENTIAL_REVOKED.of(lang)}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                None => ().into_any(),
            }}
            <Transition fallback=|| view! { <Loading/> }>
                {move || list.get().map(|outcome| loaded_list(outcome, text::NO_CREDENTIALS.of(lang), move |rows| view! {
                    <RecordTable
                        caption=text::CREDENTIALS.of(lang)
                        columns=text::credential_columns(lang)
                        rows=rows
                        row=move |c| {
                            let label = text::revoke_credential(lang, &c.issued_at);
                            let bound = if c.holder_bound { text::YES } else { text::NO };
                            let disclosed = text::claim_labels(lang, c.disclosed.split('、'));
                            view! {
                                <tr>
                                    <td>{c.title.clone()}<br/><span class="mono">{c.registration_no.clone()}</span></td>
                                    <td>{disclosed}</td>
                                    <td>{bound.of(lang)}</td>
                                    <td>{c.issued_at.clone()}</td>
                                    <td>{c.expires_at.clone()}</td>
                                    <td>{text::standing(lang, &c.state)}</td>
                                    <td>
                                        {c.active.then(|| view! {
                                            <ActionForm action=revoke attr:class="inline-form">
                                                <input type="hidden" name="credential_id" value=c.id.clone()/>
                                                <button type="submit" class="btn" aria-label=label.clone()>{text::REVOKE.of(lang)}</button>
                                            </ActionForm>
                                        })}
                                    </td>
                                </tr>
                            }
                        }
                    />
                }.into_any()))}
            </Transition>
        </section>
    }
}

/// 新增授权's form: the certificate, the organisation, the purpose and the length.
#[component]
fn GrantForm(cards: Vec<CertificateCard>, create: ServerAction<CreateGrant>) -> impl IntoView {
    let lang = use_lang();
    let errors = FormErrors::of(create.value());
    view! {
        <ActionForm action=create attr:class="auth-form" attr:aria-label=text::NEW_GRANT.of(lang)>
            <div class="field">
                <label for="grant-cert">{text::CERTIFICATE.of(lang)}</label>
                <select id="grant-cert" name="certificate_id">
                    {cards
                        .into_iter()
                        .map(|c| view! { <option value=c.id>{text::certificate_choice(lang, &c.title, &c.registration_no)}</option> })
                        .collect_view()}
                </select>
            </div>
            <GrantField errors=errors field="org_code" label=text::ORG_CODE.of(lang) max=18 autocomplete="off"/>
            <GrantField errors=errors field="org_name" label=text::ORG_NAME.of(lang) max=60 autocomplete="organization"/>
            <GrantField errors=errors field="purpose" label=text::PURPOSE.of(lang) max=50 autocomplete="off" placeholder=text::PURPOSE_EXAMPLE.of(lang)/>
            <div class="field">
                <label for="grant-days">{text::DAYS.of(lang)}</label>
                <select id="grant-days" name="days" aria-invalid=move || errors.invalid("days")
                    aria-describedby=move || errors.message("days").map(|_| "days-error")>
                    {DAYS
                        .into_iter()
                        .map(|d| view! { <option value=d.to_string() selected=d == 7>{text::days(lang, d)}</option> })
                        .collect_view()}
                </select>
                <FieldError errors=errors field="days"/>
            </div>
            <FormAlert errors=errors/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>{text::GRANT.of(lang)}</button>
            </div>
        </ActionForm>
    }
}

/// One text field of 新增授权, with its error.
#[component]
fn GrantField(
    errors: FormErrors,
    field: &'static str,
    label: &'static str,
    max: u32,
    autocomplete: &'static str,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    let id = format!("grant-{}", field.replace('_', "-"));
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id name=field type="text" maxlength=max autocomplete=autocomplete required
                placeholder=(!placeholder.is_empty()).then_some(placeholder)
                aria-invalid=move || errors.invalid(field)
                aria-describedby=move || errors.message(field).map(|_| format!("{field}-error"))/>
            <FieldError errors=errors field=field/>
        </div>
    }
}

#[component]
fn GrantTable(rows: Vec<GrantView>, revoke: ServerAction<RevokeGrant>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <RecordTable
            caption=text::MY_GRANTS.of(lang)
            columns=text::grant_columns(lang)
            rows=rows
            row=move |g| {
                let label = text::revoke_grant(lang, &g.org_name);
                view! {
                    <tr>
                        <td>{g.org_name.clone()}<br/><span class="mono">{g.org_code.clone()}</span></td>
                        <td>{g.title.clone()}<br/><span class="mono">{g.registration_no.clone()}</span></td>
                        <td>{g.purpose.clone()}</td>
                        <td>{g.created_at.clone()}</td>
                        <td>{g.expires_at.clone()}</td>
                        <td>{text::standing(lang, &g.state)}</td>
                        <td>
                            {g.active.then(|| view! {
                                <ActionForm action=revoke attr:class="inline-form">
                                    <input type="hidden" name="grant_id" value=g.id.clone()/>
                                    <button type="submit" class="btn" aria-label=label.clone()>{text::REVOKE.of(lang)}</button>
                                </ActionForm>
                            })}
                        </td>
                    </tr>
                }
            }
        />
    }
}

/// `/user/uses`: 用证记录 — every verification of the holder's certificates, latest first,
/// twenty to a page, of all kinds or one (`?kind=copy|show|grant&page=N`: plain links, so it
/// pages without JavaScript too). A copy looked at again from the same address within a day
/// is one line with its count, and no kind can push another off the record.
#[component]
pub fn UsesPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let wanted = move || {
        query.with(|q| {
            let kind = q.get("kind").filter(|k| uses::KINDS.contains(&k.as_str()));
            let page = q
                .get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(1)
                .max(1);
            (kind, page)
        })
    };
    let records = Resource::new(wanted, |(kind, page)| my_certificate_uses(kind, Some(page)));
    let title = text::USES.of(lang);
    view! {
        <Title text=title/>
        <Breadcrumb trail=user_centre_trail(lang) current=title/>
        <h1>{title}</h1>
        <p class="lead">{text::USES_LEAD.of(lang)}</p>
        <nav class="kind-tabs" aria-label=text::FILTER.of(lang)>
            {move || {
                let (kind, _) = wanted();
                std::iter::once((None, text::ALL.of(lang)))
                    .chain(uses::KINDS.iter().map(|k| (Some(*k), text::use_kind(lang, k))))
                    .map(|(k, label)| {
                        let current = kind.as_deref() == k;
                        view! {
                            <a
                                href=uses_url(k, 1)
                                class="kind-tab"
                                aria-current=current.then_some("page")
                            >
                                {label}
                            </a>
                        }
                    })
                    .collect_view()
            }}
        </nav>
        <Transition fallback=|| view! { <Loading/> }>
            {move || records.get().map(|outcome| match outcome {
                Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                Ok(found) => view! { <UsesTable found kind=wanted().0/> }.into_any(),
            })}
        </Transition>
    }
}

/// The address of one page of 用证记录.
fn uses_url(kind: Option<&str>, page: i64) -> String {
    match kind {
        Some(k) => format!("/user/uses?kind={k}&page={page}"),
        None => format!("/user/uses?page={page}"),
    }
}

/// One page of 用证记录 and the links to its neighbours.
#[component]
fn UsesTable(found: UsePage, kind: Option<String>) -> impl IntoView {
    let lang = use_lang();
    if found.records.is_empty() && found.page == 1 {
        return view! { <p class="hint">{text::NO_USES.of(lang)}</p> }.into_any();
    }
    let page = found.page;
    let kind = kind.as_deref();
    let (prev, next) = (uses_url(kind, page - 1), uses_url(kind, page + 1));
    view! {
        <RecordTable
            caption=text::uses_caption(lang, page)
            columns=text::use_columns(lang)
            rows=found.records
            row=move |u| {
                let at = if u.repeats > 1 {
                    text::repeated(lang, &u.at, u.repeats, &u.last_at)
                } else {
                    u.at
                };
                view! {
                    <tr>
                        <td>{at}</td>
                        <td>{text::use_kind_label(lang, &u.kind)}</td>
                        <td>{u.title}</td>
                        <td>{text::use_subject(lang, &u.subject)}</td>
                        <td>{text::use_organisation(lang, &u.organisation)}</td>
                        <td>{u.ip}</td>
                        <td>{text::browser(lang, &u.browser)}</td>
                    </tr>
                }
            }
        />
        <nav class="pager" aria-label=text::PAGES.of(lang)>
            {(page > 1).then(|| view! { <a class="btn" href=prev rel="prev">{text::PREVIOUS.of(lang)}</a> })}
            <span class="pager-info">{text::page_no(lang, page)}</span>
            {found.has_next.then(|| view! { <a class="btn" href=next rel="next">{text::NEXT.of(lang)}</a> })}
        </nav>
    }
    .into_any()
}

/// The certificate's live standing as a verifier sees it.
#[component]
fn LiveDetails(
    certificate: LiveCertificate,
    #[prop(optional)] extra: Vec<(&'static str, String)>,
) -> impl IntoView {
    let lang = use_lang();
    let class = match certificate.status {
        CertStatus::Valid => "verify-result genuine",
        CertStatus::Expired => "verify-result warning",
        CertStatus::Revoked => "verify-result bad",
    };
    view! {
        <div class=class role="status">
            <h2>{text::status_heading(lang, certificate.status)}</h2>
            <p>{text::LIVE_NOTE.of(lang)}</p>
        </div>
        <dl class="detail-grid">
            <div class="wide"><dt>{text::TITLE.of(lang)}</dt><dd>{certificate.title}</dd></div>
            <div class="wide"><dt>{text::LICENCE_ID.of(lang)}</dt><dd class="mono licence-id">{certificate.licence_id}</dd></div>
            <div><dt>{text::HOLDER.of(lang)}</dt><dd>{certificate.holder}</dd></div>
            <div><dt>{text::CATEGORY.of(lang)}</dt><dd>{crate::registry::text::category(lang, &certificate.category)}</dd></div>
            <div><dt>{text::REGISTRATION_NO.of(lang)}</dt><dd class="mono">{certificate.registration_no}</dd></div>
            <div><dt>{text::VALID_UNTIL.of(lang)}</dt><dd>{certificate.valid_until}</dd></div>
            <div><dt>{text::STATUS.of(lang)}</dt><dd>{text::status(lang, certificate.status)}</dd></div>
            {extra
                .into_iter()
                .map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> })
                .collect_view()}
        </dl>
    }
}

/// `/verify/show/<token>`: what a 亮证 QR code opens.
#[component]
pub fn ShowVerifyPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let result = Resource::new(
        move || params.with(|p| p.get("token").unwrap_or_default()),
        check_show,
    );
    let title = text::SHOW_CHECK.of(lang);
    view! {
        <Title text=title/>
        <section class="page-section">
            <h1>{title}</h1>
            <Suspense fallback=move || view! { <Loading text=text::VERIFYING.of(lang)/> }>
                {move || result.get().map(|outcome| match outcome {
                    Ok(ShowCheck::Live { certificate, shown_at }) => view! {
                        <LiveDetails certificate=certificate extra=vec![(text::SHOWN_AT.of(lang), shown_at)]/>
                    }
                        .into_any(),
                    Ok(ShowCheck::Expired) => view! {
                        <div class="verify-result warning" role="status">
                            <h2>{text::SHOW_EXPIRED.0.of(lang)}</h2>
                            <p>{text::SHOW_EXPIRED.1.of(lang)}</p>
                        </div>
                    }
                        .into_any(),
                    Ok(ShowCheck::Invalid) => view! {
                        <div class="verify-result bad" role="status">
                            <h2>{text::SHOW_INVALID.0.of(lang)}</h2>
                            <p>{text::SHOW_INVALID.1.of(lang)}</p>
                        </div>
                    }
                        .into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                })}
            </Suspense>
            <p class="hint">{text::SHOW_NOTE.of(lang)}</p>
        </section>
    }
}

/// `/verify/grant/<code>`: an organisation's view of a certificate the holder granted it.
#[component]
pub fn GrantVerifyPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let result = Resource::new(
        move || params.with(|p| p.get("code").unwrap_or_default()),
        check_grant,
    );
    let title = text::GRANT_CHECK.of(lang);
    view! {
        <Title text=title/>
        <section class="page-section">
            <h1>{title}</h1>
            <Suspense fallback=move || view! { <Loading text=text::VERIFYING.of(lang)/> }>
                {move || result.get().map(|outcome| match outcome {
                    Ok(GrantCheck::Live(page)) => {
                        let GrantPage { certificate, employer, specialties, org_name, org_code, purpose, expires_at } = *page;
                        view! {
                            <p class="notice" role="note">{text::grant_notice(lang, &org_name, &org_code, &purpose, &expires_at)}</p>
                            <LiveDetails
                                certificate=certificate
                                extra=vec![
                                    (text::EMPLOYER.of(lang), employer),
                                    (text::SPECIALTIES.of(lang), specialties.join(text::list_separator(lang))),
                                ]
                            />
                        }
                            .into_any()
                    }
                    Ok(GrantCheck::Ended { org_name, revoked }) => view! {
                        <div class="verify-result bad" role="status">
                            <h2>{(if revoked { text::GRANT_REVOKED_HEADING } else { text::GRANT_ENDED_HEADING }).of(lang)}</h2>
                            <p>{text::grant_ended(lang, &org_name)}</p>
                        </div>
                    }
                        .into_any(),
                    Ok(GrantCheck::NotFound) => view! {
                        <div class="verify-result bad" role="status">
                            <h2>{text::GRANT_NOT_FOUND.0.of(lang)}</h2>
                            <p>{text::GRANT_NOT_FOUND.1.of(lang)}</p>
                        </div>
                    }
                        .into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
