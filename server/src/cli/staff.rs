//! `server staff add` (the first 管理员, or any staff member, from the operator's shell) and
//! `server audit verify` (walks the staff audit's SM3 chain).

use crate::config::Config;
use crate::db;
use app::staff::Role;
use app::staff::audit::{self, Verified};
use app::staff::console::service::{self, Actor};

/// `server staff add USERNAME --name 姓名 --roles admin[,reviewer,…]`.
pub async fn command(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) != Some("add") {
        return Err(format!("未知的 staff 子命令\n{}", super::USAGE));
    }
    let username = args
        .get(1)
        .filter(|a| !a.starts_with("--"))
        .ok_or("用法:server staff add 用户名 --name 姓名 --roles admin")?;
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let name = value("--name").ok_or("请用 --name 给出姓名")?;
    let roles = Role::parse_list(&value("--roles").ok_or("请用 --roles 给出角色,如 admin")?)?;
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let pool = db::connect_and_migrate(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let passwords = app::platform::passwords::PasswordHasher::new(1);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let created = service::add_staff_to(
        &pool,
        &passwords,
        &config.data_key,
        now,
        Actor::Cli,
        username,
        &name,
        &roles,
    )
    .await?;
    pool.close().await;
    // The secrets go to the operator's terminal only, never to the log.
    println!("已添加工作人员 {}({})", created.username, {
        roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join("、")
    });
    println!("初始密码(只显示这一次):{}", created.password);
    println!("身份验证器地址(TOTP,只显示这一次;可生成二维码扫描):");
    println!("{}", created.provisioning_uri);
    println!(
        "本人首次登录(PORTAL_ADMIN_ADDR 上的 /admin)后须设置自己的密码并添加新的身份验证器,上述两项随即作废。"
    );
    Ok(())
}

/// `server audit verify`.
pub async fn audit_command(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) != Some("verify") {
        return Err(format!("未知的 audit 子命令\n{}", super::USAGE));
    }
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let pool = db::connect_and_migrate(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let verified = audit::verify(&pool, &config.data_key)
        .await
        .map_err(|e| e.to_string());
    pool.close().await;
    match verified? {
        Verified::Intact { entries, last_hash } => {
            println!("审计链完整:共 {entries} 条,末条 SM3 哈希 {last_hash}");
            Ok(())
        }
        Verified::Broken { seq, reason } => Err(format!("审计链在第 {seq} 条断开:{reason}")),
    }
}
