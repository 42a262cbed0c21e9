use super::*;
use crate::domain::IdDocument;
use crate::domain::mask::mask_name;
use crate::domain::specialty::Specialty;
use crate::platform::db::Backend;
use crate::platform::ids::new_public_id;
use crate::registry::query::{ValidQuery, prefix_upper_bound};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{AnyPool, Arguments, Row};

use crate::domain::person::{document_digest, seal_birth_date};

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
        let mut tx = crate::platform::db::begin_write(db).await?;
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
    crate::platform::ids::sha256_hex(key)
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
    let mut tx = crate::platform::db::begin_write(db).await?;
    let (person_id, public_id) = insert_person(&mut tx, data_key, person).await?;
    for reg in registrations {
        insert_registration(&mut tx, person_id, person, reg).await?;
    }
    tx.commit().await?;
    Ok(public_id)
}

/// A new person in `tx`: their id and public id.
pub(crate) async fn insert_person(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    data_key: &[u8],
    person: &NewPerson,
) -> Result<(i64, String), sqlx::Error> {
    let public_id = new_public_id();
    let doc = &person.document;
    let person_id: i64 = sqlx::query(
        "INSERT INTO persons (public_id, name, name_masked, gender, birth_date, \
         birth_sealed, id_number_masked, id_number_digest, id_kind, created_at) \
         VALUES ($1, $2, $3, $4, '', $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&public_id)
    .bind(&person.name)
    .bind(mask_name(&person.name))
    .bind(person.gender.label())
    .bind(seal_birth_date(data_key, &public_id, &person.birth_date))
    .bind(doc.masked())
    .bind(document_digest(data_key, doc))
    .bind(doc.kind().code())
    .bind(now_unix())
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok((person_id, public_id))
}

/// One registration of person `person_id`, with its specialties and changes, in `tx`; its id.
pub(crate) async fn insert_registration(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    person_id: i64,
    person: &NewPerson,
    reg: &NewRegistration,
) -> Result<i64, sqlx::Error> {
    let registration_id: i64 = sqlx::query(
        "INSERT INTO registrations (public_id, person_id, person_name, id_number_masked, \
         category, registration_no, seal_no, certificate_no, employer, \
         employer_credit_code, issued_on, valid_until, specialty_names) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(new_public_id())
    .bind(person_id)
    .bind(&person.name)
    .bind(person.document.masked())
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
    .fetch_one(&mut **tx)
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
        .execute(&mut **tx)
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
        .execute(&mut **tx)
        .await?;
    }
    Ok(registration_id)
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

/// Whether a person with this document is in the registry.
pub async fn person_exists(
    db: &AnyPool,
    data_key: &[u8],
    document: &IdDocument,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT COUNT(*) FROM persons WHERE id_number_digest = $1")
        .bind(document_digest(data_key, document))
        .fetch_one(db)
        .await?;
    Ok(row.try_get::<i64, _>(0)? > 0)
}

/// The names the registry holds for a document (the development identity source).
pub async fn names_for_document(
    db: &AnyPool,
    data_key: &[u8],
    document: &IdDocument,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query("SELECT name FROM persons WHERE id_number_digest = $1")
        .bind(document_digest(data_key, document))
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
        ValidQuery::Document(doc) => {
            let n = add(document_digest(data_key, doc))?;
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
            let name =
                if backend == Backend::Sqlite && category.is_none() && employer_prefix.is_some() {
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
/// The columns of a [`RegistrationSummary`], named as its fields: all on the registration, so
/// that a name search reads no person.
const SEARCH_COLUMNS: &str = "r.public_id, r.person_name AS name, r.id_number_masked, r.category, r.registration_no, r.specialty_names AS specialties";
/// The order of search results.
const SEARCH_ORDER: &str = "ORDER BY r.person_name, r.id";

/// [`search`], remembering name-query counts in `counts` for a while.
pub async fn search_with_counts(
    db: &AnyPool,
    data_key: &[u8],
    query: &ValidQuery,
    page: u32,
    counts: Option<&crate::platform::count_cache::CountCache>,
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
        let (ids, counted) = match counts.and_then(|c| c.get(&key)) {
            Some(counted) => {
                let page = clamp_page(page, counted);
                (
                    name_match_ids(db, &filter_sql, args, Some(page)).await?,
                    counted,
                )
            }
            None => {
                // One scan of the index gives both the count (up to the cap) and the page.
                let (ids, counted) =
                    page_of(name_match_ids(db, &filter_sql, args, None).await?, page);
                if let Some(c) = counts {
                    c.put(key, counted);
                }
                (ids, counted)
            }
        };
        (rows_by_id(db, &ids).await?, counted)
    } else {
        exact_page(db, &filter_sql, args, page).await?
    };
    results(&rows, counted, page)
}

/// A 身份证号 search by its 查询凭据 in one statement: the matches of the digest the live key
/// stands for. `None` when nothing matched; the caller then asks [`resolve_search_key`] why
/// (no registration, an unknown or expired key, or the number's refusal), a second statement
/// only that rarer case pays for. Profiled at 10,000,000 persons, a search spent most of its
/// time handing each statement to the database's thread and back, so one fewer counts.
pub async fn search_by_key(
    db: &AnyPool,
    key: &str,
    now: i64,
    page: u32,
) -> Result<Option<SearchResults>, sqlx::Error> {
    let mut args = AnyArguments::default();
    args.add(search_key_hash(key))
        .map_err(sqlx::Error::Encode)?;
    args.add(now - SEARCH_KEY_SECONDS)
        .map_err(sqlx::Error::Encode)?;
    let filter_sql = "p.id_number_digest = (SELECT id_digest FROM search_keys \
                      WHERE key_hash = $1 AND created_at >= $2 AND error = '')";
    let (rows, counted) = exact_page(db, filter_sql, args, page).await?;
    if counted == 0 {
        return Ok(None);
    }
    results(&rows, counted, page).map(Some)
}

/// What a search that matched nothing answers (a live 查询凭据 whose number holds no
/// registration): the same page as [`search`] of its digest would give.
pub fn no_results() -> SearchResults {
    SearchResults {
        rows: Vec::new(),
        total: 0,
        total_capped: false,
        page: 1,
        page_size: PAGE_SIZE,
    }
}

/// The page of results `rows` make, of `counted` matches (capped).
fn results(rows: &[AnyRow], counted: i64, page: u32) -> Result<SearchResults, sqlx::Error> {
    Ok(SearchResults {
        rows: rows
            .iter()
            .map(summary)
            .collect::<Result<_, sqlx::Error>>()?,
        total: counted.min(COUNT_CAP),
        total_capped: counted > COUNT_CAP,
        page: clamp_page(page, counted),
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

/// The ids of a name query's matches in the results' order, read from the index alone (the
/// name indexes hold the name, the category or employer, and the id): page `page`'s, or
/// without one every match up to one past the cap, which counts them too. Sorting ids rather than
/// whole rows, and reading only the page's rows after, took a name + 注册单位 search at
/// 10,000,000 persons (some 200 matches among 8,000 rows of one employer prefix) from two
/// index scans and 200 rows read to one scan and 10 rows.
async fn name_match_ids(
    db: &AnyPool,
    filter_sql: &str,
    args: AnyArguments<'static>,
    page: Option<u32>,
) -> Result<Vec<i64>, sqlx::Error> {
    let limit = match page {
        None => format!("LIMIT {}", COUNT_CAP + 1),
        Some(page) => {
            let offset = i64::from(page - 1) * i64::from(PAGE_SIZE);
            format!("LIMIT {PAGE_SIZE} OFFSET {offset}")
        }
    };
    let sql = format!("SELECT r.id FROM registrations r WHERE {filter_sql} {SEARCH_ORDER} {limit}");
    sqlx::query_scalar_with(&sql, args).fetch_all(db).await
}

/// The rows of `ids` (a page's), in the results' order. The ids are bound, not listed with
/// `platform::ids::sql_list` as the cold paths do: on this hot path the statement's text then
/// stays one of ten, and each connection keeps it prepared.
async fn rows_by_id(db: &AnyPool, ids: &[i64]) -> Result<Vec<AnyRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT {SEARCH_COLUMNS} FROM registrations r WHERE r.id IN ({}) {SEARCH_ORDER}",
        marks.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    query.fetch_all(db).await
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
    Ok(page_of(all, page))
}

/// Page `page` (clamped) of `all` the matches (up to one past the cap), with their count.
fn page_of<T>(all: Vec<T>, page: u32) -> (Vec<T>, i64) {
    let counted = all.len() as i64;
    let skip = (clamp_page(page, counted) - 1) as usize * PAGE_SIZE as usize;
    let rows = all
        .into_iter()
        .skip(skip)
        .take(PAGE_SIZE as usize)
        .collect();
    (rows, counted)
}

/// One search result row as the public sees it.
fn summary(row: &AnyRow) -> Result<RegistrationSummary, sqlx::Error> {
    sqlx::FromRow::from_row(row)
}

/// The public detail of one registration, by its public id.
pub async fn detail(
    db: &AnyPool,
    public_id: &str,
) -> Result<Option<RegistrationDetail>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT r.id, r.public_id, r.person_name AS name, p.gender, p.id_number_masked, p.id_kind, r.category, \
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
    let id: i64 = row.try_get("id")?;
    let specialties = sqlx::query_as::<_, (String, String)>(
        "SELECT name, valid_until FROM registration_specialties WHERE registration_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|(name, valid_until)| Specialty { name, valid_until })
    .collect();
    let changes = sqlx::query_as::<_, RegistrationChange>(
        "SELECT changed_on, kind, old_employer, new_employer FROM registration_changes \
         WHERE registration_id = $1 ORDER BY changed_on DESC, id DESC",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let detail: RegistrationDetail = sqlx::FromRow::from_row(&row)?;
    Ok(Some(RegistrationDetail {
        specialties,
        changes,
        ..detail
    }))
}
