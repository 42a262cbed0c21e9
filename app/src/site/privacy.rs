//! 隐私政策: what the portal collects about account holders, why, for how long (the periods
//! are the purge job's own table, `privacy::retention`, so the page cannot say another) and
//! how to use one's rights online.

use crate::platform::lang::{Text, use_lang};
use crate::privacy::retention;
use leptos::prelude::*;
use leptos_meta::Title;

const TITLE: Text = Text::new("隐私政策", "Privacy notice");
const INTRO: Text = Text::new(
    "住房和城乡建设部政务服务门户(以下简称“门户”)依据《中华人民共和国个人信息保护法》《中华人民共和国数据安全法》处理您的个人信息。",
    "The MOHURD Government Services Portal (the portal) handles your personal information under the Personal Information Protection Law and the Data Security Law of the People's Republic of China.",
);
const COLLECTED: Text = Text::new("我们收集的信息及用途", "What we collect and why");
const COLLECTED_ITEMS: [Text; 4] = [
    Text::new(
        "姓名、身份证号:用于实名注册,经公安部身份信息核验服务比对一致后方可注册;身份证号仅以加密摘要和脱敏形式(如 110105********0039)保存。",
        "Your name and identity document number: to register you under your real name, once an identity check (or the national register of professionals) confirms them. The number is kept only as a keyed digest and in masked form (such as 110105********0039).",
    ),
    Text::new(
        "手机号:用于接收短信验证码、找回密码;页面上仅显示脱敏号码。",
        "Your mobile number: for text message codes and password recovery. Pages show it masked.",
    ),
    Text::new(
        "企业用户的单位名称、统一社会信用代码、法定代表人姓名及身份证号:用于法人用户实名注册。",
        "For organisations: the name, unified social credit code, and the legal representative's name and document number, to register the organisation.",
    ),
    Text::new(
        "登录记录(时间、IP 地址、浏览器类型):用于账户安全保护,您可在【用户中心】→【安全记录】中查看。",
        "Sign-in records (time, IP address, browser): to protect your account. You can see them under Your account → Security record.",
    ),
];
const NEVER: Text = Text::new("我们不会做的事", "What we never do");
const NEVER_ITEMS: [Text; 3] = [
    Text::new(
        "不会以明文保存您的密码:密码经 Argon2id 算法不可逆加密后保存。",
        "Keep your password readable: it is stored only as an Argon2id hash.",
    ),
    Text::new("不会保存人脸图像。", "Keep images of your face."),
    Text::new(
        "不会向第三方出售、提供您的个人信息,法律法规另有规定的除外。",
        "Sell or give your personal information to others, except where the law requires it.",
    ),
];
const PERIODS: Text = Text::new("保存期限", "How long we keep it");
const PERIODS_LEAD: Text = Text::new(
    "账户信息在账户存续期间保存。其他信息按下表的期限保存,期满后由系统自动删除:",
    "Your account's information is kept while the account exists. The rest is kept for the periods below, then deleted automatically:",
);
const PERIOD_COLUMNS: [Text; 3] = [
    Text::new("信息", "Information"),
    Text::new("保存期限", "Kept for"),
    Text::new("原因", "Why"),
];
const RIGHTS: Text = Text::new("您的权利及行使方式", "Your rights, and how to use them");
const RIGHTS_ITEMS: [Text; 4] = [
    Text::new(
        "查阅、复制和转移:在【账户设置】→【导出我的信息】查看您的全部个人信息,并下载为 JSON 文件。",
        "To see, copy or move your information: Account settings → Export your information shows all of it and downloads it as a JSON file.",
    ),
    Text::new(
        "更正:在【账户设置】中更改手机号和密码;姓名、证件号码和注册信息以全国注册信息为准,如有错误请联系我们。",
        "To correct it: change your phone number and password in Account settings. Your name, document number and registrations are the national register's: contact us if they are wrong.",
    ),
    Text::new(
        "撤回同意和注销账户:在【账户设置】→【注销账户】在线申请,7 天冷静期满后删除;冷静期内登录可撤销。",
        "To withdraw your consent and close your account: ask online under Account settings → Close your account. It is deleted after a 7-day cooling-off; sign in within it to cancel.",
    ),
    Text::new(
        "如有疑问或投诉,请通过页面底部的联系方式与我们联系。",
        "For questions or complaints, contact us as shown at the foot of every page.",
    ),
];

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=TITLE.of(lang)/>
        <section class="page-section prose">
            <h1>{TITLE.of(lang)}</h1>
            <p>{INTRO.of(lang)}</p>
            <h2>{COLLECTED.of(lang)}</h2>
            <ul>{COLLECTED_ITEMS.map(|t| view! { <li>{t.of(lang)}</li> })}</ul>
            <h2>{NEVER.of(lang)}</h2>
            <ul>{NEVER_ITEMS.map(|t| view! { <li>{t.of(lang)}</li> })}</ul>
            <h2>{PERIODS.of(lang)}</h2>
            <p>{PERIODS_LEAD.of(lang)}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label=PERIODS.of(lang)>
                <table class="data-table retention-table">
                    <caption class="visually-hidden">{PERIODS.of(lang)}</caption>
                    <thead>
                        <tr>{PERIOD_COLUMNS.map(|t| view! { <th scope="col">{t.of(lang)}</th> })}</tr>
                    </thead>
                    <tbody>
                        {retention::TABLE
                            .iter()
                            .map(|r| view! {
                                <tr data-retention=r.key>
                                    <td>{r.what.of(lang)}</td>
                                    <td>{retention::period(r, lang)}</td>
                                    <td>{r.why.of(lang)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <h2>{RIGHTS.of(lang)}</h2>
            <ul>{RIGHTS_ITEMS.map(|t| view! { <li>{t.of(lang)}</li> })}</ul>
        </section>
    }
}
