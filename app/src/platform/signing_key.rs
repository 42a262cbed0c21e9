//! The development issuer key kept in the database (`signing_keys`), so every process behind
//! a load balancer signs with the same key when the operator configured none. Production
//! keeps its key only in `PORTAL_ISSUER_KEY_FILE`.

#[cfg(feature = "ssr")]
pub mod repo {
    use sqlx::{AnyPool, Row};

    const NAME: &str = "issuer";

    /// The stored private scalar (hex), if any.
    pub async fn stored(db: &AnyPool) -> Result<Option<String>, sqlx::Error> {
        stored_named(db, NAME).await
    }

    /// The stored private scalar of the development key `name` (the SM2 `issuer`, or the
    /// credentials' `vc-es256`), if any.
    pub async fn stored_named(db: &AnyPool, name: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query("SELECT secret FROM signing_keys WHERE name = $1")
            .bind(name)
            .fetch_optional(db)
            .await?
            .map(|r| r.try_get::<String, _>("secret"))
            .transpose()
    }

    /// Keeps a new key unless another process stored one first (then [`stored`] reads the
    /// one that won).
    pub async fn store_if_absent(
        db: &AnyPool,
        secret: &str,
        public_key: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        store_named_if_absent(db, NAME, secret, public_key, now).await
    }

    /// [`store_if_absent`] for the development key `name`.
    pub async fn store_named_if_absent(
        db: &AnyPool,
        name: &str,
        secret: &str,
        public_key: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO signing_keys (name, secret, public_key, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(secret)
        .bind(public_key)
        .bind(now)
        .execute(db)
        .await?;
        Ok(())
    }

    /// Deletes the stored key; whether there was one.
    pub async fn forget(db: &AnyPool) -> Result<bool, sqlx::Error> {
        forget_named(db, NAME).await
    }

    /// [`forget`] for the development key `name`.
    pub async fn forget_named(db: &AnyPool, name: &str) -> Result<bool, sqlx::Error> {
        let deleted = sqlx::query("DELETE FROM signing_keys WHERE name = $1")
            .bind(name)
            .execute(db)
            .await?
            .rows_affected();
        Ok(deleted > 0)
    }
}
