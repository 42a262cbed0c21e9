//! The words of 授权用证, 用证记录, 亮证, the exported credentials, the digital wallet's pages
//! and `/verifier` in both languages (see [`crate::platform::lang`]). Certificates' own
//! content (names, 注册类别, registration numbers, employers) stays as registered.

use crate::credentials::CertStatus;
use crate::platform::error::Message;
use crate::platform::lang::{Lang, Text};

pub use crate::ui::text::{LOGIN, MY_CERTIFICATES};

/// Whether a refusal is the one of a session without a face check in the last 30 minutes:
/// the pages then offer the way to one.
pub fn is_not_face_checked(message: &Message) -> bool {
    message.zh == crate::platform::auth::NOT_FACE_CHECKED
}

pub const CLOSE: Text = Text::new("关闭", "Close");
pub const REVOKE: Text = Text::new("撤销", "Revoke");
pub const YES: Text = Text::new("是", "Yes");
pub const NO: Text = Text::new("否", "No");
pub const FACE_CHECK: Text = Text::new("去完成人脸识别认证", "Take the face check");
pub const CERTIFICATE: Text = Text::new("证照", "Certificate");

// 授权用证 (`/user/grants`).
pub use crate::ui::text::GRANTS;
pub const GRANTS_LEAD: Text = Text::new(
    "授权指定单位在一定期限内核验您的一本电子证照(可看到您的姓名、注册类别、编号、注册专业和聘用企业,不含身份证号)。授权到期或撤销后,该单位的核验链接立即失效。每次核验都记入“用证记录”。",
    "Let an organisation check one of your certificates for a set time. It will see your name, category, registration number, specialties and employer, but not your identity document number. When the grant ends or you revoke it, the organisation's link stops working at once. Every check is listed under Who used your certificates.",
);
pub const NEW_GRANT: Text = Text::new("新增授权", "Share with an organisation");
pub const NOTHING_TO_GRANT: Text = Text::new(
    "注册人员库中暂无您的注册信息,没有可授权的电子证照。",
    "The register holds no registration of yours, so there is no certificate to share.",
);
pub const SEND_LINK: Text = Text::new(
    "请将下面的核验链接发给该单位(链接只显示这一次,请妥善发送):",
    "Send this link to the organisation. It is shown only this once, so keep it safe:",
);
pub const LINK: Text = Text::new("核验链接", "Link for the organisation");
pub const MY_GRANTS: Text = Text::new("我的授权", "Your grants");
pub const GRANT_REVOKED: Text = Text::new(
    "已撤销授权,对方的核验链接已失效。",
    "Grant revoked. The organisation's link no longer works.",
);
pub const NO_GRANTS: Text = Text::new("暂无授权", "You have not shared any certificate");
pub const ORG_CODE: Text = Text::new(
    "被授权单位统一社会信用代码",
    "Organisation's unified social credit code",
);
pub const ORG_NAME: Text = Text::new("被授权单位名称", "Organisation's name");
pub const PURPOSE: Text = Text::new("授权用途", "Purpose");
pub const PURPOSE_EXAMPLE: Text = Text::new("例如:投标资格审查", "For example: checking a bid");
pub const DAYS: Text = Text::new("授权期限", "For how long");
pub const GRANT: Text = Text::new("授权", "Share");

/// A grant length in the select.
pub fn days(lang: Lang, days: i64) -> String {
    match lang {
        Lang::Zh => format!("{days}天"),
        Lang::En if days == 1 => "1 day".to_string(),
        Lang::En => format!("{days} days"),
    }
}

/// What a grant just made says.
pub fn granted(lang: Lang, org_name: &str, until: &str) -> String {
    match lang {
        Lang::Zh => format!("已授权“{org_name}”核验您的证照,至 {until} 止。"),
        Lang::En => format!("{org_name} can check your certificate until {until}."),
    }
}

/// The columns of 我的授权.
pub fn grant_columns(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Zh => &[
            "被授权单位",
            "证照",
            "用途",
            "授权时间",
            "到期时间",
            "状态",
            "操作",
        ],
        Lang::En => &[
            "Organisation",
            "Certificate",
            "Purpose",
            "Granted",
            "Ends",
            "Status",
            "Action",
        ],
    }
}

/// 【撤销】's name for a screen reader, on one grant.
pub fn revoke_grant(lang: Lang, org_name: &str) -> String {
    match lang {
        Lang::Zh => format!("撤销对“{org_name}”的授权"),
        Lang::En => format!("Revoke the grant to {org_name}"),
    }
}

/// A grant's or a credential's standing (有效 / 已到期 / 已撤销, as `standing_of` words it).
pub fn standing(lang: Lang, state: &str) -> String {
    let english = match state {
        "有效" => "Valid",
        "已到期" => "Ended",
        "已撤销" => "Revoked",
        _ => return state.to_string(),
    };
    match lang {
        Lang::Zh => state.to_string(),
        Lang::En => english.to_string(),
    }
}

// 已导出的可验证凭证.
pub const CREDENTIALS: Text =
    Text::new("已导出的可验证凭证", "Verifiable credentials you exported");
pub const CREDENTIALS_HINT: Text = Text::new(
    "凭证一旦丢失或误发,请立即撤销:核验方查询状态列表时即显示失效。",
    "If a credential is lost or sent to the wrong person, revoke it at once: anyone who checks it will see it is no longer valid.",
);
pub const CREDENTIAL_REVOKED: Text = Text::new("已撤销该凭证。", "The credential is revoked.");
pub const NO_CREDENTIALS: Text = Text::new("暂未导出凭证", "You have not exported any credential");

/// The columns of 已导出的可验证凭证.
pub fn credential_columns(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Zh => &[
            "证照",
            "出示的信息",
            "绑定钱包",
            "导出时间",
            "到期时间",
            "状态",
            "操作",
        ],
        Lang::En => &[
            "Certificate",
            "Details it shows",
            "Bound to a wallet",
            "Exported",
            "Expires",
            "Status",
            "Action",
        ],
    }
}

/// 【撤销】's name for a screen reader, on one credential.
pub fn revoke_credential(lang: Lang, issued_at: &str) -> String {
    match lang {
        Lang::Zh => format!("撤销{issued_at}导出的凭证"),
        Lang::En => format!("Revoke the credential exported {issued_at}"),
    }
}

// The claims of a credential (`credentials::vc::CLAIMS`).

/// A claim's name in `lang`, by its name in the credential.
pub fn claim(lang: Lang, name: &str) -> &'static str {
    if lang == Lang::Zh {
        return crate::credentials::vc::claim_label(name);
    }
    match name {
        "name" => "Name",
        "registration_category" => "Category",
        "registration_number" => "Registration number",
        "specialties" => "Specialties and their validity",
        "valid_until" => "Registration valid until",
        "employer" => "Employer",
        "licence_id" => "Electronic licence identifier",
        _ => "",
    }
}

/// A claim's Chinese name (as the server words it) in `lang`.
pub fn claim_label(lang: Lang, label: &str) -> String {
    crate::credentials::vc::CLAIMS
        .iter()
        .find(|(_, zh)| *zh == label)
        .map_or_else(
            || label.to_string(),
            |(name, _)| claim(lang, name).to_string(),
        )
}

/// Claims' Chinese names in `lang`, joined as the page's language joins a list.
pub fn claim_labels<'a>(lang: Lang, labels: impl IntoIterator<Item = &'a str>) -> String {
    labels
        .into_iter()
        .map(|l| claim_label(lang, l))
        .collect::<Vec<_>>()
        .join(list_separator(lang))
}

/// 、 or a comma.
pub fn list_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    }
}

// 用证记录 (`/user/uses`).
pub use crate::ui::text::USES;
pub const USES_LEAD: Text = Text::new(
    "您的电子证照副本、亮证二维码和授权链接每被核验一次,这里就记录一次:何时、核验了哪一份、核验单位(授权核验时可知)和核验方的网络地址(已脱敏)。同一地址一天内反复核验同一份副本或授权,合并为一行并记次数。如发现异常,可在“授权用证”撤销授权。",
    "Each time someone checks a copy of your certificate, a QR code you showed or a link you shared, it is listed here: when, what they checked, the organisation (known for shared links) and their network address (partly hidden). Repeated checks of the same copy or link from one address within a day are one line with a count. If something looks wrong, revoke the grant under Share a certificate.",
);
pub const FILTER: Text = Text::new("按核验方式筛选", "Filter by how it was checked");
pub const ALL: Text = Text::new("全部", "All");
pub const NO_USES: Text = Text::new("暂无核验记录", "Nobody has checked your certificates yet");
pub const PAGES: Text = Text::new("用证记录分页", "Pages");
pub use crate::registry::text::{NEXT, PREVIOUS};

/// A kind of verification (`certificates::uses::KINDS`) in `lang`.
pub fn use_kind(lang: Lang, kind: &str) -> &'static str {
    use crate::certificates::uses;
    match lang {
        Lang::Zh => uses::label(kind),
        Lang::En => match kind {
            uses::COPY => "Copy checked",
            uses::SHOW => "Shown live",
            uses::GRANT => "Shared link",
            uses::WALLET => "Shown from a wallet",
            _ => "Checked",
        },
    }
}

/// A record's kind, as the server words it (`uses::label`), in `lang`.
pub fn use_kind_label(lang: Lang, label: &str) -> String {
    crate::certificates::uses::KINDS
        .iter()
        .find(|k| crate::certificates::uses::label(k) == label)
        .map_or_else(|| label.to_string(), |k| use_kind(lang, k).to_string())
}

/// The columns of 用证记录.
pub fn use_columns(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Zh => &[
            "时间",
            "方式",
            "证照",
            "核验对象",
            "核验单位",
            "IP 地址",
            "浏览器",
        ],
        Lang::En => &[
            "Time",
            "How",
            "Certificate",
            "What was checked",
            "Organisation",
            "IP address",
            "Browser",
        ],
    }
}

/// 用证记录,第 n 页.
pub fn uses_caption(lang: Lang, page: i64) -> String {
    match lang {
        Lang::Zh => format!("用证记录,第 {page} 页"),
        Lang::En => format!("Who used your certificates, page {page}"),
    }
}

/// 第 n 页.
pub fn page_no(lang: Lang, page: i64) -> String {
    match lang {
        Lang::Zh => format!("第 {page} 页"),
        Lang::En => format!("Page {page}"),
    }
}

/// A line that stands for several looks.
pub fn repeated(lang: Lang, first: &str, times: i64, last: &str) -> String {
    match lang {
        Lang::Zh => format!("{first} 起,共 {times} 次,最近 {last}"),
        Lang::En => format!("{times} times from {first}, last {last}"),
    }
}

/// What was checked, as the record words it (副本 …, 亮证 …, 授权用途:…, 数字钱包出示:…).
pub fn use_subject(lang: Lang, subject: &str) -> String {
    if lang == Lang::Zh {
        return subject.to_string();
    }
    if let Some(copy) = subject.strip_prefix("副本 ") {
        format!("Copy {copy}")
    } else if let Some(at) = subject.strip_prefix("亮证 ") {
        format!("Shown at {at}")
    } else if let Some(purpose) = subject.strip_prefix("授权用途:") {
        format!("Purpose: {purpose}")
    } else if let Some(claims) = subject.strip_prefix("数字钱包出示:") {
        format!("From a wallet: {}", claim_labels(lang, claims.split('、')))
    } else {
        subject.to_string()
    }
}

/// Who checked, as the record words it.
pub fn use_organisation(lang: Lang, organisation: &str) -> String {
    if lang == Lang::Zh {
        return organisation.to_string();
    }
    if organisation == "未知(公开核验)" {
        "Not known (anyone can check)".to_string()
    } else if let Some(org) = organisation.strip_suffix("的授权链接") {
        format!("{org}, by the link you shared")
    } else if let Some(org) = organisation.strip_suffix("(经本门户核验服务)") {
        format!("{org}, through the portal's wallet check")
    } else {
        organisation.to_string()
    }
}

/// A browser as the record words it (`domain::browser::browser_label`): its Chinese names in
/// English.
pub fn browser(lang: Lang, label: &str) -> String {
    if lang == Lang::Zh {
        return label.to_string();
    }
    let (name, system) = label.split_once(" · ").unwrap_or((label, ""));
    let name = match name {
        "微信" => "WeChat",
        "支付宝" => "Alipay",
        "未知" => "Unknown browser",
        "其他浏览器" => "Other browser",
        other => other,
    };
    if system.is_empty() {
        name.to_string()
    } else {
        format!("{name} · {system}")
    }
}

// A certificate's live standing (亮证 and grants).
pub const LIVE_NOTE: Text = Text::new(
    "以下为本门户数据库中该证照的实时状态。",
    "This is the certificate as the portal's records show it now.",
);
pub const TITLE: Text = Text::new("证照名称", "Certificate");
pub const LICENCE_ID: Text = Text::new("电子证照标识", "Electronic licence identifier");
pub const HOLDER: Text = Text::new("持证人", "Holder");
pub use crate::registry::text::{CATEGORY, REGISTRATION_NO, SPECIALTIES};
pub const VALID_UNTIL: Text = Text::new("注册有效期至", "Registered until");
pub const STATUS: Text = Text::new("证照状态", "Certificate status");
pub const SHOWN_AT: Text = Text::new("出示时间", "Shown at");
pub const EMPLOYER: Text = Text::new("聘用企业", "Employer");

/// 有效 / 已过期 / 已注销.
pub fn status(lang: Lang, status: CertStatus) -> &'static str {
    match lang {
        Lang::Zh => status.label(),
        Lang::En => match status {
            CertStatus::Valid => "Valid",
            CertStatus::Expired => "Expired",
            CertStatus::Revoked => "Cancelled",
        },
    }
}

/// 证照状态:….
pub fn status_heading(lang: Lang, s: CertStatus) -> String {
    match lang {
        Lang::Zh => format!("证照状态:{}", s.label()),
        Lang::En => format!("Certificate status: {}", status(lang, s).to_lowercase()),
    }
}

// `/verify/show/<token>`.
pub const SHOW_CHECK: Text = Text::new("亮证核验", "Check a shown certificate");
pub use crate::certificates::text::VERIFYING;
pub const SHOW_EXPIRED: (Text, Text) = (
    Text::new(
        "此二维码已过期,请持证人重新亮证",
        "This QR code has expired: ask the holder to show the certificate again",
    ),
    Text::new(
        "亮证二维码每30秒更新一次,出示后1分钟内有效。截图或翻拍的二维码不能用于核验。",
        "The QR code changes every 30 seconds and works for 1 minute after it is shown. A screenshot or photo of it cannot be checked.",
    ),
);
pub const SHOW_INVALID: (Text, Text) = (
    Text::new("二维码无效", "Not a valid QR code"),
    Text::new(
        "该二维码不是本门户生成的亮证二维码,或已损坏。请持证人在小程序“我的证照”中重新亮证。",
        "This QR code was not made by the portal for showing a certificate, or it is damaged. Ask the holder to show the certificate again from the mini-program.",
    ),
);
pub const SHOW_NOTE: Text = Text::new(
    "核验结果以本门户数据库为准;持证人可在用户中心“用证记录”中看到本次核验。",
    "This result comes from the portal's own records. The holder can see that you checked it.",
);

// `/verify/grant/<code>`.
pub const GRANT_CHECK: Text = Text::new("授权核验", "Check a shared certificate");
pub const GRANT_REVOKED_HEADING: Text =
    Text::new("授权已被持证人撤销", "The holder has revoked this grant");
pub const GRANT_ENDED_HEADING: Text = Text::new("授权已到期", "This grant has ended");
pub const GRANT_NOT_FOUND: (Text, Text) = (
    Text::new("未找到该授权", "Grant not found"),
    Text::new(
        "核验链接不存在或输入有误,请向持证人核实。",
        "This link does not exist or was mistyped. Check it with the holder.",
    ),
);

/// What a live grant says first.
pub fn grant_notice(
    lang: Lang,
    org_name: &str,
    org_code: &str,
    purpose: &str,
    until: &str,
) -> String {
    match lang {
        Lang::Zh => format!(
            "持证人已授权“{org_name}”({org_code})用于“{purpose}”核验本证照,授权至 {until} 止。"
        ),
        Lang::En => format!(
            "The holder has let {org_name} ({org_code}) check this certificate for “{purpose}” until {until}."
        ),
    }
}

/// What an ended grant says.
pub fn grant_ended(lang: Lang, org_name: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "持证人对“{org_name}”的授权已结束,本链接不再显示证照信息。如需继续核验,请联系持证人重新授权。"
        ),
        Lang::En => format!(
            "The holder's grant to {org_name} has ended, so this link no longer shows the certificate. To check it again, ask the holder for a new grant."
        ),
    }
}

// 我的证照 on the phone and 亮证.
pub const SIGN_IN_FIRST: Text = Text::new("请先登录小程序。", "Sign in to the mini-program first.");
pub const SHOW_NEEDS_FACE_CHECK: Text = Text::new(
    "亮证前需在本机完成人脸识别认证,认证后 30 分钟内有效。",
    "Before you show a certificate, take a face check on this phone. It lasts 30 minutes.",
);
pub const NOTHING_TO_SHOW: Text = Text::new(
    "注册人员库中暂无您的注册信息,没有可出示的电子证照。",
    "The register holds no registration of yours, so there is no certificate to show.",
);
pub const SHOW: Text = Text::new("亮证", "Show");
pub const SHOWING: Text = Text::new("亮证", "Show your certificate");
pub const SHOW_ENDED: Text = Text::new(
    "本次亮证已结束。如需继续出示,请关闭后重新亮证。",
    "This showing has ended. To show the certificate again, close this and choose Show.",
);
pub const SHOW_QR: Text = Text::new("亮证二维码", "QR code of your certificate");

/// 【亮证】's name for a screen reader.
pub fn show_label(lang: Lang, title: &str) -> String {
    match lang {
        Lang::Zh => format!("亮证:{title}"),
        Lang::En => format!("Show {title}"),
    }
}

/// The QR code could not be renewed.
pub fn code_not_renewed(lang: Lang, why: &str) -> String {
    match lang {
        Lang::Zh => format!("二维码未能更新({why}),旧二维码1分钟后失效;网络恢复后将自动更新"),
        Lang::En => format!(
            "The QR code could not be renewed ({why}). The old one stops working after 1 minute; a new one comes when the network is back."
        ),
    }
}

/// 出示时间:….
pub fn shown_at(lang: Lang, at: &str) -> String {
    match lang {
        Lang::Zh => format!("出示时间:{at}"),
        Lang::En => format!("Shown at {at}"),
    }
}

/// How the QR code changes, and how long this showing has left.
pub fn code_hint(lang: Lang, refresh_seconds: i64, minutes_left: i64) -> String {
    match lang {
        Lang::Zh => format!(
            "二维码每{refresh_seconds}秒自动更新,截图1分钟后失效。本次亮证还可出示约{minutes_left}分钟。"
        ),
        Lang::En => format!(
            "The QR code changes every {refresh_seconds} seconds, so a screenshot stops working after 1 minute. You can show it for about {minutes_left} more minutes."
        ),
    }
}

/// 电子证照标识:….
pub fn licence_id(lang: Lang, id: &str) -> String {
    match lang {
        Lang::Zh => format!("电子证照标识:{id}"),
        Lang::En => format!("Electronic licence identifier: {id}"),
    }
}

// 授权数字钱包 (`/user/wallet-authorize`).
pub const AUTHORIZE: Text = Text::new(
    "授权数字钱包领取电子证照",
    "Let a digital wallet collect your certificate",
);
pub const AUTHORIZE_SHORT: Text = Text::new("授权数字钱包", "Digital wallet");
pub const AUTHORIZE_FACE_CHECK: Text = Text::new(
    "将证书存入数字钱包前,需完成本次登录的人脸识别认证(30 分钟内有效)。认证完成后自动回到本页。",
    "Before a certificate goes into a digital wallet, take a face check (it lasts 30 minutes). You come back to this page afterwards.",
);
pub const TAKE_FACE_CHECK: Text = Text::new("进行人脸识别认证", "Take the face check");
pub const WALLET: Text = Text::new("数字钱包 ", "The digital wallet ");
pub const RETURNS_TO: Text = Text::new("同意后将返回:", "If you agree, you go back to: ");
pub const YOURS: Text = Text::new(
    "请确认这是您本人刚刚在自己的手机钱包中发起的领取。如果是他人发给您的链接,或您没有发起过领取,请点击“拒绝”。",
    "Make sure you have just asked for this yourself, in the wallet on your own phone. If someone sent you this link, or you did not ask, choose Refuse.",
);
pub const AUTHORIZE_NOTE: Text = Text::new(
    "同意后,证书将以可验证凭证(SD-JWT VC)存入该钱包,钱包可自行选择向核验方出示哪些信息。您可随时在“授权用证”中撤销钱包中的凭证。",
    "If you agree, the certificate goes into the wallet as a verifiable credential (SD-JWT VC), and you choose in the wallet what to show to whoever checks it. You can revoke it at any time under Share a certificate.",
);
pub const CHOOSE: Text = Text::new(
    "选择要存入钱包的证书",
    "Choose the certificate for the wallet",
);
pub const AGREE: Text = Text::new("同意并存入钱包", "Agree and add it to the wallet");
pub const REFUSE: Text = Text::new("拒绝", "Refuse");
pub const BACK_TO_WALLET: Text = Text::new("返回数字钱包", "Back to the digital wallet");
pub const DECIDED: Text = Text::new(
    "已处理该数字钱包的领取请求。请在 1 分钟内返回钱包完成领取。",
    "Your answer is recorded. Go back to the wallet within 1 minute to finish.",
);

/// What the wallet asks for (after its name and client id).
pub fn wallet_asks(lang: Lang, title: Option<&str>) -> String {
    match (lang, title) {
        (Lang::Zh, Some(title)) => format!(" 请求领取您的{title}。"),
        (Lang::Zh, None) => " 请求领取的证书类别,您名下没有。".to_string(),
        (Lang::En, Some(title)) => format!(" asks for your {title}."),
        (Lang::En, None) => " asks for a kind of certificate you do not hold.".to_string(),
    }
}

/// A certificate to choose, with its registration number.
pub fn certificate_choice(lang: Lang, title: &str, number: &str) -> String {
    match lang {
        Lang::Zh => format!("{title}(注册编号 {number})"),
        Lang::En => format!("{title} (registration number {number})"),
    }
}

// 存入数字钱包 (the dialog on each certificate of 电子证照管理).
pub const ADD_TO_WALLET: Text = Text::new("存入数字钱包", "Add to a digital wallet");
pub const EXPORT_BY_HAND: Text = Text::new(
    "手动导出可验证凭证",
    "Or export a verifiable credential yourself",
);
pub const EXPORT_LEAD: Text = Text::new(
    "也可将本证照导出为可验证凭证(SD-JWT VC)后自行存入钱包。勾选要出示的信息,未勾选的内容不会交给对方;凭证不含身份证号。证照注销、信息变更或注册到期后,凭证会被标记为失效;未绑定钱包的凭证30天后到期。",
    "You can also export the certificate as a verifiable credential (SD-JWT VC) and put it in a wallet yourself. Tick what it should show: nothing else is handed over, and it never holds your identity document number. If the certificate is cancelled or changes, or the registration ends, the credential is marked invalid. A credential not bound to a wallet expires after 30 days.",
);
pub const EXPORT_FORM: Text = Text::new("导出可验证凭证", "Export a verifiable credential");
pub const JWK: Text = Text::new(
    "钱包公钥(JWK,可选)",
    "The wallet's public key (JWK, optional)",
);
pub const EXPORT: Text = Text::new("导出", "Export");
pub const COLLECT: Text = Text::new("用数字钱包领取", "Collect with a digital wallet");
pub const COLLECT_LEAD: Text = Text::new(
    "用支持 OpenID4VCI 标准的数字钱包扫描二维码领取本证照的可验证凭证,钱包会要求输入下方的 6 位交易码。凭证与您钱包中的密钥绑定,出示时由您在钱包中选择出示哪些信息。领取码 10 分钟内有效,只能使用一次。",
    "Scan the QR code with a digital wallet that supports OpenID4VCI to collect this certificate as a verifiable credential; the wallet asks for the 6-digit transaction code below. The credential is bound to your wallet's key, and you choose in the wallet what to show. The code works once, for 10 minutes.",
);
pub const MAKE_OFFER: Text = Text::new("生成领取二维码", "Make a QR code to collect");
pub const OFFER_QR: Text = Text::new("凭证领取二维码", "QR code to collect the credential");
pub const TX_CODE: Text = Text::new("交易码:", "Transaction code: ");
pub const OPEN_HERE: Text = Text::new(
    "在本机的数字钱包中打开",
    "Open in a digital wallet on this device",
);
pub const DISCLOSE: Text = Text::new("出示的信息", "What it shows");
pub const SD_JWT: Text = Text::new("凭证(SD-JWT VC)", "Credential (SD-JWT VC)");
pub const DOWNLOAD: Text = Text::new("下载凭证文件", "Download the credential file");

/// How long a wallet offer lasts.
pub fn offer_valid(lang: Lang, minutes: i64) -> String {
    match lang {
        Lang::Zh => format!("{minutes} 分钟内有效;请勿将交易码告诉他人。"),
        Lang::En => {
            format!("It works for {minutes} minutes. Do not tell anyone the transaction code.")
        }
    }
}

/// An exported credential: what it shows and until when.
pub fn exported(lang: Lang, disclosed: &[String], until: &str) -> String {
    let shown = claim_labels(lang, disclosed.iter().map(String::as_str));
    match lang {
        Lang::Zh => format!("已导出,出示:{shown}。有效期至 {until}。"),
        Lang::En => format!("Exported. It shows: {shown}. It is valid until {until}."),
    }
}

// `/verifier`.
pub const VERIFIER: Text = Text::new(
    "数字钱包证照核验",
    "Check a certificate in a digital wallet",
);
pub const VERIFIER_HEADING: Text = Text::new(
    "核验数字钱包中的注册证书",
    "Check a registration certificate in a digital wallet",
);
pub const VERIFIER_LEAD: Text = Text::new(
    "招标代理机构、建设单位等需要核验注册执业人员证书时,可在此向持证人的数字钱包发起核验请求。持证人用钱包扫描二维码并确认后,本页显示其出示的信息。无需注册或登录;核验结果只在发起核验的浏览器中显示,一小时后删除。",
    "If your organisation (a tendering agent or a client, for example) needs to check a registered professional's certificate, ask for it here from their digital wallet. When they scan the QR code with the wallet and agree, this page shows what they presented. You do not need an account. The result shows only in this browser and is deleted after an hour.",
);
pub const VERIFIER_ORG: Text = Text::new("核验单位名称", "Your organisation's name");
pub const VERIFIER_ORG_HINT: Text = Text::new(
    "将记入持证人的用证记录,以便其知晓谁核验了证书。",
    "The holder will see it in their record of who checked their certificate.",
);
pub const VERIFIER_CATEGORY: Text = Text::new("要核验的证书类别", "Category of certificate");
pub const ANY_CATEGORY: Text = Text::new("任意注册类别", "Any category");
pub const ASK_FOR: Text = Text::new(
    "请求出示的信息(只请求核验所需的信息)",
    "What to ask for (only what you need to check)",
);
pub const MAKE_REQUEST: Text = Text::new("生成核验二维码", "Make the QR code");
pub const STANDARDS: Text = Text::new(
    "本核验服务遵循 OpenID for Verifiable Presentations 1.0 与 HAIP 1.0,支持符合标准的数字钱包。",
    "This check follows OpenID for Verifiable Presentations 1.0 and HAIP 1.0, and works with any wallet that meets them.",
);
pub const NEW_CHECK: Text = Text::new("发起新的核验", "Start a new check");
pub const START_AGAIN: Text = Text::new("重新发起核验", "Start again");
pub const ASK_HOLDER: Text = Text::new(
    "请持证人打开数字钱包,扫描下方二维码,确认出示以下信息:",
    "Ask the holder to open their digital wallet, scan the QR code below and agree to show:",
);
pub const REQUEST_QR: Text = Text::new("数字钱包核验二维码", "QR code for the digital wallet");
pub const OPEN_IN_WALLET: Text = Text::new(
    "在本机数字钱包中打开",
    "Open in a digital wallet on this device",
);
pub const OPENED: Text = Text::new(
    "钱包已读取核验请求,等待持证人确认出示……",
    "The wallet has read the request. Waiting for the holder to agree…",
);
pub const PASSED: Text = Text::new("核验通过", "Check passed");
pub const PASSED_NOTE: Text = Text::new(
    "以下信息由本门户签发的注册证书凭证出示,签名、证书链、持有人绑定和证书状态均已核验:",
    "These details were presented from a credential the portal issued. Its signature, certificate chain, holder binding and status have all been checked:",
);
pub const FAILED: Text = Text::new("核验未通过", "Check failed");
pub const REQUEST_EXPIRED: Text = Text::new(
    "核验请求已过期,持证人未在有效期内出示。",
    "The request has expired: the holder did not answer in time.",
);
pub const REFRESH: Text = Text::new("刷新核验结果", "Refresh the result");

/// How long a request's QR code lasts.
pub fn request_valid(lang: Lang, minutes: i64) -> String {
    match lang {
        Lang::Zh => format!("二维码约 {minutes} 分钟内有效,只能被一个钱包读取一次。"),
        Lang::En => format!(
            "The QR code works for about {minutes} minutes, and can be read once by one wallet."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_claim_and_kind_has_its_english() {
        for (name, label) in crate::credentials::vc::CLAIMS {
            assert!(!claim(Lang::En, name).is_empty(), "{name}");
            assert_eq!(claim(Lang::Zh, name), label);
            assert_eq!(claim_label(Lang::En, label), claim(Lang::En, name));
        }
        for kind in crate::certificates::uses::KINDS {
            let label = crate::certificates::uses::label(kind);
            assert_eq!(use_kind_label(Lang::Zh, label), label);
            assert_ne!(use_kind_label(Lang::En, label), label);
        }
        for state in ["有效", "已到期", "已撤销"] {
            assert_eq!(standing(Lang::Zh, state), state);
            assert_ne!(standing(Lang::En, state), state);
        }
    }

    #[test]
    fn records_read_in_english() {
        assert_eq!(use_subject(Lang::En, "副本 A1"), "Copy A1");
        assert_eq!(use_subject(Lang::Zh, "副本 A1"), "副本 A1");
        assert_eq!(
            use_subject(Lang::En, "数字钱包出示:注册类别、注册编号"),
            "From a wallet: Category, Registration number"
        );
        assert_eq!(
            use_organisation(Lang::En, "某公司(91110000X)的授权链接"),
            "某公司(91110000X), by the link you shared"
        );
        assert_eq!(browser(Lang::En, "微信 · iOS"), "WeChat · iOS");
        assert_eq!(browser(Lang::En, "Chrome"), "Chrome");
    }
}
