//! 差评工单 as the console handles them (issue 28 §5; the ratings are `evaluation`): a 受理员
//! records the 核实, the 整改 and the 回访, in that order, each with its note and its audit
//! entry in one transaction. An order still open after its deadline (five working days) is
//! flagged here and counted in `/metrics`.

use super::{StaffMember, db_error};
use crate::evaluation::repo::{self, STEPS};
use crate::platform::db::begin_write;
use crate::platform::state::AppState;

/// A step's name in the console.
pub fn step_label(step: &str) -> &'static str {
    match step {
        "verify" => "核实",
        "rectify" => "整改",
        "visit" => "回访",
        _ => "",
    }
}

/// The step an order in `state` waits for.
pub fn next_step(state: &str) -> Option<&'static str> {
    STEPS
        .iter()
        .find(|(_, from, ..)| *from == state)
        .map(|(step, ..)| *step)
}

/// Records step `step` of order `id` with `note`.
pub async fn record(
    state: &AppState,
    by: &StaffMember,
    id: i64,
    step: &str,
    note: &str,
) -> Result<(), String> {
    let label = step_label(step);
    if label.is_empty() {
        return Err("未知的处理步骤".into());
    }
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 300 {
        return Err(format!("请填写{label}情况(300 字以内)"));
    }
    let now = state.clock.now();
    let mut tx = begin_write(&state.db).await.map_err(db_error)?;
    if !repo::record_step(&mut tx, id, step, note, now)
        .await
        .map_err(db_error)?
    {
        return Err(format!(
            "第 {id} 号工单当前不能记录{label}(须依次核实、整改、回访)"
        ));
    }
    super::record(
        &mut tx,
        &state.settings.data_key,
        now,
        by,
        &format!("staff.order_{step}"),
        &format!("order:{id}"),
        note,
    )
    .await?;
    tx.commit().await.map_err(db_error)
}
