//! The authorization code flow's HTTP side (HAIP): the pushed authorization request
//! (`/oid4vci/par`, RFC 9126) and the authorization endpoint (`/oid4vci/authorize`) that
//! sends the holder's browser to the consent page ([`super::authorize`]). The token
//! endpoint's `authorization_code` grant is in [`super::endpoints::token`].

use super::endpoints::{answer, error, read, unavailable};
use super::metadata::configurations;
use super::repo;
use crate::credentials::vc::endpoints::limited;
use crate::platform::state::AppState;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// `POST /oid4vci/par` (RFC 9126): a wallet's authorization request, pushed. Public clients
/// (no client authentication; the DPoP key binds the token), `response_type=code`, PKCE
/// S256, a `redirect_uri` [`super::authorize::ssr::redirect_uri_allowed`], and one
/// configuration by `authorization_details` (`openid_credential`) or by its `scope`.
pub async fn par(State(state): State<AppState>, request: Request) -> Response {
    let (caller, _, _, body) = match read(state, request).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let now = caller.clock.now();
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| {
        let mut values = form
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str());
        match (values.next(), values.next()) {
            (Some(v), None) => Some(v),
            _ => None,
        }
    };
    let invalid =
        |description: &str| error(StatusCode::BAD_REQUEST, "invalid_request", description);
    if form.iter().any(|(k, _)| k == "request_uri") {
        return invalid("request_uri is not allowed in a pushed request");
    }
    if field("response_type") != Some("code") {
        return error(
            StatusCode::BAD_REQUEST,
            "unsupported_response_type",
            "response_type must be code",
        );
    }
    let Some(client_id) = field("client_id").filter(|c| (1..=200).contains(&c.len())) else {
        return invalid("client_id is required");
    };
    // Registered wallets only, each sent back to its own registered addresses: a request
    // pushed under any other name, or to any other address, would let whoever pushed it
    // receive the code of a holder who opens its link.
    let clients = caller.wallet_clients();
    let Some(client) = clients.iter().find(|c| c.client_id == client_id) else {
        return error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "the client is not a wallet registered with this issuer",
        );
    };
    let Some(redirect_uri) = field("redirect_uri").filter(|u| {
        client.redirect_uris.iter().any(|r| r == u)
            && super::authorize::ssr::redirect_uri_allowed(u)
    }) else {
        return invalid("redirect_uri is not one registered for this client");
    };
    if field("code_challenge_method") != Some("S256") {
        return invalid("PKCE with code_challenge_method S256 is required");
    }
    let Some(challenge) = field("code_challenge").filter(|c| {
        c.len() == 43
            && c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }) else {
        return invalid("code_challenge must be the base64url SHA-256 of the verifier");
    };
    let state_value = field("state").unwrap_or_default();
    if state_value.len() > 512 {
        return invalid("state is too long");
    }
    let base = caller.public_base();
    let known = configurations(&base);
    let configuration = match (field("authorization_details"), field("scope")) {
        (Some(details), _) => serde_json::from_str::<Value>(details).ok().and_then(|d| {
            let entries = d.as_array()?;
            let [entry] = &entries[..] else { return None };
            (entry["type"] == "openid_credential").then(|| {
                entry["credential_configuration_id"]
                    .as_str()
                    .map(str::to_string)
            })?
        }),
        (None, Some(scope)) => {
            let mut scopes = scope.split(' ').filter(|s| !s.is_empty());
            match (scopes.next(), scopes.next()) {
                (Some(one), None) => Some(one.to_string()),
                _ => None,
            }
        }
        (None, None) => None,
    };
    let Some(configuration) = configuration.filter(|c| known.get(c).is_some()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_authorization_details",
            "ask for one known credential configuration (authorization_details or scope)",
        );
    };
    let pushed = repo::Pushed {
        client_id,
        redirect_uri,
        code_challenge: challenge,
        state: state_value,
        configuration: &configuration,
    };
    match repo::push_authorization(&caller.db, &pushed, now).await {
        Ok(id) => answer(
            StatusCode::CREATED,
            json!({
                "request_uri": format!("{}{id}", super::REQUEST_URI_PREFIX),
                "expires_in": super::AUTHORIZATION_SECONDS,
            }),
            &[],
        ),
        Err(e) => unavailable("par", e),
    }
}

/// `GET /oid4vci/authorize?client_id=…&request_uri=urn:…`: the wallet opens it in the
/// browser; a pushed request (the only kind taken) goes on to the holder's page. Anything
/// else is told plainly, without going back to a redirect URI nobody vouched for.
pub async fn authorize(State(state): State<AppState>, parts: Parts) -> Response {
    let caller = match limited(state, &parts).await {
        Ok(caller) => caller,
        Err(answer) => return answer,
    };
    let now = caller.clock.now();
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(parts.uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let field = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let refused = |why: &str| {
        (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("数字钱包的领取请求无效:{why}。请回到数字钱包重新发起。"),
        )
            .into_response()
    };
    let Some(id) = field("request_uri").and_then(|u| u.strip_prefix(super::REQUEST_URI_PREFIX))
    else {
        return refused("缺少推送授权请求(request_uri),本门户只接受推送的授权请求");
    };
    match repo::pending_authorization(&caller.db, id, now).await {
        Ok(Some(pending)) if Some(pending.client_id.as_str()) == field("client_id") => (
            StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                format!(
                    "/user/wallet-authorize?request={}",
                    crate::domain::url::percent_encode(id)
                ),
            )],
        )
            .into_response(),
        Ok(Some(_)) => refused("client_id 与推送的请求不符"),
        Ok(None) => refused("请求不存在、已处理或已过期"),
        Err(e) => unavailable("authorize", e),
    }
}
