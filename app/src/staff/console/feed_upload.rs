//! 变更文件上传: a 管理员 uploads a change feed of the national registry in the console, as
//! `server registry apply FILE` takes one (`registry::feed`). A feed can create registrations
//! and withdraw them, so an upload is a proposal: it is kept with its SHA-256 and a count of
//! its lines by kind, and applied only when a different member, a 审核员, approves it
//! (`staff::proposals`, kind [`KIND`]). It is then applied in the background in the feed's
//! batches, one file at a time; its page shows a progress line that refreshes itself every two
//! seconds (no JavaScript needed), then the report with the rejected lines and their reasons.
//! The file's text is cleared once applied (its hash and counts stay). The jobs live in the
//! approving server's memory: the console is reached on one server's own listener.

use crate::platform::state::AppState;
use crate::staff::{StaffMember, audit, db_error};
use sqlx::{Any, Row, Transaction};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The proposal kind of an uploaded feed waiting for a 审核员.
pub const KIND: &str = "应用变更文件";
/// The largest file the console takes (a million lines of JSON are about 200 MB).
pub const MAX_BYTES: usize = 256 * 1024 * 1024;
/// Rejected lines a finished job keeps to show (the count is kept whole).
pub const SHOWN_REJECTIONS: usize = 1000;
/// A finished job's page stays this long.
const KEEP_SECONDS: i64 = 24 * 3600;

/// A feed being applied, or applied.
#[derive(Clone, Debug, Default)]
pub struct Job {
    pub file: String,
    pub lines: u64,
    pub done: u64,
    pub started: i64,
    /// Waiting for another file to finish.
    pub queued: bool,
    /// The report once finished (at most [`SHOWN_REJECTIONS`] rejected lines), or why it
    /// stopped.
    pub finished: Option<Result<crate::registry::feed::FeedReport, String>>,
    /// Rejected lines in all.
    pub rejected: usize,
    pub finished_at: i64,
}

fn jobs() -> &'static Mutex<HashMap<u64, Arc<Mutex<Job>>>> {
    static JOBS: OnceLock<Mutex<HashMap<u64, Arc<Mutex<Job>>>>> = OnceLock::new();
    JOBS.get_or_init(Default::default)
}

/// One file applied at a time on this server.
fn applying() -> &'static tokio::sync::Mutex<()> {
    static APPLYING: OnceLock<tokio::sync::Mutex<()>> = OnceLock::new();
    APPLYING.get_or_init(Default::default)
}

/// A job by its number.
pub fn job(id: u64) -> Option<Job> {
    let jobs = jobs().lock().ok()?;
    let job = jobs.get(&id)?.lock().ok()?.clone();
    Some(job)
}

/// What a feed holds, for the proposal: lines by kind, and lines that cannot be read.
pub fn summary(lines: &[(u64, Result<crate::registry::feed::Change, String>)]) -> String {
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    let mut bad = 0;
    for (_, change) in lines {
        match change {
            Ok(c) => match kinds.iter_mut().find(|(k, _)| *k == c.what.kind()) {
                Some((_, n)) => *n += 1,
                None => kinds.push((c.what.kind(), 1)),
            },
            Err(_) => bad += 1,
        }
    }
    let mut parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n} 行")).collect();
    if bad > 0 {
        parts.push(format!("无法读取 {bad} 行"));
    }
    format!("共 {} 行:{}", lines.len(), parts.join("、"))
}

/// Keeps an uploaded file as a proposal; the proposal's number and what the file holds.
pub async fn propose(
    state: &AppState,
    by: &StaffMember,
    file: &str,
    bytes: Vec<u8>,
) -> Result<(i64, String), String> {
    let text = String::from_utf8(bytes)
        .map_err(|_| "文件不是 UTF-8 编码的文本,请另存为 UTF-8 后重新上传".to_string())?;
    let (text, summary) = tokio::task::spawn_blocking(move || {
        let lines = crate::registry::feed::read(&text);
        let summary = (!lines.is_empty()).then(|| summary(&lines));
        (text, summary)
    })
    .await
    .map_err(|e| e.to_string())?;
    let summary = summary.ok_or("文件为空,请选择全国注册人员库的变更文件(JSON 行或 CSV)")?;
    let digest = crate::platform::ids::sha256_hex(&text);
    let now = state.clock.now();
    let mut tx = crate::platform::db::begin_write(&state.db)
        .await
        .map_err(db_error)?;
    let id: i64 = sqlx::query(
        "INSERT INTO staff_feed_uploads (file_name, content, sha256, summary, uploaded_by, \
         uploaded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(file)
    .bind(&text)
    .bind(&digest)
    .bind(&summary)
    .bind(by.id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .and_then(|r| r.try_get(0))
    .map_err(db_error)?;
    let proposal = crate::staff::repo::insert_proposal(
        &mut tx,
        &crate::staff::repo::NewProposal {
            kind: KIND,
            subject: file,
            reason: &summary,
            ref_id: id,
            by,
        },
        now,
    )
    .await
    .map_err(db_error)?;
    crate::staff::record(
        &mut tx,
        &state.settings.data_key,
        now,
        by,
        "staff.feed_upload",
        file,
        &format!("upload={id};proposal={proposal};sha256={digest};{summary}"),
    )
    .await?;
    tx.commit().await.map_err(db_error)?;
    Ok((proposal, summary))
}

/// A 审核员's decision on an uploaded file, in the decision's transaction; `true` when it is
/// approved and is to be applied ([`start`]).
pub async fn decide_in(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    approve: bool,
) -> Result<Result<(), String>, sqlx::Error> {
    let moved =
        sqlx::query("UPDATE staff_feed_uploads SET state = $1 WHERE id = $2 AND state = 'pending'")
            .bind(if approve { "approved" } else { "rejected" })
            .bind(id)
            .execute(&mut **tx)
            .await?;
    if moved.rows_affected() != 1 {
        return Ok(Err("该变更文件已不在待审核状态".into()));
    }
    if !approve {
        sqlx::query("UPDATE staff_feed_uploads SET content = '' WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(Ok(()))
}

/// Starts applying the approved upload `upload` for `by` (the approving member); the job's
/// number.
pub async fn start(state: &AppState, by: &StaffMember, upload: i64) -> Result<u64, String> {
    let row = sqlx::query(
        "SELECT file_name, content FROM staff_feed_uploads WHERE id = $1 AND state = 'approved'",
    )
    .bind(upload)
    .fetch_optional(&state.db)
    .await
    .map_err(db_error)?
    .ok_or("该变更文件未获批准或已应用")?;
    let file: String = row.try_get("file_name").map_err(db_error)?;
    let text: String = row.try_get("content").map_err(db_error)?;
    let now = state.clock.now();
    let id = u64::from(rand::random::<u32>());
    let job = Arc::new(Mutex::new(Job {
        file: file.clone(),
        started: now,
        queued: true,
        ..Job::default()
    }));
    {
        let mut all = jobs().lock().map_err(|_| "服务暂时不可用".to_string())?;
        all.retain(|_, j| {
            j.lock()
                .map(|j| j.finished.is_none() || j.finished_at > now - KEEP_SECONDS)
                .unwrap_or(false)
        });
        all.insert(id, job.clone());
    }
    let state = state.clone();
    let actor = super::service::actor(by);
    tokio::spawn(async move {
        let _turn = applying().lock().await;
        let lines =
            match tokio::task::spawn_blocking(move || crate::registry::feed::read(&text)).await {
                Ok(lines) => lines,
                Err(e) => {
                    finish(&job, Err(e.to_string()), state.clock.now());
                    return;
                }
            };
        if let Ok(mut job) = job.lock() {
            job.lines = lines.len() as u64;
            job.queued = false;
        }
        let progress = job.clone();
        let report = crate::registry::feed::apply(
            &state.db,
            &state.settings.data_key,
            lines,
            &actor,
            now,
            move |done| {
                if let Ok(mut job) = progress.lock() {
                    job.done = done;
                }
            },
        )
        .await;
        let recorded = async {
            let mut tx = crate::platform::db::begin_write(&state.db).await?;
            let outcome = match &report {
                Ok(r) => format!(
                    "lines={};applied={};already={};rejected={}",
                    r.lines,
                    r.applied,
                    r.already,
                    r.rejected.len()
                ),
                Err(e) => format!("stopped={e}"),
            };
            audit::append(
                &mut tx,
                &state.settings.data_key,
                state.clock.now(),
                &actor,
                "staff.feed_applied",
                &file,
                &format!("upload={upload};{outcome}"),
            )
            .await?;
            if report.is_ok() {
                sqlx::query(
                    "UPDATE staff_feed_uploads SET state = 'applied', content = '' WHERE id = $1",
                )
                .bind(upload)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await
        }
        .await;
        if let Err(e) = recorded {
            tracing::error!(error = %e, "feed upload audit");
        }
        finish(&job, report, state.clock.now());
    });
    Ok(id)
}

fn finish(job: &Mutex<Job>, report: Result<crate::registry::feed::FeedReport, String>, now: i64) {
    if let Ok(mut job) = job.lock() {
        job.queued = false;
        job.finished_at = now;
        job.finished = Some(report.map(|mut r| {
            job.rejected = r.rejected.len();
            r.rejected.truncate(SHOWN_REJECTIONS);
            r
        }));
    }
}
