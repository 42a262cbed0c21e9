//! 短信验证码: six-digit codes sent to a phone for registration, password recovery and a
//! phone change. Stored only as a keyed digest, bound to the request that asked for it (a
//! random ticket only that requester holds, and the account for recovery and phone change);
//! valid 5 minutes; 5 tries, and at most 10 wrong codes a day for one number, purpose and
//! account over all tickets. Limits, all atomic: 60 s between two requests of one client for
//! one number and purpose, 10 a day from one client, and at most 20 messages an hour to a
//! number for one purpose and account, whoever asks.

use serde::{Deserialize, Serialize};

pub const CODE_TTL_SECONDS: i64 = 5 * 60;
pub const MAX_TRIES: i64 = 5;
pub const RESEND_SECONDS: i64 = 60;
pub const DAILY_LIMIT: i64 = 10;
/// Messages a number receives in an hour for one purpose and account at the most, from all
/// requesters together.
pub const NUMBER_HOURLY_LIMIT: i64 = 20;

/// What a code is for: a code sent for one purpose is useless for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SmsPurpose {
    Register,
    ResetPassword,
    ChangePhone,
    /// 注销账户: to the bound phone of the signed-in account.
    CloseAccount,
}

impl SmsPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::ResetPassword => "reset_password",
            Self::ChangePhone => "change_phone",
            Self::CloseAccount => "close_account",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "register" => Some(Self::Register),
            "reset_password" => Some(Self::ResetPassword),
            "change_phone" => Some(Self::ChangePhone),
            "close_account" => Some(Self::CloseAccount),
            _ => None,
        }
    }

    /// The message text, as the citizen receives it, in the language of the page that asked.
    pub fn message(self, code: &str, lang: crate::platform::lang::Lang) -> String {
        use crate::platform::lang::Lang;
        match lang {
            Lang::Zh => {
                let action = match self {
                    Self::Register => "注册账户",
                    Self::ResetPassword => "找回密码",
                    Self::ChangePhone => "更换绑定手机号",
                    Self::CloseAccount => "注销账户",
                };
                format!(
                    "【住建部政务服务】您正在{action},验证码为 {code},5分钟内有效。如非本人操作,请忽略本短信;请勿将验证码告知他人。"
                )
            }
            Lang::En => {
                let action = match self {
                    Self::Register => "create your account",
                    Self::ResetPassword => "reset your password",
                    Self::ChangePhone => "change your mobile number",
                    Self::CloseAccount => "close your account",
                };
                format!(
                    "【住建部政务服务】Your code to {action} is {code}. It expires in 5 minutes. If you did not ask for it, ignore this message. Never share the code."
                )
            }
        }
    }
}

/// The answer to 获取验证码.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsSent {
    pub phone_masked: String,
    /// Seconds before 获取验证码 may be pressed again.
    pub resend_after: i64,
    /// 验证码凭据: sent back with the code; a code is accepted only with the ticket of the
    /// request that asked for it.
    pub ticket: String,
}

/// Why a code could not be sent or was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsCodeError {
    /// Asked again within 60 s; seconds left.
    TooSoon(i64),
    DailyLimit,
    /// The number received [`NUMBER_HOURLY_LIMIT`] messages in the last hour.
    NumberBusy,
    /// No code was sent for this number and purpose (or it was used).
    Missing,
    Expired,
    /// Wrong code; tries left.
    Wrong(i64),
    TooManyTries,
    /// [`repo::WRONG_CODES_PER_DAY`] wrong codes today for this number, purpose and account.
    TooManyToday,
}

impl std::fmt::Display for SmsCodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooSoon(s) => write!(f, "验证码发送过于频繁,请在{s}秒后重新获取"),
            Self::DailyLimit => f.write_str("该手机号今日获取验证码次数已达上限(10次),请明天再试"),
            Self::NumberBusy => f.write_str("该手机号接收验证码过于频繁,请1小时后再试"),
            Self::Missing => f.write_str("请先点击【获取验证码】,并输入短信中的6位验证码"),
            Self::Expired => f.write_str("验证码已过期(有效期5分钟),请重新获取"),
            Self::Wrong(left) => write!(f, "验证码不正确,还可尝试{left}次"),
            Self::TooManyTries => f.write_str("验证码错误次数过多,已失效,请重新获取"),
            Self::TooManyToday => f.write_str("今日验证码错误次数过多,请明天再试"),
        }
    }
}

impl SmsCodeError {
    /// The message in English (`Display` is the Chinese).
    pub fn english(self) -> String {
        match self {
            Self::TooSoon(s) => {
                format!("You asked for a code too recently: ask again in {s} seconds")
            }
            Self::DailyLimit => {
                "This number has had today's limit of codes (10): try again tomorrow".into()
            }
            Self::NumberBusy => {
                "This number has been sent too many codes: try again in an hour".into()
            }
            Self::Missing => {
                "Select 'Send code' first, then enter the 6-digit code from the text message".into()
            }
            Self::Expired => {
                "The code has expired (codes last 5 minutes): ask for a new one".into()
            }
            Self::Wrong(left) => format!(
                "The code is wrong: you can try {left} more {}",
                if left == 1 { "time" } else { "times" }
            ),
            Self::TooManyTries => {
                "Too many wrong tries: this code no longer works. Ask for a new one".into()
            }
            Self::TooManyToday => "Too many wrong codes today: try again tomorrow".into(),
        }
    }
}

impl From<SmsCodeError> for crate::platform::error::Message {
    fn from(error: SmsCodeError) -> Self {
        Self::new(error.to_string(), error.english())
    }
}

/// Whether `input` has the shape of a code (6 digits) — checked before any lookup.
pub fn is_code_shaped(input: &str) -> bool {
    input.len() == 6 && input.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::*;
    use sha2::{Digest, Sha256};
    use sqlx::{AnyPool, Row};

    /// A uniformly random six-digit code.
    pub fn new_code() -> String {
        format!("{:06}", rand::random_range(0..1_000_000u32))
    }

    /// Keyed digest of a code for one phone and purpose: the table alone cannot reveal it.
    pub fn code_hash(key: &[u8], phone: &str, purpose: SmsPurpose, code: &str) -> String {
        let mut h = Sha256::new();
        h.update(key);
        h.update([0u8]);
        h.update(phone.as_bytes());
        h.update([0u8]);
        h.update(purpose.as_str().as_bytes());
        h.update([0u8]);
        h.update(code.as_bytes());
        crate::platform::ids::hex(&h.finalize())
    }

    /// Who asked for a code, for the limits: the number, the purpose, the account it was asked
    /// for (password recovery, phone change) and the requesting client's address.
    pub struct Requester<'a> {
        pub phone: &'a str,
        pub purpose: SmsPurpose,
        /// The login key a code was asked for; empty for registration.
        pub subject: &'a str,
        pub client: &'a str,
    }

    /// Takes the requester's resend and daily slots, atomically: 60 s between two requests of
    /// one client for one number, purpose and account; at most [`DAILY_LIMIT`] a day. They are
    /// the requester's own: a stranger's requests never use up the owner's.
    pub async fn take_send_slot(
        db: &AnyPool,
        who: &Requester<'_>,
        now: i64,
    ) -> Result<Result<(), SmsCodeError>, sqlx::Error> {
        use crate::platform::counters::{repo as counters, scopes};
        let key = requester_key(who);
        let resend = counters::take(db, scopes::SMS_RESEND, &key, RESEND_SECONDS, now).await?;
        if !resend.within(1) {
            return Ok(Err(SmsCodeError::TooSoon(
                resend.seconds_left(RESEND_SECONDS, now),
            )));
        }
        let day = counters::take(db, scopes::SMS_DAY, &key, 86_400, now).await?;
        if !day.within(DAILY_LIMIT) {
            counters::give_back(db, scopes::SMS_RESEND, &key).await?;
            return Ok(Err(SmsCodeError::DailyLimit));
        }
        Ok(Ok(()))
    }

    /// The key of a requester's resend and daily slots.
    fn requester_key(who: &Requester<'_>) -> String {
        format!(
            "{}:{}:{}:{}",
            who.phone,
            who.purpose.as_str(),
            who.subject,
            who.client
        )
    }

    /// Undoes a request whose message the carrier did not send: its code is deleted and the
    /// requester's resend and daily slots are given back, so the citizen may ask again at once
    /// (the number's hourly ceiling keeps its count: it bounds what the carrier is asked).
    pub async fn withdraw(
        db: &AnyPool,
        who: &Requester<'_>,
        ticket: &str,
    ) -> Result<(), sqlx::Error> {
        use crate::platform::counters::{repo as counters, scopes};
        sqlx::query("DELETE FROM sms_codes WHERE ticket_hash = $1")
            .bind(ticket_hash(ticket))
            .execute(db)
            .await?;
        let key = requester_key(who);
        counters::give_back(db, scopes::SMS_RESEND, &key).await?;
        counters::give_back(db, scopes::SMS_DAY, &key).await
    }

    /// Takes a slot of the number's hourly ceiling for one purpose and account (registration:
    /// the number alone): it bounds what any number of requesters together can have sent to one
    /// phone, without one purpose's traffic (anonymous registration requests) using up
    /// another's (the owner's recovery).
    pub async fn take_number_slot(
        db: &AnyPool,
        who: &Requester<'_>,
        now: i64,
    ) -> Result<Result<(), SmsCodeError>, sqlx::Error> {
        use crate::platform::counters::{repo as counters, scopes};
        let key = format!("{}:{}:{}", who.phone, who.purpose.as_str(), who.subject);
        let slot = counters::take(db, scopes::SMS_NUMBER, &key, 3600, now).await?;
        Ok(if slot.within(NUMBER_HOURLY_LIMIT) {
            Ok(())
        } else {
            Err(SmsCodeError::NumberBusy)
        })
    }

    /// Wrong codes tried in a day for one number, purpose and account, over all requesters'
    /// tickets together: however many codes are asked for, an account's code cannot be
    /// guessed in parallel.
    pub const WRONG_CODES_PER_DAY: i64 = 10;

    /// A new 验证码凭据 and the digest it is stored as.
    pub fn new_ticket() -> (String, String) {
        let ticket = crate::platform::ids::random_hex::<16>();
        let hash = ticket_hash(&ticket);
        (ticket, hash)
    }

    fn ticket_hash(ticket: &str) -> String {
        crate::platform::ids::sha256_hex(ticket)
    }

    /// What a code is bound to: the number, the purpose, the account (recovery and phone
    /// change; empty otherwise) and the requester's ticket.
    pub struct Binding<'a> {
        pub phone: &'a str,
        pub purpose: SmsPurpose,
        pub subject: &'a str,
        pub ticket: &'a str,
    }

    /// Stores a new code for `binding` (the ticket's digest, never the ticket); the caller has
    /// taken the send slot and sends the code once this succeeds.
    pub async fn store(
        db: &AnyPool,
        key: &[u8],
        binding: &Binding<'_>,
        code: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO sms_codes (phone, purpose, code_hash, created_at, expires_at, \
             attempts_left, consumed, ticket_hash, subject) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)",
        )
        .bind(binding.phone)
        .bind(binding.purpose.as_str())
        .bind(code_hash(key, binding.phone, binding.purpose, code))
        .bind(now)
        .bind(now + CODE_TTL_SECONDS)
        .bind(MAX_TRIES)
        .bind(ticket_hash(binding.ticket))
        .bind(binding.subject)
        .execute(db)
        .await?;
        Ok(())
    }

    /// Checks a code for `binding` and, when right, uses it up. A wrong code costs one try of
    /// that requester's code only; without the ticket there is no code to try.
    pub async fn redeem(
        db: &AnyPool,
        key: &[u8],
        binding: &Binding<'_>,
        code: &str,
        now: i64,
    ) -> Result<Result<(), SmsCodeError>, sqlx::Error> {
        let (phone, purpose) = (binding.phone, binding.purpose);
        if binding.ticket.is_empty() {
            return Ok(Err(SmsCodeError::Missing));
        }
        let Some(row) = sqlx::query(
            "SELECT id, code_hash, expires_at, attempts_left FROM sms_codes \
             WHERE ticket_hash = $1 AND phone = $2 AND purpose = $3 AND subject = $4 \
             AND consumed = 0",
        )
        .bind(ticket_hash(binding.ticket))
        .bind(phone)
        .bind(purpose.as_str())
        .bind(binding.subject)
        .fetch_optional(db)
        .await?
        else {
            return Ok(Err(SmsCodeError::Missing));
        };
        let id: i64 = row.try_get("id")?;
        let attempts_left: i64 = row.try_get("attempts_left")?;
        if row.try_get::<i64, _>("expires_at")? <= now {
            return Ok(Err(SmsCodeError::Expired));
        }
        if attempts_left <= 0 {
            return Ok(Err(SmsCodeError::TooManyTries));
        }
        use crate::platform::counters::{repo as counters, scopes};
        let guard_key = format!("{phone}:{}:{}", purpose.as_str(), binding.subject);
        let stored: String = row.try_get("code_hash")?;
        let right = is_code_shaped(code) && stored == code_hash(key, phone, purpose, code);
        if !right {
            let wrong = counters::take(db, scopes::SMS_WRONG, &guard_key, 86_400, now).await?;
            if !wrong.within(WRONG_CODES_PER_DAY) {
                return Ok(Err(SmsCodeError::TooManyToday));
            }
        }
        if right {
            // Only one request can use a code, even if two arrive at once.
            let used =
                sqlx::query("UPDATE sms_codes SET consumed = 1 WHERE id = $1 AND consumed = 0")
                    .bind(id)
                    .execute(db)
                    .await?
                    .rows_affected();
            return Ok(if used == 1 {
                Ok(())
            } else {
                Err(SmsCodeError::Missing)
            });
        }
        sqlx::query("UPDATE sms_codes SET attempts_left = attempts_left - 1 WHERE id = $1")
            .bind(id)
            .execute(db)
            .await?;
        let left = attempts_left - 1;
        Ok(Err(if left <= 0 {
            SmsCodeError::TooManyTries
        } else {
            SmsCodeError::Wrong(left)
        }))
    }

    /// One message as the development outbox shows it.
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct OutboxMessage {
        pub phone: String,
        pub text: String,
        /// RFC 3339, UTC.
        pub sent_at: String,
    }

    pub async fn outbox_push(
        db: &AnyPool,
        phone: &str,
        text: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO sms_outbox (phone, text, sent_at) VALUES ($1, $2, $3)")
            .bind(phone)
            .bind(text)
            .bind(now)
            .execute(db)
            .await?;
        Ok(())
    }

    /// The newest messages first, for one phone or all.
    pub async fn outbox_list(
        db: &AnyPool,
        phone: Option<&str>,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT phone, text, sent_at FROM sms_outbox WHERE ($1 = '' OR phone = $1) \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(phone.unwrap_or(""))
        .bind(limit)
        .fetch_all(db)
        .await?;
        rows.iter()
            .map(|row| {
                let at: i64 = row.try_get("sent_at")?;
                let (y, m, d) = crate::domain::time::civil_from_days(at.div_euclid(86_400));
                let s = at.rem_euclid(86_400);
                Ok(OutboxMessage {
                    phone: row.try_get("phone")?,
                    text: row.try_get("text")?,
                    sent_at: format!(
                        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
                        s / 3600,
                        s % 3600 / 60,
                        s % 60
                    ),
                })
            })
            .collect()
    }
}
