//! The words of login, registration and 找回密码 in both languages (see
//! [`crate::platform::lang`]).

use crate::platform::lang::{Lang, Text};

pub use crate::ui::text::{LOGIN, USER_CENTRE};
pub const LOGGING_IN: Text = Text::new("正在登录…", "Signing in…");
pub const PERSON_LOGIN: Text = Text::new("个人用户登录", "Sign in as a person");
pub const ENTERPRISE_LOGIN: Text = Text::new("法人用户登录", "Sign in as an organisation");
pub const PASSWORD: Text = Text::new("密码", "Password");
pub const FORGOT: Text = Text::new("忘记密码", "Forgotten your password?");
pub const REGISTER_NOW: Text = Text::new("立即注册", "Create an account");
pub const LOGIN_HELP: Text = Text::new("登录帮助", "Help with signing in");
pub const LOGIN_TIPS: Text = Text::new("登录提示", "Signing in");
pub const TIPS: [Text; 4] = [
    Text::new(
        "请先选择证件类型:港澳居民可选择港澳居民来往内地通行证或港澳台居民居住证,台湾居民可选择台湾居民来往大陆通行证,外国人可选择外国人永久居留身份证或护照。",
        "First choose your identity document: Hong Kong and Macao residents their Mainland Travel Permit or Residence Permit, Taiwan residents their Mainland Travel Permit, foreigners their Permanent Resident ID Card or passport.",
    ),
    Text::new(
        "证件号码和密码中不能包含空格;身份证号最后一位为X时请输入大写或小写字母X均可。",
        "Numbers and passwords have no spaces; a final X may be typed in either case.",
    ),
    Text::new(
        "请注意大写锁定(Caps Lock)是否开启。",
        "Check whether Caps Lock is on.",
    ),
    Text::new(
        "密码连续错误5次,账户将被锁定30分钟;可通过【忘记密码】用手机验证码重置密码并立即解锁。",
        "After 5 wrong passwords in a row the account is locked for 30 minutes; resetting the password with a code sent to your phone unlocks it at once.",
    ),
];
pub const REGISTERED_PERSON: Text = Text::new(
    "注册成功!请使用身份证号和密码登录。",
    "Your account is ready. Sign in with your identity document and password.",
);
pub const REGISTERED_ENTERPRISE: Text = Text::new(
    "注册成功!法人账户须由法定代表人使用本人的个人用户账户登录,在“用户中心 → 确认法人账户”完成人脸识别认证后确认,确认后方可使用。",
    "The organisation's account is registered. Its legal representative confirms it from their own personal account (Your account → Confirm an organisation's account) after a face check; it can be used once confirmed.",
);
pub const RESET_DONE: Text = Text::new(
    "密码已重置,请使用新密码登录。",
    "Your password has been reset. Sign in with the new one.",
);
pub const EXPIRED: Text = Text::new(
    "由于长时间未操作,登录已失效,请重新登录。",
    "You were signed out after a period without activity. Please sign in again.",
);
pub const REGISTER: Text = Text::new("用户注册", "Create an account");
pub const PERSON_REGISTER: Text = Text::new("个人用户注册", "Register as a person");
pub const ENTERPRISE_REGISTER: Text = Text::new("企业用户注册", "Register an organisation");
pub const HAVE_ACCOUNT: Text = Text::new("已有账户?", "Already registered? ");
pub const LOGIN_DIRECTLY: Text = Text::new("直接登录", "Sign in");
pub const NAME: Text = Text::new("姓名", "Full name (as on your document)");
pub const SET_PASSWORD: Text = Text::new("设置密码", "Create a password");
pub const CONFIRM_PASSWORD: Text = Text::new("确认密码", "Type the password again");
pub const PASSWORD_RULE: Text = Text::new(
    "8–64位,至少包含大写字母、小写字母、数字、特殊符号中的三种,不能包含空格",
    "8 to 64 characters with at least three of: capital letters, small letters, digits, symbols; no spaces",
);
pub const CONSENT: Text = Text::new("我已阅读并同意", "I have read and agree to the ");
pub const PRIVACY: Text = Text::new("《隐私政策》", "privacy notice");
pub const REGISTERING: Text = Text::new("正在注册…", "Registering…");
pub const REGISTER_BUTTON: Text = Text::new("注册", "Register");
pub const PHONE: Text = Text::new("手机号", "Mobile phone number");
pub const SMS_CODE: Text = Text::new("短信验证码", "Text message code");
pub const GET_CODE: Text = Text::new("获取验证码", "Send code");
pub const SENDING: Text = Text::new("发送中…", "Sending…");
pub const AGAIN: Text = Text::new(
    " 现在可以重新获取验证码。",
    " You can ask for a new code now.",
);
pub const SHOW_PASSWORD: Text = Text::new("显示密码", "Show password");
pub const HIDE_PASSWORD: Text = Text::new("隐藏密码", "Hide password");
pub const CAPS_LOCK: Text = Text::new("大写锁定(Caps Lock)已开启", "Caps Lock is on");

/// 验证码已发送至 … / Code sent to …
pub fn code_sent(lang: Lang, phone: &str, seconds: i64) -> String {
    match lang {
        Lang::Zh => format!("验证码已发送至 {phone},5分钟内有效;{seconds}秒后可重新获取。"),
        Lang::En => format!(
            "Code sent to {phone}; it is valid for 5 minutes. You can ask for another in {seconds} seconds."
        ),
    }
}

/// The countdown on 获取验证码.
pub fn resend_in(lang: Lang, seconds: i64) -> String {
    match lang {
        Lang::Zh => format!("{seconds}秒后重新获取"),
        Lang::En => format!("Send again in {seconds} s"),
    }
}

pub const LOGOUT: Text = Text::new("退出", "Sign out");
/// The user centre's sections: (name, what it is for, path).
pub const SECTIONS: [(Text, Text, &str); 6] = [
    (
        crate::ui::text::MY_CERTIFICATES,
        Text::new(
            "人脸识别验证后,查看、加注和下载电子证照",
            "After a face check, view, annotate and download your electronic certificates",
        ),
        "/user/certificates",
    ),
    (
        crate::ui::text::GRANTS,
        Text::new(
            "授权指定单位在一定期限内核验您的证照,随时撤销",
            "Let an organisation check your certificate for a while, and take it back at any time",
        ),
        "/user/grants",
    ),
    (
        crate::ui::text::USES,
        Text::new(
            "谁在何时核验了您的证照副本、亮证二维码和授权链接",
            "Who checked your copies, QR codes and shared links, and when",
        ),
        "/user/uses",
    ),
    (
        crate::ui::text::EVALUATIONS,
        Text::new(
            "对办结的服务进行评价,查看差评的核实、整改和回访情况",
            "Rate the services you used and follow up on complaints",
        ),
        "/user/evaluations",
    ),
    (
        crate::ui::text::SETTINGS,
        Text::new(
            "查看账户信息,修改绑定手机号和登录密码",
            "Your details, phone number and password",
        ),
        "/user/settings",
    ),
    (
        crate::ui::text::SECURITY,
        Text::new(
            "最近的登录、密码和手机号变更记录",
            "Recent sign-ins and changes of password and phone number",
        ),
        "/user/security",
    ),
];
pub const CONFIRM_ENTERPRISE: (Text, Text) = (
    crate::ui::text::CONFIRM_ENTERPRISE,
    Text::new(
        "您作为法定代表人,确认以您名义注册的法人账户",
        "As legal representative, confirm an organisation's account registered in your name",
    ),
);

/// 您好,…!
pub fn hello(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!("您好,{name}!"),
        Lang::En => format!("Hello, {name}"),
    }
}
