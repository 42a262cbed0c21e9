//! Opening and migrating the database: SQLite or PostgreSQL behind one `AnyPool`, each with
//! its own migrations folder, chosen by the URL's scheme.

use crate::config::{Backend, backend_of, redact_url};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("无法连接数据库 {url}:{reason}")]
    Connect { url: String, reason: String },
    #[error("数据库迁移失败:{0}")]
    Migrate(String),
    #[error("{0}")]
    Config(#[from] crate::config::ConfigError),
}

/// Connects, applies the per-connection settings and runs the pending migrations.
pub async fn connect_and_migrate(url: &str) -> Result<AnyPool, DbError> {
    let pool = connect(url).await?;
    migrate(&pool).await?;
    Ok(pool)
}

/// The server's pool: as [`connect`], with the bounds that make an outage fail fast instead
/// of queueing: a connection is waited for at most three seconds, and on PostgreSQL a
/// statement runs at most five (`statement_timeout`), so a hung database answers 503 within
/// five seconds and no request waits without end.
///
/// The migrations run first on a pool of their own, without the time limit: on a registry of
/// millions a migration that rewrites a table takes minutes, and under the five seconds it
/// was cancelled and the server could not start (found with migration 14 on 1,000,000
/// persons).
/// (SQLite has no such limit, and an in-memory database lives in its one pool.)
pub async fn connect_serving(url: &str) -> Result<AnyPool, DbError> {
    if backend_of(url)? == Backend::Postgres {
        let migrating = connect(url).await?;
        migrate(&migrating).await?;
        migrating.close().await;
        return connect_with(url, true).await;
    }
    let pool = connect_with(url, true).await?;
    migrate(&pool).await?;
    Ok(pool)
}

/// A pool for the operator's commands (no statement time limit: an import may take long).
pub async fn connect(url: &str) -> Result<AnyPool, DbError> {
    connect_with(url, false).await
}

async fn connect_with(url: &str, serving: bool) -> Result<AnyPool, DbError> {
    install_default_drivers();
    let backend = backend_of(url)?;
    if backend == Backend::Sqlite {
        crate::config::prepare_sqlite_dir(url)?;
    }
    let connect_error = |e: sqlx::Error| DbError::Connect {
        url: redact_url(url),
        reason: first_line(&e.to_string()),
    };
    // One direct connection first: a pool would retry until its timeout and report only
    // "timed out", where the operator needs "connection refused" or "password authentication failed".
    let probe = tokio::time::timeout(Duration::from_secs(10), AnyConnection::connect(url))
        .await
        .map_err(|_| DbError::Connect {
            url: redact_url(url),
            reason: "连接超时(10 秒)".to_string(),
        })?
        .map_err(connect_error)?;
    let _ = probe.close().await;
    // Few connections: on a small machine the queries are CPU-bound, and every extra
    // connection (a thread for SQLite, a process for PostgreSQL) only adds switching.
    let options = AnyPoolOptions::new()
        .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
        .acquire_timeout(Duration::from_secs(if serving { 3 } else { 10 }))
        // A connection handed back still inside a transaction is closed, not pooled: a request
        // abandoned while its BEGIN waited (the answer's bound) can leave the connection in a
        // transaction nothing will end, and on SQLite that one connection would hold the write
        // lock for every other. Closing it rolls the transaction back.
        .after_release(|conn, _meta| {
            Box::pin(async move {
                use sqlx::Connection as _;
                Ok(!conn.is_in_transaction())
            })
        })
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // WAL lets readers run beside the one writer; writers wait for each other
                    // instead of failing. The server commits with FULL: each commit reaches
                    // the disk before the citizen is told it is done. NORMAL left commits in
                    // the page cache, and the sqlite-disk drill lost 9 of 10 acknowledged
                    // logins when the file system failed under it. The operator's bulk
                    // commands (registry generate, import), which can simply be run again,
                    // keep NORMAL, and a page cache of up to 1 GiB instead of 2 MiB: a bulk
                    // load inserts into indexes on random keys (digests, public ids), whose
                    // pages it would otherwise read back from the file again and again.
                    // A writer waits for another at most 3 s, within the server functions'
                    // 4 s: the wait ends in SQLITE_BUSY (a clean 503), not in the request
                    // being abandoned in the middle of its BEGIN.
                    conn.execute(if serving {
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA busy_timeout = 3000; PRAGMA foreign_keys = ON;"
                    } else {
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
                         PRAGMA cache_size = -1048576;"
                    })
                    .await?;
                } else if serving {
                    conn.execute("SET statement_timeout = 5000").await?;
                }
                Ok(())
            })
        });
    options.connect(url).await.map_err(connect_error)
}

fn migrator_of(pool: &AnyPool) -> &'static Migrator {
    match Backend::of(pool) {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    }
}

pub async fn migrate(pool: &AnyPool) -> Result<(), DbError> {
    migrator_of(pool)
        .run(pool)
        .await
        .map_err(|e| DbError::Migrate(first_line(&e.to_string())))
}

/// Runs the migrations up to `version` only: a database as an older release left it, for the
/// tests of what a later migration does with its rows.
pub async fn migrate_up_to(pool: &AnyPool, version: i64) -> Result<(), DbError> {
    let all = migrator_of(pool);
    let older = Migrator {
        migrations: all
            .migrations
            .iter()
            .filter(|m| m.version <= version)
            .cloned()
            .collect::<Vec<_>>()
            .into(),
        ..Migrator::DEFAULT
    };
    older
        .run(pool)
        .await
        .map_err(|e| DbError::Migrate(first_line(&e.to_string())))
}

/// Held by the one process that migrates and seeds the database while others that start at
/// the same moment wait: N servers started together on a fresh database would otherwise all
/// find it empty and all load the demo data. PostgreSQL: a session advisory lock (released
/// with the connection, also when the process dies). SQLite: an exclusive lock on a file
/// beside the database (released by the kernel when the process dies).
pub enum StartupLock {
    Postgres(AnyConnection),
    /// `starting` held exclusively now; `in_use` to be held shared while serving.
    Sqlite {
        starting: std::fs::File,
        in_use: std::fs::File,
    },
    /// An in-memory database: no other process can open it.
    Unshared,
}

/// The advisory lock's key on PostgreSQL: "portal" start-up, any fixed number of our own.
const STARTUP_LOCK_KEY: i64 = 0x706f_7274_616c_0001;

/// The lock files beside a SQLite database: held exclusively by the process that migrates
/// and seeds (and by `server restore`), and shared by every serving process.
const STARTING: &str = ".startup-lock";
const IN_USE: &str = ".in-use-lock";

fn lock_file(db: &std::path::Path, suffix: &str) -> Result<std::fs::File, String> {
    let mut path = db.as_os_str().to_owned();
    path.push(suffix);
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| {
            format!(
                "无法打开锁文件 {}:{e}",
                std::path::Path::new(&path).display()
            )
        })
}

impl StartupLock {
    /// Waits (up to ten minutes: another process may be loading the demo registry) until
    /// this process may migrate and seed `url`.
    pub async fn acquire(url: &str) -> Result<Self, DbError> {
        install_default_drivers();
        let fail = |reason: String| DbError::Connect {
            url: redact_url(url),
            reason,
        };
        let wait = Duration::from_secs(600);
        match backend_of(url)? {
            Backend::Postgres => {
                let mut conn =
                    tokio::time::timeout(Duration::from_secs(10), AnyConnection::connect(url))
                        .await
                        .map_err(|_| fail("连接超时(10 秒)".into()))?
                        .map_err(|e| fail(first_line(&e.to_string())))?;
                tokio::time::timeout(
                    wait,
                    sqlx::query("SELECT pg_advisory_lock($1)")
                        .bind(STARTUP_LOCK_KEY)
                        .execute(&mut conn),
                )
                .await
                .map_err(|_| fail("等待其他进程完成数据库初始化超时(10 分钟)".into()))?
                .map_err(|e| fail(first_line(&e.to_string())))?;
                Ok(Self::Postgres(conn))
            }
            Backend::Sqlite => {
                let Some(path) = crate::config::sqlite_path(url) else {
                    return Ok(Self::Unshared);
                };
                crate::config::prepare_sqlite_dir(url)?;
                let starting = lock_file(&path, STARTING).map_err(fail)?;
                let in_use = lock_file(&path, IN_USE).map_err(fail)?;
                let starting =
                    tokio::task::spawn_blocking(move || starting.lock().map(|()| starting))
                        .await
                        .map_err(|e| fail(e.to_string()))?
                        .map_err(|e| fail(format!("无法锁定启动锁文件:{e}")))?;
                Ok(Self::Sqlite { starting, in_use })
            }
        }
    }

    /// Lets the next waiting process go on (it finds the database migrated and seeded). On
    /// SQLite the server goes on holding a shared lock while it serves, so that
    /// `server restore` can tell that the database is in use.
    pub async fn release(self) -> InUse {
        match self {
            Self::Postgres(mut conn) => {
                let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(STARTUP_LOCK_KEY)
                    .execute(&mut conn)
                    .await;
                let _ = conn.close().await;
                InUse(None)
            }
            Self::Sqlite { starting, in_use } => {
                // Shared first, then let the next starter go: no moment where neither is held.
                let shared = in_use.try_lock_shared().ok().map(|()| in_use);
                let _ = starting.unlock();
                InUse(shared)
            }
            Self::Unshared => InUse(None),
        }
    }
}

/// A serving process's shared hold on a SQLite database's lock file (released at exit).
pub struct InUse(#[allow(dead_code)] Option<std::fs::File>);

/// `server backup FILE`: a consistent copy of a live SQLite database, made while the servers
/// go on writing (`VACUUM INTO` reads one snapshot), then checked (`PRAGMA integrity_check`).
/// Returns the copy's size in bytes.
pub async fn backup_sqlite(url: &str, target: &std::path::Path) -> Result<u64, String> {
    if backend_of(url).map_err(|e| e.to_string())? != Backend::Sqlite {
        return Err(POSTGRES_BACKUP.into());
    }
    // Made new and readable by the owner alone before SQLite writes into it: the copy holds
    // every account, and an existing file (or a link planted in its place) is never written.
    private_new_file(target).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            format!("{} 已存在,请指定一个新文件名", target.display())
        }
        _ => format!("无法创建 {}:{e}", target.display()),
    })?;
    let pool = connect(url).await.map_err(|e| e.to_string())?;
    let target_text = target
        .to_str()
        .ok_or("备份文件名须为 UTF-8 路径")?
        .to_string();
    let copied = sqlx::query("VACUUM INTO $1")
        .bind(&target_text)
        .execute(&pool)
        .await;
    pool.close().await;
    if let Err(e) = copied {
        let _ = std::fs::remove_file(target);
        return Err(format!("备份失败:{}", first_line(&e.to_string())));
    }
    check_sqlite_file(target).await?;
    std::fs::metadata(target)
        .map(|m| m.len())
        .map_err(|e| e.to_string())
}

/// `server restore FILE`: puts a backup in place of the SQLite database. Refused while a
/// server uses the database (each holds the lock file shared) and when the backup is not a
/// sound portal database; the current database is kept beside it as `<name>.before-restore`.
pub async fn restore_sqlite(url: &str, backup: &std::path::Path) -> Result<(), String> {
    if backend_of(url).map_err(|e| e.to_string())? != Backend::Sqlite {
        return Err(POSTGRES_BACKUP.into());
    }
    let path = crate::config::sqlite_path(url).ok_or("内存数据库无法恢复")?;
    check_sqlite_file(backup).await?;
    // Both locks: no server serving (each holds `in use` shared), none starting.
    let mut held = Vec::new();
    for suffix in [STARTING, IN_USE] {
        let lock = lock_file(&path, suffix)?;
        match lock.try_lock() {
            Ok(()) => held.push(lock),
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err("门户服务正在使用该数据库,请先停止所有 server 进程再恢复".into());
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(format!("无法锁定数据库:{e}")),
        }
    }
    let side = |suffix: &str| {
        let mut name = path.clone().into_os_string();
        name.push(suffix);
        std::path::PathBuf::from(name)
    };
    let before = side(".before-restore");
    if before.exists() {
        return Err(format!(
            "{} 已存在(上次恢复前的数据库),请先将其移走或删除再恢复",
            before.display()
        ));
    }
    // The backup is copied into a new private file beside the database first (never through
    // a link planted there), then renamed into place in one step.
    let staged = side(".restoring");
    let mut to = private_new_file(&staged).map_err(|e| {
        format!(
            "无法创建 {}:{e}(如为上次中断留下的文件,请删除后重试)",
            staged.display()
        )
    })?;
    let mut from = std::fs::File::open(backup).map_err(|e| format!("无法读取备份:{e}"))?;
    std::io::copy(&mut from, &mut to)
        .and_then(|_| to.sync_all())
        .map_err(|e| format!("无法复制备份:{e}"))?;
    // The current database is kept whole, with its WAL (commits not yet checkpointed live
    // there), as `<name>.before-restore`, `-wal` and `-shm`.
    if path.exists() {
        std::fs::rename(&path, &before).map_err(|e| format!("无法保留原数据库:{e}"))?;
        for suffix in ["-wal", "-shm"] {
            let file = side(suffix);
            if file.exists() {
                let mut kept = before.clone().into_os_string();
                kept.push(suffix);
                std::fs::rename(&file, kept).map_err(|e| format!("无法保留 {suffix} 文件:{e}"))?;
            }
        }
    }
    std::fs::rename(&staged, &path).map_err(|e| format!("无法放置备份:{e}"))?;
    drop(held);
    Ok(())
}

/// Creates `path`, which must not exist (nor be a link), readable and writable by the owner
/// alone.
fn private_new_file(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

const POSTGRES_BACKUP: &str =
    "PostgreSQL 数据库请用 pg_dump / pg_basebackup 备份、pg_restore 恢复(见 README 运维部分)";

/// Whether `file` is a sound SQLite database holding the portal's migrations.
async fn check_sqlite_file(file: &std::path::Path) -> Result<(), String> {
    use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
    let options = SqliteConnectOptions::new().filename(file).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| format!("{} 无法打开:{}", file.display(), first_line(&e.to_string())))?;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| format!("{} 无法检查:{}", file.display(), first_line(&e.to_string())))?;
    if verdict != "ok" {
        return Err(format!("{} 已损坏:{verdict}", file.display()));
    }
    let migrations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&mut conn)
        .await
        .map_err(|_| format!("{} 不是门户的数据库", file.display()))?;
    let _ = conn.close().await;
    if migrations == 0 {
        return Err(format!("{} 不是门户的数据库", file.display()));
    }
    Ok(())
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_string()
}
