//! 个人信息导出 (PIPL Art. 45): everything the portal holds about the signed-in person, as a
//! readable page (`/user/data`) and as a JSON file (`GET /user/data.json`). Both need a
//! sign-in within the last [`FRESH_SECONDS`] (a session left open is not enough), at most
//! [`PER_DAY`] exports a day, and each is written to the 安全记录.
//!
//! The portal never stores a full identity document number (only a masked copy and a keyed
//! digest), so the export shows the masked number; it says so.

use crate::platform::error::AppError;
use serde::{Deserialize, Serialize};

/// A sign-in at most this old allows an export.
pub const FRESH_SECONDS: i64 = 10 * 60;
/// Exports an account may make a day.
pub const PER_DAY: i64 = 5;

/// Why an export waits for the password again.
pub const NOT_FRESH: crate::platform::lang::Text = crate::platform::lang::Text::new(
    "为保护您的个人信息,导出前请再次输入登录密码:仅在登录后 10 分钟内可以导出。",
    "To protect your information, enter your password again first: you can export it only within 10 minutes of signing in.",
);

/// What the portal holds about one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalData {
    /// When it was made (北京时间).
    pub made_at: String,
    pub account: AccountData,
    /// 安全记录, newest first.
    pub security_log: Vec<crate::accounts::SecurityEvent>,
    /// 用证记录: who checked the person's certificates.
    pub uses: Vec<UseData>,
    /// 授权用证.
    pub grants: Vec<GrantData>,
    /// 导出的可验证凭证.
    pub credentials: Vec<CredentialData>,
    /// 加注 copies made.
    pub copies: Vec<CopyData>,
    /// The registry's entries bound to the person's document.
    pub registrations: Vec<RegistrationData>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountData {
    pub kind: String,
    pub name: String,
    pub id_kind: String,
    /// Masked: the full number is not stored.
    pub id_number_masked: String,
    pub org_name: Option<String>,
    pub credit_code: Option<String>,
    pub phone: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UseData {
    pub at: String,
    pub certificate: String,
    pub kind: String,
    pub subject: String,
    pub organisation: String,
    pub ip_masked: String,
    pub browser: String,
    pub repeats: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantData {
    pub certificate: String,
    pub org_name: String,
    pub org_code: String,
    pub purpose: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialData {
    pub id: String,
    pub certificate: String,
    pub disclosed: String,
    pub issued_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyData {
    pub certificate: String,
    pub copy_no: String,
    pub purpose: String,
    pub valid_until: String,
    pub made_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationData {
    pub category: String,
    pub registration_no: String,
    pub employer: String,
    pub valid_until: String,
}

/// The signed-in person's data, for the page. Logged in 安全记录 like the file.
#[leptos::server(input = leptos::server_fn::codec::GetUrl, endpoint = "my_data")]
pub async fn my_data() -> Result<PersonalData, AppError> {
    crate::platform::caller::serve_signed_in(|caller, signed| async move {
        ssr::export(&caller, &signed).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::domain::time::format_beijing_second as at;
    use crate::platform::caller::{Caller, SignedIn};
    use crate::platform::lang::Text;
    use sqlx::{AnyPool, Row};

    pub const TOO_MANY: Text = Text::new(
        "今日导出次数已达上限(5 次),请明天再试。",
        "You have exported your information 5 times today: try again tomorrow.",
    );

    /// Checks the account (a person's: an enterprise account's representative is a person of
    /// their own), the sign-in's age and the day's count (taken atomically before anything is
    /// gathered), logs the export, and gathers the data.
    pub async fn export(caller: &Caller, signed: &SignedIn) -> Result<PersonalData, AppError> {
        use crate::platform::counters::{repo as counters, scopes};
        signed.require_person()?;
        let now = caller.clock.now();
        if now - signed.session.created_at > FRESH_SECONDS {
            return Err(AppError::refused(super::NOT_FRESH));
        }
        let today = counters::take(
            &caller.db,
            scopes::DATA_EXPORT,
            &signed.account.id.to_string(),
            86_400,
            now,
        )
        .await?;
        if !today.within(PER_DAY) {
            return Err(AppError::refused(TOO_MANY));
        }
        let data = gather(&caller.db, signed, now).await?;
        caller
            .audit(
                Some(signed.account.id),
                crate::platform::audit::DATA_EXPORTED,
                "导出个人信息",
            )
            .await;
        Ok(data)
    }

    fn when(t: i64) -> Option<String> {
        (t > 0).then(|| at(t))
    }

    /// Everything held about the account's person at `now`.
    pub async fn gather(
        db: &AnyPool,
        signed: &SignedIn,
        now: i64,
    ) -> Result<PersonalData, sqlx::Error> {
        let a = &signed.account;
        let created: i64 = sqlx::query_scalar("SELECT created_at FROM accounts WHERE id = $1")
            .bind(a.id)
            .fetch_one(db)
            .await?;
        let account = AccountData {
            kind: a.kind.label().to_string(),
            name: a.name.clone(),
            id_kind: a.id_kind.label().to_string(),
            id_number_masked: a.id_number_masked.clone(),
            org_name: a.org_name.clone(),
            credit_code: a.credit_code.clone(),
            phone: a.phone.clone(),
            created_at: at(created),
        };
        let security_log = crate::accounts::repo::recent_events(db, a.id, 100_000).await?;
        // The person's certificates: those of the registrations bound to their document.
        let mine = "SELECT c.id FROM certificates c JOIN registrations r ON r.id = c.registration_id \
                    JOIN persons p ON p.id = r.person_id WHERE p.id_number_digest = $1";
        let uses = sqlx::query(&format!(
            "SELECT u.created_at, c.title, u.kind, u.subject, u.organisation, u.ip_masked, \
             u.browser, u.repeats FROM certificate_uses u JOIN certificates c ON c.id = u.certificate_id \
             WHERE u.certificate_id IN ({mine}) ORDER BY u.id DESC"
        ))
        .bind(&a.person_digest)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| {
            Ok(UseData {
                at: at(r.try_get(0)?),
                certificate: r.try_get(1)?,
                kind: r.try_get(2)?,
                subject: r.try_get(3)?,
                organisation: r.try_get(4)?,
                ip_masked: r.try_get(5)?,
                browser: r.try_get(6)?,
                repeats: r.try_get(7)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
        let grants = sqlx::query(
            "SELECT c.title, g.org_name, g.org_code, g.purpose, g.created_at, g.expires_at, \
             g.revoked_at FROM grants g JOIN certificates c ON c.id = g.certificate_id \
             WHERE g.account_id = $1 ORDER BY g.id DESC",
        )
        .bind(a.id)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| {
            Ok(GrantData {
                certificate: r.try_get(0)?,
                org_name: r.try_get(1)?,
                org_code: r.try_get(2)?,
                purpose: r.try_get(3)?,
                created_at: at(r.try_get(4)?),
                expires_at: at(r.try_get(5)?),
                revoked_at: when(r.try_get(6)?),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
        let credentials = sqlx::query(
            "SELECT v.public_id, c.title, v.disclosed, v.issued_at, v.expires_at, v.revoked_at \
             FROM vc_credentials v JOIN certificates c ON c.id = v.certificate_id \
             WHERE v.account_id = $1 ORDER BY v.id DESC",
        )
        .bind(a.id)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| {
            Ok(CredentialData {
                id: r.try_get(0)?,
                certificate: r.try_get(1)?,
                disclosed: r.try_get(2)?,
                issued_at: at(r.try_get(3)?),
                expires_at: at(r.try_get(4)?),
                revoked_at: when(r.try_get(5)?),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
        let copies = sqlx::query(
            "SELECT c.title, n.copy_no, n.purpose, n.valid_until, n.created_at FROM annotations n \
             JOIN certificates c ON c.id = n.certificate_id WHERE n.account_id = $1 ORDER BY n.id DESC",
        )
        .bind(a.id)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| {
            Ok(CopyData {
                certificate: r.try_get(0)?,
                copy_no: r.try_get(1)?,
                purpose: r.try_get(2)?,
                valid_until: r.try_get(3)?,
                made_at: at(r.try_get(4)?),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
        let registrations = sqlx::query(
            "SELECT r.category, r.registration_no, r.employer, r.valid_until FROM registrations r \
             JOIN persons p ON p.id = r.person_id WHERE p.id_number_digest = $1 ORDER BY r.id",
        )
        .bind(&a.person_digest)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| {
            Ok(RegistrationData {
                category: r.try_get(0)?,
                registration_no: r.try_get(1)?,
                employer: r.try_get(2)?,
                valid_until: r.try_get(3)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
        Ok(PersonalData {
            made_at: at(now),
            account,
            security_log,
            uses,
            grants,
            credentials,
            copies,
            registrations,
        })
    }

    /// `GET /user/data.json`: the same data as a file to keep.
    pub async fn download(
        axum::extract::State(state): axum::extract::State<crate::platform::state::AppState>,
        parts: http::request::Parts,
    ) -> axum::response::Response {
        use axum::response::IntoResponse;
        use http::header;
        // Only the portal's own pages start a download: a page elsewhere cannot spend the
        // day's exports (browsers say where a request comes from).
        if parts
            .headers
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() == b"cross-site")
        {
            return (http::StatusCode::FORBIDDEN, "跨站请求已拒绝").into_response();
        }
        let caller = Caller::from_parts(state, &parts);
        let signed = match caller.require_signed_in().await {
            Ok(s) => s,
            Err(e) => return crate::platform::error::plain_error(&e),
        };
        match export(&caller, &signed).await {
            Ok(data) => {
                let body = serde_json::to_string_pretty(&data).unwrap_or_default();
                (
                    [
                        (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                        (
                            header::CONTENT_DISPOSITION,
                            "attachment; filename=\"personal-data.json\"",
                        ),
                        (header::CACHE_CONTROL, "no-store"),
                    ],
                    body,
                )
                    .into_response()
            }
            Err(e) => crate::platform::error::plain_error(&e),
        }
    }
}
