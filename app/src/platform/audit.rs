use crate::platform::lang::Text;

pub const REGISTERED: &str = "register";
pub const LOGIN: &str = "login";
pub const LOGIN_FAILED: &str = "login_failed";
/// A wrong current password when changing the password or the phone.
pub const PASSWORD_FAILED: &str = "password_failed";
pub const LOCKED: &str = "locked";
pub const LOGOUT: &str = "logout";
pub const PHONE_CHANGED: &str = "phone_changed";
pub const PASSWORD_CHANGED: &str = "password_changed";
pub const PASSWORD_RESET: &str = "password_reset";
pub const FACE_CHECK: &str = "face_check";
pub const ANNOTATED: &str = "annotated";
pub const DOWNLOADED: &str = "downloaded";
pub const ENTERPRISE_CONFIRMED: &str = "enterprise_confirmed";
pub const ENTERPRISE_REJECTED: &str = "enterprise_rejected";
pub const SHOWN: &str = "shown";
pub const GRANTED: &str = "granted";
pub const GRANT_REVOKED: &str = "grant_revoked";
pub const CREDENTIAL_ISSUED: &str = "credential_issued";
pub const CREDENTIAL_REVOKED: &str = "credential_revoked";
/// The holder approved a wallet's authorization request (OpenID4VCI authorization code).
pub const WALLET_AUTHORIZED: &str = "wallet_authorized";
/// The national registry changed one of the holder's registrations (变更/延续/增项注册).
pub const REGISTRY_CHANGED: &str = "registry_changed";
/// The national registry withdrew one of the holder's registrations (注销/撤销).
pub const REGISTRY_WITHDRAWN: &str = "registry_withdrawn";
/// A 受理员 verified the holder in person (协助核验) and a one-time code was sent.
pub const ASSISTED_ISSUED: &str = "assisted_issued";
/// The holder's 协助核验 code stood in for a face check.
pub const ASSISTED_USED: &str = "assisted_used";
/// The holder filed a 法人账户申诉.
pub const DISPUTE_FILED: &str = "dispute_filed";
/// The ministry decided the holder's 法人账户申诉.
pub const DISPUTE_DECIDED: &str = "dispute_decided";
/// An enterprise account was released after its legal representative's dispute.
pub const ENTERPRISE_RELEASED: &str = "enterprise_released";
/// 注销账户 asked for: the account is locked for the cooling-off.
pub const CLOSING_REQUESTED: &str = "closing_requested";
/// 撤销注销 within the cooling-off.
pub const CLOSING_CANCELLED: &str = "closing_cancelled";
/// The cooling-off ended and the account was deleted.
pub const ACCOUNT_DELETED: &str = "account_deleted";
/// 个人信息导出.
pub const DATA_EXPORTED: &str = "data_exported";

/// What 安全记录 calls an event of `kind`, in both languages.
pub fn label(kind: &str) -> Text {
    match kind {
        REGISTERED => Text::new("注册账户", "Account created"),
        LOGIN => Text::new("登录成功", "Signed in"),
        LOGIN_FAILED => Text::new("登录失败(密码错误)", "Sign-in failed (wrong password)"),
        PASSWORD_FAILED => Text::new("当前密码验证失败", "Wrong current password"),
        LOCKED => Text::new("账户锁定", "Account locked"),
        LOGOUT => Text::new("退出登录", "Signed out"),
        PHONE_CHANGED => Text::new("修改手机号", "Phone number changed"),
        PASSWORD_CHANGED => Text::new("修改密码", "Password changed"),
        PASSWORD_RESET => Text::new("找回密码", "Password reset"),
        FACE_CHECK => Text::new("人脸识别认证", "Face check"),
        ANNOTATED => Text::new("证照加注", "Certificate annotated"),
        DOWNLOADED => Text::new("证照下载", "Certificate downloaded"),
        ENTERPRISE_CONFIRMED => Text::new("确认法人账户", "Organisation's account confirmed"),
        ENTERPRISE_REJECTED => Text::new("拒绝法人账户", "Organisation's account rejected"),
        SHOWN => Text::new("亮证", "Certificate shown"),
        GRANTED => Text::new("授权用证", "Certificate shared"),
        GRANT_REVOKED => Text::new("撤销授权", "Sharing stopped"),
        CREDENTIAL_ISSUED => Text::new("导出可验证凭证", "Verifiable credential exported"),
        CREDENTIAL_REVOKED => Text::new("撤销可验证凭证", "Verifiable credential revoked"),
        WALLET_AUTHORIZED => Text::new(
            "授权数字钱包领取凭证",
            "Digital wallet allowed to collect a credential",
        ),
        REGISTRY_CHANGED => Text::new("注册信息变更", "Registration details changed"),
        REGISTRY_WITHDRAWN => Text::new("注册注销或撤销", "Registration cancelled or revoked"),
        ASSISTED_ISSUED => Text::new("工作人员协助核验", "Identity checked in person by staff"),
        ASSISTED_USED => Text::new("使用协助核验码", "In-person check code used"),
        DISPUTE_FILED => Text::new(
            "提出法人账户申诉",
            "Dispute filed about an organisation's account",
        ),
        DISPUTE_DECIDED => Text::new(
            "法人账户申诉处理结果",
            "Dispute about an organisation's account decided",
        ),
        CLOSING_REQUESTED => Text::new("申请注销账户", "Account closing requested"),
        CLOSING_CANCELLED => Text::new("撤销注销", "Account closing cancelled"),
        ACCOUNT_DELETED => Text::new("账户注销完成", "Account deleted"),
        DATA_EXPORTED => Text::new("导出个人信息", "Personal information exported"),
        ENTERPRISE_RELEASED => Text::new(
            "法人账户因申诉被注销",
            "Organisation's account closed after a dispute",
        ),
        _ => Text::new("其他", "Other"),
    }
}

/// Appends to the audit log. `detail` must not contain whole ID numbers or phones.
pub async fn audit<'e>(
    db: impl sqlx::any::AnyExecutor<'e>,
    account_id: Option<i64>,
    kind: &str,
    detail: &str,
    ip: &str,
    user_agent: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_events (account_id, kind, detail, ip, user_agent, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(account_id)
    .bind(kind)
    .bind(detail)
    .bind(ip)
    .bind(user_agent.chars().take(300).collect::<String>())
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}
