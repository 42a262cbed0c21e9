use super::*;
use crate::certificates::licence_id;
use crate::certificates::uses;
use crate::domain::time::parse_date;
use crate::domain::time::{beijing_date, format_beijing_minute, format_beijing_second};
use crate::platform::caller::Viewer;
use sqlx::{AnyPool, Row};

/// A certificate as it stands, for a 亮证 or a grant.
struct Standing {
    id: i64,
    live: LiveCertificate,
    name: String,
    employer: String,
    registration_id: i64,
}

const STANDING: &str = "SELECT c.id, c.title, c.version, c.revoked_at, r.id AS rid, \
     r.category, r.registration_no, r.valid_until, r.employer, p.name, p.name_masked \
     FROM certificates c JOIN registrations r ON r.id = c.registration_id \
     JOIN persons p ON p.id = r.person_id";

/// [`standing`] with the 电子证照标识 of the certificate as it stands now (its version moved
/// on first if its content changed since anyone last looked).
async fn standing_now(
    db: &AnyPool,
    row: &sqlx::any::AnyRow,
    now: i64,
) -> Result<Standing, sqlx::Error> {
    let mut cert = standing(row, now)?;
    let version = crate::certificates::repo::current_version(db, cert.id).await?;
    cert.live.licence_id = licence_id(&cert.live.category, cert.id, version);
    Ok(cert)
}

fn standing(row: &sqlx::any::AnyRow, now: i64) -> Result<Standing, sqlx::Error> {
    let category: String = row.try_get("category")?;
    let valid_until: String = row.try_get("valid_until")?;
    let status = if row.try_get::<i64, _>("revoked_at")? != 0 {
        CertStatus::Revoked
    } else if parse_date(&valid_until).is_some_and(|d| d >= beijing_date(now)) {
        CertStatus::Valid
    } else {
        CertStatus::Expired
    };
    let id: i64 = row.try_get("id")?;
    Ok(Standing {
        id,
        live: LiveCertificate {
            title: row.try_get("title")?,
            licence_id: licence_id(&category, id, row.try_get("version")?),
            category,
            registration_no: row.try_get("registration_no")?,
            holder: row.try_get("name_masked")?,
            status,
            valid_until,
        },
        name: row.try_get("name")?,
        employer: row.try_get("employer")?,
        registration_id: row.try_get("rid")?,
    })
}

/// The holder's own certificate `public_id` (not revoked), by the person's ID digest.
async fn own_certificate(
    db: &AnyPool,
    person_digest: &str,
    public_id: &str,
    now: i64,
) -> Result<Option<Standing>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "{STANDING} WHERE p.id_number_digest = $1 AND c.public_id = $2 AND c.revoked_at = 0"
    ))
    .bind(person_digest)
    .bind(public_id)
    .fetch_optional(db)
    .await?;
    row.map(|r| standing(&r, now)).transpose()
}

// ---- 亮证 ----

/// Begins a 亮证 of the holder's certificate `public_id`; `None` when it is not theirs.
pub async fn start_showing(
    db: &AnyPool,
    key: &[u8],
    base: &str,
    person_digest: &str,
    account_id: i64,
    public_id: &str,
    now: i64,
) -> Result<Option<Showing>, sqlx::Error> {
    let Some(cert) = own_certificate(db, person_digest, public_id, now).await? else {
        return Ok(None);
    };
    let id = crate::platform::ids::random_hex::<8>();
    sqlx::query(
        "INSERT INTO showings (public_id, certificate_id, account_id, created_at, ends_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(cert.id)
    .bind(account_id)
    .bind(now)
    .bind(now + SHOW_SECONDS)
    .execute(db)
    .await?;
    let code = show_code(key, base, &id, now, now + SHOW_SECONDS)?;
    Ok(Some(Showing {
        id,
        title: cert.live.title,
        category: cert.live.category,
        registration_no: cert.live.registration_no,
        licence_id: cert.live.licence_id,
        code,
    }))
}

fn show_code(
    key: &[u8],
    base: &str,
    showing: &str,
    now: i64,
    ends_at: i64,
) -> Result<ShowCode, sqlx::Error> {
    let token = tokens::make(key, showing, now)
        .ok_or_else(|| sqlx::Error::Protocol("亮证编号无效".into()))?;
    // The API draws the QR code of the address.
    Ok(ShowCode {
        url: format!("{}/verify/show/{token}", base.trim_end_matches('/')),
        qr_svg: String::new(),
        shown_at: format_beijing_second(now),
        showing_left: (ends_at - now).max(0),
    })
}

/// A fresh code for the account's own open showing; `None` when there is no such
/// showing or it has ended.
pub async fn fresh_code(
    db: &AnyPool,
    key: &[u8],
    base: &str,
    account_id: i64,
    showing: &str,
    now: i64,
) -> Result<Option<ShowCode>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT s.ends_at FROM showings s JOIN certificates c ON c.id = s.certificate_id \
         WHERE s.public_id = $1 AND s.account_id = $2 AND c.revoked_at = 0",
    )
    .bind(showing)
    .bind(account_id)
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let ends_at: i64 = row.try_get("ends_at")?;
    if ends_at <= now {
        return Ok(None);
    }
    show_code(key, base, showing, now, ends_at).map(Some)
}

/// A scanned 亮证 code: the certificate's live status while the code is under a minute
/// old (recorded in the holder's 用证记录), otherwise why not.
pub async fn check_show_token(
    db: &AnyPool,
    key: &[u8],
    token: &str,
    viewer: &Viewer,
    now: i64,
) -> Result<ShowCheck, sqlx::Error> {
    let Some((showing, at)) = tokens::open(key, token) else {
        return Ok(ShowCheck::Invalid);
    };
    // A few seconds of clock difference between servers are forgiven; a code from the
    // future is not.
    if now - at > CODE_LIFETIME_SECONDS || at - now > 5 {
        return Ok(ShowCheck::Expired);
    }
    let Some(row) = sqlx::query(&format!(
        "{STANDING} JOIN showings s ON s.certificate_id = c.id WHERE s.public_id = $1 \
         AND s.created_at <= $2 AND s.ends_at >= $2"
    ))
    .bind(&showing)
    .bind(at)
    .fetch_optional(db)
    .await?
    else {
        return Ok(ShowCheck::Invalid);
    };
    let cert = standing_now(db, &row, now).await?;
    crate::certificates::uses::record_use(
        db,
        cert.id,
        uses::SHOW,
        &format!("亮证 {}", format_beijing_second(at)),
        "",
        viewer,
        now,
    )
    .await?;
    Ok(ShowCheck::Live {
        certificate: cert.live,
        shown_at: format_beijing_second(at),
    })
}

// ---- 授权用证 ----

/// What a new grant is for.
pub struct GrantRequest<'a> {
    pub certificate: &'a str,
    pub org_code: &'a str,
    pub org_name: &'a str,
    pub purpose: &'a str,
    pub days: i64,
}

/// Grants the organisation access to the holder's certificate; `None` when it is not
/// theirs.
pub async fn create_grant(
    db: &AnyPool,
    base: &str,
    person_digest: &str,
    account_id: i64,
    request: &GrantRequest<'_>,
    now: i64,
) -> Result<Option<NewGrant>, sqlx::Error> {
    let Some(cert) = own_certificate(db, person_digest, request.certificate, now).await? else {
        return Ok(None);
    };
    let id = crate::platform::ids::random_hex::<8>();
    let code = crate::platform::ids::random_hex::<16>();
    let expires_at = now + request.days.clamp(1, MAX_GRANT_DAYS) * 86_400;
    sqlx::query(
        "INSERT INTO grants (public_id, code_hash, certificate_id, account_id, org_code, \
         org_name, purpose, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(crate::platform::ids::sha256_hex(&code))
    .bind(cert.id)
    .bind(account_id)
    .bind(request.org_code)
    .bind(request.org_name)
    .bind(request.purpose)
    .bind(now)
    .bind(expires_at)
    .execute(db)
    .await?;
    let grant = GrantView {
        id,
        title: cert.live.title,
        registration_no: cert.live.registration_no,
        org_code: request.org_code.into(),
        org_name: request.org_name.into(),
        purpose: request.purpose.into(),
        created_at: format_beijing_minute(now),
        expires_at: format_beijing_minute(expires_at),
        state: "有效".into(),
        active: true,
    };
    Ok(Some(NewGrant {
        grant,
        url: format!("{}/verify/grant/{code}", base.trim_end_matches('/')),
    }))
}

/// The holder's grants, newest first.
pub async fn grants_of(
    db: &AnyPool,
    account_id: i64,
    now: i64,
) -> Result<Vec<GrantView>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT g.public_id, g.org_code, g.org_name, g.purpose, g.created_at, g.expires_at, \
         g.revoked_at, c.title, r.registration_no FROM grants g \
         JOIN certificates c ON c.id = g.certificate_id \
         JOIN registrations r ON r.id = c.registration_id \
         WHERE g.account_id = $1 ORDER BY g.id DESC LIMIT 200",
    )
    .bind(account_id)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            let revoked = r.try_get::<i64, _>("revoked_at")? != 0;
            let expires_at: i64 = r.try_get("expires_at")?;
            let (state, active) = standing_of(revoked, expires_at, now);
            Ok(GrantView {
                id: r.try_get("public_id")?,
                title: r.try_get("title")?,
                registration_no: r.try_get("registration_no")?,
                org_code: r.try_get("org_code")?,
                org_name: r.try_get("org_name")?,
                purpose: r.try_get("purpose")?,
                created_at: format_beijing_minute(r.try_get("created_at")?),
                expires_at: format_beijing_minute(expires_at),
                state: state.into(),
                active,
            })
        })
        .collect()
}

/// Revokes the account's own grant at once; the grant's organisation name when it was
/// theirs and still active.
pub async fn revoke_grant(
    db: &AnyPool,
    account_id: i64,
    grant: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE grants SET revoked_at = $1 WHERE public_id = $2 AND account_id = $3 \
         AND revoked_at = 0 AND expires_at > $1",
    )
    .bind(now)
    .bind(grant)
    .bind(account_id)
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    sqlx::query("SELECT org_name FROM grants WHERE public_id = $1")
        .bind(grant)
        .fetch_one(db)
        .await?
        .try_get("org_name")
        .map(Some)
}

/// An organisation's grant page: the certificate while the grant holds (recorded in the
/// holder's 用证记录 under the organisation's name), otherwise only that it ended.
pub async fn check_grant(
    db: &AnyPool,
    code: &str,
    viewer: &Viewer,
    now: i64,
) -> Result<GrantCheck, sqlx::Error> {
    let Some(g) = sqlx::query(
        "SELECT certificate_id, org_code, org_name, purpose, expires_at, revoked_at \
         FROM grants WHERE code_hash = $1",
    )
    .bind(crate::platform::ids::sha256_hex(&code.to_ascii_lowercase()))
    .fetch_optional(db)
    .await?
    else {
        return Ok(GrantCheck::NotFound);
    };
    let org_name: String = g.try_get("org_name")?;
    let org_code: String = g.try_get("org_code")?;
    let revoked = g.try_get::<i64, _>("revoked_at")? != 0;
    let expires_at: i64 = g.try_get("expires_at")?;
    if revoked || expires_at <= now {
        return Ok(GrantCheck::Ended { org_name, revoked });
    }
    let certificate_id: i64 = g.try_get("certificate_id")?;
    let row = sqlx::query(&format!("{STANDING} WHERE c.id = $1"))
        .bind(certificate_id)
        .fetch_one(db)
        .await?;
    let mut cert = standing_now(db, &row, now).await?;
    // The holder chose to show this organisation who they are.
    cert.live.holder = cert.name.clone();
    let specialties = sqlx::query(
        "SELECT name, valid_until FROM registration_specialties WHERE registration_id = $1 \
         ORDER BY position",
    )
    .bind(cert.registration_id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|s| {
        Ok(format!(
            "{}(有效期至 {})",
            s.try_get::<String, _>("name")?,
            s.try_get::<String, _>("valid_until")?
        ))
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let purpose: String = g.try_get("purpose")?;
    // Whoever holds the link opens it: the organisation it was granted to, as far as the
    // portal can know.
    crate::certificates::uses::record_use(
        db,
        cert.id,
        uses::GRANT,
        &format!("授权用途:{purpose}"),
        &format!("{org_name}({org_code})的授权链接"),
        viewer,
        now,
    )
    .await?;
    Ok(GrantCheck::Live(Box::new(GrantPage {
        certificate: cert.live,
        employer: cert.employer,
        specialties,
        org_name,
        org_code,
        purpose,
        expires_at: format_beijing_minute(expires_at),
    })))
}

/// 用证记录: the verifications of the person's certificates, latest first, a page at a
/// time, of one kind (`uses::KINDS`) or of all.
pub async fn uses_of(
    db: &AnyPool,
    person_digest: &str,
    kind: Option<&str>,
    page: i64,
) -> Result<UsePage, sqlx::Error> {
    let page = page.max(1);
    let rows = sqlx::query(
        "SELECT u.kind, u.subject, u.organisation, u.ip_masked, u.browser, u.created_at, \
         u.repeats, u.last_at, c.title FROM certificate_uses u \
         JOIN certificates c ON c.id = u.certificate_id \
         JOIN registrations r ON r.id = c.registration_id JOIN persons p ON p.id = r.person_id \
         WHERE p.id_number_digest = $1 AND ($2 = '' OR u.kind = $2) \
         ORDER BY u.last_at DESC, u.id DESC LIMIT $3 OFFSET $4",
    )
    .bind(person_digest)
    .bind(kind.unwrap_or(""))
    .bind(uses::PAGE + 1)
    .bind((page - 1) * uses::PAGE)
    .fetch_all(db)
    .await?;
    let has_next = rows.len() as i64 > uses::PAGE;
    let records = rows
        .iter()
        .take(uses::PAGE as usize)
        .map(|r| {
            let organisation: String = r.try_get("organisation")?;
            let repeats: i64 = r.try_get("repeats")?;
            Ok(UseRecord {
                at: format_beijing_second(r.try_get("created_at")?),
                kind: uses::label(&r.try_get::<String, _>("kind")?).into(),
                title: r.try_get("title")?,
                subject: r.try_get("subject")?,
                organisation: if organisation.is_empty() {
                    "未知(公开核验)".into()
                } else {
                    organisation
                },
                ip: r.try_get("ip_masked")?,
                browser: r.try_get("browser")?,
                repeats,
                last_at: if repeats > 1 {
                    format_beijing_second(r.try_get("last_at")?)
                } else {
                    String::new()
                },
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(UsePage {
        records,
        page,
        has_next,
    })
}
