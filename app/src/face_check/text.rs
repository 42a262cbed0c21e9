//! The words of the QR page and the phone's face check in both languages (see
//! [`crate::platform::lang`]).

use crate::face_check::rules::FaceState;
use crate::platform::lang::{Lang, Text};

pub const TITLE: Text = Text::new("人脸识别认证", "Face check");
pub use crate::ui::text::MY_CERTIFICATES;
pub const STEPS: [Text; 3] = [
    Text::new(
        "在手机上打开支付宝或微信,搜索并进入“住房和城乡建设部政务服务”小程序,使用本人账户登录。",
        "On your phone, open Alipay or WeChat, find the 住房和城乡建设部政务服务 mini-program and sign in with your own account.",
    ),
    Text::new(
        "点击小程序首页右上角的扫一扫图标,扫描下方二维码。",
        "Tap the scan icon at the top right of the mini-program's home page and scan the QR code below.",
    ),
    Text::new(
        "在手机上确认登录信息,点击【下一步】并【允许】使用人脸识别,按提示完成人脸识别。",
        "Check the sign-in details on the phone, tap Next, allow the face check and follow the prompts.",
    ),
];
/// The note of other ways: before the FAQ link, between the links, after the contact link.
pub const OTHER_WAYS: [Text; 5] = [
    Text::new(
        "无法使用手机扫码或完成人脸识别(如没有智能手机、视力或行动不便)?请查看",
        "Cannot scan with a phone or take a face check (no smartphone, or a visual or physical impairment)? See ",
    ),
    crate::ui::text::FAQ,
    Text::new(",或通过", ", or use "),
    crate::ui::text::CONTACT,
    Text::new(
        "中的电话、邮箱联系客服,由工作人员协助核验身份后办理电子证照业务。",
        " to reach us by phone or email: our staff can verify who you are instead.",
    ),
];
pub const ASSISTED: Text = Text::new(
    "已由工作人员协助核验身份?输入短信核验码",
    "Verified by our staff? Enter the code we sent you",
);
pub const ASSISTED_CODE: Text = Text::new(
    "协助核验码(6 位数字,30 分钟内有效)",
    "Verification code (6 digits, valid for 30 minutes)",
);
pub const ASSISTED_SUBMIT: Text = Text::new("提交核验码", "Submit the code");
pub const QR: Text = Text::new("二维码", "QR code");
pub const STATE: Text = Text::new("当前状态:", "Status: ");
pub const LARGER: Text = Text::new("放大二维码", "Larger QR code");
pub const SMALLER: Text = Text::new("缩小二维码", "Smaller QR code");
pub const REFRESH: Text = Text::new("刷新二维码", "New QR code");
pub const MANUAL: Text = Text::new("手动跳转", "Continue");
pub const CANNOT_SCAN: Text = Text::new("无法扫码?", "Cannot scan?");
pub const CANNOT_SCAN_HELP: Text = Text::new(
    "请确认电脑屏幕亮度适中、二维码完整显示;也可点击【放大二维码】。仍无法扫码时,可在已登录小程序的手机浏览器中打开:",
    "Make sure the screen is bright enough and the whole code shows, or choose Larger QR code. If it still does not scan, open this address in the phone's browser where you are signed in to the mini-program:",
);
pub const NOT_YET: Text = Text::new(
    "尚未收到认证结果,请先在手机上完成人脸识别",
    "No result yet: finish the face check on your phone first",
);

/// A ticket's state in words.
pub fn state(lang: Lang, state: FaceState) -> &'static str {
    match lang {
        Lang::Zh => state.label(),
        Lang::En => match state {
            FaceState::Waiting => "waiting for a scan",
            FaceState::Scanned => "scanned",
            FaceState::Verifying => "checking",
            FaceState::Passed => "passed",
            FaceState::Failed => "not passed",
            FaceState::Expired => "expired",
        },
    }
}

/// 二维码 n 秒后失效.
pub fn expires_in(lang: Lang, seconds: i64) -> String {
    match lang {
        Lang::Zh => format!("二维码 {seconds} 秒后失效"),
        Lang::En => format!("The QR code expires in {seconds} s"),
    }
}

/// 认证未完成(…),请刷新二维码后重试.
pub fn unfinished(lang: Lang, state: FaceState) -> String {
    match lang {
        Lang::Zh => format!("认证未完成({}),请刷新二维码后重试", state.label()),
        Lang::En => format!(
            "The check did not finish ({}): get a new QR code and try again",
            self::state(lang, state)
        ),
    }
}

pub const READING: Text = Text::new("正在读取二维码…", "Reading the QR code…");
pub const UNUSABLE: Text = Text::new("无法认证", "This check cannot go on");
pub const NOTIFY: Text = Text::new(
    "通知电脑端并结束本次认证",
    "Tell the computer and end this check",
);
pub const HOME: Text = Text::new("返回首页", "Back to the home page");
pub const OWN_REQUEST: Text = Text::new(
    "本机申请出示(亮证)您的电子证照,需要验证本人身份:",
    "This phone asks to show your electronic certificate, which needs your identity checked:",
);
pub const DESKTOP_REQUEST: Text = Text::new(
    "电脑端申请查看您的电子证照,需要验证本人身份:",
    "A computer asks to see your electronic certificates, which needs your identity checked:",
);
pub const REQUESTED_AT: Text = Text::new("申请时间", "Asked at");
pub const BROWSER: Text = Text::new("浏览器", "Browser");
pub const IP: Text = Text::new("IP 地址", "IP address");
pub const NOT_YOU: Text = Text::new(
    "如果不是您本人在电脑上的操作,请不要继续。",
    "If this was not you on the computer, do not go on.",
);
pub const NEXT: Text = Text::new("下一步", "Next");
pub const SHEET: Text = Text::new(
    "住房和城乡建设部政务服务门户 申请使用人脸识别功能验证你的身份信息,请确保为本人操作",
    "The MOHURD Government Services Portal asks to check your identity by face recognition. Only go on if you are the account holder.",
);
pub const DENY: Text = Text::new("拒绝", "Deny");
pub const ALLOW: Text = Text::new("允许", "Allow");
pub const FACE: Text = Text::new("人脸识别", "Face check");
pub const OWN: Text = Text::new("本人", "Your ");
pub const FACE_HINT: Text = Text::new(
    "人脸识别服务将核对此号码与您的人脸;本门户不保存证件号码原文。",
    "The face check service compares this number with your face; the portal does not keep the number itself.",
);
pub const POSTURE: Text = Text::new(
    "请正对手机,确保光线充足,按提示完成动作。",
    "Face the phone in good light and follow the prompts.",
);
pub const LEAVING: Text = Text::new("正在前往人脸识别…", "Going to the face check…");
pub const WAIT: Text = Text::new("请稍候…", "Please wait…");
pub const START: Text = Text::new("开始人脸识别", "Start the face check");
pub const RESULT_LOADING: Text = Text::new("正在查询人脸识别结果…", "Getting the result…");
pub const RESULT_UNKNOWN: Text = Text::new("无法确认认证结果", "The result could not be confirmed");
pub const RESULT_AGAIN: Text = Text::new("重新查询结果", "Ask again");
pub const PREVIEW: Text = Text::new("人脸取景", "Camera preview of your face");
pub const PASSED: Text = Text::new("认证成功", "Check passed");
pub const PASSED_LEAD: Text = Text::new("恭喜你,完成了身份验证", "Your identity has been checked");
pub const BACK_TO_WALLET: Text =
    Text::new("即将返回我的证照。", "Going back to your certificates.");
pub const DESKTOP_MOVES_ON: Text = Text::new(
    "电脑端页面将自动跳转。",
    "The page on your computer moves on by itself.",
);
pub const FAILED: Text = Text::new("认证失败", "Check not passed");
pub const FAILED_OWN: Text = Text::new(
    "本次认证未完成,请返回我的证照后重试。",
    "The check did not finish: go back to your certificates and try again.",
);
pub const FAILED_DESKTOP: Text = Text::new(
    "本次认证未完成,请在电脑上刷新二维码后重试。",
    "The check did not finish: get a new QR code on your computer and try again.",
);

/// 返回 (n).
pub fn back_in(lang: Lang, seconds: i64) -> String {
    match lang {
        Lang::Zh => format!("返回 ({seconds})"),
        Lang::En => format!("Back ({seconds})"),
    }
}
