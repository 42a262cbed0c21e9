//! The words of 电子证照管理 and the copy's verify page in both languages (see
//! [`crate::platform::lang`]). Certificates and their copies stay Chinese as issued: English
//! pages explain their fields beside the Chinese values.

use crate::platform::lang::{Lang, Text};

pub const MANAGE: Text = Text::new("电子证照管理", "Manage your certificates");
pub const NONE: Text = Text::new(
    "注册人员库中暂无您的注册信息,因此没有可管理的电子证照。",
    "The register holds no registration of yours, so there is no certificate to manage.",
);
pub const DONE: Text = Text::new("加注成功!", "Annotated. The copy is ready to download.");
pub const ANNOTATE: Text = Text::new("证照加注", "Annotate");
pub const PREVIEW: Text = Text::new("证照预览:", "Certificate preview: ");
pub const PDF: Text = Text::new("PDF下载", "Download PDF");
pub const OFD: Text = Text::new("OFD下载", "Download OFD");
pub const DOWNLOAD_HINT: Text = Text::new(
    "将鼠标移到预览图上,或用 Tab 键选中预览图,即可下载 PDF 或 OFD 格式的加注副本。",
    "Point at the preview, or move to it with Tab, to download the annotated copy as PDF or OFD.",
);
pub const ANNOTATE_FIRST: Text = Text::new(
    "加注后可下载 PDF 或 OFD 格式的电子证照副本。",
    "Once annotated, a copy of the certificate can be downloaded as PDF or OFD.",
);
/// The card's fields: 注册类别, 注册编号, 聘用企业, 电子证照标识, 注册专业.
pub const FIELDS: [Text; 5] = [
    crate::registry::text::CATEGORY,
    crate::registry::text::REGISTRATION_NO,
    Text::new("聘用企业", "Employer"),
    Text::new("电子证照标识", "Electronic licence identifier"),
    crate::registry::text::SPECIALTIES,
];
pub const DIALOG_LEAD: Text = Text::new(
    "加注后生成带有用途、使用有效期和副本编号的电子证照副本,可下载为 PDF 或 OFD 文件,并可通过副本上的二维码核验真伪。",
    "Annotating makes a copy of the certificate that states its purpose, how long it may be used and its copy number. It downloads as PDF or OFD, and anyone can check it by the QR code on it. The copy is in Chinese, as the certificate is: the purpose is printed as you write it.",
);
pub const PURPOSE: Text = Text::new("加注用途", "Purpose (printed on the copy)");
pub const SUBMIT: Text = Text::new("加注", "Annotate");
pub use crate::ui::text::CANCEL;

/// 注册有效期至 … / the specialties with theirs.
pub fn valid_until(lang: Lang, date: &str) -> String {
    match lang {
        Lang::Zh => format!("注册有效期至 {date}"),
        Lang::En => format!("Registered until {date}"),
    }
}

/// 专业(有效期至 …).
pub fn specialty(lang: Lang, name: &str, until: &str) -> String {
    match lang {
        Lang::Zh => format!("{name}(有效期至 {until})"),
        Lang::En => format!("{name} (until {until})"),
    }
}

/// 未加注 / 加注有效期至 … / 加注已过期.
pub fn state(lang: Lang, state: &crate::certificates::AnnotationState) -> String {
    use crate::certificates::AnnotationState;
    match lang {
        Lang::Zh => state.label(),
        Lang::En => match state {
            AnnotationState::None => "Not annotated".into(),
            AnnotationState::Valid { until, .. } => format!("Annotated copy valid until {until}"),
            AnnotationState::Expired { .. } => "The annotated copy has expired".into(),
        },
    }
}

pub const VERIFY: Text = Text::new("电子证照核验", "Certificate check");
pub const VERIFYING: Text = Text::new("正在核验…", "Checking…");
pub const NOT_FOUND: (Text, Text) = (
    Text::new("未找到该电子证照副本", "No such certificate copy"),
    Text::new(
        "核验码不存在。该副本不是本门户签发的,或二维码已损坏、链接输入有误。请向出示副本的人员核实。",
        "The verification code does not exist: the copy was not issued by this portal, or its QR code is damaged or the link mistyped. Ask the person who showed it.",
    ),
);
pub const VERIFY_NOTE: Text = Text::new(
    "核验结果以本门户数据库为准。本页按规定对持证人姓名脱敏显示,请与副本上的姓名、注册编号和副本编号核对。",
    "This result comes from the portal's own records. The holder's name is partly hidden, as the rules require: compare it, the registration number and the copy number with the copy. The copy itself is in Chinese; the Chinese name of each field is given beside its English one.",
);
/// The verdicts: (heading, what it means) for 撤销, 注销, expired, changed, genuine.
pub const VERDICTS: [(Text, Text); 5] = [
    (
        Text::new("证书已撤销", "Certificate revoked"),
        Text::new(
            "该副本由本门户签发,但其对应的注册已被撤销,副本不再具有证明效力。",
            "This copy was issued by the portal, but the registration has been revoked (撤销): the copy no longer proves anything.",
        ),
    ),
    (
        Text::new("证书已注销", "Certificate cancelled"),
        Text::new(
            "该副本由本门户签发,但其对应的注册证书已被注销,副本不再具有证明效力。",
            "This copy was issued by the portal, but the certificate has been cancelled (注销): the copy no longer proves anything.",
        ),
    ),
    (
        Text::new("副本真实,加注已过期", "Genuine copy, expired"),
        Text::new(
            "该副本由本门户签发,但已超过加注的使用有效期,不再具有证明效力。",
            "This copy was issued by the portal, but the period it could be used for has passed: it no longer proves anything.",
        ),
    ),
    (
        Text::new(
            "副本真实,证书信息已变更",
            "Genuine copy, certificate since changed",
        ),
        Text::new(
            "该副本由本门户签发且在使用有效期内,但证书信息在加注后已有变更,副本显示的是加注时的信息。",
            "This copy was issued by the portal and may still be used, but the certificate has changed since: the copy shows it as it was when annotated.",
        ),
    ),
    (
        Text::new("副本真实有效", "Genuine and valid copy"),
        Text::new(
            "该副本由本门户签发,证书信息与加注时一致,且在加注的使用有效期内。",
            "This copy was issued by the portal, the certificate is as it was when annotated, and the copy may still be used.",
        ),
    ),
];
pub const CERTIFICATE: Text = Text::new("证照信息", "The certificate");
pub const COPY: Text = Text::new("加注件信息", "The annotated copy");
/// The verify page's field names: the Chinese as printed, with its English explanation.
pub const VERIFY_FIELDS: [Text; 17] = [
    Text::new("证照名称", "Certificate (证照名称)"),
    Text::new(
        "电子证照标识",
        "Electronic licence identifier (电子证照标识, GB/T 36904)",
    ),
    Text::new("证照类型代码", "Certificate type code (证照类型代码)"),
    Text::new("注册类别", "Category (注册类别)"),
    Text::new("注册编号", "Registration number (注册编号)"),
    Text::new("持证主体", "Holder (持证主体)"),
    Text::new("持证主体代码", "Holder's document (持证主体代码)"),
    Text::new("颁发机构", "Issued by (颁发机构)"),
    Text::new("颁发日期", "Issued on (颁发日期)"),
    Text::new("有效期", "Valid (有效期)"),
    Text::new("证书状态", "Certificate status (证书状态)"),
    Text::new("副本编号", "Copy number (副本编号)"),
    Text::new("加注时间", "Annotated at (加注时间)"),
    Text::new("加注人", "Annotated by (加注人)"),
    Text::new("用途", "Purpose (用途)"),
    Text::new("使用有效期至", "May be used until (使用有效期至)"),
    Text::new("加注状态", "Copy status (加注状态)"),
];
pub const ISSUER: Text = Text::new(
    "中华人民共和国住房和城乡建设部",
    "中华人民共和国住房和城乡建设部 (Ministry of Housing and Urban-Rural Development)",
);
pub const HOLDER_SELF: Text = Text::new(" (持证人本人)", " (the holder)");
pub const UNCHANGED: Text = Text::new("未变更", "unchanged");
pub const CHANGED: Text = Text::new("加注后已变更", "changed since annotated");
pub const VALID: Text = Text::new("有效", "valid");
pub const EXPIRED: Text = Text::new("已过期", "expired");

/// The holder's document with its kind and code type.
pub fn holder_document(lang: Lang, code: &str, kind: crate::domain::DocumentKind) -> String {
    match lang {
        Lang::Zh => format!(
            "{code} ({},代码类型 {})",
            kind.label(),
            kind.holder_code_type()
        ),
        Lang::En => format!(
            "{code} ({}, {}; code type {})",
            kind.label(),
            kind.english(),
            kind.holder_code_type()
        ),
    }
}

/// 自 … 至 ….
pub fn from_to(lang: Lang, from: &str, to: &str) -> String {
    match lang {
        Lang::Zh => format!("{from} 至 {to}"),
        Lang::En => format!("{from} to {to}"),
    }
}

pub const LOOKUP: Text = crate::ui::text::VERIFY;
pub const LOOKUP_LEAD: Text = Text::new(
    "输入电子证照副本二维码下方的核验码,核验副本真伪及加注有效期;无需登录。",
    "Type the verification code printed under the QR code of a certificate copy to check that it is genuine and still valid. No account is needed.",
);
pub const CODE: Text = Text::new("核验码", "Verification code");
pub const CHECK: Text = Text::new("核验", "Check");
pub const PHOTO: Text = Text::new("或选择二维码照片", "Or choose a photo of the QR code");
pub const BAD_CODE: Text = Text::new(
    "核验码为32位数字和字母(a–f),请按副本二维码下方的核验码核对后重新输入",
    "A verification code has 32 digits and letters (a–f): check it against the one under the copy's QR code",
);
pub const NO_QR: Text = Text::new(
    "未能从图片中识别出电子证照二维码,请换一张清晰的照片,或直接输入核验码",
    "No certificate QR code was found in the picture: try a sharper photo, or type the code",
);
/// The wallet note: before the link, the link, after it.
pub const WALLET_NOTE: [Text; 3] = [
    Text::new(
        "持证人使用数字钱包出示证书的,请使用",
        "If the holder shows the certificate from a digital wallet, use ",
    ),
    Text::new("数字钱包证照核验", "the digital wallet check"),
    Text::new("。", "."),
];
