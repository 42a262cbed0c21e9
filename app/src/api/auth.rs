//! 登录、注册、找回密码、退出: the account's way in and out, and 获取验证码.
//!
//! Every function takes the form's fields as plain strings so that the same forms post
//! without JavaScript; the domain types validate them here, on the server, again.

// A registration form has more than seven fields, and each is an argument.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::models::account::CurrentUser;
use crate::models::sms::SmsSent;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The signed-in user for the header and the session warning, or `None`.
#[server(input = GetUrl, endpoint = "current_user")]
pub async fn fetch_current_user() -> Result<Option<CurrentUser>, AppError> {
    super::request::with_status(async move {
        let state = request::state()?;
        Ok(request::signed_in(&state)
            .await?
            .map(|s| ssr::current_user_of(&state, &s)))
    })
    .await
}

/// 继续使用: restarts the 30-minute idle clock of the caller's session.
#[server(endpoint = "keep_alive")]
pub async fn keep_alive() -> Result<Option<CurrentUser>, AppError> {
    super::request::with_status(async move {
        use crate::models::session::repo as sessions;
        let state = request::state()?;
        let Some(mut signed) = request::signed_in(&state).await? else {
            return Ok(None);
        };
        let now = state.clock.now();
        sessions::touch(&state.db, &signed.session_hash, now).await?;
        signed.session.last_seen_at = now;
        Ok(Some(ssr::current_user_of(&state, &signed)))
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
) -> Result<(), AppError> {
    super::request::with_status(async move {
        use crate::models::account::events;
        use crate::models::account::repo::{self as accounts, MAX_FAILURES};
        use crate::models::session::repo as sessions;

        let state = request::state()?;
        request::check_rate(&state, &state.login_limiter)?;
        let kind = crate::models::account::AccountKind::from_form(&kind);
        let key = ssr::login_key(&state, kind, &login_id)?;
        if password.is_empty() {
            return Err(AppError::field("password", "请输入密码"));
        }
        if crate::domain::password::has_whitespace(&password) {
            return Err(AppError::field(
                "password",
                crate::domain::PasswordError::Whitespace,
            ));
        }
        let now = state.clock.now();
        let account = accounts::by_login_key(&state.db, &key).await?;
        let checked = ssr::check_password(
            &state,
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
                    format!(
                        "{}或密码错误,还可尝试{left}次(连续错误{MAX_FAILURES}次将锁定账户30分钟)",
                        kind.login_id_label(),
                    ),
                ));
            }
        };
        // A new session id at every login: a session id planted before login is worthless.
        if let Some(old) = request::presented_session_hash(&state) {
            sessions::delete(&state.db, &old).await?;
        }
        let (token, hash) = sessions::new_token();
        let ip = request::client_ip(&state).to_string();
        sessions::create(
            &state.db,
            &hash,
            account.id,
            now,
            &ip,
            &request::user_agent(),
        )
        .await?;
        request::send_session_cookie(&state, &token);
        request::audit(&state, Some(account.id), events::LOGIN, "").await;
        leptos_axum::redirect(&request::safe_next(next.as_deref()));
        Ok(())
    })
    .await
}

/// 退出登录.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    super::request::with_status(async move {
        use crate::models::account::events;
        use crate::models::session::repo as sessions;
        let state = request::state()?;
        if let Some(signed) = request::signed_in(&state).await? {
            request::audit(&state, Some(signed.account.id), events::LOGOUT, "").await;
        }
        if let Some(hash) = request::presented_session_hash(&state) {
            sessions::delete(&state.db, &hash).await?;
        }
        request::clear_session_cookie(&state);
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

/// 获取验证码. `purpose` is `register`, `reset_password` or `change_phone`; `kind` and
/// `login_id` identify the account for `reset_password`.
///
/// The answer says nothing about anyone: whether a number is bound, or belongs to the account
/// named, is only told after the code has proven the phone (registration), or never
/// (recovery: the code goes out only to the account's bound phone, the answer is the same).
#[server(endpoint = "send_sms_code")]
pub async fn send_sms_code(
    purpose: String,
    phone: String,
    kind: Option<String>,
    login_id: Option<String>,
) -> Result<SmsSent, AppError> {
    super::request::with_status(async move {
        use crate::domain::Phone;
        use crate::models::account::repo as accounts;
        use crate::models::sms::repo::{self as codes, Binding, Requester};
        use crate::models::sms::{RESEND_SECONDS, SmsCodeError, SmsPurpose};

        let state = request::state()?;
        let purpose = SmsPurpose::parse(&purpose)
            .ok_or_else(|| AppError::Invalid("未知的验证码用途".into()))?;
        let phone = Phone::parse(&phone).map_err(|e| AppError::field("phone", e))?;
        request::check_rate(&state, &state.sms_limiter)?;
        let key = &state.settings.data_key;
        // Whether the message really goes out: for password recovery only to the phone bound to
        // the account, while the answer (and its limits) stay the same so that it reveals nothing.
        let mut deliver = true;
        let mut subject = String::new();
        match purpose {
            SmsPurpose::Register => {}
            SmsPurpose::ChangePhone => {
                let signed = request::require_signed_in(&state).await?;
                if signed.account.phone == phone.as_str() {
                    return Err(AppError::field("phone", "新手机号与当前绑定的手机号相同"));
                }
                subject = signed.account.login_key.clone();
            }
            SmsPurpose::ResetPassword => {
                let kind =
                    crate::models::account::AccountKind::from_form(kind.as_deref().unwrap_or(""));
                let login_key = ssr::login_key(&state, kind, login_id.as_deref().unwrap_or(""))?;
                deliver = accounts::by_login_key(&state.db, &login_key)
                    .await?
                    .is_some_and(|a| a.phone == phone.as_str());
                subject = login_key;
            }
        }
        let now = state.clock.now();
        let client = request::client_ip(&state).to_string();
        let who = Requester {
            phone: phone.as_str(),
            purpose,
            subject: &subject,
            client: &client,
        };
        let refused = |e: SmsCodeError| match e {
            SmsCodeError::TooSoon(seconds) => AppError::TooSoon(seconds),
            e => AppError::field("phone", e),
        };
        codes::take_send_slot(&state.db, &who, now)
            .await?
            .map_err(refused)?;
        // The code is stored, bound to this request's ticket, whether or not it goes out: the
        // answers to 获取验证码 and to a later wrong code are the same either way.
        let code = codes::new_code();
        let (ticket, _) = codes::new_ticket();
        let binding = Binding {
            phone: phone.as_str(),
            purpose,
            subject: &subject,
            ticket: &ticket,
        };
        codes::store(&state.db, key, &binding, &code, now).await?;
        // The number's hourly ceiling, per purpose and account, taken alike whether or not the
        // message goes out: its count says nothing about whose the number is, and nobody's
        // requests use up another purpose's or another account's budget.
        let ceiling = codes::take_number_slot(&state.db, &who, now).await?;
        let text = purpose.message(&code);
        if purpose == SmsPurpose::ResetPassword {
            // Recovery: sent in the background, so neither the answer nor its time says
            // whether the number is the account's.
            if deliver && ceiling.is_ok() {
                let (sms, to) = (state.sms.clone(), phone.clone());
                tokio::spawn(async move {
                    if let Err(e) = sms.send(&to, &text).await {
                        tracing::error!(error = %e, "sms gateway (password recovery)");
                    }
                });
            }
        } else {
            ceiling.map_err(refused)?;
            if let Err(e) = state.sms.send(&phone, &text).await {
                tracing::error!(error = %e, "sms gateway");
                return Err(AppError::Unavailable(
                    "短信发送失败:短信服务暂时不可用,请稍后重试".into(),
                ));
            }
        }
        Ok(SmsSent {
            phone_masked: phone.masked(),
            resend_after: RESEND_SECONDS,
            ticket,
        })
    })
    .await
}

/// 个人用户注册.
#[server(endpoint = "register_person")]
pub async fn register_person(
    name: String,
    id_number: String,
    phone: String,
    sms_code: String,
    password: String,
    password_confirm: String,
    consent: Option<String>,
    sms_ticket: Option<String>,
) -> Result<(), AppError> {
    super::request::with_status(async move {
        use crate::domain::{IdNumber, names};
        use crate::models::account::repo::{NewAccount, person_login_key};
        use crate::models::registry::repo::id_digest;

        let state = request::state()?;
        let name = names::person_name(&name).map_err(|e| AppError::field("name", e))?;
        let id = IdNumber::parse(&id_number).map_err(|e| AppError::field("id_number", e))?;
        let form = ssr::common_fields(
            &phone,
            &sms_code,
            &sms_ticket,
            &password,
            &password_confirm,
            &consent,
        )?;
        ssr::prove_applicant(&state, &form, &id, "id_number").await?;
        let digest = id_digest(&state.settings.data_key, id.as_str());
        let login_key = person_login_key(&digest);
        if crate::models::account::repo::login_key_exists(&state.db, &login_key).await? {
            return Err(AppError::field(
                "id_number",
                "该身份证号已注册账户,请直接登录;如忘记密码,可通过【忘记密码】找回",
            ));
        }
        ssr::verify_identity(&state, &name, &id, "id_number").await?;
        let new = NewAccount {
            kind: crate::models::account::AccountKind::Person,
            status: crate::models::account::AccountStatus::Active,
            login_key: &login_key,
            person_digest: &digest,
            name: &name,
            id_number_masked: &id.masked(),
            org_name: None,
            credit_code: None,
            phone: form.phone.as_str(),
            password_hash: "",
        };
        ssr::finish_registration(&state, new, &form).await?;
        leptos_axum::redirect("/login?registered=person");
        Ok(())
    })
    .await
}

/// 企业用户注册 (法人用户).
#[server(endpoint = "register_enterprise")]
pub async fn register_enterprise(
    org_name: String,
    credit_code: String,
    legal_name: String,
    legal_id_number: String,
    phone: String,
    sms_code: String,
    password: String,
    password_confirm: String,
    consent: Option<String>,
    sms_ticket: Option<String>,
) -> Result<(), AppError> {
    super::request::with_status(async move {
        use crate::domain::{CreditCode, IdNumber, names};
        use crate::models::account::AccountStatus;
        use crate::models::account::repo::{NewAccount, enterprise_login_key};
        use crate::models::registry::repo::id_digest;
        use crate::services::enterprise::{EnterpriseCheck, EnterpriseClaim};

        let state = request::state()?;
        let org = names::org_name(&org_name).map_err(|e| AppError::field("org_name", e))?;
        let code =
            CreditCode::parse(&credit_code).map_err(|e| AppError::field("credit_code", e))?;
        let legal_name =
            names::person_name(&legal_name).map_err(|e| AppError::field("legal_name", e))?;
        let legal_id =
            IdNumber::parse(&legal_id_number).map_err(|e| AppError::field("legal_id_number", e))?;
        let form = ssr::common_fields(
            &phone,
            &sms_code,
            &sms_ticket,
            &password,
            &password_confirm,
            &consent,
        )?;
        ssr::prove_applicant(&state, &form, &legal_id, "legal_id_number").await?;
        let login_key = enterprise_login_key(code.as_str());
        // A claim its legal representative left unconfirmed for 7 days lapses: a squatter
        // cannot hold a credit code.
        crate::models::account::repo::lapse_pending_claim(&state.db, &login_key, state.clock.now())
            .await?;
        if crate::models::account::repo::login_key_exists(&state.db, &login_key).await? {
            return Err(ssr::credit_code_claimed());
        }
        // Naming a legal representative proves nothing: the enterprise registry must know the
        // enterprise by this code and name with this representative, and the account stays
        // pending until the representative confirms it with a face check.
        let claim = EnterpriseClaim {
            credit_code: code.as_str(),
            org_name: &org,
            legal_name: &legal_name,
            legal_id: &legal_id,
        };
        match state.enterprises.verify(&claim).await {
            Ok(EnterpriseCheck::Match) => {}
            Ok(EnterpriseCheck::NoMatch) => {
                return Err(AppError::field(
                    "credit_code",
                    "企业信息核验未通过:统一社会信用代码、企业名称与法定代表人信息与企业登记信息不一致。\
                     请按营业执照核对后重新输入(本次验证码已使用,请重新获取)",
                ));
            }
            Err(e) => {
                tracing::error!(error = %e, "enterprise identity source");
                return Err(AppError::Unavailable(
                    "企业信息核验服务暂时不可用,请稍后重试(本次验证码已使用,请重新获取)".into(),
                ));
            }
        }
        ssr::verify_identity(&state, &legal_name, &legal_id, "legal_id_number").await?;
        let digest = id_digest(&state.settings.data_key, legal_id.as_str());
        let new = NewAccount {
            kind: crate::models::account::AccountKind::Enterprise,
            status: AccountStatus::Pending,
            login_key: &login_key,
            person_digest: &digest,
            name: &legal_name,
            id_number_masked: &legal_id.masked(),
            org_name: Some(&org),
            credit_code: Some(code.as_str()),
            phone: form.phone.as_str(),
            password_hash: "",
        };
        ssr::finish_registration(&state, new, &form).await?;
        leptos_axum::redirect("/login?registered=enterprise");
        Ok(())
    })
    .await
}

/// 找回密码: a code to the bound phone sets a new password, lifts a lock and ends every
/// session of the account.
#[server(endpoint = "reset_password")]
pub async fn reset_password(
    kind: String,
    login_id: String,
    phone: String,
    sms_code: String,
    password: String,
    password_confirm: String,
    sms_ticket: Option<String>,
) -> Result<(), AppError> {
    super::request::with_status(async move {
        use crate::models::account::{AccountKind, events, repo as accounts};
        use crate::models::session::repo as sessions;
        use crate::models::sms::SmsPurpose;

        let state = request::state()?;
        let kind = AccountKind::from_form(&kind);
        let key = ssr::login_key(&state, kind, &login_id)?;
        let consent = Some(String::from("on"));
        let form = ssr::common_fields(
            &phone,
            &sms_code,
            &sms_ticket,
            &password,
            &password_confirm,
            &consent,
        )?;
        // The code proves the phone first; only then is it said whether it is the account's.
        ssr::redeem(
            &state,
            &form.phone,
            SmsPurpose::ResetPassword,
            &key,
            &form.sms_ticket,
            &form.sms_code,
        )
        .await?;
        let account = accounts::by_login_key(&state.db, &key)
            .await?
            .filter(|a| a.phone == form.phone.as_str())
            .ok_or_else(|| {
                AppError::field(
                    "phone",
                    format!("{}与手机号不匹配,请核对后重新输入", kind.login_id_label()),
                )
            })?;
        let hash = ssr::hash(&state, &form.password).await?;
        let now = state.clock.now();
        accounts::set_password_hash(&state.db, account.id, &hash, now).await?;
        crate::models::counters::repo::clear(
            &state.db,
            crate::models::counters::scopes::LOGIN,
            &key,
        )
        .await?;
        sessions::delete_others(&state.db, account.id, None).await?;
        request::audit(
            &state,
            Some(account.id),
            events::PASSWORD_RESET,
            "通过短信验证码重置",
        )
        .await;
        leptos_axum::redirect("/login?reset=1");
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
use super::request;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::request::{self, SignedIn};
    use crate::domain::{CreditCode, IdNumber, Password, Phone};
    use crate::error::AppError;
    use crate::models::account::repo::{self as accounts, CreateError, NewAccount};
    use crate::models::account::{AccountKind, CurrentUser, events};
    use crate::models::sms::{SmsPurpose, is_code_shaped, repo as codes};
    use crate::services::identity::IdentityCheck;
    use crate::state::AppState;

    pub fn current_user_of(state: &AppState, signed: &SignedIn) -> CurrentUser {
        CurrentUser {
            kind: signed.account.kind,
            display_name: signed.account.display_name(),
            idle_seconds_left: (signed.session.expires_at() - state.clock.now()).max(0),
            awaiting_confirmation: signed.account.status
                == crate::models::account::AccountStatus::Pending,
        }
    }

    pub fn phone_taken() -> AppError {
        AppError::field("phone", "当前手机号已被其他人员绑定")
    }

    /// The login key of what was typed as 身份证号 / 统一社会信用代码, with the message for
    /// each way it can be wrong (spaces first: FAQ 1).
    pub fn login_key(
        state: &AppState,
        kind: AccountKind,
        login_id: &str,
    ) -> Result<String, AppError> {
        let label = kind.login_id_label();
        if login_id.is_empty() {
            return Err(AppError::field("login_id", format!("请输入{label}")));
        }
        if crate::domain::password::has_whitespace(login_id) {
            return Err(AppError::field(
                "login_id",
                format!("{label}不能包含空格,请删除空格后重新输入"),
            ));
        }
        Ok(match kind {
            AccountKind::Person => {
                let id = IdNumber::parse(login_id).map_err(|e| AppError::field("login_id", e))?;
                accounts::person_login_key(&crate::models::registry::repo::id_digest(
                    &state.settings.data_key,
                    id.as_str(),
                ))
            }
            AccountKind::Enterprise => {
                let code =
                    CreditCode::parse(login_id).map_err(|e| AppError::field("login_id", e))?;
                accounts::enterprise_login_key(code.as_str())
            }
        })
    }

    /// The fields registration and recovery share, validated.
    pub struct CommonFields {
        pub phone: Phone,
        pub sms_code: String,
        /// The 验证码凭据 获取验证码 answered with.
        pub sms_ticket: String,
        pub password: Password,
    }

    pub fn common_fields(
        phone: &str,
        sms_code: &str,
        sms_ticket: &Option<String>,
        password: &str,
        password_confirm: &str,
        consent: &Option<String>,
    ) -> Result<CommonFields, AppError> {
        let phone = Phone::parse(phone).map_err(|e| AppError::field("phone", e))?;
        let sms_code = sms_code.trim().to_string();
        if sms_code.is_empty() {
            return Err(AppError::field("sms_code", "请输入短信验证码"));
        }
        if !is_code_shaped(&sms_code) {
            return Err(AppError::field("sms_code", "短信验证码为6位数字"));
        }
        let password = Password::parse(password).map_err(|e| AppError::field("password", e))?;
        if password.expose() != password_confirm {
            return Err(AppError::field("password_confirm", "两次输入的密码不一致"));
        }
        if consent.as_deref().is_none_or(str::is_empty) {
            return Err(AppError::field(
                "consent",
                "请阅读并同意《隐私政策》后再注册",
            ));
        }
        Ok(CommonFields {
            phone,
            sms_code,
            sms_ticket: sms_ticket.clone().unwrap_or_default(),
            password,
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
        state: &AppState,
        login_key: &str,
        account: Option<(i64, String)>,
        password: String,
        context: &str,
    ) -> Result<PasswordCheck, AppError> {
        use crate::models::counters::{repo as counters, scopes};
        use accounts::{LOCK_SECONDS, MAX_FAILURES};
        let now = state.clock.now();
        let slot = counters::take(&state.db, scopes::LOGIN, login_key, LOCK_SECONDS, now).await?;
        if !slot.within(MAX_FAILURES) {
            return Ok(PasswordCheck::Locked {
                until: slot.window_start + LOCK_SECONDS,
            });
        }
        let (account_id, hash) = match account {
            Some((id, hash)) => (Some(id), Some(hash)),
            None => (None, None),
        };
        if state.passwords.verify(password, hash).await && account_id.is_some() {
            counters::clear(&state.db, scopes::LOGIN, login_key).await?;
            return Ok(PasswordCheck::Right);
        }
        if slot.number >= MAX_FAILURES {
            // The last allowed failure: the lock lasts 30 minutes from now.
            counters::restart_full(&state.db, scopes::LOGIN, login_key, MAX_FAILURES, now).await?;
            let detail = format!("{context}密码连续错误{MAX_FAILURES}次");
            request::audit(state, account_id, events::LOCKED, &detail).await;
            return Ok(PasswordCheck::Locked {
                until: now + LOCK_SECONDS,
            });
        }
        let failed = if context.is_empty() {
            events::LOGIN_FAILED
        } else {
            events::PASSWORD_FAILED
        };
        request::audit(state, account_id, failed, context).await;
        Ok(PasswordCheck::Wrong {
            left: MAX_FAILURES - slot.number,
        })
    }

    pub fn locked_message(until: i64) -> String {
        format!(
            "密码连续错误{}次,账户已锁定,请于 {} 后再试;也可通过【忘记密码】重置密码后立即登录",
            accounts::MAX_FAILURES,
            crate::domain::time::format_beijing_minute(until)
        )
    }

    /// The current password of a signed-in account, counted like a login (修改密码、修改手机号):
    /// a stolen session cannot guess it without limit.
    pub async fn require_current_password(
        state: &AppState,
        signed: &SignedIn,
        password: String,
        field: &str,
        context: &str,
    ) -> Result<(), AppError> {
        let account = Some((signed.account.id, signed.account.password_hash.clone()));
        match check_password(state, &signed.account.login_key, account, password, context).await? {
            PasswordCheck::Right => Ok(()),
            PasswordCheck::Wrong { left } => Err(AppError::field(
                field,
                format!("当前登录密码不正确,还可尝试{left}次"),
            )),
            PasswordCheck::Locked { until } => Err(AppError::field(field, locked_message(until))),
        }
    }

    /// The answer to a second claim of a credit code: there is one account per enterprise, and
    /// a dispute goes to the contact page.
    pub fn credit_code_claimed() -> AppError {
        AppError::field(
            "credit_code",
            "该统一社会信用代码已注册法人账户,每个企业只能有一个法人账户。如忘记密码,可通过【忘记密码】找回;\
             如该账户并非贵单位注册,请通过“联系我们”(/contact)提出申诉",
        )
    }

    /// Identity checks a client may make in a day.
    pub const IDENTITY_PER_CLIENT_PER_DAY: i64 = 10;
    /// Identity checks a day for one masked ID number (the region and last four characters
    /// a third party can read): a sweep of its ≈2,000 possible birth dates takes months.
    pub const IDENTITY_PER_TARGET_PER_DAY: i64 = 10;

    /// Takes a slot of the per-client and per-ID daily limits before an identity question.
    pub async fn identity_attempt(
        state: &AppState,
        id: &IdNumber,
        field: &str,
    ) -> Result<(), AppError> {
        use crate::models::counters::{repo as counters, scopes};
        let now = state.clock.now();
        let client = request::client_ip(state).to_string();
        let by_client =
            counters::take(&state.db, scopes::IDENTITY_CLIENT, &client, 86_400, now).await?;
        let by_target = counters::take(
            &state.db,
            scopes::IDENTITY_TARGET,
            &id.masked(),
            86_400,
            now,
        )
        .await?;
        if by_client.within(IDENTITY_PER_CLIENT_PER_DAY)
            && by_target.within(IDENTITY_PER_TARGET_PER_DAY)
        {
            Ok(())
        } else {
            Err(AppError::field(
                field,
                "今日身份核验次数已达上限,请明天再试;如需帮助,请通过“联系我们”咨询",
            ))
        }
    }

    /// The first step of both registrations once the fields are valid: the code proves the
    /// phone, then a slot of the identity limits is taken for `id`. Nothing about the ID number
    /// is answered before this, and every identity question costs a code and a slot.
    pub async fn prove_applicant(
        state: &AppState,
        form: &CommonFields,
        id: &IdNumber,
        field: &str,
    ) -> Result<(), AppError> {
        redeem(
            state,
            &form.phone,
            SmsPurpose::Register,
            "",
            &form.sms_ticket,
            &form.sms_code,
        )
        .await?;
        identity_attempt(state, id, field).await
    }

    /// Name and number checked with the identity source (FAQ 5 explains a refusal).
    pub async fn verify_identity(
        state: &AppState,
        name: &str,
        id: &IdNumber,
        field: &str,
    ) -> Result<(), AppError> {
        match state.identity.verify(name, id).await {
            Ok(IdentityCheck::Match) => Ok(()),
            Ok(IdentityCheck::NoMatch) => Err(AppError::field(
                field,
                "身份信息核验未通过:姓名与身份证号不一致,或公安部身份信息库中暂无该身份信息。\
                 请核对姓名、身份证号后重新输入(本次验证码已使用,请重新获取);如确认无误仍无法通过,可使用 CTID 网证(国家网络身份认证)进行实名注册。",
            )),
            Err(e) => {
                tracing::error!(error = %e, "identity source");
                Err(AppError::Unavailable(
                    "身份信息核验服务暂时不可用,请稍后重试(本次验证码已使用,请重新获取)".into(),
                ))
            }
        }
    }

    /// Checks and uses up the code of the request whose ticket this is, for `purpose` and
    /// `subject` (the account, for recovery and phone change; "" for registration).
    pub async fn redeem(
        state: &AppState,
        phone: &Phone,
        purpose: SmsPurpose,
        subject: &str,
        ticket: &str,
        code: &str,
    ) -> Result<(), AppError> {
        let binding = codes::Binding {
            phone: phone.as_str(),
            purpose,
            subject,
            ticket: ticket.trim(),
        };
        codes::redeem(
            &state.db,
            &state.settings.data_key,
            &binding,
            code,
            state.clock.now(),
        )
        .await?
        .map_err(|e| AppError::field("sms_code", e))
    }

    pub async fn hash(state: &AppState, password: &Password) -> Result<String, AppError> {
        state
            .passwords
            .hash(password.expose().to_string())
            .await
            .map_err(|e| AppError::internal("password hash", e))
    }

    /// The common end of both registrations (the code was redeemed first): phone rule, hash,
    /// insert, audit.
    pub async fn finish_registration(
        state: &AppState,
        mut new: NewAccount<'_>,
        form: &CommonFields,
    ) -> Result<(), AppError> {
        if accounts::phone_bound_to_other(&state.db, form.phone.as_str(), new.person_digest).await?
        {
            return Err(phone_taken());
        }
        let hash = hash(state, &form.password).await?;
        new.password_hash = &hash;
        let id = match accounts::create(&state.db, &new, state.clock.now()).await {
            Ok(id) => id,
            Err(CreateError::Duplicate) => {
                return Err(AppError::Invalid("该账户已注册,请直接登录".into()));
            }
            Err(CreateError::PhoneTaken) => return Err(phone_taken()),
            Err(CreateError::Db(e)) => return Err(AppError::internal("create account", e)),
        };
        request::audit(state, Some(id), events::REGISTERED, new.kind.label()).await;
        Ok(())
    }
}
