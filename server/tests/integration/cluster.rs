//! Several servers on one database, as behind a load balancer: a limit is the same however
//! many processes answer, servers started together on a fresh database all come up, a live
//! SQLite database is backed up while written and restored only when no server uses it, and
//! the operator's `/metrics` and JSON logs. Real `server` processes, on SQLite always and on
//! PostgreSQL when `TEST_POSTGRES_URL` is set.

use crate::common;
use crate::common::process::{Process, free_ports, http, raw_get, spawn_server_with, wait_healthy};
use crate::common::{TempDir, TestDb};
use std::time::Duration;

const WANG: &str = "110105198003150039";

/// The registry search by number, as the search page asks it.
const SEARCH: &str = "/api/search_registry?query[reg_no]=%E4%BA%AC1112010000001";

#[tokio::test]
async fn a_limit_is_the_same_on_two_processes() {
    for db in TestDb::all().await {
        let (a, b) = free_ports();
        let limits = [("PORTAL_SEARCH_LIMIT", "6"), ("PORTAL_LOGIN_LIMIT", "4")];
        let _first = spawn_server_with(&db.url, a, &limits);
        wait_healthy(a).await;
        let _second = spawn_server_with(&db.url, b, &limits);
        wait_healthy(b).await;

        // Six searches, alternated between the two processes: each process alone has seen
        // three, well within its limit if it counted alone.
        for i in 0..6 {
            let port = if i % 2 == 0 { a } else { b };
            let (status, _, body) = http(port, "GET", SEARCH, None, "").await;
            assert_eq!(status, 200, "{}: search {i} on {port}: {body}", db.label);
        }
        // Searches are counted in memory and flushed every 100 ms: once both processes have
        // flushed, the seventh is refused wherever it lands.
        tokio::time::sleep(3 * app::platform::rate_limit::FLUSH_EVERY).await;
        for port in [a, b] {
            let (status, _, body) = http(port, "GET", SEARCH, None, "").await;
            assert_eq!(
                status, 429,
                "{}: over the limit on {port}: {body}",
                db.label
            );
            assert!(body.contains("RateLimited"), "{}: {body}", db.label);
        }

        // Login attempts: four alternated, the fifth refused on either process (before the
        // account's own lock, which needs five failures).
        let wrong = format!("kind=person&login_id={WANG}&password=Wrong%402026");
        for i in 0..4 {
            let port = if i % 2 == 0 { b } else { a };
            let (status, _, body) = http(port, "POST", "/api/login", None, &wrong).await;
            assert_ne!(status, 429, "{}: attempt {i}: {body}", db.label);
        }
        for port in [a, b] {
            let (status, _, body) = http(port, "POST", "/api/login", None, &wrong).await;
            assert_eq!(status, 429, "{}: fifth attempt on {port}: {body}", db.label);
        }
        db.close().await;
    }
}

/// The search limit as two servers of one deployment count it in memory.
fn search_limiter(limit: u32) -> app::platform::rate_limit::RateLimiter {
    app::platform::rate_limit::RateLimiter::counting(
        app::platform::rate_limit::Counting::Batched,
        app::platform::rate_limit::scopes::SEARCH,
        limit,
        Duration::from_secs(60),
        56,
    )
}

async fn stored_count(db: &TestDb, key: &str) -> i64 {
    sqlx::query_scalar("SELECT count FROM request_counters WHERE scope = 'search' AND key = $1")
        .bind(key)
        .fetch_optional(&db.pool)
        .await
        .expect("read the count")
        .unwrap_or(0)
}

#[tokio::test]
async fn searches_counted_in_memory_all_reach_the_shared_count() {
    for db in TestDb::all().await {
        let limiter = search_limiter(1_000);
        let now = app::domain::time::now();
        let client: std::net::IpAddr = "10.1.2.3".parse().unwrap();
        for i in 0..250 {
            assert!(
                limiter.allow(&db.pool, client, now).await.unwrap(),
                "{}: search {i}",
                db.label
            );
        }
        // Counted by at most a few upserts, never lost: a flush (as every 100 ms and at a
        // graceful stop) leaves the whole count in the database.
        limiter.flush(&db.pool, now).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        limiter.flush(&db.pool, now).await;
        assert_eq!(stored_count(&db, "10.1.2.3").await, 250, "{}", db.label);
        // With one server the limit is exact.
        let limiter = search_limiter(7);
        let other: std::net::IpAddr = "10.1.2.4".parse().unwrap();
        let mut passed = 0;
        for _ in 0..30 {
            if limiter.allow(&db.pool, other, now).await.unwrap() {
                passed += 1;
            }
        }
        assert_eq!(passed, 7, "{}: one server counts exactly", db.label);
        assert_eq!(limiter.refused(), 23, "{}", db.label);
        db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concurrent_burst_on_one_server_passes_exactly_the_limit() {
    for db in TestDb::all().await {
        let limiter = std::sync::Arc::new(search_limiter(20));
        let now = app::domain::time::now();
        let client: std::net::IpAddr = "10.5.5.5".parse().unwrap();
        // 300 searches at once from one client: those sent to the database and not yet
        // answered still count, so none passes on a count that left them out.
        let mut burst = tokio::task::JoinSet::new();
        for _ in 0..300 {
            let (limiter, pool) = (limiter.clone(), db.pool.clone());
            burst.spawn(async move { limiter.allow(&pool, client, now).await.unwrap() });
        }
        let mut passed = 0;
        while let Some(answer) = burst.join_next().await {
            if answer.unwrap() {
                passed += 1;
            }
        }
        assert_eq!(
            passed, 20,
            "{}: one server counts exactly, however concurrent",
            db.label
        );
        db.close().await;
    }
}

#[tokio::test]
async fn a_burst_spread_over_two_servers_passes_the_limit_by_at_most_a_tenth_per_other_server() {
    for db in TestDb::all().await {
        let (a, b) = (search_limiter(20), search_limiter(20));
        let now = app::domain::time::now();
        let client: std::net::IpAddr = "10.7.7.7".parse().unwrap();
        // The scraper's burst, alternated, faster than any flush.
        let mut passed = 0;
        for i in 0..200 {
            let limiter = if i % 2 == 0 { &a } else { &b };
            if limiter.allow(&db.pool, client, now).await.unwrap() {
                passed += 1;
            }
        }
        assert!(
            (20..=22).contains(&passed),
            "{}: {passed} passed; the limit is 20 and one other server may hold 2 uncounted",
            db.label
        );
        // Once both have flushed, both refuse, and the database holds every passed search.
        a.flush(&db.pool, now).await;
        b.flush(&db.pool, now).await;
        a.flush(&db.pool, now).await;
        for limiter in [&a, &b] {
            assert!(
                !limiter.allow(&db.pool, client, now).await.unwrap(),
                "{}",
                db.label
            );
        }
        assert!(
            stored_count(&db, "10.7.7.7").await >= passed,
            "{}",
            db.label
        );
        db.close().await;
    }
}

#[tokio::test]
async fn a_search_limit_that_cannot_reach_its_database_refuses_within_one_flush() {
    for db in TestDb::all().await {
        let limiter = search_limiter(1_000);
        let now = app::domain::time::now();
        let client: std::net::IpAddr = "10.9.9.9".parse().unwrap();
        assert!(limiter.allow(&db.pool, client, now).await.unwrap());
        db.pool.close().await;
        // The database is gone: the first flush fails, and from then on every search is
        // counted in the database, which fails the request (never passes it uncounted).
        limiter.flush(&db.pool, now).await;
        assert_eq!(limiter.flush_failures(), 1, "{}", db.label);
        for _ in 0..3 {
            assert!(
                limiter.allow(&db.pool, client, now).await.is_err(),
                "{}: a search passed without a count",
                db.label
            );
        }
        db.close().await;
    }
}

#[tokio::test]
async fn servers_started_together_on_a_fresh_database_all_serve() {
    for db in TestDb::all_empty().await {
        let ports = [free_ports(), free_ports()];
        let ports = [ports[0].0, ports[0].1, ports[1].0];
        // Three at once, as a deployment starts them: one migrates and seeds, the others wait.
        let mut servers: Vec<Process> = ports
            .iter()
            .map(|&port| spawn_server_with(&db.url, port, &[]))
            .collect();
        for &port in &ports {
            wait_healthy(port).await;
        }
        for server in &mut servers {
            assert!(
                server.0.try_wait().expect("server status").is_none(),
                "{}: a server exited at start",
                db.label
            );
        }
        let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&db.pool)
            .await
            .expect("count accounts");
        assert_eq!(accounts, 3, "{}: the demo accounts, once each", db.label);
        let named: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM registrations WHERE registration_no = '京1112010000001'",
        )
        .fetch_one(&db.pool)
        .await
        .expect("count registrations");
        assert_eq!(named, 1, "{}: the demo registry, once", db.label);
        // Each serves a signed-in citizen.
        let login = format!("kind=person&login_id={WANG}&password=Demo%402026");
        for &port in &ports {
            let (status, cookie, body) = http(port, "POST", "/api/login", None, &login).await;
            assert_eq!(status, 200, "{}: login on {port}: {body}", db.label);
            assert!(!cookie.is_empty(), "{}", db.label);
        }
        drop(servers);
        db.close().await;
    }
}

/// `server backup` / `server restore` with the environment of `db_url`.
fn operator(db_url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", db_url)
        .env("PORTAL_ENV", "development")
        .env("RUST_LOG", "warn")
        .output()
        .expect("server binary runs")
}

#[tokio::test]
async fn a_live_sqlite_database_is_backed_up_while_written_and_restored_when_stopped() {
    let db = TestDb::sqlite().await;
    let (port, _) = free_ports();
    let server = spawn_server_with(&db.url, port, &[]);
    wait_healthy(port).await;

    // Citizens log in (each login writes a session) all through the backup.
    let writing = tokio::spawn(async move {
        let login = format!("kind=person&login_id={WANG}&password=Demo%402026");
        let mut ok = 0;
        for _ in 0..40 {
            let (status, _, _) = http(port, "POST", "/api/login", None, &login).await;
            ok += usize::from(status == 200);
        }
        ok
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let dir = TempDir::new();
    let copy = format!("{}/copy.db", dir.path);
    let out = operator(&db.url, &["backup", &copy]);
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "backup: {said}");
    assert!(said.contains("integrity_check ok"), "{said}");
    assert_eq!(
        writing.await.unwrap(),
        40,
        "every login went through during the backup"
    );

    // The copy holds every account: readable by its owner alone.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "backup mode {mode:o}");

    // Backing up onto an existing file is refused: nothing is overwritten.
    let again = operator(&db.url, &["backup", &copy]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("已存在"));

    // The copy is a whole portal database.
    let copy_url = format!("sqlite://{copy}");
    let copy_pool = server::db::connect(&copy_url).await.expect("open the copy");
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(&copy_pool)
        .await
        .unwrap();
    assert_eq!(accounts, 3);
    copy_pool.close().await;

    // Restoring under a running server is refused.
    let refused = operator(&db.url, &["restore", &copy]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("请先停止"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    // A file that is not a portal database is refused.
    let junk = format!("{}/junk.db", dir.path);
    std::fs::write(&junk, b"not a database").unwrap();
    drop(server);
    let junk_out = operator(&db.url, &["restore", &junk]);
    assert!(!junk_out.status.success());

    // Stopped: the copy goes back in place and serves.
    let restored = operator(&db.url, &["restore", &copy]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    // The database it replaced is kept; a second restore would overwrite that, and is refused.
    let again = operator(&db.url, &["restore", &copy]);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("before-restore"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let _server = spawn_server_with(&db.url, port, &[]);
    wait_healthy(port).await;
    let login = format!("kind=person&login_id={WANG}&password=Demo%402026");
    let (status, _, body) = http(port, "POST", "/api/login", None, &login).await;
    assert_eq!(status, 200, "after restore: {body}");
    db.close().await;
}

/// A staging deployment's settings: production in every respect but the outside services.
fn staging(url: &str, port: u16, token: &str) -> Vec<(String, String)> {
    [
        ("DATABASE_URL", url.to_string()),
        ("PORTAL_ENV", "production".into()),
        ("PORTAL_STAGING", "1".into()),
        ("PORTAL_PUBLIC_URL", "https://127.0.0.1:8443".into()),
        (
            "PORTAL_DATA_KEY",
            "staging-data-key-staging-data-key-0001".into(),
        ),
        ("PORTAL_METRICS_TOKEN", token.into()),
        ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")),
        ("LEPTOS_SITE_ROOT", "target/site".into()),
        ("LEPTOS_OUTPUT_NAME", "portal".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

#[tokio::test]
async fn metrics_need_the_token_in_production_and_count_what_happened() {
    let db = TestDb::sqlite().await;
    let (port, _) = free_ports();
    let token = "metrics-token-0123456789";
    let _server = common::process::Process(
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .envs(staging(&db.url, port, token))
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start the server"),
    );
    wait_healthy(port).await;
    let (status, _, body) = http(port, "GET", SEARCH, None, "").await;
    assert_eq!(status, 200, "{body}");

    let scrape = |auth: Option<String>| async move {
        let auth = auth
            .map(|a| format!("Authorization: {a}\r\n"))
            .unwrap_or_default();
        raw_get(port, "/metrics", &auth).await
    };
    for refused in [
        None,
        Some("Bearer wrong-token-0123456789".into()),
        Some(token.into()),
    ] {
        let raw = scrape(refused.clone()).await;
        assert!(raw.starts_with("HTTP/1.1 404"), "{refused:?}: {raw}");
    }
    let raw = scrape(Some(format!("Bearer {token}"))).await;
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    for family in [
        "portal_http_requests_total{route=\"/api/search_registry\",status=\"200\"} 1",
        "portal_http_request_duration_seconds_bucket{route=\"/api/search_registry\",le=\"+Inf\"} 1",
        "portal_db_pool_connections{state=\"idle\"}",
        "portal_db_up 1",
        "portal_face_event_streams 0",
        "portal_rate_limit_refusals_total{limit=\"search\"} 0",
        "# TYPE portal_document_renders_total counter",
    ] {
        assert!(raw.contains(family), "no {family} in {raw}");
    }
    // Never an address with its query: the route pattern only.
    assert!(!raw.contains("reg_no"), "{raw}");
    db.close().await;
}

/// The server's `错误:` line when it refuses to start on `url` with `vars`.
fn refusal(url: &str, vars: Vec<(String, String)>) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", url)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LEPTOS_OUTPUT_NAME", "portal")
        .envs(vars)
        .output()
        .expect("server binary runs");
    assert!(!out.status.success(), "the server started");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    stderr
        .lines()
        .find(|l| l.starts_with("错误:"))
        .unwrap_or_else(|| panic!("no 错误: line in {stderr}"))
        .to_string()
}

#[tokio::test]
async fn demo_and_production_servers_refuse_each_others_databases() {
    for db in TestDb::all().await {
        // A production database (marked at its first start) is refused by a development server
        // and by a staging one: their face check passes anyone, their demo accounts have a
        // published password.
        sqlx::query("INSERT INTO deployment (id, kind, marked_at) VALUES (1, 'production', 0)")
            .execute(&db.pool)
            .await
            .unwrap();
        let line = refusal(&db.url, vec![("PORTAL_ENV".into(), "development".into())]);
        assert!(line.contains("属于生产环境"), "{}: {line}", db.label);
        let line = refusal(&db.url, staging(&db.url, 0, "metrics-token-0123456789"));
        assert!(line.contains("属于生产环境"), "{}: {line}", db.label);
        // Nor may the load-test accounts be made there.
        let out = operator(&db.url, &["demo", "load-accounts", "--count", "3"]);
        assert!(!out.status.success(), "{}", db.label);
        db.close().await;
    }
    // A database in use but not yet marked (production's, from before the mark): staging
    // will not take it.
    let db = TestDb::sqlite().await;
    common::with_demo_accounts(&common::state(
        &db,
        app::platform::state::PortalEnv::Development,
    ))
    .await;
    let line = refusal(&db.url, staging(&db.url, 0, "metrics-token-0123456789"));
    assert!(line.contains("未标明用途"), "{line}");
    db.close().await;
}

#[test]
fn staging_refuses_an_address_other_than_this_machine() {
    let mut vars = staging("sqlite::memory:", 0, "metrics-token-0123456789");
    for (k, v) in &mut vars {
        if k == "PORTAL_PUBLIC_URL" {
            *v = "https://zwfw.example.gov.cn".into();
        }
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(vars)
        .output()
        .expect("server binary runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("PORTAL_STAGING"), "{stderr}");
}

#[tokio::test]
async fn json_logs_carry_the_load_balancers_request_id() {
    use tokio::io::AsyncBufReadExt;
    let db = TestDb::sqlite().await;
    let (port, _) = free_ports();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", &db.url)
        .env("PORTAL_ENV", "development")
        .env("PORTAL_TRUST_FORWARDED_FOR", "1")
        .env("PORTAL_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_OUTPUT_NAME", "portal")
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start the server");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    wait_healthy(port).await;
    let answer = raw_get(port, SEARCH, "X-Request-Id: lb-4f2a-0001\r\n").await;
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("x-request-id: lb-4f2a-0001"),
        "{answer}"
    );
    let line = tokio::time::timeout(Duration::from_secs(5), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if line.contains("lb-4f2a-0001") {
                return line;
            }
        }
        String::new()
    })
    .await
    .expect("the request's log line");
    let v: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
    assert_eq!(v["span"]["id"], "lb-4f2a-0001", "{line}");
    assert_eq!(v["fields"]["route"], "/api/search_registry", "{line}");
    assert_eq!(v["fields"]["status"], 200, "{line}");
    assert!(
        !line.contains("reg_no"),
        "no query string in the log: {line}"
    );

    // A 核验码 in the address is a key: the log names the route, not the code.
    let code = "0123456789abcdef0123456789abcdef";
    raw_get(
        port,
        &format!("/verify/{code}"),
        "X-Request-Id: lb-4f2a-0002\r\n",
    )
    .await;
    let line = tokio::time::timeout(Duration::from_secs(5), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if line.contains("lb-4f2a-0002") && line.contains("\"status\"") {
                return line;
            }
        }
        String::new()
    })
    .await
    .expect("the verify page's log line");
    assert!(line.contains("/verify/{code}"), "{line}");
    assert!(
        !line.contains(code),
        "the code stays out of the log: {line}"
    );
    let _ = child.kill().await;
    db.close().await;
}
