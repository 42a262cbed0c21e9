//! 人脸识别认证 tickets: what the desktop page and the mini-program see of them, and their SQL.

use crate::face_check::rules::FaceState;
use serde::{Deserialize, Serialize};

/// A new QR code for the desktop page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaceTicketView {
    /// What the desktop listens on and polls (not the QR's token).
    pub ticket_id: String,
    /// The QR code as SVG markup, drawn on the server.
    pub qr_svg: String,
    /// The address the QR encodes (the mini-program opens it).
    pub scan_url: String,
    pub status: FaceTicketStatus,
    /// Set when the face provider cannot check the account's kind of document: what to do
    /// instead (协助核验) …
    #[serde(default)]
    pub assisted_only: Option<String>,
    /// … and the same in English.
    #[serde(default)]
    pub assisted_only_en: Option<String>,
}

/// A ticket's state as the desktop shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaceTicketStatus {
    pub state: FaceState,
    /// Why it failed, in words for the citizen ("" otherwise; Chinese) …
    pub message: String,
    /// … and the stored reason ([`failures`]), which the page words in its own language.
    #[serde(default)]
    pub failure: String,
    pub seconds_left: i64,
}

/// What the phone shows before 【下一步】: which desktop request it approves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneTicketInfo {
    pub state: FaceState,
    /// `2026-11-28 21:05:09` (北京时间)
    pub requested_at: String,
    pub browser: String,
    pub ip: String,
    pub seconds_left: i64,
    /// The request is this phone's own (亮证 on the phone), not a desktop's.
    pub own_device: bool,
    /// The account's 证件类型: the face step asks for that document's number.
    pub id_kind: crate::domain::DocumentKind,
}

/// How a face check ended, for the page the provider sends the phone back to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaceReturn {
    pub passed: bool,
    /// The request is this phone's own (亮证), not a desktop's.
    pub own_device: bool,
    /// Why it failed, in words for the citizen ("" when it passed; Chinese) …
    pub message: String,
    /// … and the stored reason ([`failures`]), which the page words in its own language.
    #[serde(default)]
    pub failure: String,
}

/// Failure reasons as stored, and their words.
pub mod api;
pub mod assisted;
#[cfg(feature = "ssr")]
pub mod events;
pub mod pages;
pub mod rules;
pub mod text;

pub mod failures {
    pub const DENIED: &str = "denied";
    pub const WRONG_PERSON: &str = "wrong_person";
    pub const FACE_MISMATCH: &str = "face_mismatch";
    /// The provider could not be reached: the check fails, it never passes.
    pub const PROVIDER_UNAVAILABLE: &str = "provider_unavailable";
    /// The phone came back naming another check than the one this ticket started.
    pub const OTHER_CHECK: &str = "other_check";
    /// The provider checked someone other than the account's person.
    pub const OTHER_PERSON_CHECKED: &str = "other_person_checked";

    pub fn message(code: &str) -> &'static str {
        match code {
            DENIED => "您在手机上拒绝了人脸识别授权,请刷新二维码后重试",
            WRONG_PERSON => {
                "手机小程序登录的账户与电脑端登录的账户不是同一人,请使用本人账户登录小程序后重新扫码"
            }
            FACE_MISMATCH => "人脸识别未通过,请刷新二维码后重试;请确保光线充足、正对手机",
            PROVIDER_UNAVAILABLE => "人脸识别服务暂时不可用,认证未通过,请稍后刷新二维码重试",
            OTHER_CHECK => "返回的认证结果不属于本次认证请求,认证未通过,请刷新二维码后重试",
            OTHER_PERSON_CHECKED => {
                "人脸识别核验的身份与本账户不一致,认证未通过,请使用本人身份证件重新认证"
            }
            "" => "",
            _ => "认证未完成,请刷新二维码后重试",
        }
    }

    /// The English of [`message`].
    pub fn english(code: &str) -> &'static str {
        match code {
            DENIED => "You denied the face check on your phone: get a new QR code and try again",
            WRONG_PERSON => {
                "The mini-program on the phone is signed in to another person's account: sign in to your own account and scan the QR code again"
            }
            FACE_MISMATCH => {
                "The face check was not passed: get a new QR code and try again, facing the phone in good light"
            }
            PROVIDER_UNAVAILABLE => {
                "The face check service is unavailable, so the check was not passed: get a new QR code and try again later"
            }
            OTHER_CHECK => {
                "The result that came back is not this check's, so the check was not passed: get a new QR code and try again"
            }
            OTHER_PERSON_CHECKED => {
                "The face check checked someone other than the account holder, so it was not passed: check again with your own identity document"
            }
            "" => "",
            _ => "The check did not finish: get a new QR code and try again",
        }
    }

    /// A failure's words in both languages.
    pub fn text(code: &str) -> crate::platform::lang::Text {
        crate::platform::lang::Text::new(message(code), english(code))
    }
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::*;
    use sqlx::{AnyPool, Row};

    /// A stored ticket.
    #[derive(Debug, Clone)]
    pub struct Ticket {
        pub id: i64,
        pub public_id: String,
        pub session_hash: String,
        pub account_id: i64,
        pub state: FaceState,
        pub failure: String,
        pub desktop_ip: String,
        pub desktop_browser: String,
        pub created_at: i64,
        pub expires_at: i64,
        /// The provider that started the check ("" before 【开始人脸识别】).
        pub provider: String,
        /// The provider's id of the check (BizToken, certify_id).
        pub provider_ref: String,
    }

    impl Ticket {
        pub fn status(&self, now: i64) -> FaceTicketStatus {
            FaceTicketStatus {
                state: self.state.at(now, self.expires_at),
                message: failures::message(&self.failure).to_string(),
                failure: self.failure.clone(),
                seconds_left: (self.expires_at - now).max(0),
            }
        }
    }

    const COLUMNS: &str = "id, public_id, session_hash, account_id, state, failure, desktop_ip, \
                           desktop_browser, created_at, expires_at, provider, provider_ref";

    fn ticket_from(row: &sqlx::any::AnyRow) -> Result<Ticket, sqlx::Error> {
        let state: String = row.try_get("state")?;
        Ok(Ticket {
            id: row.try_get("id")?,
            public_id: row.try_get("public_id")?,
            session_hash: row.try_get("session_hash")?,
            account_id: row.try_get("account_id")?,
            state: FaceState::parse(&state).unwrap_or(FaceState::Failed),
            failure: row.try_get("failure")?,
            desktop_ip: row.try_get("desktop_ip")?,
            desktop_browser: row.try_get("desktop_browser")?,
            created_at: row.try_get("created_at")?,
            expires_at: row.try_get("expires_at")?,
            provider: row.try_get("provider")?,
            provider_ref: row.try_get("provider_ref")?,
        })
    }

    pub struct NewTicket<'a> {
        pub token_hash: &'a str,
        pub public_id: &'a str,
        pub session_hash: &'a str,
        pub account_id: i64,
        pub desktop_ip: &'a str,
        pub desktop_browser: &'a str,
        pub now: i64,
        pub expires_at: i64,
    }

    /// Stores a new ticket; the session's earlier open tickets end (one QR at a time).
    pub async fn create(db: &AnyPool, new: &NewTicket<'_>) -> Result<(), sqlx::Error> {
        let mut tx = crate::platform::db::begin_write(db).await?;
        sqlx::query(
            "UPDATE face_tickets SET state = 'expired', updated_at = $1 \
             WHERE session_hash = $2 AND state IN ('waiting', 'scanned', 'verifying')",
        )
        .bind(new.now)
        .bind(new.session_hash)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO face_tickets (token_hash, public_id, session_hash, account_id, state, \
             failure, desktop_ip, desktop_browser, created_at, expires_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'waiting', '', $5, $6, $7, $8, $7)",
        )
        .bind(new.token_hash)
        .bind(new.public_id)
        .bind(new.session_hash)
        .bind(new.account_id)
        .bind(new.desktop_ip)
        .bind(new.desktop_browser)
        .bind(new.now)
        .bind(new.expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    pub async fn by_public_id(
        db: &AnyPool,
        public_id: &str,
    ) -> Result<Option<Ticket>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM face_tickets WHERE public_id = $1"
        ))
        .bind(public_id)
        .fetch_optional(db)
        .await?;
        row.as_ref().map(ticket_from).transpose()
    }

    pub async fn by_token_hash(db: &AnyPool, hash: &str) -> Result<Option<Ticket>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM face_tickets WHERE token_hash = $1"
        ))
        .bind(hash)
        .fetch_optional(db)
        .await?;
        row.as_ref().map(ticket_from).transpose()
    }

    /// Moves `ticket` to `to` if nobody moved it meanwhile — not its state, and not the check
    /// the provider started for it (a result of a replaced check moves nothing); false
    /// otherwise.
    pub async fn transition<'e>(
        db: impl sqlx::any::AnyExecutor<'e>,
        ticket: &Ticket,
        to: FaceState,
        failure: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let moved = sqlx::query(
            "UPDATE face_tickets SET state = $1, failure = $2, updated_at = $3 \
             WHERE id = $4 AND state = $5 AND provider_ref = $6",
        )
        .bind(to.as_str())
        .bind(failure)
        .bind(now)
        .bind(ticket.id)
        .bind(ticket.state.as_str())
        .bind(&ticket.provider_ref)
        .execute(db)
        .await?
        .rows_affected();
        Ok(moved == 1)
    }

    /// What `provider_ref` holds while a provider is being asked to start a check: the ticket
    /// is claimed before the (billed) call, so a request cut short during it, or a second
    /// start, can never begin a second check; a claimed ticket ends with its QR code.
    pub const STARTING: &str = "starting";

    /// Claims a ticket being verified for one provider check; false when it has one already.
    pub async fn claim_start(db: &AnyPool, id: i64, now: i64) -> Result<bool, sqlx::Error> {
        let moved = sqlx::query(
            "UPDATE face_tickets SET provider_ref = $1, updated_at = $2 \
             WHERE id = $3 AND state = 'verifying' AND expires_at > $2 AND provider_ref = ''",
        )
        .bind(STARTING)
        .bind(now)
        .bind(id)
        .execute(db)
        .await?
        .rows_affected();
        Ok(moved == 1)
    }

    /// Records the check a provider started for a ticket claimed for it ([`claim_start`]) and
    /// keeps the ticket open until `until`; false when the ticket is no longer being verified
    /// or already has a check (one start per ticket: a new QR code for another).
    pub async fn hand_off(
        db: &AnyPool,
        id: i64,
        provider: &str,
        reference: &str,
        until: i64,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let moved = sqlx::query(
            "UPDATE face_tickets SET provider = $1, provider_ref = $2, expires_at = $3, \
             updated_at = $4 WHERE id = $5 AND state = 'verifying' AND expires_at > $4 AND provider_ref = $6",
        )
        .bind(provider)
        .bind(reference)
        .bind(until)
        .bind(now)
        .bind(id)
        .bind(STARTING)
        .execute(db)
        .await?
        .rows_affected();
        Ok(moved == 1)
    }

    /// Marks the desktop session as face-checked now.
    pub async fn mark_session_verified<'e>(
        db: impl sqlx::any::AnyExecutor<'e>,
        session_hash: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE sessions SET face_verified_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(session_hash)
            .execute(db)
            .await?;
        Ok(())
    }

    /// Ends the open tickets of one desktop session now (the development aid
    /// `POST /dev/face-tickets/expire`); returns their public ids.
    pub async fn expire_open(
        db: &AnyPool,
        session_hash: &str,
        now: i64,
    ) -> Result<Vec<String>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT public_id FROM face_tickets \
             WHERE session_hash = $1 AND state IN ('waiting', 'scanned', 'verifying')",
        )
        .bind(session_hash)
        .fetch_all(db)
        .await?;
        sqlx::query(
            "UPDATE face_tickets SET expires_at = $2, updated_at = $2 \
             WHERE session_hash = $1 AND state IN ('waiting', 'scanned', 'verifying')",
        )
        .bind(session_hash)
        .bind(now)
        .execute(db)
        .await?;
        rows.iter().map(|r| r.try_get("public_id")).collect()
    }
}
