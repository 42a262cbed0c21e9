//! 授权用证 and 用证记录 under 用户中心, and the public pages a 亮证 code and a grant's address
//! open: `/verify/show/<token>` (the certificate's live status, holder masked) and
//! `/verify/grant/<code>` (what the holder granted the organisation, while the grant holds).

use crate::certificates::CertificateCard;
use crate::certificates::uses;
use crate::credentials::api::{
    CreateGrant, RevokeCredential, RevokeGrant, check_grant, check_show, holder_certificates,
    my_certificate_uses, my_credentials, my_grants,
};
use crate::credentials::{
    CertStatus, GrantCheck, GrantPage, GrantView, LiveCertificate, MAX_GRANT_DAYS, ShowCheck,
    UsePage,
};
use crate::platform::error::AppError;
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::form_errors::{FieldError, FormAlert, FormErrors};
use crate::ui::record_table::{RecordTable, loaded_list};
use crate::ui::status::{ErrorAlert, Loading};
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
    let create = ServerAction::<CreateGrant>::new();
    let revoke = ServerAction::<RevokeGrant>::new();
    let certificates = Resource::new(|| (), |_| holder_certificates());
    let grants = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| my_grants(),
    );
    view! {
        <Title text="授权用证"/>
        <Breadcrumb trail=&[("用户中心", "/user")] current="授权用证"/>
        <h1>"授权用证"</h1>
        <p class="lead">
            "授权指定单位在一定期限内核验您的一本电子证照(可看到您的姓名、注册类别、编号、注册专业和聘用企业,"
            "不含身份证号)。授权到期或撤销后,该单位的核验链接立即失效。每次核验都记入“用证记录”。"
        </p>
        <section class="settings-card" aria-labelledby="new-grant">
            <h2 id="new-grant">"新增授权"</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || certificates.get().map(|outcome| match outcome {
                    // Not face-checked in this session: the way to it. Any other refusal says why.
                    Err(AppError::Refused(message)) if message == crate::platform::auth::NOT_FACE_CHECKED => view! {
                        <p class="notice" role="note">{message}</p>
                        <p><a class="btn btn-primary" href="/user/certificates">"去完成人脸识别认证"</a></p>
                    }
                        .into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(cards) if cards.is_empty() => view! {
                        <p class="notice" role="note">"注册人员库中暂无您的注册信息,没有可授权的电子证照。"</p>
                    }
                        .into_any(),
                    Ok(cards) => view! { <GrantForm cards=cards create=create/> }.into_any(),
                })}
            </Transition>
            {move || create.value().get().and_then(Result::ok).map(|made| view! {
                <div class="alert alert-success" role="status">
                    <p>{format!("已授权“{}”核验您的证照,至 {} 止。", made.grant.org_name, made.grant.expires_at)}</p>
                    <p>"请将下面的核验链接发给该单位(链接只显示这一次,请妥善发送):"</p>
                    <label for="grant-url">"核验链接"</label>
                    <input id="grant-url" class="mono" type="text" readonly value=made.url.clone()/>
                </div>
            })}
        </section>
        <section aria-labelledby="grant-list">
            <h2 id="grant-list">"我的授权"</h2>
            {move || match revoke.value().get() {
                Some(Ok(())) => view! { <p class="alert alert-success" role="status">"已撤销授权,对方的核验链接已失效。"</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                None => ().into_any(),
            }}
            <Transition fallback=|| view! { <Loading/> }>
                {move || grants.get().map(|outcome| loaded_list(outcome, "暂无授权", |rows| {
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
    let revoke = ServerAction::<RevokeCredential>::new();
    let list = Resource::new(move || revoke.version().get(), |_| my_credentials());
    view! {
        <section aria-labelledby="credential-list">
            <h2 id="credential-list">"已导出的可验证凭证"</h2>
            <p class="hint">"凭证一旦丢失或误发,请立即撤销:核验方查询状态列表时即显示失效。"</p>
            {move || match revoke.value().get() {
                Some(Ok(())) => view! { <p class="alert alert-success" role="status">"已撤销该凭证。"</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                None => ().into_any(),
            }}
            <Transition fallback=|| view! { <Loading/> }>
                {move || list.get().map(|outcome| loaded_list(outcome, "暂未导出凭证", move |rows| view! {
                    <RecordTable
                        caption="已导出的可验证凭证"
                        columns=&["证照", "出示的信息", "绑定钱包", "导出时间", "到期时间", "状态", "操作"]
                        rows=rows
                        row=move |c| {
                            let label = format!("撤销{}导出的凭证", c.issued_at);
                            view! {
                                <tr>
                                    <td>{c.title.clone()}<br/><span class="mono">{c.registration_no.clone()}</span></td>
                                    <td>{c.disclosed.clone()}</td>
                                    <td>{if c.holder_bound { "是" } else { "否" }}</td>
                                    <td>{c.issued_at.clone()}</td>
                                    <td>{c.expires_at.clone()}</td>
                                    <td>{c.state.clone()}</td>
                                    <td>
                                        {c.active.then(|| view! {
                                            <ActionForm action=revoke attr:class="inline-form">
                                                <input type="hidden" name="credential_id" value=c.id.clone()/>
                                                <button type="submit" class="btn" aria-label=label.clone()>"撤销"</button>
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
    let errors = FormErrors::of(create.value());
    view! {
        <ActionForm action=create attr:class="auth-form" attr:aria-label="新增授权">
            <div class="field">
                <label for="grant-cert">"证照"</label>
                <select id="grant-cert" name="certificate_id">
                    {cards
                        .into_iter()
                        .map(|c| view! { <option value=c.id>{format!("{}({})", c.title, c.registration_no)}</option> })
                        .collect_view()}
                </select>
            </div>
            <GrantField errors=errors field="org_code" label="被授权单位统一社会信用代码" max=18 autocomplete="off"/>
            <GrantField errors=errors field="org_name" label="被授权单位名称" max=60 autocomplete="organization"/>
            <GrantField errors=errors field="purpose" label="授权用途" max=50 autocomplete="off" placeholder="例如:投标资格审查"/>
            <div class="field">
                <label for="grant-days">"授权期限"</label>
                <select id="grant-days" name="days" aria-invalid=move || errors.invalid("days")
                    aria-describedby=move || errors.message("days").map(|_| "days-error")>
                    {DAYS
                        .into_iter()
                        .map(|d| view! { <option value=d.to_string() selected=d == 7>{format!("{d}天")}</option> })
                        .collect_view()}
                </select>
                <FieldError errors=errors field="days"/>
            </div>
            <FormAlert errors=errors/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>"授权"</button>
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
    view! {
        <RecordTable
            caption="我的授权"
            columns=&["被授权单位", "证照", "用途", "授权时间", "到期时间", "状态", "操作"]
            rows=rows
            row=move |g| {
                let label = format!("撤销对“{}”的授权", g.org_name);
                view! {
                    <tr>
                        <td>{g.org_name.clone()}<br/><span class="mono">{g.org_code.clone()}</span></td>
                        <td>{g.title.clone()}<br/><span class="mono">{g.registration_no.clone()}</span></td>
                        <td>{g.purpose.clone()}</td>
                        <td>{g.created_at.clone()}</td>
                        <td>{g.expires_at.clone()}</td>
                        <td>{g.state.clone()}</td>
                        <td>
                            {g.active.then(|| view! {
                                <ActionForm action=revoke attr:class="inline-form">
                                    <input type="hidden" name="grant_id" value=g.id.clone()/>
                                    <button type="submit" class="btn" aria-label=label.clone()>"撤销"</button>
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
    view! {
        <Title text="用证记录"/>
        <Breadcrumb trail=&[("用户中心", "/user")] current="用证记录"/>
        <h1>"用证记录"</h1>
        <p class="lead">
            "您的电子证照副本、亮证二维码和授权链接每被核验一次,这里就记录一次:何时、核验了哪一份、"
            "核验单位(授权核验时可知)和核验方的网络地址(已脱敏)。同一地址一天内反复核验同一份副本或授权,合并为一行并记次数。"
            "如发现异常,可在“授权用证”撤销授权。"
        </p>
        <nav class="kind-tabs" aria-label="按核验方式筛选">
            {move || {
                let (kind, _) = wanted();
                std::iter::once((None, "全部"))
                    .chain(uses::KINDS.iter().map(|k| (Some(*k), uses::label(k))))
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
    if found.records.is_empty() && found.page == 1 {
        return view! { <p class="hint">"暂无核验记录"</p> }.into_any();
    }
    let page = found.page;
    let kind = kind.as_deref();
    let (prev, next) = (uses_url(kind, page - 1), uses_url(kind, page + 1));
    view! {
        <RecordTable
            caption=format!("用证记录,第 {page} 页")
            columns=&["时间", "方式", "证照", "核验对象", "核验单位", "IP 地址", "浏览器"]
            rows=found.records
            row=|u| {
                let at = if u.repeats > 1 {
                    format!("{} 起,共 {} 次,最近 {}", u.at, u.repeats, u.last_at)
                } else {
                    u.at
                };
                view! {
                    <tr>
                        <td>{at}</td>
                        <td>{u.kind}</td>
                        <td>{u.title}</td>
                        <td>{u.subject}</td>
                        <td>{u.organisation}</td>
                        <td>{u.ip}</td>
                        <td>{u.browser}</td>
                    </tr>
                }
            }
        />
        <nav class="pager" aria-label="用证记录分页">
            {(page > 1).then(|| view! { <a class="btn" href=prev rel="prev">"上一页"</a> })}
            <span class="pager-info">{format!("第 {page} 页")}</span>
            {found.has_next.then(|| view! { <a class="btn" href=next rel="next">"下一页"</a> })}
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
    let (class, heading) = match certificate.status {
        CertStatus::Valid => ("verify-result genuine", "证照状态:有效"),
        CertStatus::Expired => ("verify-result warning", "证照状态:已过期"),
        CertStatus::Revoked => ("verify-result bad", "证照状态:已注销"),
    };
    view! {
        <div class=class role="status">
            <h2>{heading}</h2>
            <p>"以下为本门户数据库中该证照的实时状态。"</p>
        </div>
        <dl class="detail-grid">
            <div class="wide"><dt>"证照名称"</dt><dd>{certificate.title}</dd></div>
            <div class="wide"><dt>"电子证照标识"</dt><dd class="mono licence-id">{certificate.licence_id}</dd></div>
            <div><dt>"持证人"</dt><dd>{certificate.holder}</dd></div>
            <div><dt>"注册类别"</dt><dd>{certificate.category}</dd></div>
            <div><dt>"注册编号"</dt><dd class="mono">{certificate.registration_no}</dd></div>
            <div><dt>"注册有效期至"</dt><dd>{certificate.valid_until}</dd></div>
            <div><dt>"证照状态"</dt><dd>{certificate.status.label()}</dd></div>
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
    let params = use_params_map();
    let result = Resource::new(
        move || params.with(|p| p.get("token").unwrap_or_default()),
        check_show,
    );
    view! {
        <Title text="亮证核验"/>
        <section class="page-section">
            <h1>"亮证核验"</h1>
            <Suspense fallback=|| view! { <Loading text="正在核验…"/> }>
                {move || result.get().map(|outcome| match outcome {
                    Ok(ShowCheck::Live { certificate, shown_at }) => view! {
                        <LiveDetails certificate=certificate extra=vec![("出示时间", shown_at)]/>
                    }
                        .into_any(),
                    Ok(ShowCheck::Expired) => view! {
                        <div class="verify-result warning" role="status">
                            <h2>"此二维码已过期,请持证人重新亮证"</h2>
                            <p>"亮证二维码每30秒更新一次,出示后1分钟内有效。截图或翻拍的二维码不能用于核验。"</p>
                        </div>
                    }
                        .into_any(),
                    Ok(ShowCheck::Invalid) => view! {
                        <div class="verify-result bad" role="status">
                            <h2>"二维码无效"</h2>
                            <p>"该二维码不是本门户生成的亮证二维码,或已损坏。请持证人在小程序“我的证照”中重新亮证。"</p>
                        </div>
                    }
                        .into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                })}
            </Suspense>
            <p class="hint">"核验结果以本门户数据库为准;持证人可在用户中心“用证记录”中看到本次核验。"</p>
        </section>
    }
}

/// `/verify/grant/<code>`: an organisation's view of a certificate the holder granted it.
#[component]
pub fn GrantVerifyPage() -> impl IntoView {
    let params = use_params_map();
    let result = Resource::new(
        move || params.with(|p| p.get("code").unwrap_or_default()),
        check_grant,
    );
    view! {
        <Title text="授权核验"/>
        <section class="page-section">
            <h1>"授权核验"</h1>
            <Suspense fallback=|| view! { <Loading text="正在核验…"/> }>
                {move || result.get().map(|outcome| match outcome {
                    Ok(GrantCheck::Live(page)) => {
                        let GrantPage { certificate, employer, specialties, org_name, org_code, purpose, expires_at } = *page;
                        view! {
                            <p class="notice" role="note">{format!("持证人已授权“{org_name}”({org_code})用于“{purpose}”核验本证照,授权至 {expires_at} 止。")}</p>
                            <LiveDetails
                                certificate=certificate
                                extra=vec![("聘用企业", employer), ("注册专业", specialties.join("、"))]
                            />
                        }
                            .into_any()
                    }
                    Ok(GrantCheck::Ended { org_name, revoked }) => view! {
                        <div class="verify-result bad" role="status">
                            <h2>{if revoked { "授权已被持证人撤销" } else { "授权已到期" }}</h2>
                            <p>{format!("持证人对“{org_name}”的授权已结束,本链接不再显示证照信息。如需继续核验,请联系持证人重新授权。")}</p>
                        </div>
                    }
                        .into_any(),
                    Ok(GrantCheck::NotFound) => view! {
                        <div class="verify-result bad" role="status">
                            <h2>"未找到该授权"</h2>
                            <p>"核验链接不存在或输入有误,请向持证人核实。"</p>
                        </div>
                    }
                        .into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
