//! The staff audit (`staff::audit`): every staff action (and every 注销/撤销 a registry feed
//! applies) as one entry of an append-only chain. Each entry carries the hash of the entry
//! before it and its own: HMAC-SM3 (SM3 of GB/T 32905) under a key derived from the portal's
//! data key, which is never in the database, over its sequence number, time, actor, action,
//! subject and detail. An entry edited, removed or inserted in the database breaks the chain
//! at that entry, and whoever holds only the database cannot compute the hashes that would
//! hide it; `staff_audit_head` keeps the last hash, so a cut tail is seen too. Triggers refuse
//! UPDATE, DELETE, TRUNCATE and a replacing INSERT; the keyed chain is what still tells when
//! someone with the database's own keys drops them. `server audit verify` walks it
//! ([`verify`]).

use hmac::{Hmac, Mac};
use sm3::Sm3;
use sqlx::Row;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub at: i64,
    /// `staff:<id>:<username>`, `feed:<file>` or `cli`.
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

impl Entry {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            seq: row.try_get("seq")?,
            at: row.try_get("at")?,
            actor: row.try_get("actor")?,
            action: row.try_get("action")?,
            subject: row.try_get("subject")?,
            detail: row.try_get("detail")?,
        })
    }
}

/// The hash of `entry` after `prev_hash`: HMAC-SM3 under `key` (the data key) over a label,
/// the previous hash, a separator and the entry's fields as a JSON array (unambiguous whatever
/// the fields hold), in lowercase hex.
pub fn entry_hash(key: &[u8], prev_hash: &str, entry: &Entry) -> String {
    let fields = serde_json::json!([
        entry.seq,
        entry.at,
        entry.actor,
        entry.action,
        entry.subject,
        entry.detail
    ]);
    let mut mac = <Hmac<Sm3> as Mac>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(b"portal staff audit\0");
    mac.update(prev_hash.as_bytes());
    mac.update(&[0x1e]);
    mac.update(fields.to_string().as_bytes());
    crate::domain::hex::hex(&mac.finalize().into_bytes())
}

/// Appends an entry in `tx`, the transaction of the action it records: both are kept or
/// neither. Appenders on every server take their turn on the head row (PostgreSQL locks it
/// until the commit; SQLite's writer is one at a time), so the chain has no fork.
pub async fn append(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    key: &[u8],
    at: i64,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<i64, sqlx::Error> {
    let head =
        sqlx::query("UPDATE staff_audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut **tx)
            .await?;
    let seq: i64 = head.try_get("seq")?;
    let prev_hash: String = head.try_get("hash")?;
    let entry = Entry {
        seq,
        at,
        actor: actor.to_string(),
        action: action.to_string(),
        subject: subject.to_string(),
        detail: detail.to_string(),
    };
    let hash = entry_hash(key, &prev_hash, &entry);
    sqlx::query(
        "INSERT INTO staff_audit (seq, at, actor, action, subject, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(seq)
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE staff_audit_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(seq)
}

/// What [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verified {
    /// Every entry links to the one before and to the head.
    Intact { entries: i64, last_hash: String },
    /// The first entry that does not hold, and why.
    Broken { seq: i64, reason: String },
}

/// Walks the chain in order, a page of entries at a time, up to the head as it stood when the
/// walk began (entries appended meanwhile are the next walk's), and reports the first link
/// that does not hold: a changed entry (its hash is not its content's under the key), a
/// removed or inserted one (the sequence or the previous hash does not follow), or a cut tail
/// (the head names an entry that is not there).
pub async fn verify(db: &sqlx::AnyPool, key: &[u8]) -> Result<Verified, sqlx::Error> {
    const PAGE: i64 = 5_000;
    let head = sqlx::query("SELECT seq, hash FROM staff_audit_head WHERE id = 1")
        .fetch_one(db)
        .await?;
    let head_seq: i64 = head.try_get("seq")?;
    let head_hash: String = head.try_get("hash")?;
    let mut expected_seq = 1i64;
    let mut prev_hash = GENESIS.to_string();
    while expected_seq <= head_seq {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM staff_audit
             WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3",
        )
        .bind(expected_seq)
        .bind(head_seq)
        .bind(PAGE)
        .fetch_all(db)
        .await?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            let entry = Entry::from_row(&row)?;
            let stored_prev: String = row.try_get("prev_hash")?;
            let stored_hash: String = row.try_get("hash")?;
            if entry.seq != expected_seq {
                return Ok(Verified::Broken {
                    seq: expected_seq,
                    reason: format!("第 {expected_seq} 条缺失(下一条为第 {} 条)", entry.seq),
                });
            }
            if stored_prev != prev_hash {
                return Ok(Verified::Broken {
                    seq: entry.seq,
                    reason: "前一条的哈希与链上不符(前一条被改动、删除或此条被插入)".into(),
                });
            }
            if entry_hash(key, &prev_hash, &entry) != stored_hash {
                return Ok(Verified::Broken {
                    seq: entry.seq,
                    reason: "内容与其哈希不符(此条被改动)".into(),
                });
            }
            prev_hash = stored_hash;
            expected_seq += 1;
        }
    }
    let entries = expected_seq - 1;
    if head_seq != entries || head_hash != prev_hash {
        return Ok(Verified::Broken {
            seq: entries + 1,
            reason: format!("链尾记录为第 {head_seq} 条,表中只到第 {entries} 条(末尾被删除或改动)"),
        });
    }
    Ok(Verified::Intact {
        entries,
        last_hash: prev_hash,
    })
}

/// The latest `limit` entries, newest first (the console's 审计 page).
pub async fn latest(db: &sqlx::AnyPool, limit: i64) -> Result<Vec<(Entry, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, subject, detail, hash FROM staff_audit
         ORDER BY seq DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| Ok((Entry::from_row(&row)?, row.try_get("hash")?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"test data key";

    fn entry(seq: i64, detail: &str) -> Entry {
        Entry {
            seq,
            at: 1_800_000_000,
            actor: "staff:1:admin".into(),
            action: "staff.add".into(),
            subject: "zhang.san".into(),
            detail: detail.into(),
        }
    }

    #[test]
    fn the_hash_is_keyed_sm3_of_the_previous_hash_and_the_fields() {
        // SM3("abc") from GB/T 32905-2016 Appendix A: the crate is the standard's.
        use sm3::Digest;
        let mut h = Sm3::new();
        h.update(b"abc");
        assert_eq!(
            crate::domain::hex::hex(&h.finalize()),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        let first = entry_hash(KEY, GENESIS, &entry(1, "roles=admin"));
        assert_eq!(first.len(), 64);
        assert_eq!(first, entry_hash(KEY, GENESIS, &entry(1, "roles=admin")));
        // Any field, the position or the previous hash changes it.
        assert_ne!(first, entry_hash(KEY, GENESIS, &entry(1, "roles=reviewer")));
        assert_ne!(first, entry_hash(KEY, GENESIS, &entry(2, "roles=admin")));
        assert_ne!(first, entry_hash(KEY, &first, &entry(1, "roles=admin")));
        // Without the key the hash cannot be made.
        assert_ne!(
            first,
            entry_hash(b"another key", GENESIS, &entry(1, "roles=admin"))
        );
        // Fields cannot be shifted into one another.
        let mut shifted = entry(1, "roles=admin");
        shifted.subject = "zhang.san\",\"roles=admin".into();
        shifted.detail = String::new();
        assert_ne!(first, entry_hash(KEY, GENESIS, &shifted));
    }
}
