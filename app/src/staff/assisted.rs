//! 协助核验 as a 受理员 records it (issue 28 §3; the citizen's side and the table are
//! `face_check::assisted`). The record, its staff audit entry and, for a citizen without
//! certificates, the code and the citizen's 安全记录 entry are one transaction; a citizen with
//! certificates waits for a 审核员 ([`super::proposals`], kind [`KIND`]). The code goes by SMS
//! to the account's own phone after the transaction, and a failed message can be sent again.

use super::{StaffMember, db_error};
use crate::face_check::assisted::{EVIDENCE_KINDS, repo};
use crate::platform::db::begin_write;
use crate::platform::state::AppState;
use sqlx::{Any, Row, Transaction};

/// The proposal kind of an assisted verification waiting for a 审核员.
pub const KIND: &str = "协助核验";

/// A record's code may be sent again for this long after it was recorded.
pub const RESEND_WITHIN_SECONDS: i64 = 24 * 3600;
/// A phone bound this recently makes a second member's approval necessary: whoever took over
/// the password could have bound their own phone, and the code goes to the bound phone.
pub const RECENT_PHONE_SECONDS: i64 = 7 * 24 * 3600;

/// Why a second member must approve an assisted verification of this account, if they must:
/// the person holds certificates, is the legal representative of an enterprise account (a
/// face check confirms enterprises), or bound a new phone lately.
pub async fn needs_second(
    db: &sqlx::AnyPool,
    account_id: i64,
    digest: &str,
    now: i64,
) -> Result<Option<&'static str>, sqlx::Error> {
    let certificates = sqlx::query(
        "SELECT 1 AS one FROM registrations r JOIN persons p ON p.id = r.person_id \
         WHERE p.id_number_digest = $1 AND r.withdrawn_at = 0 LIMIT 1",
    )
    .bind(digest)
    .fetch_optional(db)
    .await?;
    if certificates.is_some() {
        return Ok(Some("本人名下有注册证书"));
    }
    let representative = sqlx::query(
        "SELECT 1 AS one FROM accounts WHERE kind = 'enterprise' AND person_digest = $1 LIMIT 1",
    )
    .bind(digest)
    .fetch_optional(db)
    .await?;
    if representative.is_some() {
        return Ok(Some("本人是法人账户的法定代表人"));
    }
    let phone = sqlx::query(
        "SELECT 1 AS one FROM audit_events WHERE account_id = $1 AND kind = $2 \
         AND created_at > $3 LIMIT 1",
    )
    .bind(account_id)
    .bind(crate::platform::audit::PHONE_CHANGED)
    .bind(now - RECENT_PHONE_SECONDS)
    .fetch_optional(db)
    .await?;
    Ok(phone.map(|_| "7 天内更换过绑定手机号"))
}

/// What recording did.
#[derive(Debug)]
pub enum Recorded {
    /// The code went (or, `Err`, could not go) to the phone shown masked.
    Issued {
        id: i64,
        sent: Result<String, String>,
    },
    /// A second member must approve (why): proposal `proposal` waits for a 审核员.
    Pending {
        id: i64,
        proposal: i64,
        why: &'static str,
    },
}

/// Records an assisted verification of the person with the identity document `document`,
/// who tells the member the last four digits of the phone bound to their account: the code
/// goes to that phone, so it must be theirs. An account someone else registered with their
/// document (and their own phone) is found here, and must not get the code.
pub async fn record(
    state: &AppState,
    by: &StaffMember,
    document: crate::domain::id_document::TypedDocument<'_>,
    phone_tail: &str,
    evidence_kind: &str,
    evidence_ref: &str,
    reason: &str,
) -> Result<Recorded, String> {
    let id = document.parse().map_err(|e| e.to_string())?;
    let evidence_kind = EVIDENCE_KINDS
        .into_iter()
        .find(|k| *k == evidence_kind.trim())
        .ok_or("请选择核验方式")?;
    let evidence_ref = evidence_ref.trim();
    if evidence_ref.is_empty() || evidence_ref.chars().count() > 64 {
        return Err("请填写凭证编号(如受理单号、视频记录编号,64 字以内)".into());
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err("请填写协助核验的原因(200 字以内)".into());
    }
    let digest = crate::domain::person::document_digest(&state.settings.data_key, &id);
    let account = crate::accounts::repo::by_login_key(
        &state.db,
        &crate::accounts::repo::person_login_key(&digest),
    )
    .await
    .map_err(db_error)?
    .filter(|a| a.is_person())
    .ok_or("该证件没有已注册的个人账户,请先请本人注册账户")?;
    let phone_tail = phone_tail.trim();
    if phone_tail.len() != 4 || !phone_tail.bytes().all(|b| b.is_ascii_digit()) {
        return Err("请填写本人报出的绑定手机号后四位".into());
    }
    if !account.phone.ends_with(phone_tail) {
        return Err(
            "本人报出的手机号后四位与该账户绑定的手机号不符:该账户可能并非本人注册,不能发送核验码。             请引导本人通过“法人账户申诉”或技术支持核实账户归属"
                .into(),
        );
    }
    let second = needs_second(&state.db, account.id, &digest, state.clock.now())
        .await
        .map_err(db_error)?;
    let now = state.clock.now();
    let key = &state.settings.data_key;
    let mut tx = begin_write(&state.db).await.map_err(db_error)?;
    let id = repo::insert(
        &mut tx,
        &repo::NewRecord {
            account_id: account.id,
            evidence_kind,
            evidence_ref,
            reason,
            recorded_by: by.id,
            pending: second.is_some(),
            now,
        },
    )
    .await
    .map_err(db_error)?;
    super::record(
        &mut tx,
        key,
        now,
        by,
        "staff.assist",
        &format!("account:{}", account.id),
        &format!("record={id};evidence={evidence_kind};ref={evidence_ref};reason={reason}"),
    )
    .await?;
    if let Some(why) = second {
        let proposal = super::repo::insert_proposal(
            &mut tx,
            &super::repo::NewProposal {
                kind: KIND,
                subject: &format!("{} 的账户({why})", account.display_name()),
                reason,
                ref_id: id,
                by,
            },
            now,
        )
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        return Ok(Recorded::Pending { id, proposal, why });
    }
    let code = issue_in(&mut tx, key, id, now)
        .await
        .map_err(db_error)?
        .ok_or("该记录不能发送核验码")?;
    tx.commit().await.map_err(db_error)?;
    Ok(Recorded::Issued {
        id,
        sent: send_code(state, &code).await,
    })
}

/// A code issued in a transaction, to send once it commits.
#[derive(Debug)]
pub struct CodeToSend {
    pub account_id: i64,
    pub code: String,
}

/// Issues a code for record `id` with the citizen's 安全记录 entry.
pub async fn issue_in(
    tx: &mut Transaction<'static, Any>,
    key: &[u8],
    id: i64,
    now: i64,
) -> Result<Option<CodeToSend>, sqlx::Error> {
    let Some((account_id, code)) = repo::issue_code(tx, key, id, now).await? else {
        return Ok(None);
    };
    let kind: String =
        sqlx::query("SELECT evidence_kind FROM assisted_verifications WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
    crate::platform::audit::audit(
        &mut **tx,
        Some(account_id),
        crate::platform::audit::ASSISTED_ISSUED,
        &format!("协助核验第 {id} 号({kind}),核验码已发送至绑定手机,30分钟内有效"),
        "",
        "住建部工作人员",
        now,
    )
    .await?;
    Ok(Some(CodeToSend { account_id, code }))
}

/// 【重新发送核验码】: a new code for a record whose code has not been used (the earlier one
/// ends).
pub async fn resend(state: &AppState, by: &StaffMember, id: i64) -> Result<String, String> {
    let now = state.clock.now();
    let row = sqlx::query(
        "SELECT v.account_id, v.recorded_at, a.person_digest, EXISTS (SELECT 1 FROM \
         staff_proposals p WHERE p.kind = $2 AND p.ref_id = v.id AND p.decision = 'approved') \
         AS approved FROM assisted_verifications v JOIN accounts a ON a.id = v.account_id \
         WHERE v.id = $1",
    )
    .bind(id)
    .bind(KIND)
    .fetch_optional(&state.db)
    .await
    .map_err(db_error)?
    .ok_or("没有这条协助核验记录")?;
    let recorded_at: i64 = row.try_get("recorded_at").map_err(db_error)?;
    if recorded_at <= now - RESEND_WITHIN_SECONDS {
        return Err("该记录已超过 24 小时,不能再发送核验码,请重新办理协助核验".into());
    }
    // Approved by a 审核员, or not needing one now either.
    let approved = row
        .try_get::<bool, _>("approved")
        .unwrap_or_else(|_| row.try_get::<i64, _>("approved").is_ok_and(|v| v != 0));
    let account: i64 = row.try_get("account_id").map_err(db_error)?;
    let digest: String = row.try_get("person_digest").map_err(db_error)?;
    if !approved
        && let Some(why) = needs_second(&state.db, account, &digest, now)
            .await
            .map_err(db_error)?
    {
        return Err(format!("{why},须重新办理协助核验并经另一位审核员批准"));
    }
    let mut tx = begin_write(&state.db).await.map_err(db_error)?;
    let code = issue_in(&mut tx, &state.settings.data_key, id, now)
        .await
        .map_err(db_error)?
        .ok_or("该记录待审核、已使用或已失效,不能发送核验码")?;
    super::record(
        &mut tx,
        &state.settings.data_key,
        now,
        by,
        "staff.assist_resend",
        &format!("account:{}", code.account_id),
        &format!("record={id}"),
    )
    .await?;
    tx.commit().await.map_err(db_error)?;
    send_code(state, &code).await
}

/// Sends a code to the account's bound phone: the phone masked, or why it failed.
pub async fn send_code(state: &AppState, code: &CodeToSend) -> Result<String, String> {
    let account = crate::platform::account::by_id(&state.db, code.account_id)
        .await
        .map_err(db_error)?
        .ok_or("账户不存在")?;
    let phone = crate::domain::Phone::parse(&account.phone).map_err(|e| e.to_string())?;
    let text = format!(
        "【住建部政务服务】工作人员已协助核验您的身份,核验码为 {},30分钟内有效,请登录后在“人脸识别认证”页面输入。如非本人办理,请立即联系客服;请勿将核验码告知他人。",
        code.code
    );
    let message = crate::platform::ports::sms::SmsMessage {
        text: &text,
        code: &code.code,
        minutes: crate::face_check::assisted::CODE_TTL_SECONDS / 60,
        notice: None,
        lang: crate::platform::lang::Lang::Zh,
    };
    match state.sms.send(&phone, &message).await {
        Ok(()) => Ok(phone.masked()),
        Err(e) => {
            tracing::error!(error = %e, "sms gateway (assisted verification)");
            Err(format!("短信发送失败:{e},请稍后点击【重新发送核验码】"))
        }
    }
}
