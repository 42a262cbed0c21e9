//! 注册人员库: registered professionals, their registrations (注册), the specialties (注册专业)
//! each registration covers, and its change history (变更记录).

use serde::{Deserialize, Serialize};

/// A registration as the public may see it: the holder's name and ID number masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationSummary {
    /// Random identifier used in links; never the database key.
    pub public_id: String,
    pub name_masked: String,
    pub id_number_masked: String,
    /// 注册类别
    pub category: String,
    /// 注册号(执业印章号)
    pub registration_no: String,
    /// 注册专业, joined with 、
    pub specialties: String,
}

/// A person to add to the registry, with the full ID number that only the server sees.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    pub id_number: crate::domain::IdNumber,
}

/// 注册专业 with its own 有效期.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Specialty {
    pub name: String,
    /// `YYYY-MM-DD`
    pub valid_until: String,
}

#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct NewRegistration {
    pub category: String,
    pub registration_no: String,
    pub seal_no: String,
    pub certificate_no: String,
    /// 注册单位
    pub employer: String,
    pub employer_credit_code: crate::domain::CreditCode,
    /// `YYYY-MM-DD`
    pub issued_on: String,
    pub valid_until: String,
    pub specialties: Vec<Specialty>,
    pub changes: Vec<RegistrationChange>,
}

/// 变更记录: one change to a registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationChange {
    /// `YYYY-MM-DD`
    pub changed_on: String,
    /// 变更类型, e.g. 初始注册, 变更注册, 延续注册, 增项注册
    pub kind: String,
    pub old_employer: Option<String>,
    pub new_employer: Option<String>,
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::*;
    use crate::domain::mask::{mask_id_number, mask_name};
    use sha2::{Digest, Sha256};
    use sqlx::{AnyPool, Row};

    /// The lookup digest of an ID number under the portal's data key: lets a full-number
    /// search match without the number being stored readable.
    pub fn id_digest(key: &[u8], id_number: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(key);
        hasher.update([0u8]);
        hasher.update(id_number.as_bytes());
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// A random 128-bit identifier, hex: what leaves the server instead of row numbers.
    pub fn new_public_id() -> String {
        let bytes: [u8; 16] = rand::random();
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn now_unix() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default()
    }

    /// Adds a person and their registrations in one transaction; returns the person's public id.
    pub async fn add_person(
        db: &AnyPool,
        data_key: &[u8],
        person: &NewPerson,
        registrations: &[NewRegistration],
    ) -> Result<String, sqlx::Error> {
        let mut tx = db.begin().await?;
        let public_id = new_public_id();
        let id = &person.id_number;
        let person_id: i64 = sqlx::query(
            "INSERT INTO persons (public_id, name, name_masked, gender, birth_date, \
             id_number_masked, id_number_digest, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&public_id)
        .bind(&person.name)
        .bind(mask_name(&person.name))
        .bind(id.gender().label())
        .bind(id.birth_date_iso())
        .bind(mask_id_number(id.as_str()))
        .bind(id_digest(data_key, id.as_str()))
        .bind(now_unix())
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;

        for reg in registrations {
            let registration_id: i64 = sqlx::query(
                "INSERT INTO registrations (public_id, person_id, category, registration_no, \
                 seal_no, certificate_no, employer, employer_credit_code, issued_on, valid_until) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(new_public_id())
            .bind(person_id)
            .bind(&reg.category)
            .bind(&reg.registration_no)
            .bind(&reg.seal_no)
            .bind(&reg.certificate_no)
            .bind(&reg.employer)
            .bind(reg.employer_credit_code.as_str())
            .bind(&reg.issued_on)
            .bind(&reg.valid_until)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            for (position, sp) in reg.specialties.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO registration_specialties (registration_id, position, name, valid_until) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(registration_id)
                .bind(position as i64)
                .bind(&sp.name)
                .bind(&sp.valid_until)
                .execute(&mut *tx)
                .await?;
            }
            for change in &reg.changes {
                sqlx::query(
                    "INSERT INTO registration_changes \
                     (registration_id, changed_on, kind, old_employer, new_employer) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(registration_id)
                .bind(&change.changed_on)
                .bind(&change.kind)
                .bind(change.old_employer.as_deref())
                .bind(change.new_employer.as_deref())
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(public_id)
    }

    pub async fn count_persons(db: &AnyPool) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) FROM persons")
            .fetch_one(db)
            .await?
            .try_get(0)
    }

    /// The public view of one registration, found by its 注册号(执业印章号).
    pub async fn find_by_registration_no(
        db: &AnyPool,
        registration_no: &str,
    ) -> Result<Option<RegistrationSummary>, sqlx::Error> {
        let Some(row) = sqlx::query(
            "SELECT r.id, r.public_id, p.name_masked, p.id_number_masked, r.category, r.registration_no \
             FROM registrations r JOIN persons p ON p.id = r.person_id \
             WHERE r.registration_no = $1",
        )
        .bind(registration_no)
        .fetch_optional(db)
        .await?
        else {
            return Ok(None);
        };
        let registration_id: i64 = row.try_get(0)?;
        let specialties: Vec<String> = sqlx::query(
            "SELECT name FROM registration_specialties WHERE registration_id = $1 ORDER BY position",
        )
        .bind(registration_id)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
        Ok(Some(RegistrationSummary {
            public_id: row.try_get(1)?,
            name_masked: row.try_get(2)?,
            id_number_masked: row.try_get(3)?,
            category: row.try_get(4)?,
            registration_no: row.try_get(5)?,
            specialties: specialties.join("、"),
        }))
    }

    /// Whether a person with this full ID number is in the registry.
    pub async fn person_exists(
        db: &AnyPool,
        data_key: &[u8],
        id_number: &str,
    ) -> Result<bool, sqlx::Error> {
        let row = sqlx::query("SELECT COUNT(*) FROM persons WHERE id_number_digest = $1")
            .bind(id_digest(data_key, id_number))
            .fetch_one(db)
            .await?;
        Ok(row.try_get::<i64, _>(0)? > 0)
    }
}
