use crate::platform::db::Backend;
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
    let mut tx = crate::platform::db::begin_write(db).await?;
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
    let mut tx = crate::platform::db::begin_write(db).await?;
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

/// Whether `definition` is one `CREATE INDEX name ON <a registry table> …` statement, as
/// [`defer_indexes`] kept it from the catalogue (SQLite: `ON persons (…)`, PostgreSQL:
/// `ON public.persons USING btree (…)`), and nothing else.
pub fn is_registry_index_definition(name: &str, definition: &str) -> bool {
    let Some(rest) = definition.strip_prefix("CREATE INDEX ") else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(name) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(" ON ") else {
        return false;
    };
    let table = rest
        .split([' ', '('])
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    let table = table.rsplit('.').next().unwrap_or_default();
    !definition.contains(';')
        && !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && [
            "persons",
            "registrations",
            "registration_specialties",
            "registration_changes",
        ]
        .contains(&table)
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
        // The table is the portal's own, but its text runs as SQL: only one index of the
        // registry's tables, as the catalogue gave it, is ever built from it.
        if !is_registry_index_definition(name, definition) {
            return Err(sqlx::Error::Protocol(format!(
                "deferred_indexes 中的索引定义无效,拒绝执行:{name}"
            )));
        }
        let mut tx = crate::platform::db::begin_write(db).await?;
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

#[cfg(test)]
mod tests {
    use super::is_registry_index_definition as ok;

    #[test]
    fn only_one_registry_index_is_built_from_the_kept_text() {
        assert!(ok(
            "persons_id_number_digest",
            "CREATE INDEX persons_id_number_digest ON persons (id_number_digest)"
        ));
        assert!(ok(
            "registrations_category_name",
            "CREATE INDEX registrations_category_name ON public.registrations USING btree (category, person_name, id)"
        ));
        assert!(ok(
            "persons_clear_birth_dates",
            "CREATE INDEX persons_clear_birth_dates ON persons (id) WHERE birth_date <> ''"
        ));
        // Another statement after it, another table, another name, or not an index.
        assert!(!ok(
            "x",
            "CREATE INDEX x ON persons (name); ATTACH DATABASE '/tmp/a' AS a"
        ));
        assert!(!ok("x", "CREATE INDEX x ON accounts (phone)"));
        assert!(!ok("y", "CREATE INDEX x ON persons (name)"));
        assert!(!ok("x", "DROP TABLE persons"));
        assert!(!ok("x\"", "CREATE INDEX x\" ON persons (name)"));
    }
}
