//! 获取验证码, and redeeming a code: every proof of a phone number goes through here.

use crate::accounts::sms::SmsSent;
#[cfg(feature = "ssr")]
use crate::platform::caller::serve_calling_out;
use crate::platform::error::AppError;
use crate::platform::lang::Text;
use leptos::prelude::*;

/// A phone change to the number already bound (获取验证码 and 修改手机号 both refuse it).
pub const SAME_PHONE: Text = Text::new(
    "新手机号与当前绑定的手机号相同",
    "This is already your phone number: enter the new number",
);

/// A code for 注销账户 asked for another number than the bound one.
pub const NOT_BOUND: Text = Text::new(
    "请使用本账户绑定的手机号接收验证码",
    "The code goes only to the phone number of this account",
);

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
    #[server(default)] id_kind: String,
    #[server(default)] id_country: String,
) -> Result<SmsSent, AppError> {
    serve_calling_out(|caller| async move {
        use crate::accounts::sms::repo::{self as codes, Binding, Requester};
        use crate::accounts::sms::{RESEND_SECONDS, SmsCodeError, SmsPurpose};
        use crate::domain::Phone;

        let purpose = SmsPurpose::parse(&purpose).ok_or_else(|| {
            AppError::invalid(Text::new(
                "未知的验证码用途",
                "The request for a code was not recognised: reload the page and try again",
            ))
        })?;
        let phone = Phone::parse(&phone).map_err(|e| AppError::field("phone", e))?;
        caller.check_rate(&caller.sms_limiter).await?;
        let key = &caller.settings.data_key;
        let (subject, deliver) = ssr::recipient(
            &caller,
            purpose,
            &phone,
            kind.as_deref().unwrap_or(""),
            login_id.as_deref().unwrap_or(""),
            (&id_kind, &id_country),
        )
        .await?;
        let now = caller.clock.now();
        let client = caller.client_key();
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
        codes::take_send_slot(&caller.db, &who, now)
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
        codes::store(&caller.db, key, &binding, &code, now).await?;
        // The number's hourly ceiling, per purpose and account, taken alike whether or not the
        // message goes out: its count says nothing about whose the number is, and nobody's
        // requests use up another purpose's or another account's budget.
        let ceiling = codes::take_number_slot(&caller.db, &who, now).await?;
        let lang = caller.meta.lang;
        let text = purpose.message(&code, lang);
        if purpose == SmsPurpose::ResetPassword {
            // Recovery: sent in the background, so neither the answer nor its time says
            // whether the number is the account's.
            if deliver && ceiling.is_ok() {
                ssr::send_in_background(&caller, phone.clone(), text, code, lang);
            }
        } else {
            ceiling.map_err(refused)?;
            if let Err(e) = ssr::send_now(&caller, &phone, &ssr::message(&text, &code, lang)).await
            {
                // Not sent: no code stands for it, and the citizen may ask again at once.
                codes::withdraw(&caller.db, &who, &ticket).await?;
                return Err(e);
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

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::accounts::repo as accounts;
    use crate::domain::account::AccountKind;
    use crate::platform::caller::Caller;

    /// Whose request a code is for (the account's login key for recovery and phone change, ""
    /// for registration), and whether the message really goes out: for password recovery
    /// only to the phone bound to the account, while the answer (and its limits) stay the
    /// same so that it reveals nothing.
    pub async fn recipient(
        caller: &Caller,
        purpose: SmsPurpose,
        phone: &Phone,
        kind: &str,
        login_id: &str,
        document: (&str, &str),
    ) -> Result<(String, bool), AppError> {
        match purpose {
            SmsPurpose::Register => Ok((String::new(), true)),
            // Only to the phone bound to the signed-in account: another number gets nothing,
            // and is told so (the caller knows their own number).
            SmsPurpose::CloseAccount => {
                let signed = caller.require_signed_in().await?;
                if signed.account.phone != phone.as_str() {
                    return Err(AppError::field("phone", super::NOT_BOUND));
                }
                Ok((signed.account.login_key, true))
            }
            SmsPurpose::ChangePhone => {
                let signed = caller.require_signed_in().await?;
                if signed.account.phone == phone.as_str() {
                    return Err(AppError::field("phone", super::SAME_PHONE));
                }
                Ok((signed.account.login_key, true))
            }
            SmsPurpose::ResetPassword => {
                let kind = AccountKind::from_form(kind);
                let login_key =
                    super::super::session::ssr::login_key(caller, kind, login_id, document)?;
                let deliver = accounts::by_login_key(&caller.db, &login_key)
                    .await?
                    .is_some_and(|a| a.phone == phone.as_str());
                Ok((login_key, deliver))
            }
        }
    }

    /// The message of a code: its text, and the code and minutes a carrier's template takes.
    pub fn message<'a>(text: &'a str, code: &'a str, lang: Lang) -> SmsMessage<'a> {
        SmsMessage {
            text,
            code,
            minutes: crate::accounts::sms::CODE_TTL_SECONDS / 60,
            notice: None,
            lang,
        }
    }

    /// Sends the message in the background (password recovery: neither the answer nor its
    /// time may say whether the number is the account's).
    pub fn send_in_background(caller: &Caller, to: Phone, text: String, code: String, lang: Lang) {
        let sms = caller.sms.clone();
        tokio::spawn(async move {
            if let Err(e) = sms.send(&to, &message(&text, &code, lang)).await {
                tracing::error!(error = %e, "sms gateway (password recovery)");
            }
        });
    }

    /// Sends the message now; a gateway that fails is a 503 the citizen can retry, with the
    /// carrier's reason in Chinese (never a secret).
    pub async fn send_now(
        caller: &Caller,
        phone: &Phone,
        message: &SmsMessage<'_>,
    ) -> Result<(), AppError> {
        caller.sms.send(phone, message).await.map_err(|e| {
            tracing::error!(error = %e, "sms gateway");
            AppError::unavailable(Message::new(
                format!("短信发送失败:{e}"),
                format!("The text message could not be sent ({e}): please try again"),
            ))
        })
    }

    use crate::platform::lang::Lang;
    use crate::platform::ports::sms::SmsMessage;

    use crate::domain::Phone;
    use crate::platform::error::{AppError, Message};

    use crate::accounts::sms::{SmsPurpose, repo as codes};

    use crate::platform::state::AppState;

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
}
