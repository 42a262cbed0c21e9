//! The public side of verifiable credentials: the issuer's metadata and keys
//! (`/.well-known/jwt-vc-issuer`), the status lists (`/status-lists/{n}`) and the type
//! metadata of each certificate kind (`/vct/{类型代码}`). No login: any verifier fetches them.
//! All are limited per client like the public search; each server keeps a signed status list
//! for ten seconds (`StatusCache`; `PORTAL_STATUS_LIST_TTL` sets another), which is also the
//! `ttl` verifiers are told and their cache lifetime. A list that was
//! never opened answers 404.

use crate::credentials::vc::repo;
use crate::platform::caller::Caller;
use crate::platform::state::AppState;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

fn json(value: serde_json::Value, max_age: u32) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::CACHE_CONTROL, format!("public, max-age={max_age}")),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_string()),
        ],
        value.to_string(),
    )
        .into_response()
}

fn unavailable(what: &str, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "{what}");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        crate::platform::error::SERVICE_UNAVAILABLE,
    )
        .into_response()
}

/// The caller of a public endpoint, limited per client like the public search; the 429 to
/// answer instead when over the limit.
pub async fn limited(state: AppState, parts: &Parts) -> Result<Caller, Response> {
    let caller = Caller::from_parts(state, parts);
    match caller.check_rate(&caller.search_limiter).await {
        Ok(()) => Ok(caller),
        Err(e) => Err(crate::platform::error::plain_error(&e)),
    }
}

/// `GET /.well-known/jwt-vc-issuer`
pub async fn issuer_metadata(State(state): State<AppState>, parts: Parts) -> Response {
    let caller = match limited(state, &parts).await {
        Ok(caller) => caller,
        Err(answer) => return answer,
    };
    match repo::issuer_key(&caller.db, caller.vc_key.as_deref(), caller.clock.now()).await {
        Ok(key) => json(repo::issuer_metadata(&key, &caller.public_base()), 300),
        Err(e) => unavailable("credential issuer key", e),
    }
}

/// `GET /trust-anchor.pem`: the certificate the credentials' and status lists' `x5c` chains
/// lead to (the development CA, or the operator's). A verifier takes its anchor from the
/// operator by its own channel; this copy is for checking that it has the right one.
pub async fn trust_anchor(State(state): State<AppState>, parts: Parts) -> Response {
    let caller = match limited(state, &parts).await {
        Ok(caller) => caller,
        Err(answer) => return answer,
    };
    match repo::issuer_key(&caller.db, caller.vc_key.as_deref(), caller.clock.now()).await {
        Ok(key) => match key.anchor() {
            Some(anchor) => (
                [
                    (header::CONTENT_TYPE, "application/pem-certificate-chain"),
                    (header::CACHE_CONTROL, "public, max-age=3600"),
                    (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
                ],
                crate::platform::x509::pem(anchor),
            )
                .into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        },
        Err(e) => unavailable("credential issuer key", e),
    }
}

/// `GET /status-lists/{n}`: the signed status list token.
pub async fn status_list(
    State(state): State<AppState>,
    Path(list): Path<String>,
    parts: Parts,
) -> Response {
    let Some(list) = list
        .parse::<i64>()
        .ok()
        .filter(|n| (0..1 << 20).contains(n))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let caller = match limited(state, &parts).await {
        Ok(caller) => caller,
        Err(answer) => return answer,
    };
    let now = caller.clock.now();
    let base = caller.public_base();
    let ttl = caller.status_cache.ttl();
    let token = match caller.status_cache.get(&base, list, now) {
        Some(token) => Ok(token),
        None => match repo::issuer_key(&caller.db, caller.vc_key.as_deref(), now).await {
            Ok(key) => repo::status_list(&caller.db, &key, &base, (list, ttl), now)
                .await
                .map_err(|e| match e {
                    repo::StatusError::NotFound => None,
                    repo::StatusError::Db(e) => Some(e.to_string()),
                }),
            Err(e) => Err(Some(e)),
        },
    };
    match token {
        Ok(token) => {
            caller.status_cache.put(&base, list, now, token.clone());
            let lifetime = format!("public, max-age={ttl}");
            (
                [
                    (header::CONTENT_TYPE, "application/statuslist+jwt"),
                    (header::CACHE_CONTROL, lifetime.as_str()),
                    (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
                ],
                token,
            )
                .into_response()
        }
        // A list never opened: nothing is signed for it, and nothing kept.
        Err(None) => StatusCode::NOT_FOUND.into_response(),
        Err(Some(e)) => unavailable("status list", e),
    }
}

/// `GET /vct/{name}`: what a credential of the portal's type (or, for credentials issued
/// before it, of one kind) is and how to show its claims.
pub async fn type_metadata(
    State(state): State<AppState>,
    Path(code): Path<String>,
    parts: Parts,
) -> Response {
    let caller = match limited(state, &parts).await {
        Ok(caller) => caller,
        Err(answer) => return answer,
    };
    match repo::type_metadata(&caller.public_base(), &code) {
        Some(metadata) => json(metadata, 3600),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
