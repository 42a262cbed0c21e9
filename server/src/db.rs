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

pub async fn connect(url: &str) -> Result<AnyPool, DbError> {
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
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // WAL lets readers run beside the one writer; NORMAL is durable in WAL mode
                    // up to the last checkpoint; writers wait for each other instead of failing.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;",
                    )
                    .await?;
                }
                Ok(())
            })
        });
    options.connect(url).await.map_err(connect_error)
}

pub async fn migrate(pool: &AnyPool) -> Result<(), DbError> {
    let migrator = match Backend::of(pool) {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    migrator
        .run(pool)
        .await
        .map_err(|e| DbError::Migrate(first_line(&e.to_string())))
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_string()
}
