//! 找回密码: a code to the bound phone sets a new password.

use super::register::PhoneAndPassword;
#[cfg(feature = "ssr")]
use crate::platform::caller::serve;
use crate::platform::error::AppError;
use leptos::prelude::*;

/// 找回密码: a code to the bound phone sets a new password, lifts a lock and ends every
/// session of the account.
#[server(endpoint = "reset_password")]
pub async fn reset_password(
    kind: String,
    login_id: String,
    #[server(default)] id_kind: String,
    #[server(default)] id_country: String,
    #[server(flatten)] common: PhoneAndPassword,
) -> Result<(), AppError> {
    serve(|caller| async move {
        use crate::accounts::repo as accounts;
        use crate::accounts::sms::SmsPurpose;
        use crate::domain::account::AccountKind;
        use crate::platform::audit;

        let kind = AccountKind::from_form(&kind);
        let key =
            super::session::ssr::login_key(&caller, kind, &login_id, (&id_kind, &id_country))?;
        // No consent to ask for: the account exists.
        let common = PhoneAndPassword {
            consent: Some(String::from("on")),
            ..common
        };
        let form = super::register::ssr::common_fields(&common)?;
        // The code proves the phone first; only then is it said whether it is the account's.
        super::sms::ssr::redeem(
            &caller,
            &form.phone,
            SmsPurpose::ResetPassword,
            &key,
            &form.sms_ticket,
            &form.sms_code,
        )
        .await?;
        let account = accounts::by_login_key(&caller.db, &key)
            .await?
            .filter(|a| a.phone == form.phone.as_str())
            .ok_or_else(|| {
                AppError::field(
                    "phone",
                    crate::platform::error::Message::new(
                        format!("{}与手机号不匹配,请核对后重新输入", kind.login_id_label()),
                        format!(
                            "The {} and mobile number do not match: check them and enter them \
                             again",
                            super::session::ssr::login_id_english(kind)
                        ),
                    ),
                )
            })?;
        let hash = super::register::ssr::hash(&caller, &form.password).await?;
        let now = caller.clock.now();
        // The new password, the lock lifted, every session ended and the 安全记录 entry: all
        // or nothing, so a request cut short never leaves a reset unrecorded or still locked.
        let mut tx = crate::platform::db::begin_write(&caller.db).await?;
        accounts::set_password_ending_sessions(&mut tx, account.id, &hash, now, None).await?;
        crate::platform::counters::repo::clear(
            &mut *tx,
            crate::platform::counters::scopes::LOGIN,
            &key,
        )
        .await?;
        caller
            .audit_in(
                &mut tx,
                Some(account.id),
                audit::PASSWORD_RESET,
                "通过短信验证码重置",
            )
            .await?;
        tx.commit().await?;
        leptos_axum::redirect("/login?reset=1");
        Ok(())
    })
    .await
}
