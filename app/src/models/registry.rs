//! 注册人员库: registered professionals, their registrations (注册), the specialties (注册专业)
//! each registration covers, and its change history (变更记录).
//!
//! The full ID number of a registered person exists only on the server while a row is written
//! (as a keyed digest for exact lookups and a masked copy for display); nothing here can carry
//! it to a browser.

use serde::{Deserialize, Serialize};

/// Rows per page of search results.
pub const PAGE_SIZE: u32 = 10;
/// Counts stop here: a query that matches more says "1000 条以上" instead of scanning on.
pub const COUNT_CAP: i64 = 1000;

/// One row of the search results as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationSummary {
    /// Random identifier used in links; never the database key.
    pub public_id: String,
    /// 姓名
    pub name: String,
    /// 身份证号, masked on the server: `110105********0039`
    pub id_number_masked: String,
    /// 注册类别
    pub category: String,
    /// 注册号(执业印章号)
    pub registration_no: String,
    /// 注册专业, joined with 、
    pub specialties: String,
}

/// One page of results with the (capped) number of matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub rows: Vec<RegistrationSummary>,
    /// Matches counted, at most [`COUNT_CAP`].
    pub total: i64,
    /// True when there are more than [`COUNT_CAP`] matches.
    pub total_capped: bool,
    pub page: u32,
    pub page_size: u32,
}

impl SearchResults {
    pub fn page_count(&self) -> u32 {
        (self.total.max(0) as u32)
            .div_ceil(self.page_size.max(1))
            .max(1)
    }
}

/// 注册专业 with its own 有效期.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Specialty {
    pub name: String,
    /// `YYYY-MM-DD`
    pub valid_until: String,
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

/// Everything the public detail page shows about one registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationDetail {
    pub public_id: String,
    pub name: String,
    pub gender: String,
    pub id_number_masked: String,
    pub category: String,
    pub registration_no: String,
    pub seal_no: String,
    pub certificate_no: String,
    pub employer: String,
    pub employer_credit_code: String,
    pub issued_on: String,
    pub valid_until: String,
    pub specialties: Vec<Specialty>,
    pub changes: Vec<RegistrationChange>,
}

/// A person to add to the registry, with the full ID number that only the server sees.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    pub id_number: crate::domain::IdNumber,
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

#[cfg(feature = "ssr")]
pub mod repo {
    use super::*;
    use crate::domain::mask::{mask_id_number, mask_name};
    use crate::domain::query::{ValidQuery, prefix_upper_bound};
    use crate::models::Backend;
    use sqlx::any::{AnyArguments, AnyRow};
    use sqlx::{AnyPool, Arguments, Row};

    use crate::domain::person::{id_digest, seal_birth_date};

    /// Seals the birth dates still kept in clear (databases from before sealing), in batches;
    /// returns how many. Run at start, before serving.
    pub async fn seal_clear_birth_dates(db: &AnyPool, key: &[u8]) -> Result<u64, sqlx::Error> {
        let mut sealed = 0;
        loop {
            let rows = sqlx::query(
                "SELECT id, public_id, birth_date FROM persons WHERE birth_date <> '' LIMIT 1000",
            )
            .fetch_all(db)
            .await?;
            if rows.is_empty() {
                return Ok(sealed);
            }
            let mut tx = db.begin().await?;
            for row in &rows {
                let id: i64 = row.try_get("id")?;
                let public_id: String = row.try_get("public_id")?;
                let birth: String = row.try_get("birth_date")?;
                sqlx::query("UPDATE persons SET birth_sealed = $1, birth_date = '' WHERE id = $2")
                    .bind(seal_birth_date(key, &public_id, &birth))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            sealed += rows.len() as u64;
        }
    }

    /// How long a 查询凭据 stands for its search.
    pub const SEARCH_KEY_SECONDS: i64 = 30 * 60;

    /// A new 查询凭据 for a 身份证号 search: for the number's digest, or for the message of why
    /// the number typed was not valid (so that a form posted without JavaScript shows it).
    pub async fn create_search_key(
        db: &AnyPool,
        outcome: Result<&str, &str>,
        now: i64,
    ) -> Result<String, sqlx::Error> {
        sqlx::query("DELETE FROM search_keys WHERE created_at < $1")
            .bind(now - SEARCH_KEY_SECONDS)
            .execute(db)
            .await?;
        let key = new_public_id();
        let (digest, error) = match outcome {
            Ok(d) => (d, ""),
            Err(e) => ("", e),
        };
        sqlx::query(
            "INSERT INTO search_keys (key_hash, id_digest, error, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(search_key_hash(&key))
        .bind(digest)
        .bind(error)
        .bind(now)
        .execute(db)
        .await?;
        Ok(key)
    }

    /// What a live 查询凭据 stands for: the digest, or the message; `None` when unknown or
    /// expired.
    pub async fn resolve_search_key(
        db: &AnyPool,
        key: &str,
        now: i64,
    ) -> Result<Option<Result<String, String>>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT id_digest, error FROM search_keys WHERE key_hash = $1 AND created_at >= $2",
        )
        .bind(search_key_hash(key))
        .bind(now - SEARCH_KEY_SECONDS)
        .fetch_optional(db)
        .await?;
        row.map(|r| {
            let error: String = r.try_get("error")?;
            Ok(if error.is_empty() {
                Ok(r.try_get("id_digest")?)
            } else {
                Err(error)
            })
        })
        .transpose()
    }

    fn search_key_hash(key: &str) -> String {
        crate::models::ids::sha256_hex(key)
    }

    /// A random 128-bit identifier, hex: what leaves the server instead of row numbers.
    pub fn new_public_id() -> String {
        crate::models::ids::random_hex::<16>()
    }

    /// 注册专业 names as the results table shows them.
    pub fn specialty_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
        names.collect::<Vec<_>>().join("、")
    }

    pub fn now_unix() -> i64 {
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
             birth_sealed, id_number_masked, id_number_digest, created_at) \
             VALUES ($1, $2, $3, $4, '', $5, $6, $7, $8) RETURNING id",
        )
        .bind(&public_id)
        .bind(&person.name)
        .bind(mask_name(&person.name))
        .bind(id.gender().label())
        .bind(seal_birth_date(data_key, &public_id, &id.birth_date_iso()))
        .bind(mask_id_number(id.as_str()))
        .bind(id_digest(data_key, id.as_str()))
        .bind(now_unix())
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;

        for reg in registrations {
            let registration_id: i64 = sqlx::query(
                "INSERT INTO registrations (public_id, person_id, person_name, id_number_masked, \
                 category, registration_no, seal_no, certificate_no, employer, \
                 employer_credit_code, issued_on, valid_until, specialty_names) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            )
            .bind(new_public_id())
            .bind(person_id)
            .bind(&person.name)
            .bind(mask_id_number(id.as_str()))
            .bind(&reg.category)
            .bind(&reg.registration_no)
            .bind(&reg.seal_no)
            .bind(&reg.certificate_no)
            .bind(&reg.employer)
            .bind(reg.employer_credit_code.as_str())
            .bind(&reg.issued_on)
            .bind(&reg.valid_until)
            .bind(specialty_names(
                reg.specialties.iter().map(|s| s.name.as_str()),
            ))
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

    /// Whether the registry holds anyone: one index step, where counting ten million persons
    /// at every start took seconds.
    pub async fn has_persons(db: &AnyPool) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query("SELECT 1 FROM persons LIMIT 1")
            .fetch_optional(db)
            .await?
            .is_some())
    }

    pub async fn count_persons(db: &AnyPool) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) FROM persons")
            .fetch_one(db)
            .await?
            .try_get(0)
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

    /// The names the registry holds for a full ID number (the development identity source).
    pub async fn names_for_id_number(
        db: &AnyPool,
        data_key: &[u8],
        id_number: &str,
    ) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query("SELECT name FROM persons WHERE id_number_digest = $1")
            .bind(id_digest(data_key, id_number))
            .fetch_all(db)
            .await?
            .iter()
            .map(|row| row.try_get("name"))
            .collect()
    }

    /// The WHERE clause of a validated query with its arguments; every form uses an index.
    fn filter(
        data_key: &[u8],
        query: &ValidQuery,
        backend: Backend,
    ) -> Result<(String, AnyArguments<'static>), sqlx::Error> {
        let mut args = AnyArguments::default();
        let mut add = |value: String| -> Result<usize, sqlx::Error> {
            args.add(value).map_err(sqlx::Error::Encode)?;
            Ok(args.len())
        };
        let sql = match query {
            ValidQuery::IdNumber(id) => {
                let n = add(id_digest(data_key, id.as_str()))?;
                format!("p.id_number_digest = ${n}")
            }
            ValidQuery::IdDigest(digest) => {
                let n = add(digest.clone())?;
                format!("p.id_number_digest = ${n}")
            }
            // Resolved by the caller first; an unresolved key matches nothing.
            ValidQuery::SearchKey(_) => "1 = 0".to_string(),
            ValidQuery::RegistrationNo(no) => {
                let n = add(no.clone())?;
                format!("(r.registration_no = ${n} OR r.seal_no = ${n})")
            }
            ValidQuery::Name {
                name_prefix,
                category,
                employer_prefix,
            } => {
                let lo = add(name_prefix.clone())?;
                let hi = add(prefix_upper_bound(name_prefix))?;
                // Without a category, the employer index must lead. SQLite plans a prepared
                // statement without seeing the values and would scan the (category, name)
                // index whole; writing the name as an expression takes that index out of its
                // choice. PostgreSQL plans with the values and needs no hint.
                let name = if backend == Backend::Sqlite
                    && category.is_none()
                    && employer_prefix.is_some()
                {
                    "(r.person_name || '')"
                } else {
                    "r.person_name"
                };
                let mut sql = format!("{name} >= ${lo} AND {name} < ${hi}");
                if let Some(category) = category {
                    let n = add(category.clone())?;
                    sql.push_str(&format!(" AND r.category = ${n}"));
                }
                if let Some(employer) = employer_prefix {
                    let lo = add(employer.clone())?;
                    let hi = add(prefix_upper_bound(employer))?;
                    sql.push_str(&format!(" AND r.employer >= ${lo} AND r.employer < ${hi}"));
                }
                sql
            }
        };
        Ok((sql, args))
    }

    /// One page of registrations matching a validated query, with the capped match count.
    /// Exact lookups (ID number, registration number) match a handful of rows and take one
    /// statement; name queries count on an index first, then fetch the page.
    pub async fn search(
        db: &AnyPool,
        data_key: &[u8],
        query: &ValidQuery,
        page: u32,
    ) -> Result<SearchResults, sqlx::Error> {
        search_with_counts(db, data_key, query, page, None).await
    }

    /// The tables an exact search reads (a 身份证号 is matched on the person's digest).
    const SEARCH_FROM: &str = "FROM registrations r JOIN persons p ON p.id = r.person_id";
    /// The columns of a [`RegistrationSummary`], in [`summary`]'s order: all on the
    /// registration, so that a name search reads no person.
    const SEARCH_COLUMNS: &str = "r.public_id, r.person_name, r.id_number_masked, r.category, r.registration_no, r.specialty_names";
    /// The order of search results.
    const SEARCH_ORDER: &str = "ORDER BY r.person_name, r.id";

    /// [`search`], remembering name-query counts in `counts` for a while.
    pub async fn search_with_counts(
        db: &AnyPool,
        data_key: &[u8],
        query: &ValidQuery,
        page: u32,
        counts: Option<&crate::count_cache::CountCache>,
    ) -> Result<SearchResults, sqlx::Error> {
        let backend = Backend::of(db);
        let (filter_sql, args) = filter(data_key, query, backend)?;
        let (rows, counted) = if let ValidQuery::Name {
            name_prefix,
            category,
            employer_prefix,
        } = query
        {
            let key = format!(
                "{name_prefix}\u{1}{}\u{1}{}",
                category.as_deref().unwrap_or_default(),
                employer_prefix.as_deref().unwrap_or_default()
            );
            let counted = count_name_matches(db, &filter_sql, args, key, counts).await?;
            let rows = name_page(db, data_key, query, backend, clamp_page(page, counted)).await?;
            (rows, counted)
        } else {
            exact_page(db, &filter_sql, args, page).await?
        };
        let page = clamp_page(page, counted);
        let rows = rows
            .iter()
            .map(summary)
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(SearchResults {
            rows,
            total: counted.min(COUNT_CAP),
            total_capped: counted > COUNT_CAP,
            page,
            page_size: PAGE_SIZE,
        })
    }

    /// The page asked for, within the pages that `counted` matches fill.
    fn clamp_page(page: u32, counted: i64) -> u32 {
        page.clamp(
            1,
            (counted.min(COUNT_CAP) as u32).div_ceil(PAGE_SIZE).max(1),
        )
    }

    /// The capped match count of a name query, from `counts` under `key` when remembered.
    async fn count_name_matches(
        db: &AnyPool,
        filter_sql: &str,
        args: AnyArguments<'static>,
        key: String,
        counts: Option<&crate::count_cache::CountCache>,
    ) -> Result<i64, sqlx::Error> {
        // Name filters touch only the registration's own indexed columns: count on the
        // index alone, without visiting the rows or their persons.
        let count_sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM registrations r WHERE {filter_sql} LIMIT {}) t",
            COUNT_CAP + 1
        );
        let counted: i64 = match counts.and_then(|c| c.get(&key)) {
            Some(n) => n,
            None => {
                let n: i64 = sqlx::query_with(&count_sql, args)
                    .fetch_one(db)
                    .await?
                    .try_get(0)?;
                if let Some(c) = counts {
                    c.put(key, n);
                }
                n
            }
        };
        Ok(counted)
    }

    /// The rows of page `page` (already clamped) of a name query.
    async fn name_page(
        db: &AnyPool,
        data_key: &[u8],
        query: &ValidQuery,
        backend: Backend,
        page: u32,
    ) -> Result<Vec<AnyRow>, sqlx::Error> {
        let offset = i64::from(page - 1) * i64::from(PAGE_SIZE);
        let (filter_sql, args) = filter(data_key, query, backend)?;
        let sql = format!(
            "SELECT {SEARCH_COLUMNS} FROM registrations r WHERE {filter_sql} {SEARCH_ORDER} LIMIT {PAGE_SIZE} OFFSET {offset}"
        );
        sqlx::query_with(&sql, args).fetch_all(db).await
    }

    /// An exact lookup's matches (up to one past the cap) in one statement: the rows of the
    /// page asked for, with the match count.
    async fn exact_page(
        db: &AnyPool,
        filter_sql: &str,
        args: AnyArguments<'static>,
        page: u32,
    ) -> Result<(Vec<AnyRow>, i64), sqlx::Error> {
        let sql = format!(
            "SELECT {SEARCH_COLUMNS} {SEARCH_FROM} WHERE {filter_sql} {SEARCH_ORDER} LIMIT {}",
            COUNT_CAP + 1
        );
        let all = sqlx::query_with(&sql, args).fetch_all(db).await?;
        let counted = all.len() as i64;
        let skip = (clamp_page(page, counted) - 1) as usize * PAGE_SIZE as usize;
        Ok((
            all.into_iter()
                .skip(skip)
                .take(PAGE_SIZE as usize)
                .collect(),
            counted,
        ))
    }

    /// One search result row as the public sees it.
    fn summary(row: &AnyRow) -> Result<RegistrationSummary, sqlx::Error> {
        Ok(RegistrationSummary {
            public_id: row.try_get(0)?,
            name: row.try_get(1)?,
            id_number_masked: row.try_get(2)?,
            category: row.try_get(3)?,
            registration_no: row.try_get(4)?,
            specialties: row.try_get(5)?,
        })
    }

    /// The public detail of one registration, by its public id.
    pub async fn detail(
        db: &AnyPool,
        public_id: &str,
    ) -> Result<Option<RegistrationDetail>, sqlx::Error> {
        let Some(row) = sqlx::query(
            "SELECT r.id, r.public_id, r.person_name, p.gender, p.id_number_masked, r.category, \
             r.registration_no, r.seal_no, r.certificate_no, r.employer, r.employer_credit_code, \
             r.issued_on, r.valid_until \
             FROM registrations r JOIN persons p ON p.id = r.person_id WHERE r.public_id = $1",
        )
        .bind(public_id)
        .fetch_optional(db)
        .await?
        else {
            return Ok(None);
        };
        let id: i64 = row.try_get(0)?;
        let specialties = sqlx::query(
            "SELECT name, valid_until FROM registration_specialties WHERE registration_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| Ok(Specialty { name: r.try_get(0)?, valid_until: r.try_get(1)? }))
        .collect::<Result<_, sqlx::Error>>()?;
        let changes = sqlx::query(
            "SELECT changed_on, kind, old_employer, new_employer FROM registration_changes \
             WHERE registration_id = $1 ORDER BY changed_on DESC, id DESC",
        )
        .bind(id)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| {
            Ok(RegistrationChange {
                changed_on: r.try_get(0)?,
                kind: r.try_get(1)?,
                old_employer: r.try_get(2)?,
                new_employer: r.try_get(3)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
        Ok(Some(RegistrationDetail {
            public_id: row.try_get(1)?,
            name: row.try_get(2)?,
            gender: row.try_get(3)?,
            id_number_masked: row.try_get(4)?,
            category: row.try_get(5)?,
            registration_no: row.try_get(6)?,
            seal_no: row.try_get(7)?,
            certificate_no: row.try_get(8)?,
            employer: row.try_get(9)?,
            employer_credit_code: row.try_get(10)?,
            issued_on: row.try_get(11)?,
            valid_until: row.try_get(12)?,
            specialties,
            changes,
        }))
    }
}

/// Rows for a bulk load (the generator and importer): ids are assigned by the caller so that
/// a whole batch goes in with a few multi-row statements.
#[cfg(feature = "ssr")]
pub mod bulk {
    use crate::models::Backend;
    use sqlx::any::AnyArguments;
    use sqlx::{AnyConnection, AnyPool, Arguments, Row};

    pub struct Person {
        pub id: i64,
        pub public_id: String,
        pub name: String,
        pub name_masked: String,
        pub gender: &'static str,
        /// [`crate::domain::person::seal_birth_date`]'s value.
        pub birth_sealed: String,
        pub id_number_masked: String,
        pub id_number_digest: String,
        pub created_at: i64,
    }

    pub struct Registration {
        pub id: i64,
        pub public_id: String,
        pub person_id: i64,
        pub person_name: String,
        /// The person's masked ID number, copied like the name (migration 0014).
        pub id_number_masked: String,
        pub category: &'static str,
        pub registration_no: String,
        pub seal_no: String,
        pub certificate_no: String,
        pub employer: String,
        pub employer_credit_code: String,
        pub issued_on: String,
        pub valid_until: String,
        /// 注册专业 names joined with 、 (see `repo::specialty_names`).
        pub specialty_names: String,
    }

    pub struct Specialty {
        pub registration_id: i64,
        pub position: i64,
        pub name: &'static str,
        pub valid_until: String,
    }

    pub struct Change {
        pub registration_id: i64,
        pub changed_on: String,
        pub kind: &'static str,
        pub old_employer: Option<String>,
        pub new_employer: Option<String>,
    }

    #[derive(Default)]
    pub struct Batch {
        pub persons: Vec<Person>,
        pub registrations: Vec<Registration>,
        pub specialties: Vec<Specialty>,
        pub changes: Vec<Change>,
    }

    /// Bind parameters per statement (both backends accept far more). On SQLite the
    /// statements use anonymous `?` parameters: SQLite finds a numbered `$n` parameter's name
    /// by walking a list, so binding `$1 … $2000` cost the square of this, and was a third of
    /// a bulk load's time (`perf`, 300,000 persons).
    const MAX_PARAMS: usize = 2_000;

    /// The next free person and registration ids.
    pub async fn next_ids(db: &AnyPool) -> Result<(i64, i64), sqlx::Error> {
        let row = sqlx::query(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM persons), (SELECT COALESCE(MAX(id), 0) FROM registrations)",
        )
        .fetch_one(db)
        .await?;
        Ok((row.try_get::<i64, _>(0)? + 1, row.try_get::<i64, _>(1)? + 1))
    }

    /// Inserts `rows` with multi-row VALUES lists, as many rows per statement as the
    /// parameter limit allows. The rows are consumed: their strings move into the statement's
    /// arguments, uncopied (a million-person load binds tens of millions of them).
    async fn insert_rows<T>(
        conn: &mut AnyConnection,
        backend: Backend,
        table_and_columns: &str,
        columns: usize,
        rows: Vec<T>,
        bind: impl Fn(T, &mut AnyArguments<'static>) -> Result<(), sqlx::error::BoxDynError>,
    ) -> Result<(), sqlx::Error> {
        let per_statement = MAX_PARAMS / columns;
        let positional = backend == Backend::Sqlite;
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let mut sql = format!("INSERT INTO {table_and_columns} VALUES ");
            let mut args = AnyArguments::default();
            for (i, row) in rows.by_ref().take(per_statement).enumerate() {
                if i > 0 {
                    sql.push(',');
                }
                sql.push('(');
                for c in 0..columns {
                    if c > 0 {
                        sql.push(',');
                    }
                    if positional {
                        sql.push('?');
                    } else {
                        sql.push_str(&format!("${}", i * columns + c + 1));
                    }
                }
                sql.push(')');
                bind(row, &mut args).map_err(sqlx::Error::Encode)?;
            }
            sqlx::query_with(&sql, args).execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// Writes one batch inside one transaction.
    pub async fn insert_batch(db: &AnyPool, batch: Batch) -> Result<(), sqlx::Error> {
        let backend = Backend::of(db);
        let mut tx = db.begin().await?;
        insert_rows(
            &mut tx,
            backend,
            "persons (id, public_id, name, name_masked, gender, birth_date, birth_sealed, id_number_masked, id_number_digest, created_at)",
            10,
            batch.persons,
            |p, a| {
                a.add(p.id)?;
                a.add(p.public_id)?;
                a.add(p.name)?;
                a.add(p.name_masked)?;
                a.add(p.gender)?;
                a.add(String::new())?;
                a.add(p.birth_sealed)?;
                a.add(p.id_number_masked)?;
                a.add(p.id_number_digest)?;
                a.add(p.created_at)
            },
        )
        .await?;
        insert_rows(
            &mut tx,
            backend,
            "registrations (id, public_id, person_id, person_name, id_number_masked, category, \
             registration_no, seal_no, certificate_no, employer, employer_credit_code, issued_on, \
             valid_until, specialty_names)",
            14,
            batch.registrations,
            |r, a| {
                a.add(r.id)?;
                a.add(r.public_id)?;
                a.add(r.person_id)?;
                a.add(r.person_name)?;
                a.add(r.id_number_masked)?;
                a.add(r.category)?;
                a.add(r.registration_no)?;
                a.add(r.seal_no)?;
                a.add(r.certificate_no)?;
                a.add(r.employer)?;
                a.add(r.employer_credit_code)?;
                a.add(r.issued_on)?;
                a.add(r.valid_until)?;
                a.add(r.specialty_names)
            },
        )
        .await?;
        insert_rows(
            &mut tx,
            backend,
            "registration_specialties (registration_id, position, name, valid_until)",
            4,
            batch.specialties,
            |s, a| {
                a.add(s.registration_id)?;
                a.add(s.position)?;
                a.add(s.name)?;
                a.add(s.valid_until)
            },
        )
        .await?;
        insert_rows(
            &mut tx,
            backend,
            "registration_changes (registration_id, changed_on, kind, old_employer, new_employer)",
            5,
            batch.changes,
            |c, a| {
                a.add(c.registration_id)?;
                a.add(c.changed_on)?;
                a.add(c.kind)?;
                a.add(c.old_employer)?;
                a.add(c.new_employer)
            },
        )
        .await?;
        tx.commit().await
    }

    /// The registry's secondary indexes that a fresh load defers: not those behind a key or a
    /// UNIQUE constraint, which guard the rows as they go in.
    fn deferrable_indexes_sql(backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => {
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
                 AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN \
                 ('persons', 'registrations', 'registration_specialties', 'registration_changes') \
                 ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT c.relname::text, pg_get_indexdef(c.oid) FROM pg_index x \
                 JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
                 WHERE t.relnamespace = current_schema()::regnamespace AND NOT x.indisunique \
                 AND t.relname IN \
                 ('persons', 'registrations', 'registration_specialties', 'registration_changes') \
                 ORDER BY c.relname"
            }
        }
    }

    /// Before a load into an empty registry: drops its secondary indexes, keeping their
    /// definitions in `deferred_indexes` in the same transaction, for [`build_deferred_indexes`]
    /// after the load (or at the next start, if the load is stopped). Returns how many.
    pub async fn defer_indexes(db: &AnyPool) -> Result<usize, sqlx::Error> {
        let backend = Backend::of(db);
        let mut tx = db.begin().await?;
        let indexes = sqlx::query(deferrable_indexes_sql(backend))
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| Ok((row.try_get::<String, _>(0)?, row.try_get::<String, _>(1)?)))
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        for (name, definition) in &indexes {
            sqlx::query("INSERT INTO deferred_indexes (name, definition) VALUES ($1, $2)")
                .bind(name)
                .bind(definition)
                .execute(&mut *tx)
                .await?;
            // A name from the catalogue, quoted as an identifier.
            sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(indexes.len())
    }

    /// Builds the indexes that a load deferred, one transaction each; returns how many. Run
    /// after a load and at every start before serving (nothing to do, one small read, when no
    /// load was stopped halfway).
    pub async fn build_deferred_indexes(db: &AnyPool) -> Result<usize, sqlx::Error> {
        let backend = Backend::of(db);
        let deferred = sqlx::query("SELECT name, definition FROM deferred_indexes ORDER BY name")
            .fetch_all(db)
            .await?
            .iter()
            .map(|row| Ok((row.try_get::<String, _>(0)?, row.try_get::<String, _>(1)?)))
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        for (name, definition) in &deferred {
            let mut tx = db.begin().await?;
            if backend == Backend::Postgres {
                // Sorting ten million keys: more memory than the default 64 MB, and no
                // statement time limit (the serving pool's is five seconds).
                sqlx::query("SET LOCAL statement_timeout = 0")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("SET LOCAL maintenance_work_mem = '512MB'")
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(definition).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM deferred_indexes WHERE name = $1")
                .bind(name)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(deferred.len())
    }

    /// After a load: builds the deferred indexes; moves PostgreSQL's identity sequences past
    /// the ids written explicitly; gathers the planner's statistics.
    pub async fn after_load(db: &AnyPool) -> Result<(), sqlx::Error> {
        build_deferred_indexes(db).await?;
        if Backend::of(db) == Backend::Postgres {
            for table in ["persons", "registrations", "registration_changes"] {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                ))
                .execute(db)
                .await?;
            }
        }
        // PostgreSQL: the registry's own tables, since a plain ANALYZE also visits the system
        // catalogues, which an owner who is not a superuser may not analyze (a warning each).
        // SQLite's ANALYZE takes one name at most.
        let analyze = match Backend::of(db) {
            Backend::Postgres => {
                "ANALYZE persons, registrations, registration_specialties, registration_changes"
            }
            Backend::Sqlite => "ANALYZE",
        };
        sqlx::query(analyze).execute(db).await?;
        Ok(())
    }
}

/// Samples for load tests: spread evenly over the registry.
#[cfg(feature = "ssr")]
pub mod sample {
    use sqlx::{AnyPool, Row};

    pub struct Sampled {
        pub person_id: i64,
        pub name: String,
        pub category: String,
        pub employer: String,
        pub registration_no: String,
    }

    /// A person who holds at least one registration, with what an account of theirs needs.
    pub struct Holder {
        pub person_id: i64,
        pub name: String,
        pub id_number_masked: String,
        pub id_number_digest: String,
    }

    /// The first `count` persons holding a registration, in order of their number.
    pub async fn holders(db: &AnyPool, count: i64) -> Result<Vec<Holder>, sqlx::Error> {
        sqlx::query(
            "SELECT id, name, id_number_masked, id_number_digest FROM persons p \
             WHERE EXISTS (SELECT 1 FROM registrations r WHERE r.person_id = p.id) \
             ORDER BY id LIMIT $1",
        )
        .bind(count)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| {
            Ok(Holder {
                person_id: r.try_get(0)?,
                name: r.try_get(1)?,
                id_number_masked: r.try_get(2)?,
                id_number_digest: r.try_get(3)?,
            })
        })
        .collect()
    }

    pub async fn registrations(db: &AnyPool, count: i64) -> Result<Vec<Sampled>, sqlx::Error> {
        let total: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM registrations")
            .fetch_one(db)
            .await?
            .try_get(0)?;
        let step = (total / count.max(1)).max(1);
        sqlx::query(
            "SELECT person_id, person_name, category, employer, registration_no FROM registrations \
             WHERE id % $1 = 0 ORDER BY id LIMIT $2",
        )
        .bind(step)
        .bind(count)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| {
            Ok(Sampled {
                person_id: r.try_get(0)?,
                name: r.try_get(1)?,
                category: r.try_get(2)?,
                employer: r.try_get(3)?,
                registration_no: r.try_get(4)?,
            })
        })
        .collect()
    }
}
