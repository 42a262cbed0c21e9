//! `server registry …`: the registry's operator commands — generate, import, sample.

use super::{USAGE, flag};
use crate::config::Config;
use crate::db;

/// `server registry …`: operator commands on the registry.
pub async fn command(args: &[String]) -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    match args.first().map(String::as_str) {
        Some("generate") => generate_command(args, &config).await,
        Some("import") => import_command(args, &config).await,
        Some("sample") => sample_command(args, &config).await,
        Some("apply") => super::feed::apply_command(&args[1..], &config).await,
        _ => Err(format!("未知的 registry 子命令\n{USAGE}")),
    }
}

/// `server registry generate --persons N [--seed S]`: writes generated persons.
async fn generate_command(args: &[String], config: &Config) -> Result<(), String> {
    let persons = flag(args, "--persons")?.ok_or("请用 --persons N 指定人数")?;
    let seed = flag(args, "--seed")?.unwrap_or(42);
    let pool = db::connect_and_migrate(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let done = app::registry::generate::generate(&pool, &config.data_key, persons, seed, |p| {
        if p.persons % 100_000 == 0 || p.persons == persons {
            println!(
                "{} persons, {} registrations, {:.0} s",
                p.persons,
                p.registrations,
                started.elapsed().as_secs_f64()
            );
        }
    })
    .await
    .map_err(|e| format!("生成失败:{e}"))?;
    println!(
        "generated {} persons and {} registrations in {:.1} s",
        done.persons,
        done.registrations,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `server registry import FILE.csv`: imports persons from a CSV file.
async fn import_command(args: &[String], config: &Config) -> Result<(), String> {
    let path = args.get(1).ok_or("请指定 CSV 文件")?;
    let file = std::fs::File::open(path).map_err(|e| format!("无法打开 {path}:{e}"))?;
    let pool = db::connect_and_migrate(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let report =
        app::registry::import::import(&pool, &config.data_key, std::io::BufReader::new(file))
            .await?;
    for (line, reason) in report.rejected.iter().take(50) {
        println!("第 {line} 行:{reason}");
    }
    if report.rejected.len() > 50 {
        println!("……另有 {} 行未导入", report.rejected.len() - 50);
    }
    println!(
        "imported {} persons, {} registrations; {} rows rejected",
        report.persons,
        report.registrations,
        report.rejected.len()
    );
    Ok(())
}

/// `server registry sample [--count K] [--seed S]`: prints search requests for load tests.
async fn sample_command(args: &[String], config: &Config) -> Result<(), String> {
    // Load-test inputs: one line per request, "<kind>\t<path>", for scripts/bench-search.sh.
    use app::domain::url::percent_encode as enc;
    let count = flag(args, "--count")?.unwrap_or(1000) as i64;
    let seed = flag(args, "--seed")?.unwrap_or(42);
    let pool = db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let rows = app::registry::sample::registrations(&pool, count)
        .await
        .map_err(|e| e.to_string())?;
    let api = "/api/search_registry?";
    for r in rows {
        let (_, id) =
            app::registry::generate::id_number_for(r.person_id, seed).map_err(|e| e.to_string())?;
        let prefix: String = r.name.chars().take(1).collect();
        let employer: String = r.employer.chars().take(6).collect();
        // A 身份证号 search is addressed by its 查询凭据, as the search form makes it.
        let digest = app::domain::person::id_digest(&config.data_key, id.as_str());
        let key =
            app::registry::repo::create_search_key(&pool, Ok(&digest), app::domain::time::now())
                .await
                .map_err(|e| e.to_string())?;
        println!("id\t{api}query[key]={key}");
        println!("regno\t{api}query[reg_no]={}", enc(&r.registration_no));
        println!(
            "name_category\t{api}query[name]={}&query[category]={}",
            enc(&r.name),
            enc(&r.category)
        );
        println!(
            "prefix_employer\t{api}query[name]={}&query[employer]={}",
            enc(&prefix),
            enc(&employer)
        );
        println!(
            "page\t/search?name={}&category={}",
            enc(&r.name),
            enc(&r.category)
        );
    }
    Ok(())
}
