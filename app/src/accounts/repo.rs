use super::*;
use crate::domain::account::{AccountKind, AccountStatus};
use crate::domain::browser::browser_label;
use crate::domain::mask::mask_phone;
use crate::platform::account::{AccountRow, COLUMNS, account_from};
use sqlx::{AnyPool, Row};

/// A new account, validated by the caller.
pub struct NewAccount<'a> {
    pub kind: AccountKind,
    pub status: AccountStatus,
    pub login_key: &'a str,
    pub person_digest: &'a str,
    pub name: &'a str,
    pub id_number_masked: &'a str,
    pub id_kind: crate::domain::DocumentKind,
    /// A passport's issuing country; empty for the other kinds.
    pub id_country: &'a str,
    pub org_name: Option<&'a str>,
    pub credit_code: Option<&'a str>,
    pub phone: &'a str,
    pub password_hash: &'a str,
}

#[derive(Debug, PartialEq, Eq)]
pub enum CreateError {
    /// An account with this ID number / credit code exists.
    Duplicate,
    /// The phone belongs to an account of another natural person.
    PhoneTaken,
    Db(String),
}

impl From<sqlx::Error> for CreateError {
    fn from(e: sqlx::Error) -> Self {
        Self::Db(e.to_string())
    }
}

/// The login key of a personal account: `P:` and the keyed digest of the ID number.
pub fn person_login_key(id_digest: &str) -> String {
    format!("P:{id_digest}")
}

/// The login key of an enterprise account: `E:` and the credit code.
pub fn enterprise_login_key(credit_code: &str) -> String {
    format!("E:{credit_code}")
}

/// What the account's owner sees in 账户设置.
impl AccountRow {
    pub fn settings(&self) -> AccountSettings {
        AccountSettings {
            kind: self.kind,
            name_masked: crate::domain::mask::mask_name(&self.name),
            id_number_masked: self.id_number_masked.clone(),
            id_kind: self.id_kind,
            org_name: self.org_name.clone(),
            credit_code: self.credit_code.clone(),
            phone_masked: mask_phone(&self.phone),
        }
    }
}

pub async fn by_login_key(db: &AnyPool, key: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM accounts WHERE login_key = $1"
    ))
    .bind(key)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(account_from).transpose()
}

pub async fn login_key_exists(db: &AnyPool, key: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM accounts WHERE login_key = $1")
        .bind(key)
        .fetch_one(db)
        .await?
        .try_get(0)?;
    Ok(n > 0)
}

/// Whether `phone` is bound to an account of a natural person other than `person_digest`
/// (当前手机号已被其他人员绑定). A person's own personal and enterprise accounts may share it.
pub async fn phone_bound_to_other(
    db: &AnyPool,
    phone: &str,
    person_digest: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query("SELECT COUNT(*) FROM accounts WHERE phone = $1 AND person_digest <> $2")
            .bind(phone)
            .bind(person_digest)
            .fetch_one(db)
            .await?
            .try_get(0)?;
    Ok(n > 0)
}

/// Creates an account; the duplicate and phone rules are checked inside the transaction,
/// and a concurrent insert of the same identifier is caught by the unique index.
pub async fn create(db: &AnyPool, new: &NewAccount<'_>, now: i64) -> Result<i64, CreateError> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    let exists: i64 = sqlx::query("SELECT COUNT(*) FROM accounts WHERE login_key = $1")
        .bind(new.login_key)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    if exists > 0 {
        return Err(CreateError::Duplicate);
    }
    let taken: i64 =
        sqlx::query("SELECT COUNT(*) FROM accounts WHERE phone = $1 AND person_digest <> $2")
            .bind(new.phone)
            .bind(new.person_digest)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
    if taken > 0 {
        return Err(CreateError::PhoneTaken);
    }
    let inserted = sqlx::query(
        "INSERT INTO accounts (public_id, kind, login_key, person_digest, name, \
         id_number_masked, org_name, credit_code, phone, password_hash, created_at, \
         password_changed_at, status, id_kind, id_country) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14) RETURNING id",
    )
    .bind(crate::platform::ids::new_public_id())
    .bind(new.kind.as_str())
    .bind(new.login_key)
    .bind(new.person_digest)
    .bind(new.name)
    .bind(new.id_number_masked)
    .bind(new.org_name)
    .bind(new.credit_code)
    .bind(new.phone)
    .bind(new.password_hash)
    .bind(now)
    .bind(new.status.as_str())
    .bind(new.id_kind.code())
    .bind(new.id_country)
    .fetch_one(&mut *tx)
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.try_get(0)?,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(CreateError::Duplicate);
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    Ok(id)
}

/// The pending enterprise accounts that name `person_digest` as legal representative.
pub async fn pending_enterprises_of(
    db: &AnyPool,
    person_digest: &str,
) -> Result<Vec<PendingEnterprise>, sqlx::Error> {
    enterprises_of(db, person_digest, "pending").await
}

/// The enterprise accounts in `status` that name `person_digest` as legal representative.
pub async fn enterprises_of(
    db: &AnyPool,
    person_digest: &str,
    status: &str,
) -> Result<Vec<PendingEnterprise>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT public_id, org_name, credit_code, created_at, phone FROM accounts \
         WHERE kind = 'enterprise' AND status = $2 AND person_digest = $1 \
         ORDER BY id",
    )
    .bind(person_digest)
    .bind(status)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            let phone: String = row.try_get("phone")?;
            Ok(PendingEnterprise {
                account_id: row.try_get("public_id")?,
                org_name: row
                    .try_get::<Option<String>, _>("org_name")?
                    .unwrap_or_default(),
                credit_code: row
                    .try_get::<Option<String>, _>("credit_code")?
                    .unwrap_or_default(),
                registered_at: crate::domain::time::format_beijing_minute(
                    row.try_get("created_at")?,
                ),
                phone_masked: mask_phone(&phone),
            })
        })
        .collect()
}

/// 确认法人账户: activates the pending enterprise account `public_id` if it names
/// `person_digest` as legal representative. Returns the account's id and name, or `None`
/// (not found, not theirs, or already confirmed: the same answer).
pub async fn confirm_enterprise<'e>(
    db: impl sqlx::any::AnyExecutor<'e>,
    public_id: &str,
    person_digest: &str,
    confirmed_by: i64,
    now: i64,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE accounts SET status = 'active', confirmed_by = $1, confirmed_at = $2 \
         WHERE public_id = $3 AND kind = 'enterprise' AND status = 'pending' \
         AND person_digest = $4 RETURNING id, org_name",
    )
    .bind(confirmed_by)
    .bind(now)
    .bind(public_id)
    .bind(person_digest)
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        Ok((
            r.try_get("id")?,
            r.try_get::<Option<String>, _>("org_name")?
                .unwrap_or_default(),
        ))
    })
    .transpose()
}

/// How long an enterprise claim may wait for its legal representative: after that it
/// lapses, and the credit code may be claimed again.
pub const PENDING_CLAIM_SECONDS: i64 = 7 * 86_400;

/// Deletes the claim on `login_key` if it is still pending after
/// [`PENDING_CLAIM_SECONDS`]. Returns whether one lapsed.
pub async fn lapse_pending_claim(
    db: &AnyPool,
    login_key: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let deleted = sqlx::query(
        "DELETE FROM accounts WHERE login_key = $1 AND kind = 'enterprise' \
         AND status = 'pending' AND created_at <= $2",
    )
    .bind(login_key)
    .bind(now - PENDING_CLAIM_SECONDS)
    .execute(db)
    .await?
    .rows_affected();
    Ok(deleted > 0)
}

/// 拒绝: the legal representative says the pending enterprise account `public_id` is not
/// their enterprise's; it is deleted (with its sessions), so the enterprise can register.
/// Returns the enterprise's name, or `None` as [`confirm_enterprise`] does.
pub async fn reject_enterprise<'e>(
    db: impl sqlx::any::AnyExecutor<'e>,
    public_id: &str,
    person_digest: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query(
        "DELETE FROM accounts WHERE public_id = $1 AND kind = 'enterprise' \
         AND status = 'pending' AND person_digest = $2 RETURNING org_name",
    )
    .bind(public_id)
    .bind(person_digest)
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        Ok(r.try_get::<Option<String>, _>("org_name")?
            .unwrap_or_default())
    })
    .transpose()
}

pub async fn set_phone<'e>(
    db: impl sqlx::any::AnyExecutor<'e>,
    id: i64,
    phone: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET phone = $1 WHERE id = $2")
        .bind(phone)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// A new password, and every session of the account but `keep` ended, in the caller's
/// transaction (with its 安全记录 entry): a request cut short (a timeout, a lost database)
/// never leaves the new password with a stolen session still alive, or unrecorded.
pub async fn set_password_ending_sessions(
    tx: &mut sqlx::AnyConnection,
    id: i64,
    hash: &str,
    now: i64,
    keep: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2")
        .bind(id)
        .bind(keep.unwrap_or(""))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Failures in a row before an identifier is locked.
pub const MAX_FAILURES: i64 = 5;
/// How long a lock lasts.
pub const LOCK_SECONDS: i64 = 30 * 60;

/// The account's own most recent audit events, newest first.
pub async fn recent_events(
    db: &AnyPool,
    account_id: i64,
    limit: i64,
) -> Result<Vec<SecurityEvent>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT kind, detail, ip, user_agent, created_at FROM audit_events \
         WHERE account_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(account_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            let ua: String = row.try_get("user_agent")?;
            let label = crate::platform::audit::label(&kind);
            Ok(SecurityEvent {
                at: crate::domain::time::format_beijing_second(row.try_get("created_at")?),
                label: label.zh.to_string(),
                label_en: label.en.to_string(),
                detail: row.try_get("detail")?,
                ip: row.try_get("ip")?,
                browser: browser_label(&ua),
            })
        })
        .collect()
}

/// Audit events of one kind for an account (tests and operators).
pub async fn count_events(db: &AnyPool, account_id: i64, kind: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM audit_events WHERE account_id = $1 AND kind = $2")
        .bind(account_id)
        .bind(kind)
        .fetch_one(db)
        .await?
        .try_get(0)
}
