//! 联系方式 (§8 of the user manual).

use crate::ui::breadcrumb::Breadcrumb;
use leptos::prelude::*;
use leptos_meta::Title;

pub const SUPPORT_PHONES: [&str; 2] = ["010-58934542", "010-58934446"];
pub const SUPPORT_EMAIL: &str = "XTC@mohurd.gov.cn";

#[component]
pub fn ContactPage() -> impl IntoView {
    view! {
        <Title text="联系方式"/>
        <section class="page-section">
            <Breadcrumb current="联系方式"/>
            <h1>"联系方式"</h1>
            <div class="contact-card">
                <dl class="contact-list">
                    <div class="contact-item">
                        <dt>"技术支持电话"</dt>
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
                        <dt>"电子邮箱"</dt>
                        <dd>
                            <a href=format!("mailto:{SUPPORT_EMAIL}")>{SUPPORT_EMAIL}</a>
                        </dd>
                    </div>
                </dl>
                <p>"贵单位的统一社会信用代码被他人注册为法人账户?法定代表人可登录个人账户,在"<a href="/user/enterprise#dispute">"确认法人账户 → 法人账户申诉"</a>"中在线提出申诉。"</p>
                <p class="hint">"来电或来信前,可先查看"<a href="/faq">"常见问题"</a>",多数登录、注册和扫码问题都能在那里找到处理方法。"</p>
            </div>
        </section>
    }
}
