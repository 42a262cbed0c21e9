//! 尝试计数: how many times something was tried in a fixed window, counted in the database
//! so that every process sees the same number. One atomic upsert takes a slot and returns its
//! number, so a burst of concurrent requests gets slots 1, 2, 3 … and never the same old
//! count twice: the limit holds under any concurrency.

/// What is being counted (the `scope` column).
pub mod scopes {
    /// Login attempts per identifier (the per-account lock).
    pub const LOGIN: &str = "login";
    /// 获取验证码 per number, purpose and requesting client: the 60-second resend gap.
    pub const SMS_RESEND: &str = "sms_resend";
    /// 个人信息导出 per account, a day.
    pub const DATA_EXPORT: &str = "data_export";
    /// 获取验证码 per number, purpose and requesting client: the daily quota.
    pub const SMS_DAY: &str = "sms_day";
    /// Messages sent to a number in an hour for one purpose and account, whoever asked.
    pub const SMS_NUMBER: &str = "sms_number";
    /// Wrong SMS codes a day for one number, purpose and account, over all tickets.
    pub const SMS_WRONG: &str = "sms_wrong";
    /// 身份证号 searches (人员资格查询) per masked ID number, a day.
    pub const ID_SEARCH_TARGET: &str = "id_search_target";
    /// 身份证号 searches per client address, a day.
    pub const ID_SEARCH_CLIENT: &str = "id_search_client";
    /// Identity checks (name + ID number) per client address.
    pub const IDENTITY_CLIENT: &str = "identity_client";
    /// Identity checks per target ID number (its keyed digest).
    pub const IDENTITY_TARGET: &str = "identity_target";
    /// Wrong 身份证号 typed on the face check's phone screen, per account.
    pub const FACE_ID_WRONG: &str = "face_id_wrong";
    /// The same, in a day.
    pub const FACE_ID_WRONG_DAY: &str = "face_id_wrong_day";
    /// Staff console login attempts per username (`staff::console::service`).
    pub const STAFF_LOGIN: &str = "staff_login";
}

/// A slot taken in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// 1 for the first attempt in the window.
    pub number: i64,
    /// When the window began (Unix seconds).
    pub window_start: i64,
}

impl Slot {
    /// Whether this slot is within `limit` attempts.
    pub fn within(self, limit: i64) -> bool {
        self.number <= limit
    }

    /// Seconds until the window of `window` seconds ends.
    pub fn seconds_left(self, window: i64, now: i64) -> i64 {
        (self.window_start + window - now).max(1)
    }
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::Slot;
    use sqlx::{AnyPool, Row};

    /// Takes the next slot of `(scope, key)` in a window of `window` seconds that starts at
    /// the first attempt (a window that has ended starts again at `now`).
    pub async fn take(
        db: &AnyPool,
        scope: &str,
        key: &str,
        window: i64,
        now: i64,
    ) -> Result<Slot, sqlx::Error> {
        take_in(db, TAKE_ATTEMPT, scope, key, window, now).await
    }

    /// [`take`] in `request_counters`: the per-client request limits, which are many, short
    /// and worth nothing after their minute (UNLOGGED on PostgreSQL).
    pub async fn take_request(
        db: &AnyPool,
        scope: &str,
        key: &str,
        window: i64,
        now: i64,
    ) -> Result<Slot, sqlx::Error> {
        take_in(db, TAKE_REQUEST, scope, key, window, now).await
    }

    /// Rows one [`add_requests`] statement carries (two parameters each, well within every
    /// backend's limit).
    const ADD_CHUNK: usize = 400;

    /// Adds counts gathered in memory to `request_counters` in one upsert per
    /// [`ADD_CHUNK`] keys, and returns each key's count and window after the addition. Keys
    /// go in sorted order, so two servers adding overlapping keys take their rows in the same
    /// order and cannot deadlock. A window that has ended starts again at `now` with the
    /// added count.
    pub async fn add_requests(
        db: &AnyPool,
        scope: &str,
        window: i64,
        now: i64,
        counts: &[(String, i64)],
    ) -> Result<Vec<(String, Slot)>, sqlx::Error> {
        let mut sorted: Vec<&(String, i64)> = counts.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let mut slots = Vec::with_capacity(sorted.len());
        for chunk in sorted.chunks(ADD_CHUNK) {
            // Only placeholders are generated; every value is bound.
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| format!("($1, ${}, $2, ${})", 4 + 2 * i, 5 + 2 * i))
                .collect();
            let statement = format!(
                "INSERT INTO request_counters (scope, key, window_start, count) VALUES {} \
                 ON CONFLICT (scope, key) DO UPDATE SET \
                 count = CASE WHEN request_counters.window_start + $3 <= $2 THEN excluded.count \
                              ELSE request_counters.count + excluded.count END, \
                 window_start = CASE WHEN request_counters.window_start + $3 <= $2 THEN $2 \
                              ELSE request_counters.window_start END \
                 RETURNING key, count, window_start",
                rows.join(", ")
            );
            let mut query = sqlx::query(&statement).bind(scope).bind(now).bind(window);
            for (key, n) in chunk {
                query = query.bind(key.as_str()).bind(*n);
            }
            for row in query.fetch_all(db).await? {
                slots.push((
                    row.try_get("key")?,
                    Slot {
                        number: row.try_get("count")?,
                        window_start: row.try_get("window_start")?,
                    },
                ));
            }
        }
        Ok(slots)
    }

    /// Deletes request windows that ended before `before` (Unix seconds of their start).
    pub async fn purge_requests(db: &AnyPool, before: i64) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM request_counters WHERE window_start < $1")
            .bind(before)
            .execute(db)
            .await?;
        Ok(done.rows_affected())
    }

    macro_rules! take_sql {
        ($table:literal) => {
            concat!(
                "INSERT INTO ",
                $table,
                " (scope, key, window_start, count) VALUES ($1, $2, $3, 1) \
                 ON CONFLICT (scope, key) DO UPDATE SET \
                 count = CASE WHEN ",
                $table,
                ".window_start + $4 <= $3 THEN 1 \
                              ELSE ",
                $table,
                ".count + 1 END, \
                 window_start = CASE WHEN ",
                $table,
                ".window_start + $4 <= $3 THEN $3 \
                              ELSE ",
                $table,
                ".window_start END \
                 RETURNING count, window_start"
            )
        };
    }
    /// One upsert per table: the statement text is fixed, never built from input.
    const TAKE_ATTEMPT: &str = take_sql!("attempt_counters");
    const TAKE_REQUEST: &str = take_sql!("request_counters");

    async fn take_in(
        db: &AnyPool,
        statement: &'static str,
        scope: &str,
        key: &str,
        window: i64,
        now: i64,
    ) -> Result<Slot, sqlx::Error> {
        let row = sqlx::query(statement)
            .bind(scope)
            .bind(key)
            .bind(now)
            .bind(window)
            .fetch_one(db)
            .await?;
        Ok(Slot {
            number: row.try_get("count")?,
            window_start: row.try_get("window_start")?,
        })
    }

    /// Gives back a slot that turned out not to count (a right password, a message that was
    /// not sent).
    pub async fn give_back(db: &AnyPool, scope: &str, key: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE attempt_counters SET count = count - 1 \
             WHERE scope = $1 AND key = $2 AND count > 0",
        )
        .bind(scope)
        .bind(key)
        .execute(db)
        .await?;
        Ok(())
    }

    /// Forgets `(scope, key)`: a successful login clears the identifier's failures.
    pub async fn clear<'e>(
        db: impl sqlx::any::AnyExecutor<'e>,
        scope: &str,
        key: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM attempt_counters WHERE scope = $1 AND key = $2")
            .bind(scope)
            .bind(key)
            .execute(db)
            .await?;
        Ok(())
    }

    /// Sets the window's count (a fifth failure locks: the count is set to the limit so the
    /// lock lasts the whole window from now).
    pub async fn restart_full(
        db: &AnyPool,
        scope: &str,
        key: &str,
        count: i64,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE attempt_counters SET count = $3, window_start = $4 \
             WHERE scope = $1 AND key = $2",
        )
        .bind(scope)
        .bind(key)
        .bind(count)
        .bind(now)
        .execute(db)
        .await?;
        Ok(())
    }
}
