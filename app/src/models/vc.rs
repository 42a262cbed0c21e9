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

#[cfg(feature = "ssr")]
pub mod repo {
    use super::*;
    use crate::domain::annotation::parse_date;
    use crate::domain::time::{beijing_date, days_from_civil};
    use crate::services::sd_jwt::{self, Claim, STATUS_LIST_SIZE, VcKey};
    use serde_json::{Map, Value, json};
    use sqlx::{AnyPool, Row};

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

    /// The status list a credential id is in, and its index there.
    pub fn status_place(id: i64) -> (i64, i64) {
        (id / STATUS_LIST_SIZE, id % STATUS_LIST_SIZE)
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
        // The last second of the registration's last day, Beijing time.
        let exp = (days_from_civil(until.0, until.1, until.2) + 1) * 86_400 - 8 * 3600 - 1;
        let id: i64 = sqlx::query(
            "INSERT INTO vc_credentials (certificate_id, account_id, content_digest, holder_bound, \
             issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(subject.id)
        .bind(request.account_id)
        .bind(&subject.digest)
        .bind(i64::from(request.holder.is_some()))
        .bind(now)
        .bind(exp)
        .fetch_one(db)
        .await?
        .try_get("id")?;
        let (list, idx) = status_place(id);
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
        let specialties: Vec<Value> = card
            .specialties
            .iter()
            .map(|s| json!({ "name": s.name, "valid_until": s.valid_until }))
            .collect();
        let claims = [
            Claim {
                name: "name",
                value: json!(subject.name),
            },
            Claim {
                name: "registration_category",
                value: json!(card.category),
            },
            Claim {
                name: "registration_number",
                value: json!(card.registration_no),
            },
            Claim {
                name: "specialties",
                value: json!(specialties),
            },
            Claim {
                name: "valid_until",
                value: json!(card.valid_until),
            },
            Claim {
                name: "employer",
                value: json!(card.employer),
            },
            Claim {
                name: "licence_id",
                value: json!(card.licence_id),
            },
        ];
        let issued = sd_jwt::issue(key, clear, &claims);
        Ok(IssuedCredential {
            sd_jwt: issued.present(request.disclose),
            disclosed: CLAIMS
                .iter()
                .filter(|(n, _)| request.disclose.contains(n))
                .map(|(_, label)| (*label).to_string())
                .collect(),
            holder_bound: request.holder.is_some(),
            expires_on: card.valid_until.clone(),
        })
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
        let range = (list * STATUS_LIST_SIZE, (list + 1) * STATUS_LIST_SIZE);
        let digests =
            crate::models::certificates::repo::digests_of_credentialed(db, range, now).await?;
        let rows = sqlx::query(
            "SELECT v.id, v.certificate_id, v.content_digest, v.revoked_at, \
             c.revoked_at AS cert_revoked FROM vc_credentials v \
             JOIN certificates c ON c.id = v.certificate_id \
             WHERE v.id >= $1 AND v.id < $2 AND v.expires_at > $3",
        )
        .bind(range.0)
        .bind(range.1)
        .bind(now)
        .fetch_all(db)
        .await?;
        let mut invalid = Vec::new();
        for r in rows {
            let id: i64 = r.try_get("id")?;
            let certificate: i64 = r.try_get("certificate_id")?;
            let stated: String = r.try_get("content_digest")?;
            let withdrawn = r.try_get::<i64, _>("revoked_at")? != 0
                || r.try_get::<i64, _>("cert_revoked")? != 0;
            if withdrawn || digests.get(&certificate) != Some(&stated) {
                invalid.push(id - range.0);
            }
        }
        Ok(sd_jwt::status_list_jwt(
            key,
            &status_uri(base, list),
            now,
            60,
            invalid,
        ))
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
