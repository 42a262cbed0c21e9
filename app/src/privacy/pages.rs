//! 导出我的信息 (`/user/data`): what the portal holds about the signed-in person, readable,
//! with the same as a JSON file to keep (`/user/data.json`). A sign-in older than ten minutes
//! asks for the password first.

use crate::platform::error::AppError;
use crate::platform::lang::{Lang, Text, use_lang};
use crate::privacy::export::{NOT_FRESH, PersonalData, my_data};
use crate::ui::breadcrumb::Breadcrumb;
use crate::ui::record_table::RecordTable;
use crate::ui::status::{ErrorAlert, Loading};
use leptos::prelude::*;
use leptos_meta::Title;

const TITLE: Text = Text::new("导出我的信息", "Export your information");
const LEAD: Text = Text::new(
    "以下是本门户保存的您的全部个人信息。本门户不保存完整的证件号码,只保存掩码和用于查找的密钥摘要。",
    "This is everything the portal holds about you. The portal never keeps your full document number: only a masked copy and a keyed digest to look it up.",
);
const DOWNLOAD: Text = Text::new("下载 JSON 文件", "Download as a JSON file");
const ACCOUNT: Text = Text::new("账户信息", "Your account");
const SECURITY: Text = crate::ui::text::SECURITY;
const USES: Text = crate::ui::text::USES;
const GRANTS: Text = crate::ui::text::GRANTS;
const CREDENTIALS: Text = Text::new("导出的可验证凭证", "Credentials you exported");
const COPIES: Text = Text::new("证照副本(加注)", "Copies you made (annotations)");
const REGISTRATIONS: Text = Text::new(
    "与您证件绑定的注册信息",
    "Registrations bound to your document",
);
const NONE: Text = Text::new("无", "None");

#[component]
pub fn MyDataPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| my_data());
    let title = TITLE.of(lang);
    let trail = crate::ui::text::user_centre_trail(lang);
    view! {
        <Title text=title/>
        <Breadcrumb trail=trail current=title/>
        <h1>{title}</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || {
                data.get()
                    .map(|outcome| match outcome {
                        Err(AppError::Refused(m)) if m.zh == NOT_FRESH.zh => view! {
                            <p class="notice" role="note">{m.of(lang).to_string()}</p>
                            <crate::accounts::pages::sign_in_again::SignInAgainForm done=move |()| data.refetch()/>
                        }
                            .into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                        Ok(d) => view! { <DataView data=d/> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn DataView(data: PersonalData) -> impl IntoView {
    let lang = use_lang();
    let a = data.account;
    let made = match lang {
        Lang::Zh => format!("生成时间:{}(北京时间)", data.made_at),
        Lang::En => format!("Made at {} (Beijing time)", data.made_at),
    };
    let or_none = move |v: Option<String>| v.unwrap_or_else(|| NONE.of(lang).to_string());
    view! {
        <p>{LEAD.of(lang)}</p>
        <p class="hint">{made}</p>
        <p><a class="btn btn-primary" href="/user/data.json" download="personal-data.json">{DOWNLOAD.of(lang)}</a></p>
        <section class="settings-card" aria-labelledby="data-account">
            <h2 id="data-account">{ACCOUNT.of(lang)}</h2>
            <dl class="detail-list">
                <dt>{Text::new("用户类型", "Account type").of(lang)}</dt><dd>{a.kind}</dd>
                <dt>{Text::new("姓名", "Name").of(lang)}</dt><dd>{a.name}</dd>
                <dt>{Text::new("证件", "Identity document").of(lang)}</dt><dd>{a.id_kind}" "<span class="mono">{a.id_number_masked}</span></dd>
                {a.org_name.map(|o| view! { <dt>{Text::new("单位名称", "Organisation").of(lang)}</dt><dd>{o}</dd> })}
                {a.credit_code.map(|c| view! { <dt>{Text::new("统一社会信用代码", "Unified social credit code").of(lang)}</dt><dd>{c}</dd> })}
                <dt>{Text::new("手机号", "Phone").of(lang)}</dt><dd>{a.phone}</dd>
                <dt>{Text::new("注册时间", "Created").of(lang)}</dt><dd>{a.created_at}</dd>
            </dl>
        </section>
        <Part id="data-security" title=SECURITY count=data.security_log.len()>
            <RecordTable
                caption=SECURITY.of(lang)
                columns=columns(lang, &["时间", "事件", "详情", "IP 地址", "浏览器"], &["When", "What", "Detail", "IP address", "Browser"])
                rows=data.security_log
                row=move |e| view! { <tr><td>{e.at.clone()}</td><td>{e.label_in(lang).to_string()}</td><td>{e.detail}</td><td>{e.ip}</td><td>{e.browser}</td></tr> }
            />
        </Part>
        <Part id="data-uses" title=USES count=data.uses.len()>
            <RecordTable
                caption=USES.of(lang)
                columns=columns(lang, &["时间", "证照", "核验内容", "核验方", "IP 地址", "次数"], &["When", "Certificate", "What was checked", "Who", "IP address", "Times"])
                rows=data.uses
                row=|u| view! { <tr><td>{u.at}</td><td>{u.certificate}</td><td>{u.subject}</td><td>{u.organisation}</td><td>{u.ip_masked}</td><td>{u.repeats}</td></tr> }
            />
        </Part>
        <Part id="data-grants" title=GRANTS count=data.grants.len()>
            <RecordTable
                caption=GRANTS.of(lang)
                columns=columns(lang, &["证照", "单位", "用途", "授权时间", "到期", "撤销"], &["Certificate", "Organisation", "Purpose", "Granted", "Ends", "Revoked"])
                rows=data.grants
                row=move |g| view! { <tr><td>{g.certificate}</td><td>{format!("{}({})", g.org_name, g.org_code)}</td><td>{g.purpose}</td><td>{g.created_at}</td><td>{g.expires_at}</td><td>{or_none(g.revoked_at)}</td></tr> }
            />
        </Part>
        <Part id="data-credentials" title=CREDENTIALS count=data.credentials.len()>
            <RecordTable
                caption=CREDENTIALS.of(lang)
                columns=columns(lang, &["证照", "披露项", "导出时间", "到期", "撤销"], &["Certificate", "Disclosed", "Exported", "Expires", "Revoked"])
                rows=data.credentials
                row=move |c| view! { <tr><td>{c.certificate}</td><td>{c.disclosed}</td><td>{c.issued_at}</td><td>{c.expires_at}</td><td>{or_none(c.revoked_at)}</td></tr> }
            />
        </Part>
        <Part id="data-copies" title=COPIES count=data.copies.len()>
            <RecordTable
                caption=COPIES.of(lang)
                columns=columns(lang, &["证照", "副本编号", "用途", "有效期至", "加注时间"], &["Certificate", "Copy number", "Purpose", "Valid until", "Made"])
                rows=data.copies
                row=|c| view! { <tr><td>{c.certificate}</td><td class="mono">{c.copy_no}</td><td>{c.purpose}</td><td>{c.valid_until}</td><td>{c.made_at}</td></tr> }
            />
        </Part>
        <Part id="data-registrations" title=REGISTRATIONS count=data.registrations.len()>
            <RecordTable
                caption=REGISTRATIONS.of(lang)
                columns=columns(lang, &["注册类别", "注册编号", "聘用企业", "有效期至"], &["Category", "Registration number", "Employer", "Valid until"])
                rows=data.registrations
                row=|r| view! { <tr><td>{r.category}</td><td>{r.registration_no}</td><td>{r.employer}</td><td>{r.valid_until}</td></tr> }
            />
        </Part>
    }
}

/// A part of the export with its heading, or a line saying it holds nothing.
#[component]
fn Part(id: &'static str, title: Text, count: usize, children: Children) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="settings-card" aria-labelledby=id>
            <h2 id=id>{title.of(lang)}</h2>
            {if count == 0 { view! { <p class="hint">{NONE.of(lang)}</p> }.into_any() } else { children().into_any() }}
        </section>
    }
}

/// Column names in the page's language.
fn columns(
    lang: Lang,
    zh: &'static [&'static str],
    en: &'static [&'static str],
) -> &'static [&'static str] {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
