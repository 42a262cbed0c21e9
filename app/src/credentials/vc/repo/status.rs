//! Keeping the status lists' stored bits true: the bits a credential's revocation or its
//! certificate's change sets, worked through in batches under the refresh lock.

use super::*;

/// Sets (true = invalid) or clears bits of `list`'s stored bitmap. The caller's
/// transaction holds the list's lock (it wrote the row first).
pub(super) async fn write_bits(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    list: i64,
    changes: &[(i64, bool)],
) -> Result<(), sqlx::Error> {
    let mut bits: Vec<u8> = sqlx::query("SELECT bits FROM vc_status_lists WHERE list = $1")
        .bind(list)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    let mut changed = false;
    for (idx, invalid) in changes {
        changed |= sd_jwt::set_status_bit(&mut bits, *idx, *invalid);
    }
    if changed {
        sqlx::query("UPDATE vc_status_lists SET bits = $1, version = version + 1 WHERE list = $2")
            .bind(bits)
            .bind(list)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Brings the stored bits up to date: credentials whose registration has lapsed since, and
/// certificates changed since (the triggers of migration 0010 note them, whoever changed
/// them), are worked out again, a batch at a time, until none is left (each server's
/// background refresh). Cheap when nothing changed: two indexed reads. Returns how many
/// notes it worked through.
pub async fn refresh(db: &AnyPool, now: i64) -> Result<usize, sqlx::Error> {
    refresh_up_to(db, now, usize::MAX).await
}

pub(super) async fn refresh_up_to(
    db: &AnyPool,
    now: i64,
    batches: usize,
) -> Result<usize, sqlx::Error> {
    mark_lapsed(db, now).await?;
    let mut done = 0;
    for _ in 0..batches {
        let n = refresh_batch(db, now).await?;
        done += n;
        if n < REFRESH_BATCH as usize {
            break;
        }
    }
    Ok(done)
}

pub(super) async fn mark_lapsed(db: &AnyPool, now: i64) -> Result<(), sqlx::Error> {
    let lapsing = sqlx::query(
        "SELECT 1 FROM vc_credentials WHERE lapse_marked = 0 AND lapses_at <= $1 LIMIT 1",
    )
    .bind(now)
    .fetch_optional(db)
    .await?;
    if lapsing.is_none() {
        return Ok(());
    }
    let mut tx = crate::platform::db::begin_write(db).await?;
    sqlx::query(
        "INSERT INTO vc_status_dirty (certificate_id) SELECT DISTINCT certificate_id \
         FROM vc_credentials WHERE lapse_marked = 0 AND lapses_at <= $1",
    )
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE vc_credentials SET lapse_marked = 1 WHERE lapse_marked = 0 AND lapses_at <= $1",
    )
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// One batch of changed certificates: under the refresh lock (list 0's row, taken first;
/// the lists to write are locked in ascending order after it), their credentials' bits are
/// worked out from what stands now and written, and the batch's notes deleted.
pub(super) async fn refresh_batch(db: &AnyPool, now: i64) -> Result<usize, sqlx::Error> {
    let pending = sqlx::query("SELECT 1 FROM vc_status_dirty LIMIT 1")
        .fetch_optional(db)
        .await?;
    if pending.is_none() {
        return Ok(0);
    }
    let mut tx = crate::platform::db::begin_write(db).await?;
    lock_list(&mut tx, 0).await?;
    let notes = sqlx::query("SELECT id, certificate_id FROM vc_status_dirty ORDER BY id LIMIT $1")
        .bind(REFRESH_BATCH)
        .fetch_all(&mut *tx)
        .await?;
    let mut certificates = Vec::new();
    let mut note_ids = Vec::new();
    for r in &notes {
        note_ids.push(r.try_get::<i64, _>("id")?);
        certificates.push(r.try_get::<i64, _>("certificate_id")?);
    }
    certificates.sort_unstable();
    certificates.dedup();
    apply_standings(&mut tx, &certificates, now).await?;
    if !note_ids.is_empty() {
        sqlx::query(&format!(
            "DELETE FROM vc_status_dirty WHERE id IN ({})",
            crate::platform::ids::sql_list(&note_ids)
        ))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(notes.len())
}

/// Takes list `list`'s row lock for the rest of the transaction (a write: in SQLite the
/// database's write lock). List 0's is also the refresh lock.
pub(super) async fn lock_list(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    list: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE vc_status_lists SET version = version + 1 WHERE list = $1")
        .bind(list)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Writes the bits of `certificates`' credentials as they stand now. The caller's
/// transaction holds the refresh lock (list 0's row); the other lists are locked here in
/// ascending order.
pub(super) async fn apply_standings(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    certificates: &[i64],
    now: i64,
) -> Result<(), sqlx::Error> {
    let by_list = standings(tx, certificates, now).await?;
    for (list, changes) in &by_list {
        if *list != 0 {
            lock_list(tx, *list).await?;
        }
        write_bits(tx, *list, changes).await?;
    }
    Ok(())
}

/// Works out one certificate's credentials at once (a holder's revocation), whatever waits
/// in the queue before it; its note stays for the queue, which finds nothing more to do.
pub(super) async fn refresh_certificate(
    db: &AnyPool,
    certificate: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    lock_list(&mut tx, 0).await?;
    apply_standings(&mut tx, &[certificate], now).await?;
    tx.commit().await
}

/// The bit each credential of `certificates` that holds its slot should have, by list
/// (ascending): 1 once the holder revoked it, the certificate was revoked, the registration
/// lapsed, or the certificate (or the holder's name) no longer is what it states.
pub(super) async fn standings(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    certificates: &[i64],
    now: i64,
) -> Result<std::collections::BTreeMap<i64, Vec<(i64, bool)>>, sqlx::Error> {
    let mut by_list = std::collections::BTreeMap::<i64, Vec<(i64, bool)>>::new();
    if certificates.is_empty() {
        return Ok(by_list);
    }
    let digests = crate::certificates::repo::credential_digests(&mut *tx, certificates).await?;
    let rows = sqlx::query(&format!(
        "SELECT v.status_list, v.status_idx, v.certificate_id, v.content_digest, \
         v.revoked_at, v.lapses_at, c.revoked_at AS cert_revoked FROM vc_credentials v \
         JOIN vc_status_slots s ON s.status_list = v.status_list \
         AND s.status_idx = v.status_idx AND s.credential_id = v.id \
         JOIN certificates c ON c.id = v.certificate_id \
         WHERE v.certificate_id IN ({}) AND s.held_until > $1",
        crate::platform::ids::sql_list(certificates)
    ))
    .bind(now)
    .fetch_all(&mut **tx)
    .await?;
    for r in rows {
        let certificate: i64 = r.try_get("certificate_id")?;
        let stated: String = r.try_get("content_digest")?;
        let invalid = r.try_get::<i64, _>("revoked_at")? != 0
            || r.try_get::<i64, _>("cert_revoked")? != 0
            || r.try_get::<i64, _>("lapses_at")? <= now
            || digests.get(&certificate) != Some(&stated);
        by_list
            .entry(r.try_get("status_list")?)
            .or_default()
            .push((r.try_get("status_idx")?, invalid));
    }
    Ok(by_list)
}

/// Releases the slots whose hold ended and counts each list's held slots again, so a list
/// takes new credentials once old ones are gone (the periodic purge).
pub async fn release_slots(db: &AnyPool, now: i64) -> Result<u64, sqlx::Error> {
    let released = sqlx::query("DELETE FROM vc_status_slots WHERE held_until <= $1")
        .bind(now)
        .execute(db)
        .await?
        .rows_affected();
    if released > 0 {
        sqlx::query(
            "UPDATE vc_status_lists SET used = (SELECT COUNT(*) FROM vc_status_slots s \
             WHERE s.status_list = vc_status_lists.list)",
        )
        .execute(db)
        .await?;
    }
    Ok(released)
}
