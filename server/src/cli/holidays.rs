//! `server holidays import FILE`: the State Council's holiday schedule for 差评 work orders'
//! deadlines (five working days; `app::evaluation::working_days`). The years in the file are
//! replaced whole, so a corrected schedule is imported again.

use crate::config::Config;
use crate::db;

pub async fn command(args: &[String]) -> Result<(), String> {
    let (Some("import"), Some(path)) = (args.first().map(String::as_str), args.get(1)) else {
        return Err(format!(
            "用法:server holidays import FILE\n{}",
            super::USAGE
        ));
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("无法读取 {path}:{e}"))?;
    let days = app::evaluation::working_days::parse(&text)?;
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let pool = db::connect_and_migrate(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let stored = app::evaluation::repo::set_holidays(&pool, &days)
        .await
        .map_err(|e| e.to_string());
    pool.close().await;
    println!("已导入 {} 天的节假日安排", stored?);
    Ok(())
}
