//! 会话: signed-in sessions kept in the database, so that any server process behind the load
//! balancer can serve any request. The cookie carries 256 random bits; the table holds only
//! their SHA-256, so a copy of the database cannot be used to sign in.

/// A session ends 30 minutes after its last request …
pub const IDLE_SECONDS: i64 = 30 * 60;
/// … and 12 hours after sign-in, however active.
pub const ABSOLUTE_SECONDS: i64 = 12 * 3600;
/// The page warns this long before the idle timeout.
pub const WARN_BEFORE_SECONDS: i64 = 5 * 60;

#[cfg(feature = "ssr")]
pub mod repo {
    use super::*;
    use sqlx::{AnyPool, Row};

    /// A fresh session token for the cookie, and the digest stored for it.
    pub fn new_token() -> (String, String) {
        let token = crate::platform::ids::random_hex::<32>();
        let hash = token_hash(&token);
        (token, hash)
    }

    pub fn token_hash(token: &str) -> String {
        crate::platform::ids::sha256_hex(token)
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Session {
        pub account_id: i64,
        pub created_at: i64,
        pub last_seen_at: i64,
        /// When this session last passed a face check (0: never).
        pub face_verified_at: i64,
    }

    impl Session {
        /// The moment the session ends if nothing else happens.
        pub fn expires_at(&self) -> i64 {
            (self.last_seen_at + IDLE_SECONDS).min(self.created_at + ABSOLUTE_SECONDS)
        }
    }

    pub async fn create<'e>(
        db: impl sqlx::any::AnyExecutor<'e>,
        hash: &str,
        account_id: i64,
        now: i64,
        ip: &str,
        user_agent: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, ip, user_agent) \
             VALUES ($1, $2, $3, $3, $4, $5)",
        )
        .bind(hash)
        .bind(account_id)
        .bind(now)
        .bind(ip)
        .bind(user_agent.chars().take(300).collect::<String>())
        .execute(db)
        .await?;
        Ok(())
    }

    /// The live session with this digest, marked as used now. An expired one is deleted and
    /// `None` returned. `last_seen_at` is written at most once a minute per session.
    pub async fn resume(
        db: &AnyPool,
        hash: &str,
        now: i64,
    ) -> Result<Option<Session>, sqlx::Error> {
        let Some(row) = sqlx::query(
            "SELECT account_id, created_at, last_seen_at, face_verified_at FROM sessions \
             WHERE id_hash = $1",
        )
        .bind(hash)
        .fetch_optional(db)
        .await?
        else {
            return Ok(None);
        };
        let mut session = Session {
            account_id: row.try_get("account_id")?,
            created_at: row.try_get("created_at")?,
            last_seen_at: row.try_get("last_seen_at")?,
            face_verified_at: row.try_get("face_verified_at")?,
        };
        if session.expires_at() <= now {
            delete(db, hash).await?;
            return Ok(None);
        }
        if now - session.last_seen_at >= 60 {
            touch(db, hash, now).await?;
            session.last_seen_at = now;
        }
        Ok(Some(session))
    }

    /// 继续使用: restarts the idle clock now.
    pub async fn touch(db: &AnyPool, hash: &str, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(hash)
            .execute(db)
            .await?;
        Ok(())
    }

    pub async fn delete<'e>(
        db: impl sqlx::any::AnyExecutor<'e>,
        hash: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(hash)
            .execute(db)
            .await?;
        Ok(())
    }

    /// Removes sessions that can no longer be resumed (run from time to time).
    pub async fn purge_expired(db: &AnyPool, now: i64) -> Result<u64, sqlx::Error> {
        Ok(
            sqlx::query("DELETE FROM sessions WHERE last_seen_at <= $1 OR created_at <= $2")
                .bind(now - IDLE_SECONDS)
                .bind(now - ABSOLUTE_SECONDS)
                .execute(db)
                .await?
                .rows_affected(),
        )
    }
}
