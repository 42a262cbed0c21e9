//! 注销账户 (GB/T 35273-2020 §8.5: online, as easy as registering): asked for in 账户设置 with
//! the password and a code sent to the bound phone, the account is locked at once and
//! deleted when the cooling-off ([`COOLING_OFF_DAYS`]) ends (`privacy::closing`). Signing in
//! within it offers only 【撤销注销】. An SMS tells each step.

use crate::platform::error::AppError;
#[cfg(feature = "ssr")]
use crate::platform::lang::Text;
use leptos::prelude::*;

pub use crate::accounts::COOLING_OFF_DAYS;

/// 注销账户: the current password and a code sent to the bound phone (purpose
/// `close_account`). Ends every session of the account, this one too.
#[server(endpoint = "request_closing")]
pub async fn request_closing(
    password: String,
    sms_code: String,
    sms_ticket: Option<String>,
    #[server(default)] confirm: String,
) -> Result<(), AppError> {
    crate::platform::caller::serve_signed_in(|caller, signed| async move {
        use crate::accounts::sms::{SmsPurpose, is_code_shaped};
        use crate::domain::account::AccountKind;
        use crate::platform::audit;

        if signed.account.kind != AccountKind::Person {
            return Err(AppError::refused(ssr::ENTERPRISE));
        }
        if confirm != "on" {
            return Err(AppError::field("confirm", ssr::CONFIRM_FIRST));
        }
        if password.is_empty() {
            return Err(AppError::field(
                "password",
                Text::new("请输入当前登录密码", "Enter your current password"),
            ));
        }
        let sms_code = sms_code.trim();
        if !is_code_shaped(sms_code) {
            return Err(AppError::field(
                "sms_code",
                Text::new(
                    "请输入绑定手机号收到的6位短信验证码",
                    "Enter the 6-digit code sent to your phone",
                ),
            ));
        }
        crate::accounts::api::session::ssr::require_current_password(
            &caller,
            &signed,
            password,
            "password",
            "注销账户时",
        )
        .await?;
        let phone = crate::domain::Phone::parse(&signed.account.phone)
            .map_err(|e| AppError::internal("bound phone", e))?;
        crate::accounts::api::sms::ssr::redeem(
            &caller,
            &phone,
            SmsPurpose::CloseAccount,
            &signed.account.login_key,
            sms_ticket.as_deref().unwrap_or_default(),
            sms_code,
        )
        .await?;
        let now = caller.clock.now();
        let until = crate::accounts::deletion_time(now);
        let mut tx = crate::platform::db::begin_write(&caller.db).await?;
        let locked = sqlx::query(
            "UPDATE accounts SET status = 'closing', closing_at = $1 \
             WHERE id = $2 AND status = 'active'",
        )
        .bind(now)
        .bind(signed.account.id)
        .execute(&mut *tx)
        .await?;
        if locked.rows_affected() != 1 {
            return Err(AppError::refused(crate::platform::caller::CLOSING));
        }
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(signed.account.id)
            .execute(&mut *tx)
            .await?;
        caller
            .audit_in(
                &mut tx,
                Some(signed.account.id),
                audit::CLOSING_REQUESTED,
                &format!("将于 {until} 删除"),
            )
            .await?;
        crate::platform::notices::enqueue(
            &mut *tx,
            signed.account.id,
            "账户注销申请",
            &format!("已受理,账户已暂停使用,将于{until}完成注销;此前登录可撤销注销"),
            now,
        )
        .await?;
        tx.commit().await?;
        caller.clear_session_cookie();
        leptos_axum::redirect("/login?closing=1");
        Ok(())
    })
    .await
}

/// 撤销注销: the account being closed, signed in again within the cooling-off, keeps going.
#[server(endpoint = "cancel_closing")]
pub async fn cancel_closing() -> Result<(), AppError> {
    crate::platform::caller::serve(|caller| async move {
        use crate::domain::account::AccountStatus;
        use crate::platform::audit;

        let signed = caller.signed_in().await?.ok_or(AppError::Unauthenticated)?;
        if signed.account.status != AccountStatus::Closing {
            return Err(AppError::invalid(Text::new(
                "该账户没有待完成的注销申请",
                "This account is not being closed",
            )));
        }
        // An enterprise's closing is its legal representative's to undo, not the shared
        // password's (确认法人账户, after a face check).
        if signed.account.kind == crate::domain::account::AccountKind::Enterprise {
            return Err(AppError::refused(ssr::ENTERPRISE_CANCEL));
        }
        let now = caller.clock.now();
        let mut tx = crate::platform::db::begin_write(&caller.db).await?;
        let kept = sqlx::query(
            "UPDATE accounts SET status = 'active', closing_at = 0 \
             WHERE id = $1 AND status = 'closing'",
        )
        .bind(signed.account.id)
        .execute(&mut *tx)
        .await?;
        if kept.rows_affected() != 1 {
            return Err(AppError::refused(Text::new(
                "注销已完成,无法撤销",
                "The account has already been deleted",
            )));
        }
        caller
            .audit_in(
                &mut tx,
                Some(signed.account.id),
                audit::CLOSING_CANCELLED,
                "",
            )
            .await?;
        crate::platform::notices::enqueue(
            &mut *tx,
            signed.account.id,
            "账户注销申请",
            "已撤销,账户恢复正常使用",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::platform::lang::Text;

    pub const ENTERPRISE: Text = Text::new(
        "法人账户的注销须由法定代表人使用本人的个人账户,在“确认法人账户”中完成人脸识别认证后申请",
        "An organisation's account is closed by its legal representative, from their own account under Confirm an organisation's account, after a face check",
    );
    pub const ENTERPRISE_CANCEL: Text = Text::new(
        "法人账户的注销由法定代表人申请,也须由法定代表人在本人个人账户的“确认法人账户”中完成人脸识别认证后撤销",
        "An organisation's closing was asked by its legal representative, and only they can cancel it: from their own account, under Confirm an organisation's account, after a face check",
    );
    pub const CONFIRM_FIRST: Text = Text::new(
        "请先勾选确认已了解注销的后果",
        "Tick the box to confirm you understand what closing the account does",
    );
}
