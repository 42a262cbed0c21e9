use sqlx::{AnyPool, Row};

#[derive(sqlx::FromRow)]
pub struct Sampled {
    pub person_id: i64,
    pub name: String,
    pub category: String,
    pub employer: String,
    pub registration_no: String,
}

/// A person who holds at least one registration, with what an account of theirs needs.
#[derive(sqlx::FromRow)]
pub struct Holder {
    pub person_id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub id_number_digest: String,
}

/// The first `count` persons holding a registration, in order of their number.
pub async fn holders(db: &AnyPool, count: i64) -> Result<Vec<Holder>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id AS person_id, name, id_number_masked, id_number_digest FROM persons p \
         WHERE EXISTS (SELECT 1 FROM registrations r WHERE r.person_id = p.id) \
         ORDER BY id LIMIT $1",
    )
    .bind(count)
    .fetch_all(db)
    .await
}

pub async fn registrations(db: &AnyPool, count: i64) -> Result<Vec<Sampled>, sqlx::Error> {
    let total: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM registrations")
        .fetch_one(db)
        .await?
        .try_get(0)?;
    let step = (total / count.max(1)).max(1);
    sqlx::query_as(
        "SELECT person_id, person_name AS name, category, employer, registration_no \
         FROM registrations \
         WHERE id % $1 = 0 ORDER BY id LIMIT $2",
    )
    .bind(step)
    .bind(count)
    .fetch_all(db)
    .await
}
