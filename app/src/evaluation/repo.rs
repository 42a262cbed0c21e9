//! 好差评's SQL: 办件, ratings, 差评 work orders, the holiday table, and the public figures.

use super::working_days::{self, Day};
use super::{CaseView, MonthRow, OrderView, Service, is_poor, level_label, order_state_label};
use crate::platform::error::Message;
use sqlx::{AnyPool, Row};
use std::collections::HashMap;

/// How long after a 办件 its rating is asked for (older unrated ones leave the list).
pub const RATE_WITHIN_DAYS: i64 = 90;
/// Working days a 差评 work order has.
pub const ORDER_WORKING_DAYS: u32 = 5;

/// A new 办件编号: `BJ` + the Beijing date + 10 random digits.
pub fn new_case_no(now: i64) -> String {
    let (y, m, d) = crate::domain::time::beijing_date(now);
    format!(
        "BJ{y:04}{m:02}{d:02}{:010}",
        rand::random_range(0..10_000_000_000u64)
    )
}

/// Records a completed 办件 of `service` for the account — once a day for the same service
/// and subject, so that downloading one certificate again and again is one 办件 to rate, not
/// a stream of work orders.
pub async fn open_case<'e>(
    db: impl sqlx::any::AnyExecutor<'e>,
    account_id: i64,
    service: Service,
    summary: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO service_cases (case_no, account_id, service, summary, completed_at) \
         SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM service_cases \
         WHERE account_id = $2 AND service = $3 AND summary = $4 AND completed_at > $6)",
    )
    .bind(new_case_no(now))
    .bind(account_id)
    .bind(service.code())
    .bind(summary.chars().take(120).collect::<String>())
    .bind(now)
    .bind(now - 86_400)
    .execute(db)
    .await?;
    Ok(())
}

/// Records a 办件 without failing the service it completes (the rating is optional; a failure
/// is logged).
pub async fn open_case_logged(
    db: &AnyPool,
    account_id: i64,
    service: Service,
    summary: &str,
    now: i64,
) {
    if let Err(e) = open_case(db, account_id, service, summary, now).await {
        tracing::error!(error = %e, service = service.code(), "办件 not recorded");
    }
}

/// The holiday table.
pub async fn holidays(db: &AnyPool) -> Result<HashMap<String, Day>, sqlx::Error> {
    let rows = sqlx::query("SELECT day, kind FROM holidays")
        .fetch_all(db)
        .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok((
                r.try_get("day")?,
                if kind == "workday" {
                    Day::Workday
                } else {
                    Day::Holiday
                },
            ))
        })
        .collect()
}

/// Replaces the holiday table's days of the years in `days` (`YYYY-MM-DD`, holiday or workday).
pub async fn set_holidays(db: &AnyPool, days: &[(String, Day)]) -> Result<usize, sqlx::Error> {
    let mut years: Vec<&str> = days.iter().map(|(d, _)| &d[..4]).collect();
    years.sort_unstable();
    years.dedup();
    let mut tx = crate::platform::db::begin_write(db).await?;
    for year in years {
        sqlx::query("DELETE FROM holidays WHERE day LIKE $1")
            .bind(format!("{year}-%"))
            .execute(&mut *tx)
            .await?;
    }
    for (day, kind) in days {
        sqlx::query("INSERT INTO holidays (day, kind) VALUES ($1, $2)")
            .bind(day)
            .bind(match kind {
                Day::Holiday => "holiday",
                Day::Workday => "workday",
            })
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(days.len())
}

/// The end (23:59:59 北京时间) of the fifth working day after `now`'s date.
pub fn order_due(now: i64, table: &HashMap<String, Day>) -> i64 {
    let day = working_days::add(
        crate::domain::time::beijing_date(now),
        ORDER_WORKING_DAYS,
        table,
    );
    (day + 1) * 86_400 - 8 * 3600 - 1
}

/// The account's 办件 of the last [`RATE_WITHIN_DAYS`] days, and older ones with a work order,
/// newest first.
pub async fn cases_of(
    db: &AnyPool,
    account_id: i64,
    now: i64,
) -> Result<Vec<CaseView>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.case_no, c.service, c.summary, c.completed_at, \
         COALESCE(r.level, 0) AS level, COALESCE(r.reasons, '') AS reasons, \
         COALESCE(r.comment, '') AS comment, COALESCE(o.id, 0) AS order_id, \
         COALESCE(o.due_at, 0) AS due_at, COALESCE(o.state, '') AS order_state, \
         COALESCE(o.verified_note, '') AS verified_note, \
         COALESCE(o.rectified_note, '') AS rectified_note, \
         COALESCE(o.visit_note, '') AS visit_note, COALESCE(o.fix_level, 0) AS fix_level \
         FROM service_cases c LEFT JOIN service_ratings r ON r.case_no = c.case_no \
         LEFT JOIN work_orders o ON o.rating_id = r.id \
         WHERE c.account_id = $1 AND (c.completed_at > $2 OR o.id IS NOT NULL) \
         ORDER BY c.completed_at DESC, c.id DESC LIMIT 100",
    )
    .bind(account_id)
    .bind(now - RATE_WITHIN_DAYS * 86_400)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            let service: String = r.try_get("service")?;
            let order_id: i64 = r.try_get("order_id")?;
            let order_state: String = r.try_get("order_state")?;
            let fix_level: i64 = r.try_get("fix_level")?;
            Ok(CaseView {
                case_no: r.try_get("case_no")?,
                service: Service::parse(&service)
                    .map_or("", Service::label)
                    .to_string(),
                summary: r.try_get("summary")?,
                completed_at: crate::domain::time::format_beijing_minute(
                    r.try_get("completed_at")?,
                ),
                rating: level_label(r.try_get("level")?).to_string(),
                reasons: r.try_get("reasons")?,
                comment: r.try_get("comment")?,
                order: (order_id != 0)
                    .then(|| -> Result<OrderView, sqlx::Error> {
                        Ok(OrderView {
                            due: crate::domain::time::format_beijing_minute(r.try_get("due_at")?),
                            state: order_state_label(&order_state).to_string(),
                            verified: r.try_get("verified_note")?,
                            rectified: r.try_get("rectified_note")?,
                            visited: r.try_get("visit_note")?,
                            may_rate_fix: order_state == "closed" && fix_level == 0,
                            fix_rating: level_label(fix_level).to_string(),
                        })
                    })
                    .transpose()?,
            })
        })
        .collect()
}

/// Rates the account's 办件 `case_no`: `Err` with words for the citizen when it is not theirs
/// or rated already. A 差评 opens its work order in the same transaction.
pub async fn rate(
    db: &AnyPool,
    account_id: i64,
    case_no: &str,
    level: i64,
    reasons: &str,
    comment: &str,
    now: i64,
) -> Result<Result<(), Message>, sqlx::Error> {
    let Some(case) = sqlx::query(
        "SELECT service, completed_at FROM service_cases WHERE case_no = $1 AND account_id = $2 \
         AND completed_at > $3",
    )
    .bind(case_no)
    .bind(account_id)
    .bind(now - RATE_WITHIN_DAYS * 86_400)
    .fetch_optional(db)
    .await?
    else {
        return Ok(Err(Message::new(
            "没有这件办件",
            "There is no such case to rate",
        )));
    };
    let service: String = case.try_get("service")?;
    let table = if is_poor(level) {
        holidays(db).await?
    } else {
        HashMap::new()
    };
    let (y, m, _) = crate::domain::time::beijing_date(now);
    let mut tx = crate::platform::db::begin_write(db).await?;
    let inserted = sqlx::query(
        "INSERT INTO service_ratings (case_no, service, month, level, reasons, comment, \
         rated_at, account_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (case_no) DO NOTHING RETURNING id",
    )
    .bind(case_no)
    .bind(&service)
    .bind(format!("{y:04}-{m:02}"))
    .bind(level)
    .bind(reasons)
    .bind(comment)
    .bind(now)
    .bind(account_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = inserted else {
        return Ok(Err(Message::new(
            "该办件已评价,每件办件只能评价一次",
            "You have already rated this case: each case can be rated once",
        )));
    };
    if is_poor(level) {
        let rating: i64 = row.try_get(0)?;
        sqlx::query("INSERT INTO work_orders (rating_id, opened_at, due_at) VALUES ($1, $2, $3)")
            .bind(rating)
            .bind(now)
            .bind(order_due(now, &table))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// The citizen's rating of a closed work order's fix, once.
pub async fn rate_fix(
    db: &AnyPool,
    account_id: i64,
    case_no: &str,
    level: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE work_orders SET fix_level = $1 WHERE fix_level = 0 AND state = 'closed' \
         AND rating_id = (SELECT id FROM service_ratings WHERE case_no = $2 AND account_id = $3)",
    )
    .bind(level)
    .bind(case_no)
    .bind(account_id)
    .execute(db)
    .await?
    .rows_affected()
        == 1)
}

/// The public figures of the last `months` months (this one included), newest first.
pub async fn month_rows(db: &AnyPool, now: i64, months: u32) -> Result<Vec<MonthRow>, sqlx::Error> {
    let (mut y, mut m, _) = crate::domain::time::beijing_date(now);
    for _ in 1..months {
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    let rows = sqlx::query(
        "SELECT r.month, r.service, COUNT(*) AS ratings, \
         SUM(CASE WHEN r.level >= 3 THEN 1 ELSE 0 END) AS satisfied, \
         SUM(CASE WHEN r.level <= 2 THEN 1 ELSE 0 END) AS poor, \
         SUM(CASE WHEN o.rectified_note <> '' THEN 1 ELSE 0 END) AS rectified \
         FROM service_ratings r LEFT JOIN work_orders o ON o.rating_id = r.id \
         WHERE r.month >= $1 GROUP BY r.month, r.service ORDER BY r.month DESC, r.service",
    )
    .bind(format!("{y:04}-{m:02}"))
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            let service: String = r.try_get("service")?;
            let ratings: i64 = r.try_get("ratings")?;
            let satisfied: i64 = r.try_get("satisfied")?;
            Ok(MonthRow {
                month: r.try_get("month")?,
                service: Service::parse(&service)
                    .map_or("", Service::label)
                    .to_string(),
                ratings,
                satisfied,
                rate_permille: if ratings == 0 {
                    0
                } else {
                    (satisfied * 1000 + ratings / 2) / ratings
                },
                poor: r.try_get("poor")?,
                rectified: r.try_get("rectified")?,
            })
        })
        .collect()
}

/// A work order as the console lists it.
#[derive(Debug, Clone)]
pub struct Order {
    pub id: i64,
    pub case_no: String,
    pub service: String,
    pub level: i64,
    pub reasons: String,
    pub comment: String,
    pub opened_at: i64,
    pub due_at: i64,
    pub state: String,
    pub verified: String,
    pub rectified: String,
    pub visited: String,
    pub fix_level: i64,
}

/// Open orders first (soonest due first), then the latest closed ones.
pub async fn orders(db: &AnyPool, limit: i64) -> Result<Vec<Order>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT o.id, r.case_no, r.service, r.level, r.reasons, r.comment, o.opened_at, o.due_at, \
         o.state, o.verified_note, o.rectified_note, o.visit_note, o.fix_level \
         FROM work_orders o JOIN service_ratings r ON r.id = o.rating_id \
         ORDER BY CASE WHEN o.state = 'closed' THEN 1 ELSE 0 END, \
         CASE WHEN o.state = 'closed' THEN -o.closed_at ELSE o.due_at END LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            let service: String = r.try_get("service")?;
            Ok(Order {
                id: r.try_get("id")?,
                case_no: r.try_get("case_no")?,
                service: Service::parse(&service)
                    .map_or("", Service::label)
                    .to_string(),
                level: r.try_get("level")?,
                reasons: r.try_get("reasons")?,
                comment: r.try_get("comment")?,
                opened_at: r.try_get("opened_at")?,
                due_at: r.try_get("due_at")?,
                state: r.try_get("state")?,
                verified: r.try_get("verified_note")?,
                rectified: r.try_get("rectified_note")?,
                visited: r.try_get("visit_note")?,
                fix_level: r.try_get("fix_level")?,
            })
        })
        .collect()
}

/// The steps of a work order, in order: each from the state before it to the state after.
pub const STEPS: [(&str, &str, &str, &str); 3] = [
    ("verify", "open", "verified", "verified_note"),
    ("rectify", "verified", "rectified", "rectified_note"),
    ("visit", "rectified", "closed", "visit_note"),
];

/// Records step `step` of order `id` in `tx`; false when the order is not at that step.
pub async fn record_step(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    step: &str,
    note: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let Some((_, from, to, column)) = STEPS.iter().find(|(s, ..)| *s == step) else {
        return Ok(false);
    };
    let closed_at = if *to == "closed" { now } else { 0 };
    Ok(sqlx::query(&format!(
        "UPDATE work_orders SET state = $1, {column} = $2, closed_at = $3 \
         WHERE id = $4 AND state = $5"
    ))
    .bind(*to)
    .bind(note)
    .bind(closed_at)
    .bind(id)
    .bind(*from)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// Open work orders, and those past their deadline.
pub async fn order_counts(db: &AnyPool, now: i64) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS open, \
         COALESCE(SUM(CASE WHEN due_at < $1 THEN 1 ELSE 0 END), 0) AS overdue \
         FROM work_orders WHERE state <> 'closed'",
    )
    .bind(now)
    .fetch_one(db)
    .await?;
    Ok((row.try_get("open")?, row.try_get("overdue")?))
}
