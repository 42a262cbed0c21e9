//! 变更文件上传: a 管理员 uploads a change feed of the national registry in the console, as
//! `server registry apply FILE` takes one (`registry::feed`). The file is applied in the
//! background in the same batches; its page shows a progress line that refreshes itself every
//! two seconds (no JavaScript needed), then the report with every rejected line and its reason.
//! The jobs live in this server's memory: the console is reached on one server's own listener.

use crate::platform::state::AppState;
use crate::staff::{StaffMember, audit};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The largest file the console takes (a million lines of JSON are about 200 MB).
pub const MAX_BYTES: usize = 256 * 1024 * 1024;

/// A feed being applied, or applied.
#[derive(Clone, Debug, Default)]
pub struct Job {
    pub file: String,
    pub by: String,
    pub lines: u64,
    pub done: u64,
    pub started: i64,
    /// The report once finished, or why it stopped.
    pub finished: Option<Result<crate::registry::feed::FeedReport, String>>,
}

fn jobs() -> &'static Mutex<HashMap<u64, Arc<Mutex<Job>>>> {
    static JOBS: OnceLock<Mutex<HashMap<u64, Arc<Mutex<Job>>>>> = OnceLock::new();
    JOBS.get_or_init(Default::default)
}

/// A job by its number.
pub fn job(id: u64) -> Option<Job> {
    let jobs = jobs().lock().ok()?;
    let job = jobs.get(&id)?.lock().ok()?.clone();
    Some(job)
}

/// Starts applying `text` (the uploaded file `file`); the job's number.
pub fn start(state: &AppState, by: &StaffMember, file: &str, text: &str) -> Result<u64, String> {
    let lines = crate::registry::feed::read(text);
    if lines.is_empty() {
        return Err("文件为空,请选择全国注册人员库的变更文件(JSON 行或 CSV)".into());
    }
    let id = rand::random::<u32>() as u64;
    let now = state.clock.now();
    let job = Arc::new(Mutex::new(Job {
        file: file.to_string(),
        by: by.display_name.clone(),
        lines: lines.len() as u64,
        started: now,
        ..Job::default()
    }));
    jobs()
        .lock()
        .map_err(|_| "服务暂时不可用".to_string())?
        .insert(id, job.clone());
    let state = state.clone();
    let actor = super::service::actor(by);
    let file = file.to_string();
    tokio::spawn(async move {
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
        if let Ok(report) = &report {
            let summary = format!(
                "file={file};lines={};applied={};already={};rejected={}",
                report.lines,
                report.applied,
                report.already,
                report.rejected.len()
            );
            let recorded = async {
                let mut tx = crate::platform::db::begin_write(&state.db).await?;
                audit::append(
                    &mut tx,
                    &state.settings.data_key,
                    state.clock.now(),
                    &actor,
                    "staff.feed_upload",
                    &file,
                    &summary,
                )
                .await?;
                tx.commit().await
            }
            .await;
            if let Err(e) = recorded {
                tracing::error!(error = %e, "feed upload audit");
            }
        }
        if let Ok(mut job) = job.lock() {
            job.finished = Some(report);
        }
    });
    Ok(id)
}
