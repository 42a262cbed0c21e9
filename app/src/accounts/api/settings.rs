//! 用户中心 → 账户设置 and 安全记录: the signed-in user's own account.

use crate::accounts::{AccountSettings, SecurityEvent};
#[cfg(feature = "ssr")]
use crate::platform::caller::{serve, serve_signed_in};
use crate::platform::error::AppError;
#[cfg(feature = "ssr")]
use crate::platform::lang::Text;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// 账户设置, masked.
#[server(input = GetUrl, endpoint = "account_settings")]
pub async fn fetch_account_settings() -> Result<AccountSettings, AppError> {
    serve(|caller| async move { Ok(caller.require_signed_in().await?.account.settings()) }).await
}

/// 安全记录: the caller's 50 most recent security events.
#[server(input = GetUrl, endpoint = "security_log")]
pub async fn fetch_security_log() -> Result<Vec<SecurityEvent>, AppError> {
    serve_signed_in(|caller, signed| async move {
        Ok(crate::accounts::repo::recent_events(&caller.db, signed.account.id, 50).await?)
    })
    .await
}

/// 修改手机号: needs a code sent to the new number and the current password. Returns the new
/// number, masked.
#[server(endpoint = "change_phone")]
pub async fn change_phone(
    phone: String,
    sms_code: String,
    password: String,
    sms_ticket: Option<String>,
) -> Result<String, AppError> {
    serve_signed_in(|caller, signed| async move {
        use crate::accounts::repo as accounts;
        use crate::accounts::sms::{SmsPurpose, is_code_shaped};
        use crate::domain::Phone;
        use crate::platform::audit;

        let phone = Phone::parse(&phone).map_err(|e| AppError::field("phone", e))?;
        if phone.as_str() == signed.account.phone {
            return Err(AppError::field("phone", super::sms::SAME_PHONE));
        }
        let sms_code = sms_code.trim();
        if !is_code_shaped(sms_code) {
            return Err(AppError::field(
                "sms_code",
                Text::new(
                    "请输入新手机号收到的6位短信验证码",
                    "Enter the 6-digit code sent to the new number",
                ),
            ));
        }
        if password.is_empty() {
            return Err(AppError::field(
                "password",
                Text::new("请输入当前登录密码", "Enter your current password"),
            ));
        }
        crate::accounts::api::session::ssr::require_current_password(
            &caller,
            &signed,
            password,
            "password",
            "修改手机号时",
        )
        .await?;
        // The code proves the new number first; only then is it said whether it is taken.
        crate::accounts::api::sms::ssr::redeem(
            &caller,
            &phone,
            SmsPurpose::ChangePhone,
            &signed.account.login_key,
            sms_ticket.as_deref().unwrap_or_default(),
            sms_code,
        )
        .await?;
        if accounts::phone_bound_to_other(&caller.db, phone.as_str(), &signed.account.person_digest)
            .await?
        {
            return Err(crate::accounts::api::register::ssr::phone_taken());
        }
        let detail = format!(
            "{} → {}",
            crate::domain::mask::mask_phone(&signed.account.phone),
            phone.masked()
        );
        // The new number and its 安全记录 entry together: a changed recovery phone is never
        // left unrecorded.
        let mut tx = crate::platform::db::begin_write(&caller.db).await?;
        accounts::set_phone(&mut *tx, signed.account.id, phone.as_str()).await?;
        caller
            .audit_in(
                &mut tx,
                Some(signed.account.id),
                audit::PHONE_CHANGED,
                &detail,
            )
            .await?;
        tx.commit().await?;
        Ok(phone.masked())
    })
    .await
}

/// 修改密码: the current password, then the new one twice. Other sessions of the account end.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    serve_signed_in(|caller, signed| async move {
        use crate::accounts::repo as accounts;
        use crate::domain::Password;
        use crate::platform::audit;

        if current_password.is_empty() {
            return Err(AppError::field(
                "current_password",
                Text::new("请输入当前密码", "Enter your current password"),
            ));
        }
        let new = Password::parse(&password).map_err(|e| AppError::field("password", e))?;
        if new.expose() != password_confirm {
            return Err(AppError::field(
                "password_confirm",
                Text::new(
                    "两次输入的新密码不一致",
                    "The new passwords do not match: type the same new password twice",
                ),
            ));
        }
        if new.expose() == current_password {
            return Err(AppError::field(
                "password",
                Text::new(
                    "新密码不能与当前密码相同",
                    "The new password must be different from your current one",
                ),
            ));
        }
        crate::accounts::api::session::ssr::require_current_password(
            &caller,
            &signed,
            current_password,
            "current_password",
            "修改密码时",
        )
        .await?;
        let hash = crate::accounts::api::register::ssr::hash(&caller, &new).await?;
        let mut tx = crate::platform::db::begin_write(&caller.db).await?;
        accounts::set_password_ending_sessions(
            &mut tx,
            signed.account.id,
            &hash,
            caller.clock.now(),
            Some(&signed.session_hash),
        )
        .await?;
        caller
            .audit_in(
                &mut tx,
                Some(signed.account.id),
                audit::PASSWORD_CHANGED,
                "",
            )
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
