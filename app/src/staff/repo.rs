//! The staff console's SQL: staff accounts and their sessions.

use super::{IDLE_SECONDS, MAX_SESSION_SECONDS, Role, StaffMember};
use sqlx::{Any, AnyPool, Row, Transaction};

/// A staff account as stored.
#[derive(Clone, Debug)]
pub struct StaffRow {
    pub member: StaffMember,
    pub password_hash: String,
    pub totp_secret: String,
    /// The secret being enrolled (sealed), '' when none.
    pub pending_totp: String,
    pub active: bool,
    pub created_at: i64,
}

fn row_to_staff(row: &sqlx::any::AnyRow) -> Result<StaffRow, sqlx::Error> {
    let roles: String = row.try_get("roles")?;
    Ok(StaffRow {
        member: StaffMember {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            roles: Role::from_codes(&roles),
            must_enrol: row.try_get::<i64, _>("must_enrol")? != 0,
        },
        password_hash: row.try_get("password_hash")?,
        totp_secret: row.try_get("totp_secret")?,
        pending_totp: row.try_get("pending_totp")?,
        active: row.try_get::<i64, _>("active")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

const COLUMNS: &str = "id, username, display_name, password_hash, totp_secret, roles, active, \
     created_at, must_enrol, pending_totp";

/// Adds a staff member; `None` if the username is taken.
pub async fn insert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    username: &str,
    display_name: &str,
    password_hash: &str,
    sealed_secret: &str,
    roles: &[Role],
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let taken = sqlx::query("SELECT 1 AS one FROM staff_accounts WHERE username = $1")
        .bind(username)
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        return Ok(None);
    }
    let row = sqlx::query(
        "INSERT INTO staff_accounts (username, display_name, password_hash, totp_secret, roles, active, created_at)
         VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id",
    )
    .bind(username)
    .bind(display_name)
    .bind(password_hash)
    .bind(sealed_secret)
    .bind(Role::to_codes(roles))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Some(row.try_get("id")?))
}

pub async fn by_username(db: &AnyPool, username: &str) -> Result<Option<StaffRow>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM staff_accounts WHERE username = $1"
    ))
    .bind(username)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(row_to_staff).transpose()
}

pub async fn by_id(db: &AnyPool, id: i64) -> Result<Option<StaffRow>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM staff_accounts WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(row_to_staff).transpose()
}

pub async fn list(db: &AnyPool) -> Result<Vec<StaffRow>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM staff_accounts ORDER BY username"
    ))
    .fetch_all(db)
    .await?;
    rows.iter().map(row_to_staff).collect()
}

/// How many active members hold `role` (the last 管理员 cannot be removed).
pub async fn active_with_role(db: &AnyPool, role: Role) -> Result<i64, sqlx::Error> {
    let count = list(db)
        .await?
        .iter()
        .filter(|s| s.active && s.member.roles.contains(&role))
        .count();
    Ok(count as i64)
}

pub async fn set_roles(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    roles: &[Role],
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE staff_accounts SET roles = $1 WHERE id = $2")
        .bind(Role::to_codes(roles))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Disables a member and ends their sessions.
pub async fn disable(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE staff_accounts SET active = 0 WHERE id = $1 AND active = 1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes TOTP step `step` for member `id`: true once per step, and never for a step at or
/// before one already taken, whichever server asks (one conditional update).
pub async fn take_totp_step(db: &AnyPool, id: i64, step: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE staff_accounts SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
    )
    .bind(step)
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn create_session(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    token_hash: &str,
    staff_id: i64,
    now: i64,
    ip: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO staff_sessions (token_hash, staff_id, created_at, last_seen, ip)
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_hash)
    .bind(staff_id)
    .bind(now)
    .bind(ip)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The active member behind a session that has seen a request within [`IDLE_SECONDS`] and is
/// younger than [`MAX_SESSION_SECONDS`]; the session's clock restarts. A session past either
/// limit is deleted.
pub async fn resume_session(
    db: &AnyPool,
    token_hash: &str,
    now: i64,
) -> Result<Option<StaffMember>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT s.staff_id, s.created_at, s.last_seen FROM staff_sessions s
         WHERE s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let staff_id: i64 = row.try_get("staff_id")?;
    let created_at: i64 = row.try_get("created_at")?;
    let last_seen: i64 = row.try_get("last_seen")?;
    if now - last_seen > IDLE_SECONDS || now - created_at > MAX_SESSION_SECONDS {
        end_session(db, token_hash).await?;
        return Ok(None);
    }
    let Some(staff) = by_id(db, staff_id).await? else {
        return Ok(None);
    };
    if !staff.active {
        end_session(db, token_hash).await?;
        return Ok(None);
    }
    sqlx::query("UPDATE staff_sessions SET last_seen = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(Some(staff.member))
}

pub async fn end_session(db: &AnyPool, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes sessions past either limit.
pub async fn purge_sessions(db: &AnyPool, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM staff_sessions WHERE last_seen < $1 OR created_at < $2")
        .bind(now - IDLE_SECONDS)
        .bind(now - MAX_SESSION_SECONDS)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// Keeps `sealed` as the secret being enrolled, unless one is pending already; the one
/// pending afterwards.
pub async fn pending_secret(db: &AnyPool, id: i64, sealed: &str) -> Result<String, sqlx::Error> {
    sqlx::query("UPDATE staff_accounts SET pending_totp = $1 WHERE id = $2 AND pending_totp = ''")
        .bind(sealed)
        .bind(id)
        .execute(db)
        .await?;
    sqlx::query("SELECT pending_totp FROM staff_accounts WHERE id = $1")
        .bind(id)
        .fetch_one(db)
        .await?
        .try_get(0)
}

/// Ends enrolment: the member's own password and the confirmed secret (its step taken), and
/// every other session of theirs ended.
pub async fn finish_enrolment(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    password_hash: &str,
    step: i64,
    keep_session: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE staff_accounts SET password_hash = $1, totp_secret = pending_totp, \
         pending_totp = '', totp_last_step = $2, must_enrol = 0 \
         WHERE id = $3 AND must_enrol = 1 AND pending_totp <> ''",
    )
    .bind(password_hash)
    .bind(step)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1 AND token_hash <> $2")
        .bind(id)
        .bind(keep_session)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A proposal to store.
pub struct NewProposal<'a> {
    pub kind: &'a str,
    /// What it is about, as the console shows it.
    pub subject: &'a str,
    pub reason: &'a str,
    /// The row of the kind's own table it is about (0 for a withdrawal).
    pub ref_id: i64,
    pub by: &'a StaffMember,
}

/// Stores a proposal in `tx`; its id (`super::proposals` decides it).
pub async fn insert_proposal(
    tx: &mut Transaction<'static, Any>,
    new: &NewProposal<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO staff_proposals (kind, subject, reason, ref_id, proposed_by, proposed_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(new.kind)
    .bind(new.subject)
    .bind(new.reason)
    .bind(new.ref_id)
    .bind(new.by.id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}
