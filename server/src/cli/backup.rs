//! `server backup` and `server restore`: the SQLite database copied while it serves, and a
//! copy put back (servers stopped).

use crate::config::Config;
use crate::db;

/// `server backup FILE`: a consistent copy of the live SQLite database.
pub async fn backup(args: &[String]) -> Result<(), String> {
    let file = args
        .first()
        .ok_or("请指定备份文件,如 server backup backups/portal-20261201.db")?;
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let bytes = db::backup_sqlite(&config.database_url, std::path::Path::new(file)).await?;
    println!(
        "backup {file}: {bytes} bytes in {:.2} s, integrity_check ok",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `server restore FILE`: the backup in place of the SQLite database (servers stopped).
pub async fn restore(args: &[String]) -> Result<(), String> {
    let file = args.first().ok_or("请指定备份文件")?;
    let config = Config::from_env().map_err(|e| e.to_string())?;
    db::restore_sqlite(&config.database_url, std::path::Path::new(file)).await?;
    println!("restored {file}; the previous database is kept as <name>.before-restore");
    Ok(())
}
