use super::*;
use crate::domain::time::parse_date;
use crate::domain::time::{beijing_date, days_from_civil};
use crate::platform::error::Message;
use crate::platform::lang::Text;
use crate::platform::sd_jwt::{self, Claim, STATUS_LIST_SIZE, VcKey};
use serde_json::{Map, Value, json};
use sqlx::{AnyPool, Row};

mod keys;
mod status;
pub use keys::*;
pub use status::*;

pub fn status_uri(base: &str, list: i64) -> String {
    format!("{}/status-lists/{list}", base.trim_end_matches('/'))
}

/// The one `vct` of the portal's 注册证书 (its type metadata's address). The kind of
/// certificate is the disclosable claim `registration_category`, so a holder who shows
/// only a name does not tell the kind through the type.
pub fn vct(base: &str) -> String {
    format!("{}/vct/{VCT_NAME}", base.trim_end_matches('/'))
}

/// The last path segment of [`vct`].
pub const VCT_NAME: &str = "registration-certificate";

/// At most this many unrevoked, unexpired credentials of one certificate at a time.
pub const LIVE_PER_CERTIFICATE: i64 = 20;
/// At most this many credentials issued to one account in any 24 hours.
pub const ISSUED_PER_DAY: i64 = 50;
/// A list takes new credentials until half its slots are held, so a slot drawn at random
/// is free at the first or second try; then the next list is opened.
pub const LIST_OPEN_UNTIL: i64 = STATUS_LIST_SIZE / 2;
/// A slot stays with its credential this long after the credential's expiry (longer than
/// any status list token's lifetime and any verifier's clock error) before it is reused.
pub const SLOT_GRACE: i64 = 86_400;
/// How many random draws issuance tries before it says the service is busy.
const DRAWS: usize = 32;
/// How many changed certificates one refresh batch works through.
const REFRESH_BATCH: i64 = 1000;
/// How many batches a status list request works through before it answers: a large
/// registry change is worked off by every server's background refresh (every few
/// seconds), so no verifier's request waits for all of it.
const BATCHES_PER_REQUEST: usize = 2;

/// Why no credential can be issued.
#[derive(Debug)]
pub enum IssueError {
    NotFound,
    Refused(Message),
    /// Over a holder's limit: the message says which and when to try again.
    Limited(Message),
    /// No free slot was drawn (never expected: lists are opened before they fill).
    Busy,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for IssueError {
    fn from(e: sqlx::Error) -> Self {
        Self::Db(e)
    }
}

/// What a credential is asked for.
pub struct IssueRequest<'a> {
    pub person_digest: &'a str,
    pub account_id: i64,
    pub certificate: &'a str,
    /// The wallet's public key (`cnf`), if it gave one.
    pub holder: Option<Value>,
    /// The claims to disclose (names of [`CLAIMS`]).
    pub disclose: &'a [&'a str],
    /// `iat` is the start of the (UTC) day, not the second: the credentials of one wallet's
    /// batch cannot be linked by it.
    pub day_iat: bool,
}

/// Issues a credential of the holder's certificate and presents the chosen claims.
pub async fn issue(
    db: &AnyPool,
    key: &VcKey,
    base: &str,
    request: &IssueRequest<'_>,
    now: i64,
) -> Result<IssuedCredential, IssueError> {
    let today = beijing_date(now);
    let subject =
        crate::certificates::repo::subject(db, request.person_digest, request.certificate, today)
            .await?
            .ok_or(IssueError::NotFound)?;
    let card = &subject.card;
    let until = parse_date(&card.valid_until)
        .filter(|d| *d >= today)
        .ok_or_else(|| {
            IssueError::Refused(
                Text::new(
                    "该证照已过注册有效期,不能导出可验证凭证",
                    "This certificate's registration has expired, so it cannot be exported as a \
                     verifiable credential",
                )
                .into(),
            )
        })?;
    if crate::certificates::licence_id::type_code(&card.category).is_none() {
        return Err(IssueError::Refused(
            Text::new(
                "该类别的证照暂不支持导出可验证凭证",
                "Certificates of this category cannot be exported as verifiable credentials yet",
            )
            .into(),
        ));
    }
    let bound = request.holder.is_some();
    // A wallet's batch: `iat` at the day's start and `exp` counted from it, so neither tells
    // the second of issue nor links the batch's credentials.
    let iat = if request.day_iat {
        now - now.rem_euclid(86_400)
    } else {
        now
    };
    let exp = iat + if bound { BOUND_DAYS } else { UNBOUND_DAYS } * 86_400;
    let disclosed: Vec<String> = CLAIMS
        .iter()
        .filter(|(n, _)| request.disclose.contains(n))
        .map(|(_, label)| (*label).to_string())
        .collect();
    let (list, idx) = store(
        db,
        &NewRow {
            public_id: &crate::platform::ids::random_hex::<8>(),
            certificate: subject.id,
            account: request.account_id,
            digest: &subject.credential_digest(),
            disclosed: &disclosed.join("、"),
            bound,
            now,
            exp,
            lapses_at: registration_ends(until),
        },
    )
    .await?;
    let mut clear = Map::new();
    clear.insert("iss".into(), base.trim_end_matches('/').into());
    clear.insert("iat".into(), iat.into());
    clear.insert("exp".into(), exp.into());
    clear.insert("vct".into(), vct(base).into());
    clear.insert("issuing_country".into(), "CN".into());
    clear.insert(
        "status".into(),
        json!({ "status_list": { "idx": idx, "uri": status_uri(base, list) } }),
    );
    if let Some(jwk) = &request.holder {
        clear.insert("cnf".into(), json!({ "jwk": jwk }));
    }
    let claims = claims_of(&subject);
    let issued = sd_jwt::issue(key, clear, &claims);
    Ok(IssuedCredential {
        sd_jwt: issued.present(request.disclose),
        disclosed,
        holder_bound: bound,
        expires_on: crate::certificates::annotation::format_date(beijing_date(exp)),
    })
}

/// The last second of the registration's last day (Beijing time). The credential's `exp`
/// does not tell it (a month, or a year when bound to a wallet, from issuance, whatever the
/// registration): the status list marks the credential invalid once this passes.
fn registration_ends(until: crate::certificates::annotation::Date) -> i64 {
    (days_from_civil(until.0, until.1, until.2) + 1) * 86_400 - 8 * 3600 - 1
}

/// The selectively disclosable claims of a certificate, in [`CLAIMS`]'s order.
fn claims_of(subject: &crate::certificates::repo::Subject) -> Vec<Claim> {
    let card = &subject.card;
    let specialties: Vec<Value> = card
        .specialties
        .iter()
        .map(|s| json!({ "name": s.name, "valid_until": s.valid_until }))
        .collect();
    let values = [
        json!(subject.name),
        json!(card.category),
        json!(card.registration_no),
        json!(specialties),
        json!(card.valid_until),
        json!(card.employer),
        json!(card.licence_id),
    ];
    CLAIMS
        .iter()
        .zip(values)
        .map(|((name, _), value)| Claim { name, value })
        .collect()
}

struct NewRow<'a> {
    public_id: &'a str,
    certificate: i64,
    account: i64,
    digest: &'a str,
    disclosed: &'a str,
    bound: bool,
    now: i64,
    exp: i64,
    lapses_at: i64,
}

/// Room for `wanted` more credentials of certificate `certificate` (public id) of the holder
/// `person_digest` and account `account`: `Err` with the limit's words when there is not.
pub async fn room_for(
    db: &AnyPool,
    person_digest: &str,
    certificate: &str,
    account: i64,
    wanted: i64,
    now: i64,
) -> Result<Result<(), String>, sqlx::Error> {
    let live: i64 = sqlx::query(
        "SELECT COUNT(*) FROM vc_credentials v JOIN certificates c ON c.id = v.certificate_id \
         JOIN registrations r ON r.id = c.registration_id JOIN persons p ON p.id = r.person_id \
         WHERE c.public_id = $1 AND p.id_number_digest = $2 AND v.revoked_at = 0 \
         AND v.expires_at > $3",
    )
    .bind(certificate)
    .bind(person_digest)
    .bind(now)
    .fetch_one(db)
    .await?
    .try_get(0)?;
    if live + wanted > LIVE_PER_CERTIFICATE {
        return Ok(Err(format!(
            "该证照已有 {live} 个有效的可验证凭证(最多 {LIVE_PER_CERTIFICATE} 个),请先在“授权用证”中撤销不再使用的凭证"
        )));
    }
    let today: i64 =
        sqlx::query("SELECT COUNT(*) FROM vc_credentials WHERE account_id = $1 AND issued_at > $2")
            .bind(account)
            .bind(now - 86_400)
            .fetch_one(db)
            .await?
            .try_get(0)?;
    if today + wanted > ISSUED_PER_DAY {
        return Ok(Err(format!(
            "24 小时内最多导出 {ISSUED_PER_DAY} 个可验证凭证,请稍后再试"
        )));
    }
    Ok(Ok(()))
}

/// Stores the credential in one transaction: the open list is taken (its row locked, which
/// also serialises concurrent issuers, so the holder's limits cannot be raced), the limits
/// are counted, a free slot is drawn at random and its bit cleared. Returns (list, index).
async fn store(db: &AnyPool, row: &NewRow<'_>) -> Result<(i64, i64), IssueError> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    let list = take_open_list(&mut tx, row.now).await?;
    check_limits(&mut tx, row).await?;
    let id: i64 = sqlx::query(
        "INSERT INTO vc_credentials (public_id, certificate_id, account_id, status_list, \
         status_idx, content_digest, disclosed, holder_bound, issued_at, expires_at, \
         lapses_at) VALUES ($1, $2, $3, $4, -1, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(row.public_id)
    .bind(row.certificate)
    .bind(row.account)
    .bind(list)
    .bind(row.digest)
    .bind(row.disclosed)
    .bind(i64::from(row.bound))
    .bind(row.now)
    .bind(row.exp)
    .bind(row.lapses_at)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let Some(idx) = draw_slot(&mut tx, list, id, row.exp + SLOT_GRACE, row.now).await? else {
        tx.rollback().await?;
        return Err(IssueError::Busy);
    };
    sqlx::query("UPDATE vc_credentials SET status_idx = $1 WHERE id = $2")
        .bind(idx)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // A reused slot may still carry its last holder's 1.
    write_bits(&mut tx, list, &[(idx, false)]).await?;
    tx.commit().await?;
    Ok((list, idx))
}

/// The list new credentials go to, counted as taken by one more: the lowest list under
/// [`LIST_OPEN_UNTIL`], or a new one when every list is that full. The statement writes
/// first, so the transaction holds the database's (SQLite) or the list row's (PostgreSQL)
/// lock from here on.
async fn take_open_list(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    for _ in 0..4 {
        let open = sqlx::query(
            "UPDATE vc_status_lists SET used = used + 1 WHERE list = \
             (SELECT MIN(list) FROM vc_status_lists WHERE used < $1) RETURNING list",
        )
        .bind(LIST_OPEN_UNTIL)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(r) = open {
            return r.try_get(0);
        }
        let opened = sqlx::query(
            "INSERT INTO vc_status_lists (list, used, opened_at) \
             SELECT COALESCE(MAX(list), -1) + 1, 1, $1 FROM vc_status_lists WHERE true \
             ON CONFLICT (list) DO NOTHING RETURNING list",
        )
        .bind(now)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(r) = opened {
            let list: i64 = r.try_get(0)?;
            tracing::info!(list, "opened a new status list");
            return Ok(list);
        }
    }
    Err(sqlx::Error::Protocol(
        "no status list could be opened".into(),
    ))
}

/// The holder's limits, counted in the database under the issuance lock.
async fn check_limits(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    row: &NewRow<'_>,
) -> Result<(), IssueError> {
    let live: i64 = sqlx::query(
        "SELECT COUNT(*) FROM vc_credentials WHERE certificate_id = $1 AND revoked_at = 0 \
         AND expires_at > $2",
    )
    .bind(row.certificate)
    .bind(row.now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    if live >= LIVE_PER_CERTIFICATE {
        return Err(IssueError::Limited(Message::new(
            format!(
                "该证照已有 {LIVE_PER_CERTIFICATE} 个有效的可验证凭证,请先在“授权用证”中撤销不再使用的凭证,再导出新的凭证"
            ),
            format!(
                "This certificate already has {LIVE_PER_CERTIFICATE} valid verifiable \
                 credentials: revoke one you no longer use under Share a certificate, then \
                 export a new one"
            ),
        )));
    }
    let today: i64 =
        sqlx::query("SELECT COUNT(*) FROM vc_credentials WHERE account_id = $1 AND issued_at > $2")
            .bind(row.account)
            .bind(row.now - 86_400)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
    if today >= ISSUED_PER_DAY {
        return Err(IssueError::Limited(Message::new(
            format!("24 小时内最多导出 {ISSUED_PER_DAY} 个可验证凭证,请稍后再试"),
            format!(
                "You can export at most {ISSUED_PER_DAY} verifiable credentials in 24 hours: \
                 try again later"
            ),
        )));
    }
    Ok(())
}

/// Takes a free slot of `list` for credential `id`, drawn at random (a slot is free when
/// no credential holds it, or its holder's hold ended); `None` when every draw was taken.
async fn draw_slot(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    list: i64,
    id: i64,
    held_until: i64,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    for _ in 0..DRAWS {
        let idx = i64::from(rand::random::<u32>()) % STATUS_LIST_SIZE;
        let taken = sqlx::query(
            "INSERT INTO vc_status_slots (status_list, status_idx, credential_id, held_until) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (status_list, status_idx) DO UPDATE SET \
             credential_id = excluded.credential_id, held_until = excluded.held_until \
             WHERE vc_status_slots.held_until <= $5",
        )
        .bind(list)
        .bind(idx)
        .bind(id)
        .bind(held_until)
        .bind(now)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if taken == 1 {
            return Ok(Some(idx));
        }
    }
    Ok(None)
}

/// The account's credentials, newest first.
pub async fn credentials_of(
    db: &AnyPool,
    account_id: i64,
    now: i64,
) -> Result<Vec<CredentialView>, sqlx::Error> {
    use crate::domain::time::format_beijing_minute;
    let rows = sqlx::query(
        "SELECT v.public_id, v.disclosed, v.holder_bound, v.issued_at, v.expires_at, \
         v.revoked_at, c.title, r.registration_no FROM vc_credentials v \
         JOIN certificates c ON c.id = v.certificate_id \
         JOIN registrations r ON r.id = c.registration_id \
         WHERE v.account_id = $1 ORDER BY v.id DESC LIMIT 200",
    )
    .bind(account_id)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            let revoked = r.try_get::<i64, _>("revoked_at")? != 0;
            let expires_at: i64 = r.try_get("expires_at")?;
            let (state, active) = crate::credentials::standing_of(revoked, expires_at, now);
            Ok(CredentialView {
                id: r.try_get("public_id")?,
                title: r.try_get("title")?,
                registration_no: r.try_get("registration_no")?,
                disclosed: r.try_get("disclosed")?,
                holder_bound: r.try_get::<i64, _>("holder_bound")? != 0,
                issued_at: format_beijing_minute(r.try_get("issued_at")?),
                expires_at: format_beijing_minute(expires_at),
                state: state.into(),
                active,
            })
        })
        .collect()
}

/// Revokes the account's own credential; whether it was theirs and still active. Its bit
/// is set before this returns.
pub async fn revoke(
    db: &AnyPool,
    account_id: i64,
    credential: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    let revoked = sqlx::query(
        "UPDATE vc_credentials SET revoked_at = $1 WHERE public_id = $2 AND account_id = $3 \
         AND revoked_at = 0 AND expires_at > $1 RETURNING certificate_id",
    )
    .bind(now)
    .bind(credential)
    .bind(account_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(r) = revoked else {
        return Ok(false);
    };
    let certificate: i64 = r.try_get(0)?;
    sqlx::query("INSERT INTO vc_status_dirty (certificate_id) VALUES ($1)")
        .bind(certificate)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    refresh_certificate(db, certificate, now).await?;
    Ok(true)
}

/// Revokes every live credential of account `account_id` (its 注销: a verifier must see them
/// invalid before the account is gone) and refreshes their status lists. Returns how many.
pub async fn revoke_all_of(db: &AnyPool, account_id: i64, now: i64) -> Result<u64, sqlx::Error> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    let revoked = sqlx::query(
        "UPDATE vc_credentials SET revoked_at = $1 WHERE account_id = $2 AND revoked_at = 0 \
         AND expires_at > $1 RETURNING certificate_id",
    )
    .bind(now)
    .bind(account_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut certificates: Vec<i64> = revoked
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    certificates.sort_unstable();
    certificates.dedup();
    for certificate in &certificates {
        sqlx::query("INSERT INTO vc_status_dirty (certificate_id) VALUES ($1)")
            .bind(certificate)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    for certificate in certificates {
        refresh_certificate(db, certificate, now).await?;
    }
    Ok(revoked.len() as u64)
}

/// Why a status list cannot be served.
#[derive(Debug)]
pub enum StatusError {
    /// No such list was ever opened.
    NotFound,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for StatusError {
    fn from(e: sqlx::Error) -> Self {
        Self::Db(e)
    }
}

/// Status list `list` as a signed token that verifiers may keep `ttl` seconds, from its
/// stored bits once they are up to date: a read of 128 KiB, one compression and one
/// signature, however many credentials.
pub async fn status_list(
    db: &AnyPool,
    key: &VcKey,
    base: &str,
    (list, ttl): (i64, i64),
    now: i64,
) -> Result<String, StatusError> {
    let exists = sqlx::query("SELECT 1 FROM vc_status_lists WHERE list = $1")
        .bind(list)
        .fetch_optional(db)
        .await?;
    if exists.is_none() {
        return Err(StatusError::NotFound);
    }
    refresh_up_to(db, now, BATCHES_PER_REQUEST).await?;
    let bits: Vec<u8> = sqlx::query("SELECT bits FROM vc_status_lists WHERE list = $1")
        .bind(list)
        .fetch_one(db)
        .await?
        .try_get(0)?;
    sd_jwt::status_list_jwt(key, &status_uri(base, list), now, ttl, &bits)
        .map_err(|e| StatusError::Db(sqlx::Error::Protocol(e)))
}

/// The issuer's metadata (`/.well-known/jwt-vc-issuer`): who it is and its keys.
pub fn issuer_metadata(key: &VcKey, base: &str) -> Value {
    json!({
        "issuer": base.trim_end_matches('/'),
        "jwks": { "keys": [key.published_jwk()] },
    })
}

/// The type metadata at `/vct/<name>`: the portal's one type of 注册证书 ([`VCT_NAME`]),
/// or, for credentials issued before it, the type of one kind (`<类型代码>`).
pub fn type_metadata(base: &str, name: &str) -> Option<Value> {
    use crate::certificates::licence_id::{KINDS, MOHURD_CODE};
    let claims: Vec<Value> = CLAIMS
        .iter()
        .map(|(name, label)| {
            json!({
                "path": [name],
                "display": [{ "locale": "zh-CN", "label": label }],
                "sd": "always",
            })
        })
        .collect();
    let base = base.trim_end_matches('/');
    if name == VCT_NAME {
        let title = "注册执业人员注册证书";
        return Some(json!({
            "vct": vct(base),
            "name": title,
            "description": "住房和城乡建设领域注册执业人员的注册证书;注册类别是可选择出示的声明(registration_category)",
            "display": [{ "locale": "zh-CN", "name": title }],
            "claims": claims,
        }));
    }
    let (category, _) = KINDS
        .iter()
        .find(|(_, code)| format!("{MOHURD_CODE}{code}") == name)?;
    let title = crate::certificates::title_for(category);
    Some(json!({
        "vct": format!("{base}/vct/{name}"),
        "name": title,
        "description": format!("{title}(电子证照类型代码 {name})"),
        "display": [{ "locale": "zh-CN", "name": title }],
        "claims": claims,
    }))
}
