//! The two-person rule: a 受理员 proposes, a different 审核员 approves or rejects. The
//! proposals are:
//! - a registration's 注销 or 撤销 (issue 28 §2); an approved one is applied exactly as the
//!   registry's own feed applies it (`registry::feed`), with the change id `STAFF-<id>`, so it
//!   reaches every certificate the same way and is in the audit chain;
//! - an assisted verification of a citizen who holds certificates ([`super::assisted`]); an
//!   approved one sends the citizen's code;
//! - the release of a credit code after a legal representative's dispute
//!   ([`super::disputes`]);
//! - a registry change feed uploaded in the console ([`super::console::feed_upload`]).

use super::{StaffMember, audit, db_error};
use crate::platform::db::begin_write;
use crate::registry::feed;
use sqlx::{AnyPool, Row};

/// A proposal as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub id: i64,
    /// 注销 or 撤销
    pub kind: String,
    /// The 注册编号.
    pub subject: String,
    pub reason: String,
    pub proposed_by: i64,
    pub proposer: String,
    pub proposed_at: i64,
    /// '', approved or rejected
    pub decision: String,
    pub decider: String,
}

/// What a decision leaves to do once it is committed.
#[derive(Debug, Default)]
pub struct Decided {
    /// An approved assisted verification's code, to send to the citizen.
    pub code: Option<super::assisted::CodeToSend>,
    /// An approved uploaded feed, to apply.
    pub feed: Option<i64>,
}

/// A 受理员's proposal to withdraw registration `registration_no` (`kind`: 注销 or 撤销).
pub async fn propose(
    db: &AnyPool,
    data_key: &[u8],
    by: &StaffMember,
    kind: &str,
    registration_no: &str,
    reason: &str,
    now: i64,
) -> Result<i64, String> {
    let kind = match kind.trim() {
        k @ ("注销" | "撤销") => k,
        _ => return Err("请选择 注销 或 撤销".into()),
    };
    let registration_no = registration_no.trim().to_uppercase();
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err("请填写原因(200 字以内)".into());
    }
    let found = sqlx::query("SELECT withdrawn_at FROM registrations WHERE registration_no = $1")
        .bind(&registration_no)
        .fetch_optional(db)
        .await
        .map_err(db_error)?;
    match found {
        None => return Err(format!("注册编号 {registration_no} 不在库中")),
        Some(row) if row.try_get::<i64, _>("withdrawn_at").map_err(db_error)? != 0 => {
            return Err(format!("注册编号 {registration_no} 已注销或撤销"));
        }
        Some(_) => {}
    }
    let pending = sqlx::query(
        "SELECT id FROM staff_proposals WHERE subject = $1 AND kind IN ('注销', '撤销') \
         AND decision = '' LIMIT 1",
    )
    .bind(&registration_no)
    .fetch_optional(db)
    .await
    .map_err(db_error)?;
    if let Some(row) = pending {
        let id: i64 = row.try_get("id").map_err(db_error)?;
        return Err(format!(
            "注册编号 {registration_no} 已有待审核的第 {id} 号申请,请等待审核"
        ));
    }
    let mut tx = begin_write(db).await.map_err(db_error)?;
    let id = super::repo::insert_proposal(
        &mut tx,
        &super::repo::NewProposal {
            kind,
            subject: &registration_no,
            reason,
            ref_id: 0,
            by,
        },
        now,
    )
    .await
    .map_err(db_error)?;
    super::record(
        &mut tx,
        data_key,
        now,
        by,
        "staff.propose",
        &registration_no,
        &format!("proposal={id};kind={kind};reason={reason}"),
    )
    .await?;
    tx.commit().await.map_err(db_error)?;
    Ok(id)
}

/// A 审核员's decision on proposal `id`: never their own proposal, never one decided already
/// (two reviewers at once: one decides, the other is told). The decision, the withdrawal it
/// approves and both audit entries are one transaction: all are kept, or nothing is and the
/// proposal stays pending (a registration withdrawn meanwhile is said so, to be rejected).
pub async fn decide(
    db: &AnyPool,
    data_key: &[u8],
    by: &StaffMember,
    id: i64,
    approve: bool,
    now: i64,
) -> Result<Decided, String> {
    let row = sqlx::query(
        "SELECT kind, subject, reason, ref_id, proposed_by, decision FROM staff_proposals \
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
    .map_err(db_error)?
    .ok_or("没有这项待审核事项")?;
    let proposed_by: i64 = row.try_get("proposed_by").map_err(db_error)?;
    if proposed_by == by.id {
        return Err("不能审核自己提交的事项,须由另一位审核员审核".into());
    }
    if !row
        .try_get::<String, _>("decision")
        .map_err(db_error)?
        .is_empty()
    {
        return Err("该事项已审核".into());
    }
    let kind: String = row.try_get("kind").map_err(db_error)?;
    let subject: String = row.try_get("subject").map_err(db_error)?;
    let reason: String = row.try_get("reason").map_err(db_error)?;
    let ref_id: i64 = row.try_get("ref_id").map_err(db_error)?;
    let actor = super::console::service::actor(by);
    let mut tx = begin_write(db).await.map_err(db_error)?;
    // Taken by one decision only: the conditional update decides the race.
    let decision = if approve { "approved" } else { "rejected" };
    let taken = sqlx::query(
        "UPDATE staff_proposals SET decision = $1, decided_by = $2, decided_at = $3 \
         WHERE id = $4 AND decision = ''",
    )
    .bind(decision)
    .bind(by.id)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    if taken.rows_affected() != 1 {
        return Err("该事项已审核".into());
    }
    let mut decided = Decided::default();
    if kind == super::console::feed_upload::KIND {
        super::console::feed_upload::decide_in(&mut tx, ref_id, approve)
            .await
            .map_err(db_error)??;
        decided.feed = approve.then_some(ref_id);
    } else if kind == super::disputes::KIND {
        super::disputes::decide_in(&mut tx, ref_id, approve, &reason, now)
            .await
            .map_err(db_error)??;
    } else if kind == super::assisted::KIND {
        if !crate::face_check::assisted::repo::decide(&mut tx, ref_id, approve)
            .await
            .map_err(db_error)?
        {
            return Err("该协助核验记录已不在待审核状态".into());
        }
        if approve {
            decided.code = super::assisted::issue_in(&mut tx, data_key, ref_id, now)
                .await
                .map_err(db_error)?;
        }
    }
    // The withdrawal first (the registration, then the audit head), as a feed takes them.
    else if approve {
        let change = feed::check(feed::RawChange {
            change_id: format!("{}{id}", feed::STAFF_PREFIX),
            kind: kind.clone(),
            registration_no: subject.clone(),
            date: crate::certificates::annotation::format_date(crate::domain::time::beijing_date(
                now,
            )),
            reason,
            ..feed::RawChange::default()
        })?;
        if let Err(refused) = feed::apply_in(&mut tx, data_key, &change, &actor, now)
            .await
            .map_err(db_error)?
        {
            return Err(format!("未能生效,未作批准:{refused}"));
        }
    }
    audit::append(
        &mut tx,
        data_key,
        now,
        &actor,
        if approve {
            "staff.approve"
        } else {
            "staff.reject"
        },
        &subject,
        &format!("proposal={id};kind={kind}"),
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(decided)
}

/// Pending proposals first (oldest first), then the latest decided ones.
pub async fn list(db: &AnyPool, limit: i64) -> Result<Vec<Proposal>, String> {
    let rows = sqlx::query(
        "SELECT p.id, p.kind, p.subject, p.reason, p.proposed_by, p.proposed_at, p.decision, \
         a.display_name AS proposer, COALESCE(d.display_name, '') AS decider \
         FROM staff_proposals p JOIN staff_accounts a ON a.id = p.proposed_by \
         LEFT JOIN staff_accounts d ON d.id = p.decided_by \
         ORDER BY CASE WHEN p.decision = '' THEN 0 ELSE 1 END, \
         CASE WHEN p.decision = '' THEN p.proposed_at ELSE -p.decided_at END LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
    .map_err(db_error)?;
    rows.iter()
        .map(|r| {
            Ok(Proposal {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                subject: r.try_get("subject")?,
                reason: r.try_get("reason")?,
                proposed_by: r.try_get("proposed_by")?,
                proposer: r.try_get("proposer")?,
                proposed_at: r.try_get("proposed_at")?,
                decision: r.try_get("decision")?,
                decider: r.try_get("decider")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db_error)
}
