//! The end of 注销账户: when its cooling-off is over ([`super::retention::CLOSING`]), an
//! account is deleted. What the person gave and what the portal made for them goes: the
//! phone number, the password hash, the name and masked number, sessions, face-check tickets,
//! grants and showings, wallet offers, queued notices, and every exported credential, revoked
//! in its status list first so that a verifier sees it is no longer valid. What the law or
//! another's reliance keeps stays, keyed by a random tombstone id instead of the person: the
//! 安全记录 for its period, the copies already handed out until they expire (an organisation
//! relied on them), the credentials' status entries, and the registry's public entry, which
//! is the ministry's, not the account's.

use crate::platform::ports::sms::{SmsGateway, SmsMessage};
use sqlx::{AnyPool, Row};

/// The text of the SMS that tells the person it is done.
pub const DELETED_TEXT: &str = "【住建部政务服务】您的账户已按您的申请完成注销,个人信息已删除。已核发的证照副本在有效期内仍可核验。如非本人操作,请联系客服。";

/// Deletes every account whose closing was asked for before `asked_before`, telling each by
/// SMS first (best effort: the number is gone afterwards). Returns how many were deleted.
pub async fn finish_due(
    db: &AnyPool,
    sms: &dyn SmsGateway,
    asked_before: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let due = sqlx::query(
        "SELECT id, phone FROM accounts WHERE (status = 'closing' AND closing_at > 0 \
         AND closing_at <= $1) OR status = 'deleting' ORDER BY id",
    )
    .bind(asked_before)
    .fetch_all(db)
    .await?;
    let mut deleted = 0;
    for row in due {
        let id: i64 = row.try_get("id")?;
        let phone: String = row.try_get("phone")?;
        if !delete_account(db, id, asked_before, now).await? {
            continue;
        }
        deleted += 1;
        if let Ok(phone) = crate::domain::Phone::parse(&phone) {
            let message = SmsMessage::notice(DELETED_TEXT, "账户注销", "已完成");
            if let Err(e) = sms.send(&phone, &message).await {
                tracing::warn!(error = %e, "sms (account deleted) not sent");
            }
        }
    }
    Ok(deleted)
}

/// Deletes account `id` if it is still closing and was asked before `asked_before` (a
/// 撤销注销 before this wins; none after it can), or if a run claimed it and stopped. Returns
/// whether it did.
pub async fn delete_account(
    db: &AnyPool,
    id: i64,
    asked_before: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    // First the deletion is claimed ('deleting'): from then 撤销注销 cannot win, so nothing is
    // revoked for an account that stays. A run that stops after this is finished by the next.
    let claimed = sqlx::query(
        "UPDATE accounts SET status = 'deleting' WHERE id = $1 \
         AND ((status = 'closing' AND closing_at <= $2) OR status = 'deleting')",
    )
    .bind(id)
    .bind(asked_before)
    .execute(db)
    .await?;
    if claimed.rows_affected() != 1 {
        return Ok(false);
    }
    // The credentials, in their own transaction with their status lists: revoked even if what
    // follows were to fail.
    crate::credentials::vc::repo::revoke_all_of(db, id, now).await?;
    let mut tx = crate::platform::db::begin_write(db).await?;
    // The enterprise accounts still waiting for this person's confirmation lapse: nobody can
    // confirm them now (their credit codes are free again).
    sqlx::query(
        "DELETE FROM accounts WHERE kind = 'enterprise' AND status = 'pending' \
         AND person_digest <> '' AND person_digest = (SELECT p.person_digest FROM accounts p \
         WHERE p.id = $1 AND p.kind = 'person' AND p.status = 'deleting')",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let tombstone = format!("D{}", crate::platform::ids::random_hex::<16>());
    let done = sqlx::query(
        "UPDATE accounts SET status = 'deleted', deleted_at = $1, public_id = $2, \
         login_key = $3, person_digest = '', name = '', id_number_masked = '', \
         id_country = '', org_name = NULL, credit_code = NULL, phone = '', password_hash = '' \
         WHERE id = $4 AND status = 'deleting'",
    )
    .bind(now)
    .bind(&tombstone)
    .bind(format!("D:{tombstone}"))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    for sql in [
        "DELETE FROM sessions WHERE account_id = $1",
        "DELETE FROM face_tickets WHERE account_id = $1",
        "DELETE FROM grants WHERE account_id = $1",
        "DELETE FROM showings WHERE account_id = $1",
        "DELETE FROM vci_offers WHERE account_id = $1",
        "DELETE FROM sms_notices WHERE account_id = $1",
        // The 安全记录 kept: when, what and from where, as the law asks; not the details,
        // which may name a registration or a number.
        "UPDATE audit_events SET detail = '' WHERE account_id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *tx).await?;
    }
    sqlx::query(
        "INSERT INTO audit_events (account_id, kind, detail, ip, user_agent, created_at) \
         VALUES ($1, $2, $3, '', '', $4)",
    )
    .bind(id)
    .bind(crate::platform::audit::ACCOUNT_DELETED)
    .bind("冷静期满,个人信息已删除")
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(tombstone = %tombstone, "account deleted after its cooling-off");
    Ok(true)
}

/// Removes the tombstones of accounts deleted before `deleted_before` with what is still
/// attached to them (their 安全记录 past its own period, copies long expired), except those a
/// credential's status entry still names (those rows are never deleted; the tombstone holds
/// nothing personal). Returns how many went.
pub async fn remove_tombstones(db: &AnyPool, deleted_before: i64) -> Result<u64, sqlx::Error> {
    let gone = sqlx::query(
        "SELECT id FROM accounts WHERE status = 'deleted' AND deleted_at > 0 AND deleted_at < $1 \
         AND NOT EXISTS (SELECT 1 FROM vc_credentials v WHERE v.account_id = accounts.id)",
    )
    .bind(deleted_before)
    .fetch_all(db)
    .await?;
    let mut removed = 0;
    for row in gone {
        let id: i64 = row.try_get("id")?;
        let mut tx = crate::platform::db::begin_write(db).await?;
        for sql in [
            "DELETE FROM audit_events WHERE account_id = $1",
            "DELETE FROM annotations WHERE account_id = $1",
            "DELETE FROM service_cases WHERE account_id = $1",
            "DELETE FROM accounts WHERE id = $1 AND status = 'deleted'",
        ] {
            removed_rows(&mut tx, sql, id).await?;
        }
        tx.commit().await?;
        removed += 1;
    }
    Ok(removed)
}

async fn removed_rows(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    sql: &str,
    id: i64,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(sql)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}
