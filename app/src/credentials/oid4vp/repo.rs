//! The verifier's requests (`vp_requests`), its key and certificate, and the checks of an
//! answer that need the portal's state: the trust anchor, the status lists, the holder's
//! 用证记录.

use super::{QUERY_ID, REQUEST_SECONDS, VerifierOutcome, check, jwe};
use crate::credentials::vc::{self, repo as vc_repo};
use crate::platform::caller::Caller;
use crate::platform::error::{AppError, Message};
use crate::platform::ids::{random_token, sha256_hex};
use crate::platform::lang::Text;
use crate::platform::sd_jwt::{self, VcKey};
use crate::platform::x509;
use serde_json::{Value, json};
use sqlx::{AnyPool, Row};

/// The development verifier key's name in `signing_keys`, and its certificate's name.
pub const DEV_KEY: &str = "vp-es256";
const DEV_LEAF_NAME: &str = "电子证照核验服务";
/// The cookie that binds a request to the browser that made it.
const COOKIE: &str = "portal_verifier";
const COOKIE_PRODUCTION: &str = "__Host-portal_verifier";

/// The verifier's key and its `x5c` chain: the operator's (`PORTAL_VP_KEY_FILE` and
/// `PORTAL_VP_CERT_FILE`) or, in development and staging, a key kept in the database and
/// certified by the development CA (the credentials' CA).
pub async fn verifier_key(
    db: &AnyPool,
    configured: Option<&VcKey>,
    now: i64,
) -> Result<VcKey, String> {
    vc_repo::configured_or_development(db, configured, (DEV_KEY, DEV_LEAF_NAME), now).await
}

/// The verifier's Client Identifier (OID4VP 1.0 §5.9.3): `x509_hash:` and the base64url
/// SHA-256 of its certificate.
pub fn client_id(key: &VcKey) -> Result<String, String> {
    key.chain()
        .first()
        .map(|leaf| format!("x509_hash:{}", x509::hash(leaf)))
        .ok_or_else(|| "核验服务没有证书".to_string())
}

fn cookie_name(caller: &Caller) -> &'static str {
    if caller.settings.env.is_production() {
        COOKIE_PRODUCTION
    } else {
        COOKIE
    }
}

/// The browser's verifier cookie, well-formed, if it sent one.
fn presented_cookie(caller: &Caller) -> Option<String> {
    use leptos::prelude::use_context;
    let parts = use_context::<http::request::Parts>()?;
    crate::platform::caller::cookie(&parts.headers, cookie_name(caller))
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The browser's verifier cookie, made and sent when it has none.
fn browser_cookie(caller: &Caller) -> String {
    if let Some(value) = presented_cookie(caller) {
        return value;
    }
    let value = crate::platform::ids::random_hex::<32>();
    caller.send_cookie(cookie_name(caller), &value, "");
    value
}

/// The DCQL query (OID4VP 1.0 §6) for the portal's credential: the claims asked for, the
/// category's value when one is chosen.
pub fn dcql_query(vct: &str, category: &str, claims: &[String]) -> Value {
    let claims: Vec<Value> = claims
        .iter()
        .map(|name| {
            if name == "registration_category" && !category.is_empty() {
                json!({ "path": [name], "values": [category] })
            } else {
                json!({ "path": [name] })
            }
        })
        .collect();
    json!({
        "credentials": [{
            "id": QUERY_ID,
            "format": "dc+sd-jwt",
            "meta": { "vct_values": [vct] },
            "claims": claims,
        }]
    })
}

/// Makes a request for the browser; its id.
pub async fn start(
    caller: &Caller,
    organisation: &str,
    category: &str,
    claims: &[String],
) -> Result<String, AppError> {
    let length = organisation.chars().count();
    if !(2..=50).contains(&length) {
        return Err(AppError::field(
            "organisation",
            Text::new(
                "请填写核验单位名称(2–50 个字)",
                "Enter the name of the organisation that checks (2 to 50 characters)",
            ),
        ));
    }
    // Shown to the holder (用证记录) and the wallet: no control or direction-changing marks
    // that could make one name read as another.
    if organisation.chars().any(|c| {
        c.is_control()
            || matches!(
                c,
                '\u{061c}'
                    | '\u{200b}'..='\u{200f}'
                    | '\u{202a}'..='\u{202e}'
                    | '\u{2060}'..='\u{2064}'
                    | '\u{2066}'..='\u{2069}'
                    | '\u{feff}'
                    | '\u{e0000}'..='\u{e007f}'
            )
    }) {
        return Err(AppError::field(
            "organisation",
            Text::new(
                "核验单位名称含有不可见的控制字符,请重新输入",
                "The organisation's name contains invisible control characters: enter it again",
            ),
        ));
    }
    if !category.is_empty() && !super::categories().contains(&category) {
        return Err(AppError::field(
            "category",
            Text::new("请选择列表中的注册类别", "Choose a category from the list"),
        ));
    }
    let mut asked: Vec<String> = vc::CLAIMS
        .iter()
        .filter(|(name, _)| claims.iter().any(|c| c == name))
        .map(|(name, _)| name.to_string())
        .collect();
    if !category.is_empty() && !asked.iter().any(|c| c == "registration_category") {
        asked.insert(0, "registration_category".into());
    }
    if asked.is_empty() || claims.iter().any(|c| vc::claim_label(c).is_empty()) {
        return Err(AppError::field(
            "claims",
            Text::new(
                "请至少选择一项要核验的信息",
                "Choose at least one detail to check",
            ),
        ));
    }
    let now = caller.clock.now();
    let base = caller.public_base();
    let query = dcql_query(&vc_repo::vct(&base), category, &asked);
    let (enc_key, _) = jwe::new_key();
    let id = random_token();
    let browser = browser_cookie(caller);
    sqlx::query(
        "INSERT INTO vp_requests (request_id, browser_hash, organisation, nonce, state, \
         enc_key, query, created_at, expires_at, viewer_ip, viewer_browser) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(sha256_hex(&browser))
    .bind(organisation)
    .bind(random_token())
    .bind(random_token())
    .bind(&enc_key)
    .bind(query.to_string())
    .bind(now)
    .bind(now + REQUEST_SECONDS)
    .bind(caller.viewer().ip)
    .bind(caller.viewer().browser)
    .execute(&caller.db)
    .await?;
    Ok(id)
}

/// `openid4vp://?client_id=…&request_uri=…` of the request `id`.
fn wallet_link(base: &str, client: &str, id: &str) -> String {
    let request_uri = format!("{base}/oid4vp/requests/{id}");
    format!(
        "openid4vp://?client_id={}&request_uri={}",
        crate::domain::url::percent_encode(client),
        crate::domain::url::percent_encode(&request_uri)
    )
}

/// Where the request stands, for the browser that made it.
pub async fn outcome(
    caller: &Caller,
    id: &str,
    response_code: Option<&str>,
) -> Result<VerifierOutcome, AppError> {
    let Some(browser) = presented_cookie(caller) else {
        return Err(AppError::refused(ANOTHER_BROWSER));
    };
    let Some(row) = sqlx::query(
        "SELECT browser_hash, expires_at, fetched_at, answered_at, outcome, result, \
         response_code_hash, query FROM vp_requests WHERE request_id = $1",
    )
    .bind(id)
    .fetch_optional(&caller.db)
    .await?
    else {
        return Err(AppError::NotFound);
    };
    let browser_hash: String = row.try_get("browser_hash")?;
    if browser_hash != sha256_hex(&browser) {
        return Err(AppError::refused(ANOTHER_BROWSER));
    }
    if let Some(code) = response_code {
        let expected: String = row.try_get("response_code_hash")?;
        if expected.is_empty() || sha256_hex(code) != expected {
            return Err(AppError::refused(Text::new(
                "核验结果的返回码不符:请回到发起核验的页面查看结果",
                "The code returned with the result does not match: go back to the page where \
                 you started the check to see the result",
            )));
        }
    }
    let answered: i64 = row.try_get("answered_at")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    // Read within RESULT_SECONDS of the request's end, whenever the purge runs.
    if caller.clock.now() > expires_at + RESULT_SECONDS {
        return Err(AppError::NotFound);
    }
    if answered > 0 {
        let result: String = row.try_get("result")?;
        let result: Value = serde_json::from_str(&result).unwrap_or_default();
        return Ok(match row.try_get::<String, _>("outcome")?.as_str() {
            "verified" => VerifierOutcome::Verified {
                claims: result["claims"]
                    .as_array()
                    .map(|claims| {
                        claims
                            .iter()
                            .map(|c| {
                                (
                                    c[0].as_str().unwrap_or_default().to_string(),
                                    c[1].as_str().unwrap_or_default().to_string(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            _ => VerifierOutcome::Refused {
                reason: refusal(&result),
            },
        });
    }
    let now = caller.clock.now();
    if expires_at <= now {
        return Ok(VerifierOutcome::Expired);
    }
    if row.try_get::<i64, _>("fetched_at")? > 0 {
        return Ok(VerifierOutcome::Opened);
    }
    let key = verifier_key(&caller.db, caller.vp_key.as_deref(), now)
        .await
        .map_err(|e| AppError::internal("verifier key", e))?;
    let client = client_id(&key).map_err(|e| AppError::internal("verifier key", e))?;
    let link = wallet_link(&caller.public_base(), &client, id);
    let query: Value = serde_json::from_str(&row.try_get::<String, _>("query")?)
        .map_err(|e| AppError::internal("verifier query", e))?;
    Ok(VerifierOutcome::Waiting {
        qr_svg: crate::platform::qr::qr_svg(&link)?,
        link,
        asked: check::asked_claims(&query)
            .iter()
            .map(
                |(name, values)| match values.first().and_then(Value::as_str) {
                    Some(value) => format!("{}({value})", vc::claim_label(name)),
                    None => vc::claim_label(name).to_string(),
                },
            )
            .collect(),
        seconds_left: expires_at - now,
    })
}

/// A refusal as [`answer`] stored it: `reason` (Chinese) and `reason_en`. A result stored
/// before the English was kept says only that the presentation was refused, in English.
fn refusal(result: &Value) -> Message {
    let zh = result["reason"].as_str().unwrap_or("核验未通过");
    let en = result["reason_en"]
        .as_str()
        .unwrap_or("The presentation was refused");
    Message::new(zh, en)
}

/// How long after a request ends its result may be read (and is then deleted).
pub const RESULT_SECONDS: i64 = 600;

/// What another browser is told of a request it did not make.
pub const ANOTHER_BROWSER: Text = Text::new(
    "该核验结果只能在发起核验的浏览器中查看。请回到发起核验的页面查看结果。",
    "This result can only be seen in the browser where the check was started. Go back to the \
     page where you started the check to see the result.",
);

/// The signed request object (`typ` `oauth-authz-req+jwt`), once: `None` when the request is
/// unknown, expired or already fetched.
pub async fn request_object(
    db: &AnyPool,
    key: &VcKey,
    base: &str,
    id: &str,
    now: i64,
) -> Result<Option<String>, AppError> {
    // Taken once, in one statement: two wallets racing for it cannot both have it.
    let taken = sqlx::query(
        "UPDATE vp_requests SET fetched_at = $1 WHERE request_id = $2 AND fetched_at = 0 \
         AND expires_at > $1",
    )
    .bind(now)
    .bind(id)
    .execute(db)
    .await?
    .rows_affected();
    if taken == 0 {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT nonce, state, enc_key, query, expires_at, organisation FROM vp_requests \
         WHERE request_id = $1",
    )
    .bind(id)
    .fetch_one(db)
    .await?;
    let enc_key: String = row.try_get("enc_key")?;
    let query: Value = serde_json::from_str(&row.try_get::<String, _>("query")?)
        .map_err(|_| AppError::Internal)?;
    let client = client_id(key).map_err(|e| AppError::internal("verifier key", e))?;
    let payload = json!({
        "iss": client,
        "aud": "https://self-issued.me/v2",
        "client_id": client,
        "response_type": "vp_token",
        "response_mode": "direct_post.jwt",
        "response_uri": format!("{base}/oid4vp/responses/{id}"),
        "nonce": row.try_get::<String, _>("nonce")?,
        "state": row.try_get::<String, _>("state")?,
        "dcql_query": query,
        "client_metadata": {
            // Who asks, as the organisation named itself on /verifier (the portal vouches
            // only for running the check).
            "client_name": format!(
                "{}(自报名称,经住房和城乡建设部政务服务门户核验服务)",
                row.try_get::<String, _>("organisation")?
            ),
            "jwks": { "keys": [jwe::public_of(&enc_key).map_err(|e| AppError::internal("request key", e))?] },
            "encrypted_response_enc_values_supported": jwe::ENC_VALUES,
            "vp_formats_supported": {
                "dc+sd-jwt": {
                    "sd-jwt_alg_values": ["ES256"],
                    "kb-jwt_alg_values": ["ES256"],
                }
            },
        },
        "iat": now,
        "exp": row.try_get::<i64, _>("expires_at")?,
    });
    let header = json!({
        "alg": "ES256",
        "typ": "oauth-authz-req+jwt",
        "x5c": key.x5c(),
    });
    Ok(Some(key.sign_jwt_with(header, &payload)))
}

/// An answer refused before it could be tied to a request, or one that does not hold.
pub enum Answer {
    /// The request is unknown, expired, not yet fetched or already answered.
    NoRequest,
    /// Not an answer to this request (it does not decrypt with its key, or names another
    /// `state`): refused, and the request still waits for its wallet.
    NotForIt(String),
    /// Recorded as refused (in both languages), with the reason's Chinese, which the wallet
    /// is told.
    Refused(String),
    /// Verified: where the wallet sends the browser back.
    Verified { redirect_uri: String },
}

/// Takes the wallet's `response` (a JWE) to the request `id`: decrypts it with the request's
/// key, checks it whole, and records the outcome once.
pub async fn answer(caller: &Caller, id: &str, response: &str) -> Result<Answer, AppError> {
    let now = caller.clock.now();
    let Some(row) = sqlx::query(
        "SELECT id, organisation, nonce, state, enc_key, query, viewer_ip, viewer_browser \
         FROM vp_requests \
         WHERE request_id = $1 AND fetched_at > 0 AND answered_at = 0 AND expires_at > $2",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(&caller.db)
    .await?
    else {
        return Ok(Answer::NoRequest);
    };
    let enc_key: String = row.try_get("enc_key")?;
    // Only the wallet that fetched the request object has its key: anything that does not
    // decrypt, or names another state, is nobody's answer and ends nothing.
    let payload = match jwe::decrypt(response, &enc_key) {
        Ok(payload) => payload,
        Err(reason) => return Ok(Answer::NotForIt(reason)),
    };
    if payload["state"] != row.try_get::<String, _>("state")?.as_str() {
        return Ok(Answer::NotForIt("响应的 state 与本次核验请求不符".into()));
    }
    let checked = verify_answer(caller, &row, &payload, now).await;
    let (outcome, result, code) = match &checked {
        Ok((claims, _)) => {
            let shown: Vec<Value> = claims.iter().map(|(l, v)| json!([l, v])).collect();
            ("verified", json!({ "claims": shown }), random_token())
        }
        Err(reason) => (
            "refused",
            json!({ "reason": reason.zh, "reason_en": reason.en }),
            String::new(),
        ),
    };
    // Answered once: the key is erased with it, whoever else races for it.
    let recorded = sqlx::query(
        "UPDATE vp_requests SET answered_at = $1, outcome = $2, result = $3, enc_key = '', \
         response_code_hash = $4 WHERE request_id = $5 AND answered_at = 0",
    )
    .bind(now)
    .bind(outcome)
    .bind(result.to_string())
    .bind(if code.is_empty() {
        String::new()
    } else {
        sha256_hex(&code)
    })
    .bind(id)
    .execute(&caller.db)
    .await?
    .rows_affected();
    if recorded == 0 {
        return Ok(Answer::NoRequest);
    }
    match checked {
        Ok((_, certificate)) => {
            if let Some((certificate_id, subject)) = certificate {
                let organisation: String = row.try_get("organisation")?;
                // Who looked: the verifier's browser, not the wallet that posted the answer.
                let viewer = crate::platform::caller::Viewer {
                    ip: row.try_get("viewer_ip")?,
                    browser: row.try_get("viewer_browser")?,
                };
                crate::certificates::uses::record_use(
                    &caller.db,
                    certificate_id,
                    crate::certificates::uses::WALLET,
                    &subject,
                    &format!("{organisation}(经本门户核验服务)"),
                    &viewer,
                    now,
                )
                .await?;
            }
            Ok(Answer::Verified {
                redirect_uri: format!(
                    "{}/verifier?request={id}&response_code={code}",
                    caller.public_base()
                ),
            })
        }
        Err(reason) => Ok(Answer::Refused(reason.zh)),
    }
}

/// The claims presented (label, value) and, when this portal issued the credential, its
/// certificate and what the holder's 用证记录 says was shown.
type Checked = (Vec<(String, String)>, Option<(i64, String)>);

async fn verify_answer(
    caller: &Caller,
    row: &sqlx::any::AnyRow,
    payload: &Value,
    now: i64,
) -> Result<Checked, Message> {
    let db_error = |e: sqlx::Error| busy(&e);
    let presentations = payload["vp_token"][QUERY_ID]
        .as_array()
        .filter(|p| p.len() == 1)
        .ok_or_else(|| {
            Message::new(
                "响应中没有所请求凭证的出示(vp_token)",
                "The answer has no presentation (vp_token) of the credential asked for",
            )
        })?;
    let presented = presentations[0].as_str().ok_or_else(|| {
        Message::new(
            "出示内容格式不符",
            "The presentation is not in the right format",
        )
    })?;
    let base = caller.public_base();
    let issuer = vc_repo::issuer_key(&caller.db, caller.vc_key.as_deref(), now)
        .await
        .map_err(|e| busy(&e))?;
    let anchors: Vec<Vec<u8>> = issuer.anchor().map(<[u8]>::to_vec).into_iter().collect();
    let verifier = verifier_key(&caller.db, caller.vp_key.as_deref(), now)
        .await
        .map_err(|e| busy(&e))?;
    let nonce: String = row.try_get("nonce").map_err(db_error)?;
    let query: Value = serde_json::from_str(&row.try_get::<String, _>("query").map_err(db_error)?)
        .map_err(|_| {
            Message::new(
                "核验请求已损坏",
                "The check request is damaged: start a new check",
            )
        })?;
    let vct = vc_repo::vct(&base);
    let client = client_id(&verifier)
        .map_err(|e| Message::new(e, "The checking service has no certificate"))?;
    let signer = issuer.chain().first().cloned().unwrap_or_default();
    let expected = check::Expected {
        client_id: &client,
        nonce: &nonce,
        issuer: base.trim_end_matches('/'),
        vct: &vct,
        anchors: &anchors,
        signer: &signer,
        query: &query,
        now,
    };
    let shown = check::presentation(presented, &expected)?;

    // The status, as any verifier reads it: this portal's signed list token for the entry.
    let prefix = format!("{}/status-lists/", base.trim_end_matches('/'));
    let list: i64 = shown
        .status_uri
        .strip_prefix(&prefix)
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| {
            Message::new(
                "凭证的状态列表不是本门户的",
                "The credential's status list is not this portal's",
            )
        })?;
    let ttl = caller.status_cache.ttl();
    let token = match caller.status_cache.get(&base, list, now) {
        Some(token) => token,
        None => {
            let token = vc_repo::status_list(&caller.db, &issuer, &base, (list, ttl), now)
                .await
                .map_err(|_| {
                    Message::new(
                        "凭证的状态列表无法读取",
                        "The credential's status list could not be read",
                    )
                })?;
            caller.status_cache.put(&base, list, now, token.clone());
            token
        }
    };
    let (header, status) = check::verify_x5c_jwt(&token, &anchors, Some(&signer), now)?;
    if header["typ"] != sd_jwt::STATUS_LIST_TYP || status["sub"] != shown.status_uri.as_str() {
        return Err(Message::new(
            "状态列表与凭证不符",
            "The status list does not match the credential",
        ));
    }
    if check::status_bit(&status, shown.status_idx)? {
        return Err(Message::new(
            "该凭证已撤销或证书已失效",
            "The credential has been revoked or the certificate is no longer valid",
        ));
    }

    let claims: Vec<(String, String)> = shown
        .claims
        .iter()
        .map(|(name, value)| (vc::claim_label(name).to_string(), display(name, value)))
        .collect();
    // The certificate the credential states, when the slot still names it.
    let certificate: Option<i64> = sqlx::query(
        "SELECT v.certificate_id FROM vc_status_slots s JOIN vc_credentials v \
         ON v.id = s.credential_id WHERE s.status_list = $1 AND s.status_idx = $2",
    )
    .bind(list)
    .bind(shown.status_idx)
    .fetch_optional(&caller.db)
    .await
    .map_err(db_error)?
    .map(|r| r.try_get(0))
    .transpose()
    .map_err(db_error)?;
    let subject = format!(
        "数字钱包出示:{}",
        claims
            .iter()
            .map(|(label, _)| label.as_str())
            .collect::<Vec<_>>()
            .join("、")
    );
    Ok((claims, certificate.map(|id| (id, subject))))
}

/// A failure of the portal itself while checking: logged, and the verifier told to try again.
fn busy(e: &dyn std::fmt::Display) -> Message {
    tracing::error!(error = %e, "verifier: an answer could not be checked");
    Message::new(
        "系统繁忙,核验未能完成,请重新发起核验",
        "The system is busy and the check could not be finished: start a new check",
    )
}

/// A claim's value as the page shows it.
fn display(name: &str, value: &Value) -> String {
    match (name, value) {
        (_, Value::String(s)) => s.clone(),
        ("specialties", Value::Array(items)) => items
            .iter()
            .map(|s| {
                format!(
                    "{}(有效期至 {})",
                    s["name"].as_str().unwrap_or_default(),
                    s["valid_until"].as_str().unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join(";"),
        (_, other) => other.to_string(),
    }
}

/// Deletes the requests ten minutes past their end (the claims presented with them): long
/// enough for the page that asked to be read, not for a later user of the same browser.
pub async fn purge(db: &AnyPool, now: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM vp_requests WHERE expires_at < $1")
        .bind(now - RESULT_SECONDS)
        .execute(db)
        .await?
        .rows_affected())
}
