//! The retention purge: every server runs it every ten minutes ([`run`]); the database lets one
//! run at a time (`job_locks`), and a run only deletes what the table in [`super::retention`]
//! says has passed its period, so running it twice, or on two servers, removes nothing more.
//! It also finishes the 注销账户 whose cooling-off has ended ([`super::closing`]). What it
//! removed is added up in `retention_counts`, which `/metrics` reports.

use super::retention::{self, Retention};
use crate::platform::ports::sms::SmsGateway;
use sqlx::AnyPool;

/// How long a server holds the job: longer than a run takes.
pub const LOCK_SECONDS: i64 = 600;

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pass {
    /// Whether this server ran it (another may have held it).
    pub ran: bool,
    /// Rows removed (accounts deleted, for `closing`) by the table's key.
    pub purged: Vec<(&'static str, u64)>,
}

impl Pass {
    /// The count for one kind (0 when it removed nothing).
    pub fn of(&self, key: &str) -> u64 {
        self.purged
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0, |(_, n)| *n)
    }
}

/// Runs the purge once, if no other server holds it: removes what passed its period at `now`
/// and deletes the accounts whose cooling-off ended (telling each by SMS on `sms`).
pub async fn run(db: &AnyPool, sms: &dyn SmsGateway, now: i64) -> Result<Pass, sqlx::Error> {
    let holder = crate::platform::ids::random_hex::<16>();
    let taken = sqlx::query(
        "UPDATE job_locks SET holder = $1, held_until = $2 WHERE name = 'retention' \
         AND held_until <= $3",
    )
    .bind(&holder)
    .bind(now + LOCK_SECONDS)
    .bind(now)
    .execute(db)
    .await?;
    if taken.rows_affected() != 1 {
        return Ok(Pass::default());
    }
    let outcome = purge(db, sms, now).await;
    // Released whatever happened: the next run (here or elsewhere) tries again.
    sqlx::query("UPDATE job_locks SET held_until = 0 WHERE name = 'retention' AND holder = $1")
        .bind(&holder)
        .execute(db)
        .await?;
    let purged = outcome?;
    for (kind, n) in &purged {
        record(db, kind, *n, now).await?;
    }
    Ok(Pass { ran: true, purged })
}

async fn purge(
    db: &AnyPool,
    sms: &dyn SmsGateway,
    now: i64,
) -> Result<Vec<(&'static str, u64)>, sqlx::Error> {
    let before = |r: &Retention| now - r.seconds();
    let mut purged = Vec::new();

    // First the accounts whose cooling-off is over: what they leave is then purged with the
    // rest as its own period ends.
    purged.push((
        retention::CLOSING.key,
        super::closing::finish_due(db, sms, before(&retention::CLOSING), now).await?,
    ));

    let security = before(&retention::SECURITY_LOG);
    purged.push((
        retention::SECURITY_LOG.key,
        delete(
            db,
            "DELETE FROM audit_events WHERE created_at < $1",
            security,
        )
        .await?,
    ));

    let uses = before(&retention::USE_LOG);
    purged.push((
        retention::USE_LOG.key,
        delete(
            db,
            "DELETE FROM certificate_uses WHERE created_at < $1",
            uses,
        )
        .await?,
    ));

    let ended = before(&retention::ENDED_GRANTS);
    let grants = delete(
        db,
        "DELETE FROM grants WHERE expires_at < $1 OR (revoked_at > 0 AND revoked_at < $1)",
        ended,
    )
    .await?;
    let showings = delete(db, "DELETE FROM showings WHERE ends_at < $1", ended).await?;
    purged.push((retention::ENDED_GRANTS.key, grants + showings));

    let expired = before(&retention::SHORT_LIVED);
    let mut short = 0;
    for sql in [
        "DELETE FROM face_tickets WHERE expires_at < $1",
        "DELETE FROM sms_codes WHERE expires_at < $1",
        // The code only: the record of who verified whom, and on what evidence, is the
        // staff console's (kept with its audit chain).
        "UPDATE assisted_verifications SET code_hash = '' WHERE code_hash <> '' \
         AND code_expires_at > 0 AND code_expires_at < $1",
    ] {
        short += delete(db, sql, expired).await?;
    }
    // The limits' counters (their keys hold phone numbers, digests and addresses): the
    // longest window is a day.
    short += delete(
        db,
        "DELETE FROM attempt_counters WHERE window_start < $1",
        expired - retention::DAY,
    )
    .await?;
    short += delete(
        db,
        "DELETE FROM search_keys WHERE created_at < $1",
        expired - crate::registry::repo::SEARCH_KEY_SECONDS,
    )
    .await?;
    purged.push((retention::SHORT_LIVED.key, short));

    purged.push((
        retention::SMS_OUTBOX.key,
        delete(
            db,
            "DELETE FROM sms_outbox WHERE sent_at < $1",
            before(&retention::SMS_OUTBOX),
        )
        .await?,
    ));

    purged.push((
        retention::TOMBSTONES.key,
        super::closing::remove_tombstones(db, before(&retention::TOMBSTONES)).await?,
    ));
    Ok(purged)
}

async fn delete(db: &AnyPool, sql: &str, before: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(sql)
        .bind(before)
        .execute(db)
        .await?
        .rows_affected())
}

/// Adds a run's count to the totals `/metrics` reports.
async fn record(db: &AnyPool, kind: &str, n: u64, now: i64) -> Result<(), sqlx::Error> {
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    sqlx::query(
        "INSERT INTO retention_counts (kind, purged, last_run_at) VALUES ($1, $2, $3) \
         ON CONFLICT (kind) DO UPDATE SET purged = retention_counts.purged + $2, \
         last_run_at = $3",
    )
    .bind(kind)
    .bind(n)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// The totals: (kind, rows removed since the database began, time of the last run).
pub async fn totals(db: &AnyPool) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    use sqlx::Row;
    let rows = sqlx::query("SELECT kind, purged, last_run_at FROM retention_counts ORDER BY kind")
        .fetch_all(db)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}
