//! The verifier's HTTP side for wallets: the request object behind `request_uri` (once) and
//! the `response_uri` the wallet posts its encrypted answer to. Neither reads a cookie; both
//! are limited per client like the public search, and never cached.

use super::repo::{self, Answer};
use crate::credentials::oid4vci::endpoints::{answer, error};
use crate::credentials::vc::endpoints::limited;
use crate::platform::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The largest answer read (a presentation of every claim is a few kilobytes).
const MAX_BODY: usize = 64 * 1024;

/// `GET /oid4vp/requests/{id}`: the signed request object, to the first wallet that asks. A
/// second fetch, an unknown or expired request, gets `invalid_request_uri` (OID4VP 1.0 §5.10).
pub async fn request_object(
    State(state): State<AppState>,
    Path(id): Path<String>,
    parts: Parts,
) -> Response {
    let caller = match limited(state, &parts).await {
        Ok(caller) => caller,
        Err(answer) => return answer,
    };
    let now = caller.clock.now();
    let key = match repo::verifier_key(&caller.db, caller.vp_key.as_deref(), now).await {
        Ok(key) => key,
        Err(e) => return unavailable("verifier key", e),
    };
    match repo::request_object(&caller.db, &key, &caller.public_base(), &id, now).await {
        Ok(Some(jwt)) => (
            [
                (header::CONTENT_TYPE, "application/oauth-authz-req+jwt"),
                (header::CACHE_CONTROL, "no-store"),
                (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            ],
            jwt,
        )
            .into_response(),
        Ok(None) => error(
            StatusCode::BAD_REQUEST,
            "invalid_request_uri",
            "核验请求不存在、已过期或已被读取",
        ),
        Err(e) => unavailable("verifier request object", e),
    }
}

/// The portal's own failure: logged, and the wallet told to try again later.
fn unavailable(what: &str, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "{what}");
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        "server_error",
        "核验服务暂不可用",
    )
}

/// `POST /oid4vp/responses/{id}` (`application/x-www-form-urlencoded`, `response=<JWE>`): the
/// wallet's answer. Verified: `{"redirect_uri": …}` back to the page that asked. Anything else
/// is refused with the reason, and an answered request takes no second answer.
pub async fn response(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let caller = match limited(state, &parts).await {
        Ok(caller) => caller,
        Err(answer) => return answer,
    };
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "响应过大或无法读取",
        );
    };
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    // A wallet may report that it could not answer (OID4VP 1.0 §8.5): then nothing to check.
    if form.iter().any(|(k, _)| k == "error") {
        return error(StatusCode::BAD_REQUEST, "invalid_request", "钱包报告了错误");
    }
    let responses: Vec<&str> = form
        .iter()
        .filter(|(k, _)| k == "response")
        .map(|(_, v)| v.as_str())
        .collect();
    let [response] = responses[..] else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "响应应为一个 response 参数(direct_post.jwt)",
        );
    };
    match repo::answer(&caller, &id, response).await {
        Ok(Answer::Verified { redirect_uri }) => {
            answer(StatusCode::OK, json!({ "redirect_uri": redirect_uri }), &[])
        }
        Ok(Answer::Refused(reason) | Answer::NotForIt(reason)) => {
            error(StatusCode::BAD_REQUEST, "invalid_request", &reason)
        }
        Ok(Answer::NoRequest) => error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "核验请求不存在、已过期、尚未读取或已有答复",
        ),
        Err(e) => unavailable("verifier response", e),
    }
}
