//! 隐私政策: what the portal collects about account holders, why, and for how long.

use crate::platform::lang::{Text, use_lang};
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
const RIGHTS: Text = Text::new("保存期限与您的权利", "How long we keep it, and your rights");
const RIGHTS_TEXT: Text = Text::new(
    "账户信息在账户存续期间保存;安全记录保存不少于六个月,以满足网络安全等级保护要求。您可以在【账户设置】中更改手机号和密码;如需查询、更正或注销账户,请通过页面底部的联系方式与我们联系。",
    "Account information is kept while the account exists; security records for at least six months, as the cybersecurity protection rules require. You can change your phone number and password in Account settings; to see, correct or close your account, contact us as shown at the foot of every page.",
);

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
            <h2>{RIGHTS.of(lang)}</h2>
            <p>{RIGHTS_TEXT.of(lang)}</p>
        </section>
    }
}
