//! 首页: the portal's front door, with the 热门服务 section the manual starts from.

use crate::platform::lang::{Text, use_lang};
use leptos::prelude::*;
use leptos_meta::Title;

const TITLE: Text = crate::ui::text::HOME;
const LEAD: Text = Text::new(
    "注册执业人员资格查询、电子证照办理,一网通办",
    "Search the register of professionals and handle your electronic certificates, all in one place",
);
const HOT: Text = Text::new("热门服务", "Popular services");
const GUIDE: Text = Text::new("办事指南", "How to");
const GUIDE_SEARCH: (Text, Text) = (
    crate::ui::text::SEARCH,
    Text::new(
        "在热门服务中点击【人员资格查询】,输入人员姓名、身份证号、注册编号等信息即可查询,无需登录。",
        "Choose Search the register under Popular services and enter a name, an identity document number or a registration number. No account is needed.",
    ),
);
const GUIDE_DOWNLOAD: (Text, Text) = (
    Text::new("电子证照下载", "Download a certificate"),
    Text::new(
        "点击右上角【登录】,登录后进入【用户中心】→【我的证照】,用支付宝或微信小程序扫码完成人脸识别,即可加注并下载电子证照。",
        "Sign in (top right), open Your account → Your certificates, and scan the QR code with the Alipay or WeChat mini-program to pass the face check; then annotate and download your certificate.",
    ),
);
const GUIDE_HELP: [Text; 4] = [
    Text::new("遇到问题", "Need help?"),
    Text::new("请先查看", "See "),
    crate::ui::text::FAQ,
    Text::new(
        ",或拨打技术支持电话 010-58934542。",
        ", or call technical support on 010-58934542.",
    ),
];

/// A service offered on the home page.
pub struct Service {
    pub name: Text,
    pub description: Text,
    /// Short glyph drawn in the card's icon badge.
    pub glyph: &'static str,
    /// Where the card leads.
    pub href: &'static str,
}

/// 热门服务, in the order the manual and citizens expect: 人员资格查询 first.
pub const HOT_SERVICES: [Service; 6] = [
    Service {
        name: crate::ui::text::SEARCH,
        description: Text::new(
            "查询注册执业人员的注册类别、注册专业、执业印章号及注册单位",
            "Check a registered professional's category, specialties, seal number and employer",
        ),
        glyph: "查",
        href: "/search",
    },
    Service {
        name: Text::new("电子证照", "Electronic certificates"),
        description: Text::new(
            "注册执业人员证照加注,下载PDF、OFD格式电子证照",
            "Registered professionals annotate their certificates and download them as PDF or OFD",
        ),
        glyph: "证",
        // Through the login when needed, and back after it.
        href: "/user/certificates",
    },
    Service {
        name: crate::ui::text::USER_CENTRE,
        description: Text::new(
            "我的证照、账户设置、手机号变更与密码修改",
            "Your certificates, account settings, phone number and password",
        ),
        glyph: "我",
        href: "/user",
    },
    Service {
        name: crate::ui::text::VERIFY,
        description: Text::new(
            "输入或扫描电子证照副本上的核验码,核验证照真伪及加注有效期",
            "Type or scan the code printed on a certificate copy to check that it is genuine and still valid",
        ),
        glyph: "验",
        href: "/verify",
    },
    Service {
        name: crate::ui::text::FAQ,
        description: Text::new(
            "登录、注册、扫码人脸识别等常见问题的处理方法",
            "Answers about signing in, registering and the face check",
        ),
        glyph: "问",
        href: "/faq",
    },
    Service {
        name: crate::ui::text::CONTACT,
        description: Text::new(
            "技术支持电话与电子邮箱",
            "Technical support phone numbers and email",
        ),
        glyph: "联",
        href: "/contact",
    },
];

#[component]
fn ServiceCard(service: &'static Service) -> impl IntoView {
    let lang = use_lang();
    let body = view! {
        <span class="service-glyph" aria-hidden="true">{service.glyph}</span>
        <span class="service-text">
            <span class="service-name">{service.name.of(lang)}</span>
            <span class="service-desc">{service.description.of(lang)}</span>
        </span>
    };
    view! { <a class="service-card" href=service.href>{body}</a> }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let guide = |(title, text): (Text, Text)| {
        view! { <li><strong>{title.of(lang)}</strong>{text.of(lang)}</li> }
    };
    let [help, see, faq, call] = GUIDE_HELP.map(|t| t.of(lang));
    view! {
        <Title text=TITLE.of(lang)/>
        <section class="hero">
            <div class="hero-inner">
                <h1>{crate::site::text::PORTAL.of(lang)}</h1>
                <p>{LEAD.of(lang)}</p>
            </div>
        </section>
        <section class="page-section" aria-labelledby="hot-services">
            <h2 id="hot-services" class="section-title">{HOT.of(lang)}</h2>
            <ul class="service-grid">
                {HOT_SERVICES
                    .iter()
                    .map(|service| view! { <li><ServiceCard service=service/></li> })
                    .collect_view()}
            </ul>
        </section>
        <section class="page-section" aria-labelledby="guide">
            <h2 id="guide" class="section-title">{GUIDE.of(lang)}</h2>
            <ol class="guide-steps">
                {guide(GUIDE_SEARCH)}
                {guide(GUIDE_DOWNLOAD)}
                <li>
                    <strong>{help}</strong>
                    {see}<a href="/faq">{faq}</a>{call}
                </li>
            </ol>
        </section>
    }
}
