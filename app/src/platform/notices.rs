//! 短信通知: messages that tell a citizen what happened to something of theirs without their
//! asking — a registration's 注销 or 撤销, an enterprise account released after a dispute, a
//! dispute's outcome. They are queued in `sms_notices` in the transaction of what they tell
//! (a feed of a million lines must not wait for a carrier), and sent afterwards by
//! [`send_due`], which every server runs: a batch is claimed with a random claim in one
//! statement, so two servers never send the same notice, and a claim that is not finished
//! (a server stopped mid-send) lapses after [`CLAIM_SECONDS`]. A carrier that fails is tried
//! again after 1, 2, 4 … minutes, [`MAX_TRIES`] times at most. The phone is read from the
//! account when the message goes.

use sqlx::{AnyPool, Row};

/// How long a claimed notice is left to the server that claimed it.
pub const CLAIM_SECONDS: i64 = 120;
/// Tries before a notice is given up (the last error stays on the row).
pub const MAX_TRIES: i64 = 8;
/// Notices one pass sends at the most: few enough that a slow carrier (its calls time out
/// within 10 s) finishes them within the claim.
pub const BATCH: i64 = 10;

/// The text of a notice, as the citizen reads it (the carrier's notice template has the same
/// words, with the matter and the result as its parameters).
pub fn text(matter: &str, result: &str) -> String {
    format!(
        "【住建部政务服务】您的{matter}{result}。详情请登录住建部政务服务门户查看;如有疑问,请联系客服。"
    )
}

/// Queues a notice to account `account_id` in `db` (a transaction's connection).
pub async fn enqueue<'e>(
    db: impl sqlx::any::AnyExecutor<'e>,
    account_id: i64,
    matter: &str,
    result: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sms_notices (account_id, matter, result, created_at, next_try_at) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(account_id)
    .bind(matter)
    .bind(result)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub failed: usize,
}

/// Sends the notices that are due: claims up to [`BATCH`], sends each, and records the
/// outcome.
pub async fn send_due(
    db: &AnyPool,
    sms: &dyn crate::platform::ports::sms::SmsGateway,
    now: i64,
) -> Result<Pass, sqlx::Error> {
    let claim = crate::platform::ids::random_hex::<16>();
    // The conditions again outside the subquery: PostgreSQL rechecks them on a row another
    // server claimed meanwhile (and so skips it), where the subquery's list would not change.
    sqlx::query(
        "UPDATE sms_notices SET claim = $1, claimed_until = $2 WHERE id IN (\
         SELECT id FROM sms_notices WHERE sent_at = 0 AND tries < $3 AND next_try_at <= $4 \
         AND claimed_until <= $4 ORDER BY id LIMIT $5) AND sent_at = 0 AND claimed_until <= $4",
    )
    .bind(&claim)
    .bind(now + CLAIM_SECONDS)
    .bind(MAX_TRIES)
    .bind(now)
    .bind(BATCH)
    .execute(db)
    .await?;
    let rows = sqlx::query(
        "SELECT n.id, n.matter, n.result, n.tries, a.phone FROM sms_notices n \
         JOIN accounts a ON a.id = n.account_id WHERE n.claim = $1 AND n.sent_at = 0 ORDER BY n.id",
    )
    .bind(&claim)
    .fetch_all(db)
    .await?;
    let mut pass = Pass::default();
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let matter: String = row.try_get("matter")?;
        let result: String = row.try_get("result")?;
        let tries: i64 = row.try_get("tries")?;
        let phone: String = row.try_get("phone")?;
        // Still this pass's: a claim that lapsed and was taken by another server is left to it.
        let held = sqlx::query(
            "UPDATE sms_notices SET claimed_until = claimed_until \
             WHERE id = $1 AND claim = $2 AND sent_at = 0",
        )
        .bind(id)
        .bind(&claim)
        .execute(db)
        .await?;
        if held.rows_affected() != 1 {
            continue;
        }
        let text = text(&matter, &result);
        let outcome = match crate::domain::Phone::parse(&phone) {
            Ok(phone) => {
                sms.send(
                    &phone,
                    &crate::platform::ports::sms::SmsMessage::notice(&text, &matter, &result),
                )
                .await
            }
            Err(e) => Err(e.to_string()),
        };
        match outcome {
            Ok(()) => {
                pass.sent += 1;
                sqlx::query(
                    "UPDATE sms_notices SET sent_at = $1, tries = $2, claim = '', last_error = '' \
                     WHERE id = $3 AND claim = $4",
                )
                .bind(now)
                .bind(tries + 1)
                .bind(id)
                .bind(&claim)
                .execute(db)
                .await?;
            }
            Err(e) => {
                pass.failed += 1;
                tracing::warn!(error = %e, notice = id, "sms notice not sent");
                let wait = 60 * (1_i64 << tries.clamp(0, 10));
                sqlx::query(
                    "UPDATE sms_notices SET tries = $1, next_try_at = $2, claim = '', \
                     claimed_until = 0, last_error = $3 WHERE id = $4 AND claim = $5",
                )
                .bind(tries + 1)
                .bind(now + wait)
                .bind(e.chars().take(200).collect::<String>())
                .bind(id)
                .bind(&claim)
                .execute(db)
                .await?;
            }
        }
    }
    Ok(pass)
}

/// Notices not sent yet and still to be tried, and those given up (for `/metrics`).
pub async fn backlog(db: &AnyPool) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query(
        "SELECT COALESCE(SUM(CASE WHEN tries < $1 THEN 1 ELSE 0 END), 0) AS waiting, \
         COALESCE(SUM(CASE WHEN tries >= $1 THEN 1 ELSE 0 END), 0) AS given_up \
         FROM sms_notices WHERE sent_at = 0",
    )
    .bind(MAX_TRIES)
    .fetch_one(db)
    .await?;
    Ok((row.try_get("waiting")?, row.try_get("given_up")?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_notice_reads_as_one_sentence() {
        assert_eq!(
            super::text("注册证书(注册编号 京111060800001)", "已注销"),
            "【住建部政务服务】您的注册证书(注册编号 京111060800001)已注销。详情请登录住建部政务服务门户查看;如有疑问,请联系客服。"
        );
    }
}
