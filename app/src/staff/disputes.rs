//! 法人账户申诉 as the console handles them (issue 28 §4; the citizen's side is
//! `accounts::disputes`). A 受理员 checks a dispute and either declines it or proposes the
//! release of the credit code; the release takes effect only when a different 审核员 approves
//! it ([`super::proposals`], kind [`KIND`]). Released, the account that held the code can no
//! longer sign in (its login key is retired, its sessions end), the code is free to register,
//! and both sides are told why by SMS and in their 安全记录.

use super::{StaffMember, db_error};
use crate::platform::audit as citizen_audit;
use crate::platform::db::begin_write;
use crate::platform::notices;
use crate::platform::state::AppState;
use sqlx::{Any, AnyPool, Row, Transaction};

/// The proposal kind of a release waiting for a 审核员.
pub const KIND: &str = "释放信用代码";

/// A dispute as the console lists it.
#[derive(Clone, Debug)]
pub struct Dispute {
    pub id: i64,
    pub credit_code: String,
    pub org_name: String,
    pub statement: String,
    /// The filer, masked, with their ID number masked.
    pub filer: String,
    /// The account holding the code: its enterprise name and registration time ("" if gone).
    pub holder: String,
    pub filed_at: i64,
    pub state: String,
    pub outcome: String,
}

/// Open and proposed disputes first (oldest first), then the latest decided ones.
pub async fn list(db: &AnyPool, limit: i64) -> Result<Vec<Dispute>, String> {
    let rows = sqlx::query(
        "SELECT d.id, d.credit_code, d.org_name, d.statement, d.filed_at, d.state, d.outcome, \
         f.name AS filer_name, f.id_number_masked AS filer_id, \
         COALESCE(h.org_name, '') AS holder_org, COALESCE(h.created_at, 0) AS holder_since \
         FROM enterprise_disputes d JOIN accounts f ON f.id = d.filed_by \
         LEFT JOIN accounts h ON h.id = d.holder_id \
         ORDER BY CASE WHEN d.state IN ('open', 'proposed') THEN 0 ELSE 1 END, \
         CASE WHEN d.state IN ('open', 'proposed') THEN d.filed_at ELSE -d.decided_at END \
         LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
    .map_err(db_error)?;
    rows.iter()
        .map(|r| {
            let holder_org: String = r.try_get("holder_org")?;
            let since: i64 = r.try_get("holder_since")?;
            Ok(Dispute {
                id: r.try_get("id")?,
                credit_code: r.try_get("credit_code")?,
                org_name: r.try_get("org_name")?,
                statement: r.try_get("statement")?,
                filer: format!(
                    "{} {}",
                    crate::domain::mask::mask_name(&r.try_get::<String, _>("filer_name")?),
                    r.try_get::<String, _>("filer_id")?
                ),
                holder: if holder_org.is_empty() {
                    String::new()
                } else {
                    format!(
                        "{holder_org}(注册于 {})",
                        crate::domain::time::format_beijing_minute(since)
                    )
                },
                filed_at: r.try_get("filed_at")?,
                state: r.try_get("state")?,
                outcome: r.try_get("outcome")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db_error)
}

fn check_note(note: &str) -> Result<&str, String> {
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 200 {
        return Err("请填写核查意见(200 字以内)".into());
    }
    Ok(note)
}

/// 【提请释放】: the 受理员 found the dispute right; a 审核员 decides. The proposal's id.
pub async fn propose_release(
    state: &AppState,
    by: &StaffMember,
    id: i64,
    note: &str,
) -> Result<i64, String> {
    let note = check_note(note)?;
    let now = state.clock.now();
    let mut tx = begin_write(&state.db).await.map_err(db_error)?;
    let row = sqlx::query(
        "UPDATE enterprise_disputes SET state = 'proposed' WHERE id = $1 AND state = 'open' \
         RETURNING credit_code, org_name",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db_error)?
    .ok_or("该申诉不在待处理状态")?;
    let code: String = row.try_get("credit_code").map_err(db_error)?;
    let org: String = row.try_get("org_name").map_err(db_error)?;
    let proposal = super::repo::insert_proposal(
        &mut tx,
        &super::repo::NewProposal {
            kind: KIND,
            subject: &format!("{org}({code})"),
            reason: note,
            ref_id: id,
            by,
        },
        now,
    )
    .await
    .map_err(db_error)?;
    super::record(
        &mut tx,
        &state.settings.data_key,
        now,
        by,
        "staff.dispute_propose",
        &code,
        &format!("dispute={id};proposal={proposal};note={note}"),
    )
    .await?;
    tx.commit().await.map_err(db_error)?;
    Ok(proposal)
}

/// 【不予支持】: the 受理员 declines the dispute; the filer is told why.
pub async fn decline(
    state: &AppState,
    by: &StaffMember,
    id: i64,
    note: &str,
) -> Result<(), String> {
    let note = check_note(note)?;
    let now = state.clock.now();
    let mut tx = begin_write(&state.db).await.map_err(db_error)?;
    let row = sqlx::query(
        "UPDATE enterprise_disputes SET state = 'rejected', outcome = $1, decided_at = $2 \
         WHERE id = $3 AND state = 'open' RETURNING filed_by, credit_code",
    )
    .bind(format!("未予支持:{note}"))
    .bind(now)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db_error)?
    .ok_or("该申诉不在待处理状态")?;
    let filer: i64 = row.try_get("filed_by").map_err(db_error)?;
    let code: String = row.try_get("credit_code").map_err(db_error)?;
    tell_filer(
        &mut tx,
        filer,
        id,
        &code,
        &format!("未予支持:{note}"),
        "未予支持",
        now,
    )
    .await
    .map_err(db_error)?;
    super::record(
        &mut tx,
        &state.settings.data_key,
        now,
        by,
        "staff.dispute_decline",
        &code,
        &format!("dispute={id};note={note}"),
    )
    .await?;
    tx.commit().await.map_err(db_error)
}

/// Tells the filer the outcome: in full in 安全记录 and on their page, and by SMS in a fixed
/// phrase (`result`): a carrier's template takes a few words, and a member's free text does not
/// go out under the ministry's signature.
async fn tell_filer(
    tx: &mut Transaction<'static, Any>,
    filer: i64,
    id: i64,
    code: &str,
    outcome: &str,
    result: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    citizen_audit::audit(
        &mut **tx,
        Some(filer),
        citizen_audit::DISPUTE_DECIDED,
        &format!("第 {id} 号({code}):{outcome}"),
        "",
        "住建部工作人员",
        now,
    )
    .await?;
    notices::enqueue(
        &mut **tx,
        filer,
        &format!("法人账户申诉(统一社会信用代码 {code})"),
        result,
        now,
    )
    .await
}

/// A 审核员's decision on a proposed release, in the decision's transaction. Approved: the
/// holding account is released and both sides are told. Not approved: the dispute goes back
/// to the 受理员.
pub async fn decide_in(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    approve: bool,
    reason: &str,
    now: i64,
) -> Result<Result<(), String>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT filed_by, credit_code, holder_id FROM enterprise_disputes \
         WHERE id = $1 AND state = 'proposed'",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(Err("该申诉已不在待审核状态".into()));
    };
    if !approve {
        sqlx::query("UPDATE enterprise_disputes SET state = 'open' WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        return Ok(Ok(()));
    }
    let filer: i64 = row.try_get("filed_by")?;
    let code: String = row.try_get("credit_code")?;
    let holder: Option<i64> = row.try_get("holder_id")?;
    let login_key = crate::accounts::repo::enterprise_login_key(&code);
    // The account still holding the code, if any (one rejected meanwhile is gone already).
    if let Some(holder) = holder {
        let released = sqlx::query(
            "UPDATE accounts SET status = 'released', login_key = $1 \
             WHERE id = $2 AND login_key = $3",
        )
        .bind(format!("X:{holder}:{login_key}"))
        .bind(holder)
        .bind(&login_key)
        .execute(&mut **tx)
        .await?;
        if released.rows_affected() == 1 {
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(holder)
                .execute(&mut **tx)
                .await?;
            let why =
                format!("法定代表人提出申诉,经核查该账户并非本单位注册或已无权使用,原因:{reason}");
            citizen_audit::audit(
                &mut **tx,
                Some(holder),
                citizen_audit::ENTERPRISE_RELEASED,
                &format!("第 {id} 号申诉:{why}"),
                "",
                "住建部工作人员",
                now,
            )
            .await?;
            notices::enqueue(
                &mut **tx,
                holder,
                &format!("法人账户(统一社会信用代码 {code})"),
                "已因法定代表人申诉被注销,如有异议请联系客服",
                now,
            )
            .await?;
        }
    }
    let outcome = "已释放该统一社会信用代码,您现在可以注册法人账户";
    sqlx::query(
        "UPDATE enterprise_disputes SET state = 'released', outcome = $1, decided_at = $2 \
         WHERE id = $3",
    )
    .bind(outcome)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    tell_filer(tx, filer, id, &code, outcome, "已通过,该代码已释放", now).await?;
    Ok(Ok(()))
}
