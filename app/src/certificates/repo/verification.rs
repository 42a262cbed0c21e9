//! What a copy's verification and a credential rest on: the certificate's subject as the
//! credentials present it, the content digests that tie an issued credential to the
//! certificate as it was, and the public 证照核验 of a copy.

use super::*;

/// The holder's certificate as it stands, for a verifiable credential: its row id, the
/// fingerprint of its content, its card and the holder's name.
pub struct Subject {
    pub id: i64,
    pub digest: String,
    pub card: CertificateCard,
    pub name: String,
}

/// The person's own certificate `public_id` (not revoked) as a [`Subject`].
pub async fn subject(
    db: &AnyPool,
    person_digest: &str,
    public_id: &str,
    today: Date,
) -> Result<Option<Subject>, sqlx::Error> {
    Ok(rows(db, person_digest, Some(public_id), today)
        .await?
        .into_iter()
        .next()
        .map(|r| Subject {
            id: r.id,
            digest: r.digest,
            card: r.card,
            name: r.person.name,
        }))
}

impl Subject {
    /// What a credential of this certificate states, fingerprinted: the certificate's
    /// content and the holder's name (a corrected name must invalidate it too).
    pub fn credential_digest(&self) -> String {
        credential_digest(&self.digest, &self.name)
    }
}

pub(super) fn credential_digest(content: &str, name: &str) -> String {
    crate::platform::ids::sha256_hex(&format!("{content}\0{name}"))
}

/// The credential fingerprint now of each of `certificates`: two queries, however many.
pub async fn credential_digests(
    conn: &mut sqlx::AnyConnection,
    certificates: &[i64],
) -> Result<HashMap<i64, String>, sqlx::Error> {
    if certificates.is_empty() {
        return Ok(HashMap::new());
    }
    // Row ids are integers the portal read itself: listed in the statement, not bound.
    digests_where(
        conn,
        &format!(
            "c.id IN ({}) AND $1 = $2",
            crate::platform::ids::sql_list(certificates)
        ),
        0,
        0,
    )
    .await
    .map(|m| m.into_iter().map(|(id, (_, vc))| (id, vc)).collect())
}

/// (content fingerprint, credential fingerprint) of the certificates `condition` selects
/// (`c` the certificate; two binds).
pub(super) async fn digests_where(
    conn: &mut sqlx::AnyConnection,
    condition: &str,
    first: i64,
    second: i64,
) -> Result<HashMap<i64, (String, String)>, sqlx::Error> {
    let found = sqlx::query(&format!(
        "SELECT c.id, c.title, r.id AS rid, r.registration_no, r.employer, r.valid_until, \
         p.name FROM certificates c JOIN registrations r ON r.id = c.registration_id \
         JOIN persons p ON p.id = r.person_id WHERE {condition}"
    ))
    .bind(first)
    .bind(second)
    .fetch_all(&mut *conn)
    .await?;
    let specialties = sqlx::query(&format!(
        "SELECT s.registration_id, s.name, s.valid_until FROM registration_specialties s \
         JOIN certificates c ON c.registration_id = s.registration_id \
         WHERE {condition} ORDER BY s.registration_id, s.position"
    ))
    .bind(first)
    .bind(second)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_registration: HashMap<i64, Vec<Specialty>> = HashMap::new();
    for r in specialties {
        by_registration
            .entry(r.try_get("registration_id")?)
            .or_default()
            .push(Specialty {
                name: r.try_get("name")?,
                valid_until: r.try_get("valid_until")?,
            });
    }
    let mut out = HashMap::new();
    for row in found {
        let rid: i64 = row.try_get("rid")?;
        let card = CertificateCard {
            id: String::new(),
            title: row.try_get("title")?,
            licence_id: String::new(),
            category: String::new(),
            registration_no: row.try_get("registration_no")?,
            employer: row.try_get("employer")?,
            valid_until: row.try_get("valid_until")?,
            specialties: by_registration.remove(&rid).unwrap_or_default(),
            state: AnnotationState::None,
            next_validity: Err(crate::platform::error::Message::new("", "")),
        };
        let content = content_digest(&card);
        let name: String = row.try_get("name")?;
        let vc = credential_digest(&content, &name);
        out.insert(row.try_get::<i64, _>("id")?, (content, vc));
    }
    Ok(out)
}

/// The certificate's 版本号 now, moved on first if its content changed since last seen
/// (the public 亮证 and grant pages read a certificate without its holder's rows).
pub async fn current_version(db: &AnyPool, certificate_id: i64) -> Result<i64, sqlx::Error> {
    let digests = digests_where(
        &mut *db.acquire().await?,
        "c.id = $1 AND c.id = $2",
        certificate_id,
        certificate_id,
    )
    .await?;
    let Some((content, _)) = digests.get(&certificate_id) else {
        return Ok(1);
    };
    let seen: String = sqlx::query("SELECT version_digest FROM certificates WHERE id = $1")
        .bind(certificate_id)
        .fetch_one(db)
        .await?
        .try_get("version_digest")?;
    next_version(db, certificate_id, &seen, content).await
}

/// `/verify/<code>`: the copy with this verification code, if any, and its certificate's
/// row id (for the holder's 用证记录).
pub async fn verify(
    db: &AnyPool,
    code: &str,
    today: Date,
) -> Result<Option<(Verification, i64)>, sqlx::Error> {
    let Some(found) = sqlx::query(
        "SELECT a.copy_no, a.purpose, a.valid_until, a.content_digest, a.created_at, \
         a.cert_version, c.id AS cid, c.public_id, c.title, c.revoked_at, r.category, r.withdrawn_kind, \
         r.registration_no, r.issued_on, r.valid_until AS cert_valid_until, p.name_masked, \
         p.id_number_masked, p.id_kind, p.id_number_digest FROM annotations a JOIN certificates c ON c.id = a.certificate_id \
         JOIN registrations r ON r.id = c.registration_id JOIN persons p ON p.id = r.person_id \
         WHERE a.verify_code = $1",
    )
    .bind(code)
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let revoked = found.try_get::<i64, _>("revoked_at")? != 0;
    let digest: String = found.try_get("content_digest")?;
    let person: String = found.try_get("id_number_digest")?;
    let public_id: String = found.try_get("public_id")?;
    let current = rows(db, &person, Some(&public_id), today).await?;
    let changed = current.first().is_some_and(|r| r.digest != digest);
    let valid_until: String = found.try_get("valid_until")?;
    let valid = !revoked && parse_date(&valid_until).is_some_and(|d| d >= today);
    let category: String = found.try_get("category")?;
    let certificate_id: i64 = found.try_get("cid")?;
    let verification = Verification {
        title: found.try_get("title")?,
        licence_id: licence_id(&category, certificate_id, found.try_get("cert_version")?),
        type_code: crate::certificates::licence_id::type_code(&category).unwrap_or_default(),
        registration_no: found.try_get("registration_no")?,
        holder: found.try_get("name_masked")?,
        holder_code: found.try_get("id_number_masked")?,
        holder_kind: super::kind_of(&found)?,
        issued_on: found.try_get("issued_on")?,
        cert_valid_until: found.try_get("cert_valid_until")?,
        category,
        copy_no: found.try_get("copy_no")?,
        purpose: found.try_get("purpose")?,
        made_at: crate::domain::time::format_beijing_minute(found.try_get("created_at")?),
        valid_until,
        valid,
        changed,
        revoked,
        withdrawn_kind: found.try_get("withdrawn_kind")?,
    };
    Ok(Some((verification, certificate_id)))
}
