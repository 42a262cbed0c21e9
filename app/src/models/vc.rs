//! The certificate as a verifiable credential (SD-JWT VC, see `services::sd_jwt`): what the
//! holder may disclose, issuing, the issuer's ES256 key, and the status lists.

use serde::{Deserialize, Serialize};

/// The claims a holder may disclose, with their names in the credential and on the page.
pub const CLAIMS: [(&str, &str); 7] = [
    ("name", "姓名"),
    ("registration_category", "注册类别"),
    ("registration_number", "注册编号"),
    ("specialties", "注册专业及有效期"),
    ("valid_until", "注册有效期"),
    ("employer", "聘用企业"),
    ("licence_id", "电子证照标识"),
];

/// The label of a claim name.
pub fn claim_label(name: &str) -> &'static str {
    CLAIMS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, label)| *label)
}

/// How long a credential not bound to a wallet's key lasts at most: whoever holds it can
/// present it, so it should not outlive its use by years.
pub const UNBOUND_DAYS: i64 = 30;
/// How long a credential bound to a wallet's key lasts at most.
pub const BOUND_DAYS: i64 = 365;

/// A credential the holder issued, as 授权用证 lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialView {
    pub id: String,
    pub title: String,
    pub registration_no: String,
    /// The labels of the claims disclosed.
    pub disclosed: String,
    pub holder_bound: bool,
    pub issued_at: String,
    pub expires_at: String,
    /// 有效 / 已到期 / 已撤销
    pub state: String,
    pub active: bool,
}

/// A credential as handed to the holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCredential {
    /// The SD-JWT with the disclosures the holder chose, ending in `~`.
    pub sd_jwt: String,
    /// The labels of the claims disclosed.
    pub disclosed: Vec<String>,
    /// The credential is bound to the wallet's key (`cnf`).
    pub holder_bound: bool,
    /// `YYYY-MM-DD`: the credential's `exp` (the registration's 有效期).
    pub expires_on: String,
}

/// Each server's copy of the status lists it signed, for [`repo::STATUS_TTL`] seconds: many
/// verifiers polling a list cost one database read per server per ten seconds, not one each.
#[cfg(feature = "ssr")]
#[derive(Default)]
pub struct StatusCache {
    made: std::sync::Mutex<std::collections::HashMap<(String, i64), (i64, String)>>,
}

#[cfg(feature = "ssr")]
impl StatusCache {
    /// The list's token made less than the TTL ago, if any.
    pub fn get(&self, base: &str, list: i64, now: i64) -> Option<String> {
        let made = self.made.lock().ok()?;
        made.get(&(base.to_string(), list))
            .filter(|(at, _)| now - at < repo::STATUS_TTL && *at <= now)
            .map(|(_, token)| token.clone())
    }

    pub fn put(&self, base: &str, list: i64, now: i64, token: String) {
        if let Ok(mut made) = self.made.lock() {
            // A handful of lists per public address; a Host-derived address (development)
            // cannot grow it without end.
            if made.len() > 64 {
                made.clear();
            }
            made.insert((base.to_string(), list), (now, token));
        }
    }

    /// Forgets every list (a credential was revoked here: this server shows it at once).
    pub fn clear(&self) {
        if let Ok(mut made) = self.made.lock() {
            made.clear();
        }
    }
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::*;
    use crate::domain::annotation::parse_date;
    use crate::domain::time::{beijing_date, days_from_civil};
    use crate::services::sd_jwt::{self, Claim, STATUS_LIST_SIZE, VcKey};
    use serde_json::{Map, Value, json};
    use sqlx::{AnyPool, Row};

    /// How long a verifier may keep a status list, and each server its own copy: a change in
    /// the registry shows within this many seconds.
    pub const STATUS_TTL: i64 = 10;

    /// The name the development key has in `signing_keys`.
    const DEV_KEY: &str = "vc-es256";

    /// The issuer's key: the operator's (`PORTAL_VC_KEY_FILE`, in the state) or, without one
    /// (development and staging only: production refuses to start), one made at first use and
    /// kept in the database so every process signs with the same key.
    pub async fn issuer_key(
        db: &AnyPool,
        configured: Option<&VcKey>,
        now: i64,
    ) -> Result<VcKey, String> {
        if let Some(key) = configured {
            return Ok(key.clone());
        }
        use crate::models::signing_key::repo as keys;
        if let Some(secret) = keys::stored_named(db, DEV_KEY)
            .await
            .map_err(|e| e.to_string())?
        {
            return VcKey::from_secret_hex(&secret);
        }
        let (key, secret) = VcKey::generate();
        keys::store_named_if_absent(db, DEV_KEY, &secret, &key.kid(), now)
            .await
            .map_err(|e| e.to_string())?;
        match keys::stored_named(db, DEV_KEY)
            .await
            .map_err(|e| e.to_string())?
        {
            Some(secret) => VcKey::from_secret_hex(&secret),
            None => Err("凭证签名密钥无法保存".into()),
        }
    }

    pub fn status_uri(base: &str, list: i64) -> String {
        format!("{}/status-lists/{list}", base.trim_end_matches('/'))
    }

    /// The `vct` of a certificate kind: its type metadata's address.
    pub fn vct(base: &str, type_code: &str) -> String {
        format!("{}/vct/{type_code}", base.trim_end_matches('/'))
    }

    /// Why no credential can be issued.
    #[derive(Debug)]
    pub enum IssueError {
        NotFound,
        Refused(String),
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
    }

    /// Issues a credential of the holder's certificate and presents the chosen claims.
    pub async fn issue(
        db: &AnyPool,
        data_key: &[u8],
        key: &VcKey,
        base: &str,
        request: &IssueRequest<'_>,
        now: i64,
    ) -> Result<IssuedCredential, IssueError> {
        let today = beijing_date(now);
        let subject = crate::models::certificates::repo::subject(
            db,
            data_key,
            request.person_digest,
            request.certificate,
            today,
        )
        .await?
        .ok_or(IssueError::NotFound)?;
        let card = &subject.card;
        let until = parse_date(&card.valid_until)
            .filter(|d| *d >= today)
            .ok_or_else(|| IssueError::Refused("该证照已过注册有效期,不能导出可验证凭证".into()))?;
        let type_code = crate::domain::licence_id::type_code(&card.category)
            .ok_or_else(|| IssueError::Refused("该类别的证照暂不支持导出可验证凭证".into()))?;
        let exp = expiry(until, now, request.holder.is_some());
        let disclosed: Vec<String> = CLAIMS
            .iter()
            .filter(|(n, _)| request.disclose.contains(n))
            .map(|(_, label)| (*label).to_string())
            .collect();
        let (list, idx) = insert_with_free_index(
            db,
            &NewRow {
                public_id: &crate::models::ids::random_hex::<8>(),
                certificate: subject.id,
                account: request.account_id,
                digest: &subject.credential_digest(),
                disclosed: &disclosed.join("、"),
                bound: request.holder.is_some(),
                now,
                exp,
            },
        )
        .await?;
        let mut clear = Map::new();
        clear.insert("iss".into(), base.trim_end_matches('/').into());
        clear.insert("iat".into(), now.into());
        clear.insert("exp".into(), exp.into());
        clear.insert("vct".into(), vct(base, &type_code).into());
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
            holder_bound: request.holder.is_some(),
            expires_on: crate::domain::annotation::format_date(beijing_date(exp)),
        })
    }

    /// The credential's `exp`: the last second of the registration's last day (Beijing time),
    /// or sooner — a month for a credential anyone holding it can present, a year for one
    /// bound to a wallet.
    fn expiry(until: crate::domain::annotation::Date, now: i64, bound: bool) -> i64 {
        let registration_ends =
            (days_from_civil(until.0, until.1, until.2) + 1) * 86_400 - 8 * 3600 - 1;
        let days = if bound { BOUND_DAYS } else { UNBOUND_DAYS };
        registration_ends.min(now + days * 86_400)
    }

    /// The selectively disclosable claims of a certificate, in [`CLAIMS`]'s order.
    fn claims_of(subject: &crate::models::certificates::repo::Subject) -> Vec<Claim> {
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
    }

    /// Stores the credential at a random free index of status list 0 (a taken one is drawn
    /// again); returns (list, index).
    async fn insert_with_free_index(
        db: &AnyPool,
        row: &NewRow<'_>,
    ) -> Result<(i64, i64), sqlx::Error> {
        let list = 0;
        let mut last = None;
        for _ in 0..8 {
            let idx = i64::from(rand::random::<u32>()) % STATUS_LIST_SIZE;
            let inserted = sqlx::query(
                "INSERT INTO vc_credentials (public_id, certificate_id, account_id, status_list, \
                 status_idx, content_digest, disclosed, holder_bound, issued_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(row.public_id)
            .bind(row.certificate)
            .bind(row.account)
            .bind(list)
            .bind(idx)
            .bind(row.digest)
            .bind(row.disclosed)
            .bind(i64::from(row.bound))
            .bind(row.now)
            .bind(row.exp)
            .execute(db)
            .await;
            match inserted {
                Ok(_) => return Ok((list, idx)),
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    last = Some(sqlx::Error::Database(e));
                }
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or(sqlx::Error::RowNotFound))
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
                let (state, active) =
                    crate::models::credentials::standing_of(revoked, expires_at, now);
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

    /// Revokes the account's own credential; whether it was theirs and still active. The
    /// status list says so from its next refresh.
    pub async fn revoke(
        db: &AnyPool,
        account_id: i64,
        credential: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query(
            "UPDATE vc_credentials SET revoked_at = $1 WHERE public_id = $2 AND account_id = $3 \
             AND revoked_at = 0 AND expires_at > $1",
        )
        .bind(now)
        .bind(credential)
        .bind(account_id)
        .execute(db)
        .await?
        .rows_affected()
            > 0)
    }

    /// Status list `list` as a signed token: a credential is invalid (1) once revoked, once
    /// its certificate is revoked, or once the certificate's content is no longer what the
    /// credential states. Expired credentials are left 0: their `exp` already refuses them.
    pub async fn status_list(
        db: &AnyPool,
        key: &VcKey,
        base: &str,
        list: i64,
        now: i64,
    ) -> Result<String, sqlx::Error> {
        let digests =
            crate::models::certificates::repo::digests_of_credentialed(db, list, now).await?;
        let rows = sqlx::query(
            "SELECT v.status_idx, v.certificate_id, v.content_digest, v.revoked_at, \
             c.revoked_at AS cert_revoked FROM vc_credentials v \
             JOIN certificates c ON c.id = v.certificate_id \
             WHERE v.status_list = $1 AND v.expires_at > $2",
        )
        .bind(list)
        .bind(now)
        .fetch_all(db)
        .await?;
        let mut invalid = Vec::new();
        for r in rows {
            let idx: i64 = r.try_get("status_idx")?;
            let certificate: i64 = r.try_get("certificate_id")?;
            let stated: String = r.try_get("content_digest")?;
            let withdrawn = r.try_get::<i64, _>("revoked_at")? != 0
                || r.try_get::<i64, _>("cert_revoked")? != 0;
            if withdrawn || digests.get(&certificate) != Some(&stated) {
                invalid.push(idx);
            }
        }
        sd_jwt::status_list_jwt(key, &status_uri(base, list), now, STATUS_TTL, invalid)
            .map_err(sqlx::Error::Protocol)
    }

    /// The issuer's metadata (`/.well-known/jwt-vc-issuer`): who it is and its keys.
    pub fn issuer_metadata(key: &VcKey, base: &str) -> Value {
        json!({
            "issuer": base.trim_end_matches('/'),
            "jwks": { "keys": [key.published_jwk()] },
        })
    }

    /// The type metadata of a certificate kind (`/vct/<类型代码>`), if the portal issues it.
    pub fn type_metadata(base: &str, type_code: &str) -> Option<Value> {
        use crate::domain::licence_id::{KINDS, MOHURD_CODE};
        let (category, _) = KINDS
            .iter()
            .find(|(_, code)| format!("{MOHURD_CODE}{code}") == type_code)?;
        let title = crate::models::certificates::title_for(category);
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
        Some(json!({
            "vct": vct(base, type_code),
            "name": title,
            "description": format!("{title}(电子证照类型代码 {type_code})"),
            "display": [{ "locale": "zh-CN", "name": title }],
            "claims": claims,
        }))
    }
}
