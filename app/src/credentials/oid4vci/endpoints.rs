//! OID4VCI's HTTP side: the issuer's and the authorization server's metadata, the offer
//! object, and the nonce, token and credential endpoints. Errors are the specifications'
//! JSON objects (`{"error": …, "error_description": …}`); token and credential answers are
//! never cached.

use super::dpop::{self, DpopError};
use super::{AUTHORIZATION_CODE_GRANT, BATCH_SIZE, PRE_AUTHORIZED_GRANT, TOKEN_SECONDS, repo};
use crate::credentials::vc::CLAIMS;
use crate::credentials::vc::endpoints::limited;
use crate::platform::caller::Caller;
use crate::platform::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// Largest request body the token and credential endpoints read (10 proofs fit easily).
const MAX_BODY: usize = 64 * 1024;

pub(crate) fn answer(status: StatusCode, body: Value, extra: &[(&str, String)]) -> Response {
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
            (header::PRAGMA, "no-cache".to_string()),
            // A wallet in a browser may call: no cookie is read here, a token or a code is
            // what is presented.
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_string()),
            (
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                "DPoP-Nonce, WWW-Authenticate".to_string(),
            ),
        ],
        body.to_string(),
    )
        .into_response();
    for (name, value) in extra {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::try_from(*name),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

pub(crate) fn error(status: StatusCode, code: &str, description: &str) -> Response {
    answer(
        status,
        json!({ "error": code, "error_description": description }),
        &[],
    )
}

pub(super) fn unavailable(what: &str, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "{what}");
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        "temporarily_unavailable",
        "服务暂时不可用,请稍后再试",
    )
}

/// `GET /oid4vci/offers/{id}`: the Credential Offer, while it can be redeemed.
pub async fn offer(
    State(state): State<AppState>,
    Path(offer_id): Path<String>,
    parts: Parts,
) -> Response {
    if offer_id.len() != 32 || !offer_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let caller = match limited(state, &parts).await {
        Ok(caller) => caller,
        Err(answer) => return answer,
    };
    match repo::offer_object(
        &caller.db,
        &caller.settings.data_key,
        &offer_id,
        &caller.public_base(),
        caller.clock.now(),
    )
    .await
    {
        Ok(Some(object)) => answer(StatusCode::OK, object, &[]),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "invalid_request",
            "该凭证领取码已使用或已过期,请在电脑上重新点击【存入数字钱包】",
        ),
        Err(e) => unavailable("credential offer", e),
    }
}

/// `OPTIONS /oid4vci/…`: the CORS preflight of a wallet in a browser.
pub async fn preflight() -> Response {
    (
        StatusCode::NO_CONTENT,
        [
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST"),
            (
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                "Authorization, DPoP, Content-Type",
            ),
            (header::ACCESS_CONTROL_MAX_AGE, "600"),
        ],
    )
        .into_response()
}

/// `POST /oid4vci/nonce`: a fresh `c_nonce` (and a DPoP nonce in `DPoP-Nonce`).
pub async fn nonce(State(state): State<AppState>, parts: Parts) -> Response {
    let caller = match limited(state, &parts).await {
        Ok(caller) => caller,
        Err(answer) => return answer,
    };
    let now = caller.clock.now();
    match repo::new_c_nonce(&caller.db, now).await {
        Ok(nonce) => answer(
            StatusCode::OK,
            json!({ "c_nonce": nonce }),
            &[(
                "dpop-nonce",
                dpop::new_nonce(&caller.settings.data_key, now),
            )],
        ),
        Err(e) => unavailable("c_nonce", e),
    }
}

/// The request's one `DPoP` header (RFC 9449 §4.3: more than one is an invalid proof).
fn one_dpop(headers: &HeaderMap) -> Option<&str> {
    let mut all = headers.get_all("dpop").iter();
    match (all.next(), all.next()) {
        (Some(one), None) => one.to_str().ok(),
        _ => None,
    }
}

/// The request's `DPoP` header, its body (at most [`MAX_BODY`]) and the caller.
pub(super) async fn read(
    state: AppState,
    request: Request,
) -> Result<(Caller, HeaderMap, String, axum::body::Bytes), Response> {
    let (parts, body) = request.into_parts();
    let caller = limited(state, &parts).await?;
    let query = parts.uri.query().unwrap_or_default().to_string();
    let body = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request",
            "request too large",
        )
    })?;
    Ok((caller, parts.headers, query, body))
}

/// The request's DPoP proof for a POST to `path` (with the access token `token` on the
/// credential endpoint), checked and its `jti` recorded once; the refusal to answer otherwise.
async fn proven(
    caller: &Caller,
    headers: &HeaderMap,
    path: &str,
    token: Option<&str>,
    now: i64,
) -> Result<dpop::Proof, Response> {
    let key = &caller.settings.data_key;
    let resource = token.is_some();
    let url = format!("{}{path}", caller.public_base());
    let proof = dpop::check(one_dpop(headers), "POST", &url, token, key, now)
        .map_err(|e| dpop_refusal(e, key, now, resource))?;
    match repo::record_jti(&caller.db, &proof.jkt, &proof.jti, now).await {
        Ok(true) => Ok(proof),
        Ok(false) => Err(dpop_refusal(
            DpopError::Invalid("jti replayed".into()),
            key,
            now,
            resource,
        )),
        Err(e) => Err(unavailable("dpop jti", e)),
    }
}

/// A DPoP refusal as the token endpoint (`resource` false) or the credential endpoint gives it.
fn dpop_refusal(e: DpopError, key: &[u8], now: i64, resource: bool) -> Response {
    let nonce = dpop::new_nonce(key, now);
    match (e, resource) {
        (DpopError::UseNonce, false) => answer(
            StatusCode::BAD_REQUEST,
            json!({ "error": "use_dpop_nonce", "error_description": "DPoP nonce required" }),
            &[("dpop-nonce", nonce)],
        ),
        (DpopError::UseNonce, true) => answer(
            StatusCode::UNAUTHORIZED,
            json!({ "error": "use_dpop_nonce", "error_description": "DPoP nonce required" }),
            &[
                ("dpop-nonce", nonce),
                ("www-authenticate", "DPoP error=\"use_dpop_nonce\"".into()),
            ],
        ),
        (DpopError::Invalid(why), false) => answer(
            StatusCode::BAD_REQUEST,
            json!({ "error": "invalid_dpop_proof", "error_description": why }),
            &[("dpop-nonce", nonce)],
        ),
        (DpopError::Invalid(why), true) => answer(
            StatusCode::UNAUTHORIZED,
            json!({ "error": "invalid_dpop_proof", "error_description": why }),
            &[
                ("dpop-nonce", nonce),
                (
                    "www-authenticate",
                    "DPoP error=\"invalid_dpop_proof\"".into(),
                ),
            ],
        ),
    }
}

/// `POST /oid4vci/token` (form): the pre-authorized code and its `tx_code` for a DPoP-bound
/// access token.
pub async fn token(State(state): State<AppState>, request: Request) -> Response {
    let (caller, headers, _, body) = match read(state, request).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let now = caller.clock.now();
    let key = caller.settings.data_key.clone();
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if field("grant_type") == Some(AUTHORIZATION_CODE_GRANT) {
        let (Some(code), Some(verifier), Some(redirect_uri), Some(client_id)) = (
            field("code"),
            field("code_verifier"),
            field("redirect_uri"),
            field("client_id"),
        ) else {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "code, code_verifier, redirect_uri and client_id are required",
            );
        };
        // A wallet taken off the register takes nothing more, its codes neither.
        if !caller
            .wallet_clients()
            .iter()
            .any(|c| c.client_id == client_id)
        {
            return error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "the client is not a wallet registered with this issuer",
            );
        }
        let proof = match proven(&caller, &headers, "/oid4vci/token", None, now).await {
            Ok(proof) => proof,
            Err(answer) => return answer,
        };
        let exchanged = repo::exchange_code(
            &caller.db,
            code,
            verifier,
            redirect_uri,
            Some(client_id),
            &proof.jkt,
            now,
        )
        .await;
        return token_answer(exchanged, &key, now);
    }
    if field("grant_type") != Some(PRE_AUTHORIZED_GRANT) {
        return error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "the grants are the pre-authorized code and the authorization code",
        );
    }
    let (Some(code), Some(tx_code)) = (field("pre-authorized_code"), field("tx_code")) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "pre-authorized_code and tx_code are required",
        );
    };
    let proof = match proven(&caller, &headers, "/oid4vci/token", None, now).await {
        Ok(proof) => proof,
        Err(answer) => return answer,
    };
    let exchanged = repo::exchange(&caller.db, &key, code, tx_code, &proof.jkt, now).await;
    token_answer(exchanged, &key, now)
}

fn token_answer(
    exchanged: Result<Result<String, repo::GrantRefusal>, sqlx::Error>,
    key: &[u8],
    now: i64,
) -> Response {
    match exchanged {
        Ok(Ok(token)) => answer(
            StatusCode::OK,
            json!({ "access_token": token, "token_type": "DPoP", "expires_in": TOKEN_SECONDS }),
            &[("dpop-nonce", dpop::new_nonce(key, now))],
        ),
        Ok(Err(why)) => error(StatusCode::BAD_REQUEST, "invalid_grant", &why),
        Err(e) => unavailable("token", e),
    }
}

fn invalid_token() -> Response {
    answer(
        StatusCode::UNAUTHORIZED,
        json!({ "error": "invalid_token", "error_description": "the access token is unknown, used, expired or bound to another key" }),
        &[("www-authenticate", "DPoP error=\"invalid_token\"".into())],
    )
}

/// A refusal of the credential endpoint (`invalid_proof`, `invalid_nonce`, …).
fn refuse(code: &str, description: &str) -> Response {
    error(StatusCode::BAD_REQUEST, code, description)
}

/// `POST /oid4vci/credential` (JSON): one credential per `jwt` proof.
pub async fn credential(State(state): State<AppState>, request: Request) -> Response {
    let (caller, headers, query, body) = match read(state, request).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let now = caller.clock.now();
    // RFC 6750 §2.3 is not for DPoP: a token in the address would be logged and leaked.
    if url::form_urlencoded::parse(query.as_bytes()).any(|(k, _)| k == "access_token") {
        return refuse(
            "invalid_request",
            "the access token must not be in the query",
        );
    }
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("DPoP"))
        .map(|(_, token)| token.trim())
        .filter(|t| !t.is_empty())
    else {
        return answer(
            StatusCode::UNAUTHORIZED,
            json!({ "error": "invalid_token", "error_description": "a DPoP access token is required" }),
            &[("www-authenticate", "DPoP error=\"invalid_token\"".into())],
        );
    };
    let proof = match proven(&caller, &headers, "/oid4vci/credential", Some(token), now).await {
        Ok(proof) => proof,
        Err(answer) => return answer,
    };
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return refuse(
            "invalid_credential_request",
            "the body must be a JSON object",
        );
    };
    let issuer = caller.public_base();
    // The proofs first (nothing is used up by a request that is wrong anyway).
    let proofs: Vec<&str> = match &request["proofs"] {
        Value::Object(kinds) if kinds.len() == 1 => match kinds.get("jwt") {
            Some(Value::Array(jwts)) if jwts.iter().all(Value::is_string) => {
                jwts.iter().filter_map(Value::as_str).collect()
            }
            _ => return refuse("invalid_proof", "only jwt proofs are supported"),
        },
        Value::Null => return refuse("invalid_proof", "proofs are missing"),
        _ => return refuse("invalid_proof", "proofs must name one proof type"),
    };
    if proofs.is_empty() || proofs.len() > BATCH_SIZE {
        return refuse(
            "invalid_proof",
            &format!("between 1 and {BATCH_SIZE} jwt proofs are required"),
        );
    }
    let mut keys: Vec<Value> = Vec::with_capacity(proofs.len());
    let mut nonces = Vec::new();
    for jwt in &proofs {
        match check_proof(jwt, &issuer, now) {
            Ok((jwk, nonce)) => {
                // One credential per key: two bound to one key could be linked by it.
                if keys.contains(&jwk) {
                    return refuse("invalid_proof", "each proof must be of a different key");
                }
                keys.push(jwk);
                if !nonces.contains(&nonce) {
                    nonces.push(nonce);
                }
            }
            Err(why) => return refuse("invalid_proof", &why),
        }
    }
    for nonce in &nonces {
        match repo::c_nonce_is_fresh(&caller.db, nonce, now).await {
            Ok(true) => {}
            Ok(false) => {
                return refuse("invalid_nonce", "c_nonce is unknown, used or expired");
            }
            Err(e) => return unavailable("c_nonce", e),
        }
    }
    // The token's offer, read without using it: nothing is used up by a request that is
    // wrong anyway.
    let Some(offer) = (match repo::peek_token(&caller.db, token, &proof.jkt, now).await {
        Ok(offer) => offer,
        Err(e) => return unavailable("access token", e),
    }) else {
        return invalid_token();
    };
    match request["credential_configuration_id"].as_str() {
        Some(id) if id == offer.configuration => {}
        Some(_) => {
            return refuse(
                "unknown_credential_configuration",
                "the offer was made for another credential configuration",
            );
        }
        None => {
            return refuse(
                "invalid_credential_request",
                "credential_configuration_id is required",
            );
        }
    }
    match crate::credentials::vc::repo::room_for(
        &caller.db,
        &offer.person_digest,
        &offer.certificate,
        offer.account_id,
        keys.len() as i64,
        now,
    )
    .await
    {
        Ok(Ok(())) => {}
        Ok(Err(limit)) => return refuse("credential_request_denied", &limit),
        Err(e) => return unavailable("credential limits", e),
    }
    // Now the token and the nonces are used up: a second request with any of them is
    // refused, whoever wins.
    match repo::take_token(&caller.db, token, &proof.jkt, now).await {
        Ok(true) => {}
        Ok(false) => return invalid_token(),
        Err(e) => return unavailable("access token", e),
    }
    for nonce in &nonces {
        match repo::use_c_nonce(&caller.db, nonce, now).await {
            Ok(true) => {}
            Ok(false) => return refuse("invalid_nonce", "c_nonce was used already"),
            Err(e) => return unavailable("c_nonce", e),
        }
    }
    issue(&caller, &offer, keys, now).await
}

/// Checks one `jwt` proof: its key (`jwk`) and the `c_nonce` it names.
fn check_proof(jwt: &str, issuer: &str, now: i64) -> Result<(Value, String), String> {
    let (header, _) = crate::platform::sd_jwt::jws_parts(jwt)?;
    if header["typ"] != "openid4vci-proof+jwt" {
        return Err("typ must be openid4vci-proof+jwt".into());
    }
    if header.get("kid").is_some() || header.get("x5c").is_some() {
        return Err("the key must be given as jwk".into());
    }
    let jwk = header.get("jwk").ok_or("jwk missing")?;
    let (_, claims) = crate::platform::sd_jwt::verify_es256(jwt, jwk)?;
    if claims["aud"] != issuer {
        return Err("aud must be the credential issuer".into());
    }
    let iat = claims["iat"].as_i64().ok_or("iat missing")?;
    if iat > now + dpop::IAT_SKEW || now - iat > super::NONCE_SECONDS {
        return Err("iat is not fresh".into());
    }
    let nonce = claims["nonce"].as_str().ok_or("nonce missing")?;
    let jwk = crate::platform::sd_jwt::holder_jwk(&jwk.to_string()).map_err(|m| m.zh)?;
    Ok((jwk, nonce.to_string()))
}

/// Issues one credential per key, each bound to it, all claims disclosable by the wallet.
async fn issue(caller: &Caller, offer: &repo::Redeemed, keys: Vec<Value>, now: i64) -> Response {
    use crate::credentials::vc::repo as vc;
    let signing = match vc::issuer_key(&caller.db, caller.vc_key.as_deref(), now).await {
        Ok(key) => key,
        Err(e) => return unavailable("credential issuer key", e),
    };
    let all: Vec<&str> = CLAIMS.iter().map(|(n, _)| *n).collect();
    let base = caller.public_base();
    let mut credentials = Vec::with_capacity(keys.len());
    for jwk in keys {
        let issued = vc::issue(
            &caller.db,
            &signing,
            &base,
            &vc::IssueRequest {
                person_digest: &offer.person_digest,
                account_id: offer.account_id,
                certificate: &offer.certificate,
                holder: Some(jwk),
                disclose: &all,
                day_iat: true,
            },
            now,
        )
        .await;
        match issued {
            Ok(issued) => credentials.push(json!({ "credential": issued.sd_jwt })),
            Err(vc::IssueError::NotFound) => {
                return refuse(
                    "credential_request_denied",
                    "the certificate is no longer the holder's",
                );
            }
            Err(vc::IssueError::Refused(m) | vc::IssueError::Limited(m)) => {
                return refuse("credential_request_denied", &m.zh);
            }
            Err(vc::IssueError::Busy) => {
                return error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "temporarily_unavailable",
                    "busy",
                );
            }
            Err(vc::IssueError::Db(e)) => return unavailable("credential issue", e),
        }
    }
    caller
        .audit(
            Some(offer.account_id),
            crate::platform::audit::CREDENTIAL_ISSUED,
            &format!(
                "存入数字钱包(OpenID4VCI)· {} 份 · 绑定钱包密钥",
                credentials.len()
            ),
        )
        .await;
    answer(StatusCode::OK, json!({ "credentials": credentials }), &[])
}
