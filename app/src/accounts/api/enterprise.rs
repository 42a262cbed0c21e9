//! 确认法人账户: the legal representative, signed in with their own personal account and
//! face-checked in this session, confirms an enterprise account that names them — or rejects
//! one that is not their enterprise's, which frees the credit code. Until confirmed the
//! enterprise account is pending and can do nothing but sign in.

use crate::accounts::PendingEnterprise;
#[cfg(feature = "ssr")]
use crate::platform::caller::serve_signed_in;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// What the confirmation page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingConfirmations {
    /// Enterprise accounts waiting for this person's confirmation.
    pub pending: Vec<PendingEnterprise>,
    /// Whether this session passed a face check in the last 30 minutes.
    pub face_checked: bool,
    /// Confirmed enterprise accounts that name this person: theirs to close.
    #[serde(default)]
    pub represented: Vec<PendingEnterprise>,
    /// Those this person asked to close, within the cooling-off: theirs to keep.
    #[serde(default)]
    pub closing: Vec<PendingEnterprise>,
}

/// The pending enterprise accounts that name the caller as legal representative.
#[server(input = GetUrl, endpoint = "pending_enterprises")]
pub async fn pending_enterprises() -> Result<PendingConfirmations, AppError> {
    serve_signed_in(|caller, signed| async move {
        signed.require_person()?;
        let pending = crate::accounts::repo::pending_enterprises_of(
            &caller.db,
            &signed.account.person_digest,
        )
        .await?;
        let represented = crate::accounts::repo::enterprises_of(
            &caller.db,
            &signed.account.person_digest,
            "active",
        )
        .await?;
        let closing = crate::accounts::repo::enterprises_of(
            &caller.db,
            &signed.account.person_digest,
            "closing",
        )
        .await?;
        Ok(PendingConfirmations {
            pending,
            face_checked: signed.face_checked(caller.clock.now()),
            represented,
            closing,
        })
    })
    .await
}

/// 【确认并激活】: activates the enterprise account. Returns the enterprise's name.
#[server(endpoint = "confirm_enterprise")]
pub async fn confirm_enterprise(account_id: String) -> Result<String, AppError> {
    serve_signed_in(|caller, signed| async move {
        use crate::accounts::repo as accounts;
        use crate::platform::audit;
        ssr::face_checked_representative(&caller, &signed)?;
        // Activated and recorded on both accounts, or neither.
        let mut tx = crate::platform::db::begin_write(&caller.db).await?;
        let confirmed = accounts::confirm_enterprise(
            &mut *tx,
            account_id.trim(),
            &signed.account.person_digest,
            signed.account.id,
            caller.clock.now(),
        )
        .await?;
        let Some((enterprise_id, org)) = confirmed else {
            return Err(AppError::NotFound);
        };
        let detail = format!("{org}(法定代表人本人确认,已人脸识别)");
        for account in [signed.account.id, enterprise_id] {
            caller
                .audit_in(&mut tx, Some(account), audit::ENTERPRISE_CONFIRMED, &detail)
                .await?;
        }
        // The enterprise's registration is done: its 办件, for the enterprise account to rate.
        crate::evaluation::repo::open_case(
            &mut *tx,
            enterprise_id,
            crate::evaluation::Service::Enterprise,
            &format!("注册法人账户:{org}"),
            caller.clock.now(),
        )
        .await?;
        tx.commit().await?;
        Ok(org)
    })
    .await
}

/// 【不是本单位,拒绝】: deletes a pending enterprise account that names the caller but is not
/// their enterprise's. Returns the enterprise's name.
#[server(endpoint = "reject_enterprise")]
pub async fn reject_enterprise(account_id: String) -> Result<String, AppError> {
    serve_signed_in(|caller, signed| async move {
        use crate::accounts::repo as accounts;
        use crate::platform::audit;
        ssr::face_checked_representative(&caller, &signed)?;
        // Deleted and recorded, or neither.
        let mut tx = crate::platform::db::begin_write(&caller.db).await?;
        let Some(org) =
            accounts::reject_enterprise(&mut *tx, account_id.trim(), &signed.account.person_digest)
                .await?
        else {
            return Err(AppError::NotFound);
        };
        let detail = format!("{org}(法定代表人本人拒绝,账户已删除)");
        caller
            .audit_in(
                &mut tx,
                Some(signed.account.id),
                audit::ENTERPRISE_REJECTED,
                &detail,
            )
            .await?;
        tx.commit().await?;
        Ok(org)
    })
    .await
}

/// 【注销法人账户】: the legal representative, face-checked, asks to close an enterprise
/// account that names them. It is locked at once, as a person's own 注销, and deleted when the
/// cooling-off ends; signing in to it within that time offers 【撤销注销】. Returns the name.
#[server(endpoint = "close_enterprise")]
pub async fn close_enterprise(account_id: String) -> Result<String, AppError> {
    serve_signed_in(|caller, signed| async move {
        use crate::platform::audit;
        use sqlx::Row;
        ssr::face_checked_representative(&caller, &signed)?;
        let now = caller.clock.now();
        let until = crate::accounts::deletion_time(now);
        let mut tx = crate::platform::db::begin_write(&caller.db).await?;
        let Some(row) = sqlx::query(
            "UPDATE accounts SET status = 'closing', closing_at = $1 WHERE public_id = $2 \
             AND kind = 'enterprise' AND status = 'active' AND person_digest = $3 \
             RETURNING id, org_name",
        )
        .bind(now)
        .bind(account_id.trim())
        .bind(&signed.account.person_digest)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Err(AppError::NotFound);
        };
        let enterprise: i64 = row.try_get("id")?;
        let org: String = row
            .try_get::<Option<String>, _>("org_name")?
            .unwrap_or_default();
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(enterprise)
            .execute(&mut *tx)
            .await?;
        let detail = format!("{org}(法定代表人申请注销,已人脸识别;将于 {until} 删除)");
        for account in [signed.account.id, enterprise] {
            caller
                .audit_in(&mut tx, Some(account), audit::CLOSING_REQUESTED, &detail)
                .await?;
        }
        crate::platform::notices::enqueue(
            &mut *tx,
            enterprise,
            &format!("法人账户“{org}”的注销申请"),
            &format!(
                "已由法定代表人提出,账户已暂停使用,将于{until}完成注销;此前登录该账户可撤销注销"
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(org)
    })
    .await
}

/// 【撤销注销】 of an enterprise account the face-checked representative asked to close.
/// Returns the name.
#[server(endpoint = "cancel_enterprise_closing")]
pub async fn cancel_enterprise_closing(account_id: String) -> Result<String, AppError> {
    serve_signed_in(|caller, signed| async move {
        use crate::platform::audit;
        use sqlx::Row;
        ssr::face_checked_representative(&caller, &signed)?;
        let mut tx = crate::platform::db::begin_write(&caller.db).await?;
        let Some(row) = sqlx::query(
            "UPDATE accounts SET status = 'active', closing_at = 0 WHERE public_id = $1 \
             AND kind = 'enterprise' AND status = 'closing' AND person_digest = $2 \
             RETURNING id, org_name",
        )
        .bind(account_id.trim())
        .bind(&signed.account.person_digest)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Err(AppError::NotFound);
        };
        let enterprise: i64 = row.try_get("id")?;
        let org: String = row
            .try_get::<Option<String>, _>("org_name")?
            .unwrap_or_default();
        let detail = format!("{org}(法定代表人撤销注销,已人脸识别)");
        for account in [signed.account.id, enterprise] {
            caller
                .audit_in(&mut tx, Some(account), audit::CLOSING_CANCELLED, &detail)
                .await?;
        }
        tx.commit().await?;
        Ok(org)
    })
    .await
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::platform::caller::{Caller, SignedIn, set_status};
    use crate::platform::error::AppError;

    /// The caller as a legal representative who may decide: a personal account face-checked
    /// in this session within 30 minutes.
    pub fn face_checked_representative(caller: &Caller, signed: &SignedIn) -> Result<(), AppError> {
        signed.require_person()?;
        if !signed.face_checked(caller.clock.now()) {
            set_status(http::StatusCode::FORBIDDEN);
            return Err(AppError::refused(crate::platform::lang::Text::new(
                "请先完成人脸识别认证(认证后 30 分钟内有效),再确认或拒绝法人账户",
                "Complete a face check first (it is valid for 30 minutes), then confirm or \
                 reject the organisation's account",
            )));
        }
        Ok(())
    }
}
