//! 登录 and 退出, and the signed-in session: who the header shows, 继续使用, and the counted
//! password check that login, 修改密码 and 修改手机号 share.

use crate::accounts::CurrentUser;
#[cfg(feature = "ssr")]
use crate::platform::caller::serve;
use crate::platform::error::AppError;
#[cfg(feature = "ssr")]
use crate::platform::error::Message;
#[cfg(feature = "ssr")]
use crate::platform::lang::Text;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The signed-in user for the header and the session warning, or `None`.
#[server(input = GetUrl, endpoint = "current_user")]
pub async fn fetch_current_user() -> Result<Option<CurrentUser>, AppError> {
    serve(|caller| async move {
        Ok(caller
            .signed_in()
            .await?
            .map(|s| ssr::current_user_of(&caller, &s)))
    })
    .await
}

/// 继续使用: restarts the 30-minute idle clock of the caller's session.
#[server(endpoint = "keep_alive")]
pub async fn keep_alive() -> Result<Option<CurrentUser>, AppError> {
    serve(|caller| async move {
        use crate::platform::session::repo as sessions;
        let Some(mut signed) = caller.signed_in().await? else {
            return Ok(None);
        };
        let now = caller.clock.now();
        sessions::touch(&caller.db, &signed.session_hash, now).await?;
        signed.session.last_seen_at = now;
        Ok(Some(ssr::current_user_of(&caller, &signed)))
    })
    .await
}

/// 登录 (个人用户登录 / 法人用户登录). On success a new session replaces any the browser had,
/// and the browser goes to `next` (a path of this site) or 用户中心.
#[server(endpoint = "login")]
pub async fn login(
    kind: String,
    login_id: String,
    password: String,
    next: Option<String>,
    #[server(default)] id_kind: String,
    #[server(default)] id_country: String,
) -> Result<(), AppError> {
    serve(|caller| async move {
        use crate::accounts::repo::{self as accounts, MAX_FAILURES};
        use crate::platform::audit;
        use crate::platform::session::repo as sessions;

        caller.check_rate(&caller.login_limiter).await?;
        let kind = crate::domain::account::AccountKind::from_form(&kind);
        let key = ssr::login_key(&caller, kind, &login_id, (&id_kind, &id_country))?;
        if password.is_empty() {
            return Err(AppError::field(
                "password",
                Text::new("请输入密码", "Enter your password"),
            ));
        }
        if crate::domain::password::has_whitespace(&password) {
            return Err(AppError::field(
                "password",
                crate::domain::PasswordError::Whitespace,
            ));
        }
        let now = caller.clock.now();
        let account = accounts::by_login_key(&caller.db, &key).await?;
        let checked = ssr::check_password(
            &caller,
            &key,
            account.as_ref().map(|a| (a.id, a.password_hash.clone())),
            password,
            "",
        )
        .await?;
        let account = match checked {
            // Only an existing account's password can be right.
            ssr::PasswordCheck::Right => account.ok_or(AppError::Internal)?,
            ssr::PasswordCheck::Locked { until } => {
                return Err(AppError::field("password", ssr::locked_message(until)));
            }
            ssr::PasswordCheck::Wrong { left } => {
                return Err(AppError::field(
                    "password",
                    Message::new(
                        format!(
                            "{}或密码错误,还可尝试{left}次(连续错误{MAX_FAILURES}次将锁定账户30分钟)",
                            kind.login_id_label(),
                        ),
                        format!(
                            "The {} or password is wrong: you can try {}. After {MAX_FAILURES} \
                             wrong tries in a row the account is locked for 30 minutes",
                            ssr::login_id_english(kind),
                            ssr::times(left),
                        ),
                    ),
                ));
            }
        };
        // A new session id at every login: a session id planted before login is worthless.
        // The old session ends, the new one begins and 安全记录 says so, all or nothing; the
        // cookie goes out only once they are kept.
        let (token, hash) = sessions::new_token();
        let ip = caller.meta.client_ip.to_string();
        let mut tx = crate::platform::db::begin_write(&caller.db).await?;
        sessions::create(
            &mut *tx,
            &hash,
            account.id,
            now,
            &ip,
            &caller.meta.user_agent,
        )
        .await?;
        if let Some(old) = caller.presented_session_hash() {
            sessions::delete(&mut *tx, &old).await?;
        }
        caller
            .audit_in(&mut tx, Some(account.id), audit::LOGIN, "")
            .await?;
        tx.commit().await?;
        caller.send_session_cookie(&token);
        leptos_axum::redirect(&crate::domain::url::safe_next(next.as_deref()));
        Ok(())
    })
    .await
}

/// Signs in again with the current password, from a page that needs a recent sign-in
/// (个人信息导出): a new session replaces this one, as at 登录, and 安全记录 says so.
#[server(endpoint = "sign_in_again")]
pub async fn sign_in_again(password: String) -> Result<(), AppError> {
    crate::platform::caller::serve_signed_in(|caller, signed| async move {
        use crate::platform::audit;
        use crate::platform::session::repo as sessions;
        if password.is_empty() {
            return Err(AppError::field(
                "password",
                crate::platform::lang::Text::new("请输入登录密码", "Enter your password"),
            ));
        }
        ssr::require_current_password(&caller, &signed, password, "password", "再次验证时").await?;
        let (token, hash) = sessions::new_token();
        let now = caller.clock.now();
        let ip = caller.meta.client_ip.to_string();
        let mut tx = crate::platform::db::begin_write(&caller.db).await?;
        sessions::create(
            &mut *tx,
            &hash,
            signed.account.id,
            now,
            &ip,
            &caller.meta.user_agent,
        )
        .await?;
        sessions::delete(&mut *tx, &signed.session_hash).await?;
        caller
            .audit_in(
                &mut tx,
                Some(signed.account.id),
                audit::LOGIN,
                "再次验证密码",
            )
            .await?;
        tx.commit().await?;
        caller.send_session_cookie(&token);
        Ok(())
    })
    .await
}

/// 退出登录.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    serve(|caller| async move {
        use crate::platform::audit;
        use crate::platform::session::repo as sessions;
        if let Some(signed) = caller.signed_in().await? {
            caller
                .audit(Some(signed.account.id), audit::LOGOUT, "")
                .await;
        }
        if let Some(hash) = caller.presented_session_hash() {
            sessions::delete(&caller.db, &hash).await?;
        }
        caller.clear_session_cookie();
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::accounts::CurrentUser;
    use crate::accounts::repo::{self as accounts};
    use crate::domain::account::AccountKind;
    use crate::domain::{CreditCode, IdDocument};
    use crate::platform::audit;
    use crate::platform::caller::{Caller, SignedIn};
    use crate::platform::error::{AppError, Message};

    use crate::platform::state::AppState;

    pub fn current_user_of(state: &AppState, signed: &SignedIn) -> CurrentUser {
        CurrentUser {
            kind: signed.account.kind,
            display_name: signed.account.display_name(),
            idle_seconds_left: (signed.session.expires_at() - state.clock.now()).max(0),
            awaiting_confirmation: signed.account.status
                == crate::domain::account::AccountStatus::Pending,
            closing_until: (signed.account.status
                == crate::domain::account::AccountStatus::Closing)
                .then(|| crate::accounts::deletion_time(signed.account.closing_at)),
        }
    }

    /// The login key of what was typed as 证件号码 (with the 证件类型 select's code and a
    /// passport's country) / 统一社会信用代码, with the message for each way it can be wrong
    /// (spaces first: FAQ 1).
    pub fn login_key(
        state: &AppState,
        kind: AccountKind,
        login_id: &str,
        (id_kind, id_country): (&str, &str),
    ) -> Result<String, AppError> {
        let label = kind.login_id_label();
        let english = login_id_english(kind);
        if login_id.is_empty() {
            return Err(AppError::field(
                "login_id",
                Message::new(format!("请输入{label}"), format!("Enter your {english}")),
            ));
        }
        if crate::domain::password::has_whitespace(login_id) {
            return Err(AppError::field(
                "login_id",
                Message::new(
                    format!("{label}不能包含空格,请删除空格后重新输入"),
                    format!("The {english} cannot contain spaces: remove them and enter it again"),
                ),
            ));
        }
        Ok(match kind {
            AccountKind::Person => {
                let id = IdDocument::from_form(id_kind, login_id, id_country)
                    .map_err(|e| AppError::document("login_id", e))?;
                accounts::person_login_key(&crate::domain::person::document_digest(
                    &state.settings.data_key,
                    &id,
                ))
            }
            AccountKind::Enterprise => {
                let code =
                    CreditCode::parse(login_id).map_err(|e| AppError::field("login_id", e))?;
                accounts::enterprise_login_key(code.as_str())
            }
        })
    }

    /// A counted password check.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum PasswordCheck {
        Right,
        /// Tries left before the lock.
        Wrong {
            left: i64,
        },
        /// Locked until then (Unix seconds).
        Locked {
            until: i64,
        },
    }

    /// Checks `password` against an account's hash (`None`: no such account, checked against a
    /// dummy so the time is the same) as one attempt on `login_key`'s counter. The slot is
    /// taken atomically *before* the hash, so at most [`accounts::MAX_FAILURES`] passwords per
    /// identifier are ever checked in 30 minutes, however many requests arrive at once —
    /// whether they come to login, 修改密码 or 修改手机号.
    pub async fn check_password(
        caller: &Caller,
        login_key: &str,
        account: Option<(i64, String)>,
        password: String,
        context: &str,
    ) -> Result<PasswordCheck, AppError> {
        use crate::platform::counters::{repo as counters, scopes};
        use accounts::{LOCK_SECONDS, MAX_FAILURES};
        let now = caller.clock.now();
        let slot = counters::take(&caller.db, scopes::LOGIN, login_key, LOCK_SECONDS, now).await?;
        if !slot.within(MAX_FAILURES) {
            return Ok(PasswordCheck::Locked {
                until: slot.window_start + LOCK_SECONDS,
            });
        }
        let (account_id, hash) = match account {
            Some((id, hash)) => (Some(id), Some(hash)),
            None => (None, None),
        };
        if caller.passwords.verify(password, hash).await && account_id.is_some() {
            counters::clear(&caller.db, scopes::LOGIN, login_key).await?;
            return Ok(PasswordCheck::Right);
        }
        if slot.number >= MAX_FAILURES {
            // The last allowed failure: the lock lasts 30 minutes from now.
            counters::restart_full(&caller.db, scopes::LOGIN, login_key, MAX_FAILURES, now).await?;
            let detail = format!("{context}密码连续错误{MAX_FAILURES}次");
            caller.audit(account_id, audit::LOCKED, &detail).await;
            return Ok(PasswordCheck::Locked {
                until: now + LOCK_SECONDS,
            });
        }
        let failed = if context.is_empty() {
            audit::LOGIN_FAILED
        } else {
            audit::PASSWORD_FAILED
        };
        caller.audit(account_id, failed, context).await;
        Ok(PasswordCheck::Wrong {
            left: MAX_FAILURES - slot.number,
        })
    }

    pub fn locked_message(until: i64) -> Message {
        let max = accounts::MAX_FAILURES;
        let until = crate::domain::time::format_beijing_minute(until);
        Message::new(
            format!(
                "密码连续错误{max}次,账户已锁定,请于 {until} 后再试;也可通过【忘记密码】重置密码后立即登录"
            ),
            format!(
                "After {max} wrong passwords in a row the account is locked: try again after \
                 {until} (Beijing time), or reset your password with 'Forgotten your password?' \
                 and sign in at once"
            ),
        )
    }

    /// What an account of `kind` signs in with, in English ([`AccountKind::login_id_label`]).
    pub fn login_id_english(kind: AccountKind) -> &'static str {
        match kind {
            AccountKind::Person => "document number",
            AccountKind::Enterprise => "unified social credit code",
        }
    }

    /// "1 more time", "3 more times": the tries left, in English.
    pub fn times(left: i64) -> String {
        if left == 1 {
            "1 more time".to_string()
        } else {
            format!("{left} more times")
        }
    }

    /// The current password of a signed-in account, counted like a login (修改密码、修改手机号):
    /// a stolen session cannot guess it without limit.
    pub async fn require_current_password(
        caller: &Caller,
        signed: &SignedIn,
        password: String,
        field: &str,
        context: &str,
    ) -> Result<(), AppError> {
        let account = Some((signed.account.id, signed.account.password_hash.clone()));
        match check_password(
            caller,
            &signed.account.login_key,
            account,
            password,
            context,
        )
        .await?
        {
            PasswordCheck::Right => Ok(()),
            PasswordCheck::Wrong { left } => Err(AppError::field(
                field,
                Message::new(
                    format!("当前登录密码不正确,还可尝试{left}次"),
                    format!(
                        "Your current password is wrong: you can try {}",
                        times(left)
                    ),
                ),
            )),
            PasswordCheck::Locked { until } => Err(AppError::field(field, locked_message(until))),
        }
    }
}
