//! `server registry apply FILE`: the national registry's change feed (`app::registry::feed`),
//! with a progress bar, then every rejected line with its reason.

use crate::config::Config;
use crate::db;

pub async fn apply_command(args: &[String], config: &Config) -> Result<(), String> {
    let path = args
        .first()
        .ok_or("用法:server registry apply 变更文件(.jsonl 或 .csv)")?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("无法读取 {path}:{e}"))?;
    let started = std::time::Instant::now();
    let lines = app::registry::feed::read(&text);
    drop(text);
    let pool = db::connect_and_migrate(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let bar = indicatif::ProgressBar::new(lines.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} 行 ({per_sec}, 约 {eta} 完成)",
        )
        .map_err(|e| e.to_string())?
        .progress_chars("=> "),
    );
    let name = std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let report = app::registry::feed::apply(
        &pool,
        &config.data_key,
        lines,
        &format!("feed:{name}"),
        now,
        |done| bar.set_position(done),
    )
    .await;
    bar.finish_and_clear();
    pool.close().await;
    let report = report?;
    println!(
        "{} 行:应用 {} 项,此前已应用 {} 项,拒绝 {} 行;用时 {:.1} 秒",
        report.lines,
        report.applied,
        report.already,
        report.rejected.len(),
        started.elapsed().as_secs_f64()
    );
    for (line, reason) in report.rejected.iter().take(1000) {
        println!("第 {line} 行:{reason}");
    }
    if report.rejected.len() > 1000 {
        println!("……另有 {} 行被拒绝", report.rejected.len() - 1000);
    }
    Ok(())
}
