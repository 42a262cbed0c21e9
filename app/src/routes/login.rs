//! 登录: the account service is not open yet; this page says so plainly and offers what is.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    view! {
        <Title text="登录"/>
        <section class="page-section status-page">
            <h1>"个人用户登录"</h1>
            <p class="notice" role="note">
                "账户登录与注册服务即将开放。开放后,个人用户使用身份证号和密码登录,法人用户使用统一社会信用代码登录。"
            </p>
            <p class="lead">"无需登录即可使用的服务:"</p>
            <ul class="status-links">
                <li><a class="btn" href="/faq">"常见问题"</a></li>
                <li><a class="btn" href="/contact">"联系方式"</a></li>
            </ul>
        </section>
    }
}
