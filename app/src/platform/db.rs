//! The database: which backend the portal runs on, and the write transaction's start.

/// Which database the portal runs on. The one place that tells them apart: the migrations,
/// the pool's settings, a few statements and the cross-process notifications differ.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[cfg(feature = "ssr")]
impl Backend {
    /// The backend a database URL names (`sqlite:`, `postgres:` or `postgresql:`).
    pub fn of_url(url: &str) -> Option<Self> {
        match url.split_once(':').map(|(scheme, _)| scheme) {
            Some("sqlite") => Some(Self::Sqlite),
            Some("postgres" | "postgresql") => Some(Self::Postgres),
            _ => None,
        }
    }

    /// The backend of a pool (the portal's pools are made from one of those URLs).
    pub fn of(db: &sqlx::AnyPool) -> Self {
        Self::of_url(db.connect_options().database_url.as_str()).unwrap_or(Self::Sqlite)
    }

    /// The backend of a transaction's connection.
    pub fn of_tx(tx: &sqlx::Transaction<'_, sqlx::Any>) -> Self {
        if tx.backend_name() == "PostgreSQL" {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }
}

/// A transaction that writes. On SQLite it takes the write lock when it begins (`BEGIN
/// IMMEDIATE`): a deferred `BEGIN` that reads first and writes later is refused at once with
/// "database is locked" when another connection committed in between (its snapshot is stale;
/// the busy timeout does not wait for that), which two concurrent registrations met under
/// load. PostgreSQL's plain `BEGIN` has no such failure.
#[cfg(feature = "ssr")]
pub async fn begin_write(
    db: &sqlx::AnyPool,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    match Backend::of(db) {
        Backend::Sqlite => db.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => db.begin().await,
    }
}
