//! The server's commands: serving the portal (`serve`, the default) and the operator's commands
//! beside it — the registry (generate, import, sample), demo accounts for load tests, SQLite
//! backups, and the documents benchmark.

pub mod backup;
pub mod demo;
pub mod feed;
pub mod holidays;
pub mod registry;
pub mod serve;
pub mod staff;

pub const USAGE: &str = "用法:
  server                                           启动门户(默认)
  server registry generate --persons N [--seed S]  生成 N 名注册人员(同一种子结果相同)
  server registry import FILE.csv                  从 CSV 导入注册人员(格式见 docs/operating.md)
  server registry apply FILE                       应用全国注册人员库的变更文件(JSON 行或 CSV,格式见 docs/operating.md)
  server registry sample [--count K] [--seed S]    输出压测用的查询地址(scripts/bench-search.sh)
  server demo load-accounts --count N              压测用个人账户(开发或测试部署,输出身份证号)
  server backup FILE                               SQLite 数据库在线备份(服务运行时也可)
  server restore FILE                              用备份替换 SQLite 数据库(须先停止服务)
  server documents bench [--renders N]             电子证照 PDF/OFD 生成耗时与大小(默认 200 次)
  server staff add 用户名 --name 姓名 --roles 角色    添加工作人员(角色:acceptor 受理员、reviewer 审核员、
                                                   admin 管理员、readonly 只读),输出初始密码和 TOTP 地址
  server audit verify                              校验工作人员审计记录的 SM3 哈希链,报告第一处断开
  server holidays import FILE                      导入节假日安排(每行:日期,休 或 日期,班),差评工单按工作日计时
环境变量见 docs/operating.md:DATABASE_URL、PORTAL_ENV、PORTAL_DATA_KEY、LEPTOS_SITE_ADDR、PORTAL_ADMIN_ADDR …";

/// Runs the command `args` names (`args[0]` is the command).
pub async fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("registry") => registry::command(&args[1..]).await,
        Some("backup") => backup::backup(&args[1..]).await,
        Some("demo") => demo::command(&args[1..]).await,
        Some("restore") => backup::restore(&args[1..]).await,
        Some("documents") => documents(&args[1..]),
        Some("staff") => staff::command(&args[1..]).await,
        Some("audit") => staff::audit_command(&args[1..]).await,
        Some("holidays") => holidays::command(&args[1..]).await,
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("未知命令 \"{other}\"\n{USAGE}")),
        None => Err(USAGE.to_string()),
    }
}

/// `server documents bench [--renders N]`.
fn documents(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) != Some("bench") {
        return Err(format!("未知的 documents 子命令\n{USAGE}"));
    }
    let renders = args
        .iter()
        .position(|a| a == "--renders")
        .and_then(|i| args.get(i + 1))
        .map_or(Ok(200), |v| v.parse::<usize>())
        .map_err(|_| "--renders 需要一个正整数".to_string())?;
    documents::bench(renders)
}

/// The value of the non-negative integer flag `name` in `args`, if given.
fn flag(args: &[String], name: &str) -> Result<Option<u64>, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .map(Some)
            .ok_or_else(|| format!("{name} 需要一个非负整数")),
    }
}
