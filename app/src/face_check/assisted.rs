//! 协助核验: a citizen who cannot pass the face check is verified by a 受理员 by the ministry's
//! own procedure (issue 28 §3). The record names the account, the kind of evidence, its
//! reference and the reason; when the citizen holds certificates a second member, a 审核员,
//! must approve it. The portal then sends a one-time code to the account's own phone. Typed on
//! the QR page within 30 minutes by the same account, it counts as a face check for that one
//! session. The staff member never sees the code: it is bound to the account (the digest is
//! keyed by the account id) and used once; five wrong codes spend it.

use crate::platform::error::AppError;
#[cfg(feature = "ssr")]
use crate::platform::lang::Text;
use leptos::prelude::*;

/// How long a code is valid.
pub const CODE_TTL_SECONDS: i64 = 30 * 60;
/// Wrong codes an issued record takes before it is spent.
pub const MAX_WRONG: i64 = 5;

/// The kinds of evidence a 受理员 may record.
pub const EVIDENCE_KINDS: [&str; 4] = [
    "居民身份证原件现场核验",
    "视频通话核验身份证件",
    "公安机关出具的身份证明",
    "其他书面证明材料",
];

/// The field a code is typed in.
pub const FIELD: &str = "assisted_code";

/// 【提交核验码】 on the QR page: the code the portal sent after an assisted verification. It
/// marks this session as face-checked, as a passed face check does.
#[server(endpoint = "redeem_assisted_code")]
pub async fn redeem_assisted_code(code: String) -> Result<(), AppError> {
    crate::platform::caller::serve_signed_in(|caller, signed| async move {
        signed.require_person()?;
        let code = code.trim();
        if !crate::accounts::sms::is_code_shaped(code) {
            return Err(AppError::field(
                FIELD,
                Text::new(
                    "请输入短信中的6位核验码",
                    "Enter the 6-digit code from the text message",
                ),
            ));
        }
        let now = caller.clock.now();
        let mut tx = crate::platform::db::begin_write(&caller.db).await?;
        match repo::redeem(
            &mut tx,
            &caller.settings.data_key,
            signed.account.id,
            code,
            now,
        )
        .await?
        {
            Ok(id) => {
                crate::face_check::repo::mark_session_verified(&mut *tx, &signed.session_hash, now)
                    .await?;
                caller
                    .audit_in(
                        &mut tx,
                        Some(signed.account.id),
                        crate::platform::audit::ASSISTED_USED,
                        &format!("协助核验第 {id} 号 · 本次登录视为已完成人脸识别认证"),
                    )
                    .await?;
                crate::evaluation::repo::open_case(
                    &mut *tx,
                    signed.account.id,
                    crate::evaluation::Service::Assisted,
                    &format!("协助核验第 {id} 号"),
                    now,
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }
            Err(message) => {
                // The wrong try is counted even though the code was refused.
                tx.commit().await?;
                Err(AppError::field(FIELD, message))
            }
        }
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::{CODE_TTL_SECONDS, MAX_WRONG};
    use crate::platform::error::Message;
    use crate::platform::lang::Text;
    use sha2::{Digest, Sha256};
    use sqlx::{Any, Row, Transaction};

    /// A record as the console lists it.
    #[derive(Clone, Debug)]
    pub struct Record {
        pub id: i64,
        pub account_id: i64,
        pub evidence_kind: String,
        pub evidence_ref: String,
        pub reason: String,
        pub recorded_by: i64,
        pub recorder: String,
        pub recorded_at: i64,
        pub state: String,
        pub holder_masked: String,
    }

    /// The keyed digest of a code for one account and record.
    pub fn code_hash(key: &[u8], account_id: i64, record: i64, code: &str) -> String {
        let mut h = Sha256::new();
        h.update(key);
        h.update(b"\0assisted\0");
        h.update(account_id.to_be_bytes());
        h.update(record.to_be_bytes());
        h.update(code.as_bytes());
        crate::platform::ids::hex(&h.finalize())
    }

    pub struct NewRecord<'a> {
        pub account_id: i64,
        pub evidence_kind: &'a str,
        pub evidence_ref: &'a str,
        pub reason: &'a str,
        pub recorded_by: i64,
        pub pending: bool,
        pub now: i64,
    }

    pub async fn insert(
        tx: &mut Transaction<'static, Any>,
        new: &NewRecord<'_>,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query(
            "INSERT INTO assisted_verifications (account_id, evidence_kind, evidence_ref, reason, \
             recorded_by, recorded_at, state) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.account_id)
        .bind(new.evidence_kind)
        .bind(new.evidence_ref)
        .bind(new.reason)
        .bind(new.recorded_by)
        .bind(new.now)
        .bind(if new.pending { "pending" } else { "recorded" })
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
    }

    /// Issues a new code for record `id` (recorded, approved, or issued before: a resend ends
    /// the earlier code); returns it with the account it is for, or `None` when the record can
    /// no longer have one (pending, rejected, used, expired or spent).
    pub async fn issue_code(
        tx: &mut Transaction<'static, Any>,
        key: &[u8],
        id: i64,
        now: i64,
    ) -> Result<Option<(i64, String)>, sqlx::Error> {
        let Some(row) = sqlx::query(
            "SELECT account_id FROM assisted_verifications WHERE id = $1 \
             AND state IN ('recorded', 'approved', 'issued')",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        else {
            return Ok(None);
        };
        let account_id: i64 = row.try_get("account_id")?;
        let code = crate::accounts::sms::repo::new_code();
        // The state again: a code used (or spent) meanwhile is not brought back. Wrong tries
        // are kept: five in all, over every code of the record.
        let issued = sqlx::query(
            "UPDATE assisted_verifications SET state = 'issued', code_hash = $1, \
             code_expires_at = $2 WHERE id = $3 AND state IN ('recorded', 'approved', 'issued')",
        )
        .bind(code_hash(key, account_id, id, &code))
        .bind(now + CODE_TTL_SECONDS)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        if issued.rows_affected() != 1 {
            return Ok(None);
        }
        Ok(Some((account_id, code)))
    }

    /// Marks a pending record approved or rejected (the 审核员's decision, in its transaction).
    pub async fn decide(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        approve: bool,
    ) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query(
            "UPDATE assisted_verifications SET state = $1 WHERE id = $2 AND state = 'pending'",
        )
        .bind(if approve { "approved" } else { "rejected" })
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
            == 1)
    }

    /// Uses the account's issued code `code` now: the record's id, or why not in words for the
    /// citizen. A wrong code counts against the account's newest issued record; the fifth
    /// spends it. Only the account's own records are looked at: another account's code is
    /// just a wrong one.
    pub async fn redeem(
        tx: &mut Transaction<'static, Any>,
        key: &[u8],
        account_id: i64,
        code: &str,
        now: i64,
    ) -> Result<Result<i64, Message>, sqlx::Error> {
        let Some(row) = sqlx::query(&format!(
            "SELECT id, code_hash, code_expires_at, wrong_tries FROM assisted_verifications \
             WHERE account_id = $1 AND state = 'issued' ORDER BY id DESC LIMIT 1{}",
            match crate::platform::db::Backend::of_tx(tx) {
                crate::platform::db::Backend::Postgres => " FOR UPDATE",
                crate::platform::db::Backend::Sqlite => "",
            }
        ))
        .bind(account_id)
        .fetch_optional(&mut **tx)
        .await?
        else {
            return Ok(Err(Text::new(
                "核验码不正确或已使用。如需协助,请联系客服重新办理协助核验",
                "The code is wrong or has been used. If you need help, contact us to be verified \
                 by our staff again",
            )
            .into()));
        };
        let id: i64 = row.try_get("id")?;
        let expires: i64 = row.try_get("code_expires_at")?;
        let wrong: i64 = row.try_get("wrong_tries")?;
        if expires <= now {
            sqlx::query("UPDATE assisted_verifications SET state = 'expired' WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            return Ok(Err(Text::new(
                "核验码已过期(有效期30分钟),请联系客服重新发送",
                "The code has expired (it is valid for 30 minutes): contact us to send a new one",
            )
            .into()));
        }
        let stored: String = row.try_get("code_hash")?;
        // Keyed digests: comparing them tells a guesser nothing about the code.
        if stored != code_hash(key, account_id, id, code) {
            let wrong = wrong + 1;
            let spent = wrong >= MAX_WRONG;
            sqlx::query(
                "UPDATE assisted_verifications SET wrong_tries = $1, \
                 state = CASE WHEN $2 THEN 'spent' ELSE state END WHERE id = $3",
            )
            .bind(wrong)
            .bind(spent)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            let left = MAX_WRONG - wrong;
            return Ok(Err(if spent {
                Text::new(
                    "核验码错误次数过多,已失效,请联系客服重新办理",
                    "The code was entered wrongly too many times and no longer works: contact \
                     us to be verified again",
                )
                .into()
            } else {
                Message::new(
                    format!("核验码不正确,还可尝试{left}次"),
                    format!(
                        "The code is wrong: you can try {left} more time{}",
                        if left == 1 { "" } else { "s" }
                    ),
                )
            }));
        }
        let used = sqlx::query(
            "UPDATE assisted_verifications SET state = 'used', used_at = $1 \
             WHERE id = $2 AND state = 'issued'",
        )
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        if used.rows_affected() != 1 {
            return Ok(Err(Text::new(
                "核验码已使用",
                "This code has already been used",
            )
            .into()));
        }
        Ok(Ok(id))
    }

    /// The newest records first.
    pub async fn list(db: &sqlx::AnyPool, limit: i64) -> Result<Vec<Record>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT v.id, v.account_id, v.evidence_kind, v.evidence_ref, v.reason, \
             v.recorded_by, v.recorded_at, v.state, s.display_name AS recorder, \
             a.name AS holder, a.id_number_masked FROM assisted_verifications v \
             JOIN staff_accounts s ON s.id = v.recorded_by \
             JOIN accounts a ON a.id = v.account_id ORDER BY v.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(db)
        .await?;
        rows.iter()
            .map(|r| {
                let holder: String = r.try_get("holder")?;
                let id_masked: String = r.try_get("id_number_masked")?;
                Ok(Record {
                    id: r.try_get("id")?,
                    account_id: r.try_get("account_id")?,
                    evidence_kind: r.try_get("evidence_kind")?,
                    evidence_ref: r.try_get("evidence_ref")?,
                    reason: r.try_get("reason")?,
                    recorded_by: r.try_get("recorded_by")?,
                    recorder: r.try_get("recorder")?,
                    recorded_at: r.try_get("recorded_at")?,
                    state: r.try_get("state")?,
                    holder_masked: format!(
                        "{} {id_masked}",
                        crate::domain::mask::mask_name(&holder)
                    ),
                })
            })
            .collect()
    }

    /// A record's state in words.
    pub fn state_label(state: &str) -> &'static str {
        match state {
            "pending" => "待审核",
            "recorded" | "approved" => "待发送核验码",
            "issued" => "核验码已发送",
            "used" => "已使用",
            "rejected" => "已驳回",
            "expired" => "核验码已过期",
            "spent" => "核验码错误次数过多,已失效",
            _ => "其他",
        }
    }
}
