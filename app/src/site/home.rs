//! 首页: the portal's front door, with the 热门服务 section the manual starts from.

use leptos::prelude::*;
use leptos_meta::Title;

/// A service offered on the home page.
pub struct Service {
    pub name: &'static str,
    pub description: &'static str,
    /// Short glyph drawn in the card's icon badge.
    pub glyph: &'static str,
    /// Where the card leads.
    pub href: &'static str,
}

/// 热门服务, in the order the manual and citizens expect: 人员资格查询 first.
pub const HOT_SERVICES: [Service; 6] = [
    Service {
        name: "人员资格查询",
        description: "查询注册执业人员的注册类别、注册专业、执业印章号及注册单位",
        glyph: "查",
        href: "/search",
    },
    Service {
        name: "电子证照",
        description: "注册执业人员证照加注,下载PDF、OFD格式电子证照",
        glyph: "证",
        // Through the login when needed, and back after it.
        href: "/user/certificates",
    },
    Service {
        name: "用户中心",
        description: "我的证照、账户设置、手机号变更与密码修改",
        glyph: "我",
        href: "/user",
    },
    Service {
        name: "证照核验",
        description: "输入或扫描电子证照副本上的核验码,核验证照真伪及加注有效期",
        glyph: "验",
        href: "/verify",
    },
    Service {
        name: "常见问题",
        description: "登录、注册、扫码人脸识别等常见问题的处理方法",
        glyph: "问",
        href: "/faq",
    },
    Service {
        name: "联系方式",
        description: "技术支持电话与电子邮箱",
        glyph: "联",
        href: "/contact",
    },
];

#[component]
fn ServiceCard(service: &'static Service) -> impl IntoView {
    let body = view! {
        <span class="service-glyph" aria-hidden="true">{service.glyph}</span>
        <span class="service-text">
            <span class="service-name">{service.name}</span>
            <span class="service-desc">{service.description}</span>
        </span>
    };
    view! { <a class="service-card" href=service.href>{body}</a> }
}

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="首页"/>
        <section class="hero">
            <div class="hero-inner">
                <h1>"住房和城乡建设部政务服务门户"</h1>
                <p>"注册执业人员资格查询、电子证照办理,一网通办"</p>
            </div>
        </section>
        <section class="page-section" aria-labelledby="hot-services">
            <h2 id="hot-services" class="section-title">"热门服务"</h2>
            <ul class="service-grid">
                {HOT_SERVICES
                    .iter()
                    .map(|service| view! { <li><ServiceCard service=service/></li> })
                    .collect_view()}
            </ul>
        </section>
        <section class="page-section" aria-labelledby="guide">
            <h2 id="guide" class="section-title">"办事指南"</h2>
            <ol class="guide-steps">
                <li>
                    <strong>"人员资格查询"</strong>
                    "在热门服务中点击【人员资格查询】,输入人员姓名、身份证号、注册编号等信息即可查询,无需登录。"
                </li>
                <li>
                    <strong>"电子证照下载"</strong>
                    "点击右上角【登录】,登录后进入【用户中心】→【我的证照】,用支付宝或微信小程序扫码完成人脸识别,即可加注并下载电子证照。"
                </li>
                <li>
                    <strong>"遇到问题"</strong>
                    "请先查看"<a href="/faq">"常见问题"</a>",或拨打技术支持电话 010-58934542。"
                </li>
            </ol>
        </section>
    }
}
