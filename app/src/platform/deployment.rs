//! What a database is for (`deployment`): a production database, or a demo one (development
//! or a staging deployment, which hold the demo accounts with their published password). Set
//! at the first start and checked at every start, so that a staging server pointed at the
//! production database, or a production server at a demo one, refuses to start.

/// The kinds a database can be marked with.
pub const PRODUCTION: &str = "production";
pub const DEMO: &str = "demo";

#[cfg(feature = "ssr")]
pub mod repo {
    use sqlx::{AnyPool, Row};

    /// The database's mark, if it has one yet.
    pub async fn mark(db: &AnyPool) -> Result<Option<String>, sqlx::Error> {
        sqlx::query("SELECT kind FROM deployment WHERE id = 1")
            .fetch_optional(db)
            .await?
            .map(|row| row.try_get("kind"))
            .transpose()
    }

    /// Marks the database as `kind` unless it is marked already; the mark it has after.
    pub async fn mark_if_unmarked(
        db: &AnyPool,
        kind: &str,
        now: i64,
    ) -> Result<String, sqlx::Error> {
        sqlx::query(
            "INSERT INTO deployment (id, kind, marked_at) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(kind)
        .bind(now)
        .execute(db)
        .await?;
        Ok(mark(db).await?.unwrap_or_default())
    }

    /// Whether any account exists (an unmarked database that is already in use).
    pub async fn has_accounts(db: &AnyPool) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query("SELECT 1 FROM accounts LIMIT 1")
            .fetch_optional(db)
            .await?
            .is_some())
    }
}
