//! 联系方式 (§8 of the user manual).

use crate::platform::lang::{Text, use_lang};
use crate::ui::breadcrumb::Breadcrumb;
use leptos::prelude::*;
use leptos_meta::Title;

pub const SUPPORT_PHONES: [&str; 2] = ["010-58934542", "010-58934446"];
pub const SUPPORT_EMAIL: &str = "XTC@mohurd.gov.cn";

const PHONES: Text = Text::new("技术支持电话", "Technical support phone");
const EMAIL: Text = Text::new("电子邮箱", "Email");
/// The dispute note: before the link, the link, after it.
const DISPUTE: [Text; 3] = [
    Text::new(
        "贵单位的统一社会信用代码被他人注册为法人账户?法定代表人可登录个人账户,在",
        "Has someone else registered your organisation's unified social credit code? The legal representative can sign in to their personal account and file a dispute under ",
    ),
    Text::new(
        "确认法人账户 → 法人账户申诉",
        "Confirm an organisation's account → Dispute",
    ),
    Text::new("中在线提出申诉。", "."),
];
const BEFORE: [Text; 3] = [
    Text::new("来电或来信前,可先查看", "Before you call or write, see "),
    Text::new("常见问题", "Help"),
    Text::new(
        ",多数登录、注册和扫码问题都能在那里找到处理方法。",
        ": it answers most questions about signing in, registering and scanning.",
    ),
];

#[component]
pub fn ContactPage() -> impl IntoView {
    let lang = use_lang();
    let title = crate::site::text::CONTACT.of(lang);
    let [d0, d1, d2] = DISPUTE.map(|t| t.of(lang));
    let [b0, b1, b2] = BEFORE.map(|t| t.of(lang));
    view! {
        <Title text=title/>
        <section class="page-section">
            <Breadcrumb current=title/>
            <h1>{title}</h1>
            <div class="contact-card">
                <dl class="contact-list">
                    <div class="contact-item">
                        <dt>{PHONES.of(lang)}</dt>
                        <dd>
                            {SUPPORT_PHONES
                                .iter()
                                .enumerate()
                                .map(|(i, phone)| {
                                    view! {
                                        {(i > 0).then_some("/")}
                                        <a href=format!("tel:{phone}")>{*phone}</a>
                                    }
                                })
                                .collect_view()}
                        </dd>
                    </div>
                    <div class="contact-item">
                        <dt>{EMAIL.of(lang)}</dt>
                        <dd>
                            <a href=format!("mailto:{SUPPORT_EMAIL}")>{SUPPORT_EMAIL}</a>
                        </dd>
                    </div>
                </dl>
                <p>{d0}<a href="/user/enterprise#dispute">{d1}</a>{d2}</p>
                <p class="hint">{b0}<a href="/faq">{b1}</a>{b2}</p>
            </div>
        </section>
    }
}
