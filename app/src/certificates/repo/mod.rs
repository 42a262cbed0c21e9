use super::*;
use crate::certificates::annotation::Date;
use crate::certificates::annotation::annotation_validity;
use crate::certificates::annotation::format_date;
use crate::domain::time::parse_date;
use crate::platform::error::Message;
use crate::platform::ports::documents::CopyMark;
use crate::platform::ports::documents::DocumentData;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};
use std::collections::HashMap;

mod verification;
pub use verification::*;

/// Issues the certificates of this person's registrations that have none yet.
pub async fn ensure_issued(db: &AnyPool, person_digest: &str, now: i64) -> Result<(), sqlx::Error> {
    let missing = sqlx::query(
        "SELECT r.id, r.category FROM registrations r JOIN persons p ON p.id = r.person_id \
         WHERE p.id_number_digest = $1 AND NOT EXISTS \
         (SELECT 1 FROM certificates c WHERE c.registration_id = r.id) ORDER BY r.id",
    )
    .bind(person_digest)
    .fetch_all(db)
    .await?;
    for row in missing {
        let id: i64 = row.try_get("id")?;
        let category: String = row.try_get("category")?;
        let inserted = sqlx::query(
            // A registration the registry withdrew (注销/撤销) gets an invalid certificate.
            "INSERT INTO certificates (public_id, registration_id, title, issued_at, revoked_at) \
             VALUES ($1, $2, $3, $4, (SELECT withdrawn_at FROM registrations WHERE id = $2))",
        )
        .bind(crate::platform::ids::new_public_id())
        .bind(id)
        .bind(title_for(&category))
        .bind(now)
        .execute(db)
        .await;
        match inserted {
            Ok(_) => {}
            // Issued meanwhile by a concurrent request: nothing to do.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

struct CertRow {
    id: i64,
    /// 版本号 of the certificate as it stands.
    version: i64,
    card: CertificateCard,
    digest: String,
    person: Person,
    issued_on: String,
    latest: Option<Latest>,
}

struct Person {
    name: String,
    gender: String,
    id_number_masked: String,
    id_kind: crate::domain::DocumentKind,
}

/// The certificate's latest 加注.
struct Latest {
    mark: CopyMark,
    content_digest: String,
    /// The 版本号 the copy certified.
    cert_version: i64,
}

/// The `id_kind` column of a person's row (older rows are 居民身份证).
pub(crate) fn kind_of(row: &sqlx::any::AnyRow) -> Result<crate::domain::DocumentKind, sqlx::Error> {
    let code: String = row.try_get("id_kind")?;
    Ok(crate::domain::DocumentKind::from_stored(&code))
}

/// The person's certificates (or only `only`), each with its specialties and latest 加注:
/// three queries, however many certificates the person holds.
async fn rows(
    db: &AnyPool,
    person_digest: &str,
    only: Option<&str>,
    today: Date,
) -> Result<Vec<CertRow>, sqlx::Error> {
    let found = sqlx::query(
        "SELECT c.id, c.public_id, c.title, c.version, c.version_digest, r.id AS rid, r.category, r.registration_no, \
         r.employer, r.valid_until, r.issued_on, p.name, p.gender, \
         p.id_number_masked, p.id_kind FROM certificates c \
         JOIN registrations r ON r.id = c.registration_id JOIN persons p ON p.id = r.person_id \
         WHERE p.id_number_digest = $1 AND c.revoked_at = 0 AND ($2 = '' OR c.public_id = $2) \
         ORDER BY r.id",
    )
    .bind(person_digest)
    .bind(only.unwrap_or(""))
    .fetch_all(db)
    .await?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let mut specialties = specialties_of(db, person_digest).await?;
    let mut latest = latest_annotations_of(db, person_digest).await?;
    let mut out = Vec::with_capacity(found.len());
    for row in &found {
        let id: i64 = row.try_get("id")?;
        let rid: i64 = row.try_get("rid")?;
        let specialties = specialties.remove(&rid).unwrap_or_default();
        let mut r = cert_row(row, specialties, latest.remove(&id), today)?;
        let seen: String = row.try_get("version_digest")?;
        if seen != r.digest {
            r.version = next_version(db, r.id, &seen, &r.digest).await?;
        }
        r.card.licence_id = licence_id(&r.card.category, r.id, r.version);
        out.push(r);
    }
    Ok(out)
}

/// The 版本号 once the certificate's content is seen as `digest` (it was `seen`; '' when
/// never seen): the same version the first time, one more after a change. Concurrent
/// callers agree: only the first of them moves the version.
async fn next_version(db: &AnyPool, id: i64, seen: &str, digest: &str) -> Result<i64, sqlx::Error> {
    let mut seen = seen.to_string();
    // A concurrent caller may have moved it (to this content, or to another it saw): read
    // what stands and try again from there, until the version is this content's.
    for _ in 0..5 {
        if seen != digest {
            sqlx::query(
                "UPDATE certificates SET version_digest = $1, \
                 version = version + CASE WHEN version_digest = '' THEN 0 ELSE 1 END \
                 WHERE id = $2 AND version_digest = $3",
            )
            .bind(digest)
            .bind(id)
            .bind(&seen)
            .execute(db)
            .await?;
        }
        let now = sqlx::query("SELECT version, version_digest FROM certificates WHERE id = $1")
            .bind(id)
            .fetch_one(db)
            .await?;
        let standing: String = now.try_get("version_digest")?;
        if standing == digest {
            return now.try_get("version");
        }
        seen = standing;
    }
    Err(sqlx::Error::Protocol("证照版本号更新冲突".into()))
}

/// The specialties of the person's registrations, by registration, in order.
async fn specialties_of(
    db: &AnyPool,
    person_digest: &str,
) -> Result<HashMap<i64, Vec<Specialty>>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT s.registration_id, s.name, s.valid_until FROM registration_specialties s \
         JOIN registrations r ON r.id = s.registration_id JOIN persons p ON p.id = r.person_id \
         WHERE p.id_number_digest = $1 ORDER BY s.registration_id, s.position",
    )
    .bind(person_digest)
    .fetch_all(db)
    .await?;
    let mut out: HashMap<i64, Vec<Specialty>> = HashMap::new();
    for r in rows {
        out.entry(r.try_get("registration_id")?)
            .or_default()
            .push(Specialty {
                name: r.try_get("name")?,
                valid_until: r.try_get("valid_until")?,
            });
    }
    Ok(out)
}

/// The latest 加注 of each of the person's certificates, by certificate.
async fn latest_annotations_of(
    db: &AnyPool,
    person_digest: &str,
) -> Result<HashMap<i64, Latest>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.certificate_id, a.copy_no, a.verify_code, a.purpose, a.valid_until, \
         a.content_digest, a.created_at, a.cert_version FROM annotations a \
         JOIN certificates c ON c.id = a.certificate_id \
         JOIN registrations r ON r.id = c.registration_id JOIN persons p ON p.id = r.person_id \
         WHERE p.id_number_digest = $1 \
         AND a.id = (SELECT MAX(l.id) FROM annotations l WHERE l.certificate_id = a.certificate_id)",
    )
    .bind(person_digest)
    .fetch_all(db)
    .await?;
    let mut out = HashMap::new();
    for a in rows {
        let latest = Latest {
            mark: CopyMark {
                copy_no: a.try_get("copy_no")?,
                verify_code: a.try_get("verify_code")?,
                purpose: a.try_get("purpose")?,
                valid_until: a.try_get("valid_until")?,
                created_at: a.try_get("created_at")?,
            },
            content_digest: a.try_get("content_digest")?,
            cert_version: a.try_get("cert_version")?,
        };
        out.insert(a.try_get::<i64, _>("certificate_id")?, latest);
    }
    Ok(out)
}

/// One certificate's row: its card (with the 加注 state as of `today`), the holder as
/// printed, and what the 加注 rule needs.
fn cert_row(
    row: &AnyRow,
    specialties: Vec<Specialty>,
    latest: Option<Latest>,
    today: Date,
) -> Result<CertRow, sqlx::Error> {
    let state = match &latest {
        None => AnnotationState::None,
        Some(a) => {
            let until = a.mark.valid_until.clone();
            if parse_date(&until).is_some_and(|d| d >= today) {
                AnnotationState::Valid {
                    until,
                    copy_no: a.mark.copy_no.clone(),
                }
            } else {
                AnnotationState::Expired { until }
            }
        }
    };
    let card = CertificateCard {
        id: row.try_get("public_id")?,
        title: row.try_get("title")?,
        licence_id: String::new(),
        category: row.try_get("category")?,
        registration_no: row.try_get("registration_no")?,
        employer: row.try_get("employer")?,
        valid_until: row.try_get("valid_until")?,
        specialties,
        state,
        next_validity: Err(Message::new("", "")),
    };
    let digest = content_digest(&card);
    let mut r = CertRow {
        id: row.try_get("id")?,
        version: row.try_get("version")?,
        card,
        digest,
        person: Person {
            name: row.try_get("name")?,
            gender: row.try_get("gender")?,
            id_number_masked: row.try_get("id_number_masked")?,
            id_kind: kind_of(row)?,
        },
        issued_on: row.try_get("issued_on")?,
        latest,
    };
    r.card.next_validity = validity(&r, today)
        .map(|v| Message::new(v.explanation(), v.english_explanation()))
        .map_err(Message::from);
    Ok(r)
}

fn validity(
    row: &CertRow,
    today: Date,
) -> Result<
    crate::certificates::annotation::Validity,
    crate::certificates::annotation::AnnotationRefusal,
> {
    let specialties: Vec<(String, Date)> = row
        .card
        .specialties
        .iter()
        .filter_map(|s| parse_date(&s.valid_until).map(|d| (s.name.clone(), d)))
        .collect();
    annotation_validity(today, parse_date(&row.card.valid_until), &specialties)
}

/// What the copy certifies, fingerprinted: a later change of the certificate shows.
fn content_digest(card: &CertificateCard) -> String {
    let mut h = Sha256::new();
    for part in [
        &card.title,
        &card.registration_no,
        &card.employer,
        &card.valid_until,
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    for s in &card.specialties {
        h.update(s.name.as_bytes());
        h.update([1u8]);
        h.update(s.valid_until.as_bytes());
        h.update([0u8]);
    }
    crate::platform::ids::hex(&h.finalize())
}

/// 电子证照管理's cards for this person (issuing what is missing first).
pub async fn cards_for(
    db: &AnyPool,
    person_digest: &str,
    now: i64,
    today: Date,
) -> Result<Vec<CertificateCard>, sqlx::Error> {
    ensure_issued(db, person_digest, now).await?;
    Ok(rows(db, person_digest, None, today)
        .await?
        .into_iter()
        .map(|r| r.card)
        .collect())
}

#[derive(Debug)]
pub enum AnnotateError {
    /// Not this person's certificate (or none such).
    NotFound,
    /// No 加注 can be made today (its `Display` and `english()` say why).
    Refused(crate::certificates::annotation::AnnotationRefusal),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for AnnotateError {
    fn from(e: sqlx::Error) -> Self {
        Self::Db(e)
    }
}

/// 加注: a new certified copy of the person's certificate `public_id` for `purpose`, made
/// at `now` (the day is Beijing's). Returns the updated card and the open transaction the
/// copy is stored in, for the caller to add the 安全记录 entry and commit: both are kept,
/// or neither. The transaction begins only after the reads, so a request never holds one
/// connection while it waits for another.
pub async fn annotate(
    db: &AnyPool,
    person_digest: &str,
    account_id: i64,
    public_id: &str,
    purpose: &str,
    now: i64,
) -> Result<(CertificateCard, sqlx::Transaction<'static, sqlx::Any>), AnnotateError> {
    let today = crate::domain::time::beijing_date(now);
    let mut row = rows(db, person_digest, Some(public_id), today)
        .await?
        .into_iter()
        .next()
        .ok_or(AnnotateError::NotFound)?;
    let v = validity(&row, today).map_err(AnnotateError::Refused)?;
    let copy_no = format!(
        "JZ{}{}",
        format_date(today).replace('-', ""),
        crate::platform::ids::random_hex::<5>().to_uppercase()
    );
    let verify_code = crate::platform::ids::random_hex::<16>();
    let mut tx = crate::platform::db::begin_write(db).await?;
    sqlx::query(
        "INSERT INTO annotations (certificate_id, account_id, copy_no, verify_code, purpose, \
         valid_until, validity_note, content_digest, created_at, cert_version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(row.id)
    .bind(account_id)
    .bind(&copy_no)
    .bind(&verify_code)
    .bind(purpose)
    .bind(format_date(v.until))
    .bind(v.explanation())
    .bind(&row.digest)
    .bind(now)
    .bind(row.version)
    .execute(&mut *tx)
    .await?;
    // The new copy is the latest, and valid today: no need to read the card again.
    row.card.state = AnnotationState::Valid {
        until: format_date(v.until),
        copy_no,
    };
    Ok((row.card, tx))
}

/// Why a copy cannot be downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyRefusal {
    /// Not this person's certificate (or none such).
    NotFound,
    /// 未加注
    NotAnnotated,
    /// 加注已过期
    Expired,
    /// The certificate changed after the 加注: the copy would show other content.
    Changed,
}

impl CopyRefusal {
    pub fn message(&self) -> &'static str {
        match self {
            Self::NotFound => "无权访问该证照:证照不存在,或不属于当前登录的持证人",
            Self::NotAnnotated => "该证照尚未加注,请先进行证照加注后再下载",
            Self::Expired => "该证照的加注已过期,请重新加注后再下载",
            Self::Changed => "证照信息在加注后已变更,请重新加注后再下载",
        }
    }

    /// The message in English ([`message`](Self::message) is the Chinese).
    pub fn english(&self) -> &'static str {
        match self {
            Self::NotFound => {
                "You cannot open this certificate: it does not exist, or it is not the signed-in \
                 holder's"
            }
            Self::NotAnnotated => {
                "This certificate has not been annotated: annotate it before you download it"
            }
            Self::Expired => {
                "This certificate's annotation has expired: annotate it again before you \
                 download it"
            }
            Self::Changed => {
                "The certificate's details changed after it was annotated: annotate it again \
                 before you download it"
            }
        }
    }
}

impl From<CopyRefusal> for Message {
    fn from(refusal: CopyRefusal) -> Self {
        Self::new(refusal.message(), refusal.english())
    }
}

fn document_of(row: &CertRow, copy: Option<CopyMark>) -> DocumentData {
    // A copy names the version it certified (the same content may have come back under a
    // later version); the bare certificate, the version as it stands.
    let licence = match (&copy, &row.latest) {
        (Some(_), Some(l)) => licence_id(&row.card.category, row.id, l.cert_version),
        _ => row.card.licence_id.clone(),
    };
    DocumentData {
        title: row.card.title.clone(),
        licence_id: licence,
        category: row.card.category.clone(),
        name: row.person.name.clone(),
        gender: row.person.gender.clone(),
        id_number_masked: row.person.id_number_masked.clone(),
        id_kind: row.person.id_kind,
        employer: row.card.employer.clone(),
        registration_no: row.card.registration_no.clone(),
        issued_on: row.issued_on.clone(),
        valid_until: row.card.valid_until.clone(),
        specialties: row.card.specialties.clone(),
        copy,
    }
}

/// The person's certificate `public_id` as its current copy (latest 加注, valid today
/// and made of the certificate as it stands), for download.
pub async fn copy_for_download(
    db: &AnyPool,
    person_digest: &str,
    public_id: &str,
    today: Date,
) -> Result<Result<DocumentData, CopyRefusal>, sqlx::Error> {
    let Some(row) = rows(db, person_digest, Some(public_id), today)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(Err(CopyRefusal::NotFound));
    };
    Ok(current_copy(&row).map(|copy| document_of(&row, Some(copy))))
}

/// The copy the holder can use now: the latest 加注, valid today and made of the
/// certificate as it stands.
fn current_copy(row: &CertRow) -> Result<CopyMark, CopyRefusal> {
    match (&row.card.state, &row.latest) {
        (AnnotationState::Valid { .. }, Some(l)) if l.content_digest == row.digest => {
            Ok(l.mark.clone())
        }
        (AnnotationState::Valid { .. }, Some(_)) => Err(CopyRefusal::Changed),
        (AnnotationState::Expired { .. }, _) => Err(CopyRefusal::Expired),
        _ => Err(CopyRefusal::NotAnnotated),
    }
}

/// What the preview image shows: the current copy when there is one, otherwise the
/// certificate without a 加注.
pub async fn preview_document(
    db: &AnyPool,
    person_digest: &str,
    public_id: &str,
    today: Date,
) -> Result<Option<DocumentData>, sqlx::Error> {
    Ok(rows(db, person_digest, Some(public_id), today)
        .await?
        .into_iter()
        .next()
        .map(|row| document_of(&row, current_copy(&row).ok())))
}

/// The signed-in holder's cards as they stand now, for 电子证照管理 and for the credentials'
/// pages alike: only the holder's own, and only within 30 minutes of a face check in this
/// session (`platform::auth`).
pub async fn holder_cards(
    caller: &crate::platform::caller::Caller,
    signed: &crate::platform::caller::SignedIn,
) -> Result<Vec<CertificateCard>, crate::platform::error::AppError> {
    let now = caller.clock.now();
    let holder = signed.certificate_holder(now)?;
    let today = crate::domain::time::beijing_date(now);
    Ok(cards_for(&caller.db, holder, now, today).await?)
}
