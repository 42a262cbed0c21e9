//! What a server function knows about the request it serves: the client's address and
//! browser, the session cookie and the signed-in account. Server only.

use crate::error::AppError;
use crate::models::account::repo::{self as accounts, AccountRow};
use crate::models::session::repo::{self as sessions, Session};
use crate::state::AppState;
use axum::extract::ConnectInfo;
use http::{HeaderValue, header};
use leptos::prelude::use_context;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The portal's state. Absent only while Leptos renders the app to list its routes (when
/// no request is being served); resources started then get an error nobody sees.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or(AppError::Internal)
}

pub fn set_status(status: http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The calling client's address: the socket's peer, or the last `X-Forwarded-For` hop
/// when a trusted proxy is configured.
pub fn client_ip(state: &AppState) -> IpAddr {
    parts().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |p| {
        client_ip_in(state, &p)
    })
}

/// [`client_ip`] for a plain axum handler, from its request's parts.
pub fn client_ip_in(state: &AppState, parts: &http::request::Parts) -> IpAddr {
    if state.settings.trust_forwarded_for
        && let Some(ip) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok())
    {
        return ip;
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

pub fn user_agent() -> String {
    parts().map(|p| user_agent_in(&p)).unwrap_or_default()
}

pub fn user_agent_in(parts: &http::request::Parts) -> String {
    parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .unwrap_or_default()
}

/// Refuses the request with 429 when this client has asked `limiter` too often.
pub fn check_rate(
    state: &AppState,
    limiter: &crate::rate_limit::RateLimiter,
) -> Result<(), AppError> {
    if limiter.allow(client_ip(state)) {
        Ok(())
    } else {
        set_status(http::StatusCode::TOO_MANY_REQUESTS);
        Err(AppError::RateLimited)
    }
}

/// The session cookie's name: `__Host-` in production, which browsers accept only over
/// HTTPS, for the whole site, from this host.
pub fn cookie_name(state: &AppState) -> &'static str {
    if state.settings.env.is_production() {
        "__Host-portal_session"
    } else {
        "portal_session"
    }
}

fn session_token(state: &AppState) -> Option<String> {
    session_token_in(state, &parts()?.headers)
}

/// The session token in a request's cookies, if well-formed.
pub fn session_token_in(state: &AppState, headers: &http::HeaderMap) -> Option<String> {
    let name = cookie_name(state);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn set_cookie(value: String) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
}

/// Sends the session cookie: `HttpOnly`, `SameSite=Lax`, `Secure` outside development. No
/// `Max-Age`: the browser forgets it when closed; the server enforces both timeouts.
pub fn send_session_cookie(state: &AppState, token: &str) {
    let secure = if state.settings.env.is_production() {
        "; Secure"
    } else {
        ""
    };
    set_cookie(format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax{secure}",
        cookie_name(state)
    ));
}

pub fn clear_session_cookie(state: &AppState) {
    let secure = if state.settings.env.is_production() {
        "; Secure"
    } else {
        ""
    };
    set_cookie(format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}",
        cookie_name(state)
    ));
}

/// The signed-in caller.
pub struct SignedIn {
    pub account: AccountRow,
    pub session: Session,
    pub session_hash: String,
}

/// The caller's live session and account, or `None` (a stale cookie is cleared).
pub async fn signed_in(state: &AppState) -> Result<Option<SignedIn>, AppError> {
    let Some(token) = session_token(state) else {
        return Ok(None);
    };
    let signed = signed_in_with_token(state, &token).await?;
    if signed.is_none() {
        clear_session_cookie(state);
    }
    Ok(signed)
}

/// The live session of a token and its account (for handlers outside Leptos too).
pub async fn signed_in_with_token(
    state: &AppState,
    token: &str,
) -> Result<Option<SignedIn>, AppError> {
    let hash = sessions::token_hash(token);
    let now = state.clock.now();
    let Some(session) = sessions::resume(&state.db, &hash, now).await? else {
        return Ok(None);
    };
    let Some(account) = accounts::by_id(&state.db, session.account_id).await? else {
        sessions::delete(&state.db, &hash).await?;
        return Ok(None);
    };
    Ok(Some(SignedIn {
        account,
        session,
        session_hash: hash,
    }))
}

/// What a pending enterprise account is told whatever it asks for.
pub const AWAITING_CONFIRMATION: &str = "该法人账户尚待法定代表人确认:请法定代表人使用本人的个人用户账户登录,\
     在“用户中心 → 确认法人账户”完成人脸识别认证后确认。确认前本账户只能查看确认状态";

/// Like [`signed_in`], but refuses with 401 when nobody is, and with 403 an enterprise
/// account its legal representative has not confirmed (it may only sign in and out).
pub async fn require_signed_in(state: &AppState) -> Result<SignedIn, AppError> {
    match signed_in(state).await? {
        Some(s) if s.account.status == crate::models::account::AccountStatus::Pending => {
            set_status(http::StatusCode::FORBIDDEN);
            Err(AppError::Refused(AWAITING_CONFIRMATION.into()))
        }
        Some(s) => Ok(s),
        None => {
            set_status(http::StatusCode::UNAUTHORIZED);
            Err(AppError::Unauthenticated)
        }
    }
}

/// The session hash the browser presented, live or not (to end it at login and logout).
pub fn presented_session_hash(state: &AppState) -> Option<String> {
    session_token(state).map(|t| sessions::token_hash(&t))
}

/// Appends to the audit log with the caller's address and browser; a failure to write the
/// log is logged, never shown.
pub async fn audit(state: &AppState, account_id: Option<i64>, kind: &str, detail: &str) {
    let ip = client_ip(state).to_string();
    write_audit(state, account_id, kind, detail, &ip, &user_agent()).await;
}

/// [`audit`] for a plain axum handler, from its request's parts.
pub async fn audit_in(
    state: &AppState,
    parts: &http::request::Parts,
    account_id: Option<i64>,
    kind: &str,
    detail: &str,
) {
    let ip = client_ip_in(state, parts).to_string();
    write_audit(state, account_id, kind, detail, &ip, &user_agent_in(parts)).await;
}

async fn write_audit(
    state: &AppState,
    account_id: Option<i64>,
    kind: &str,
    detail: &str,
    ip: &str,
    agent: &str,
) {
    if let Err(e) = accounts::audit(
        &state.db,
        account_id,
        kind,
        detail,
        ip,
        agent,
        state.clock.now(),
    )
    .await
    {
        tracing::error!(error = %e, kind, "audit log write failed");
    }
}

/// Only paths of this site are followed after login (no open redirect): `next` is resolved
/// against the portal's origin as a browser would (which drops tabs and newlines, so `/\t/x`
/// means `//x`) and kept only if it is an absolute path of the same origin, without control
/// characters or spaces (a header value must never be refused after the session is written).
pub fn safe_next(next: Option<&str>) -> String {
    const HOME: &str = "/user";
    let Some(next) = next else {
        return HOME.into();
    };
    if !next.starts_with('/')
        || next.starts_with("//")
        || next
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return HOME.into();
    }
    let Ok(origin) = url::Url::parse("https://portal.invalid/") else {
        return HOME.into();
    };
    match origin.join(next) {
        Ok(target) if target.origin() == origin.origin() => {
            let mut path = target.path().to_string();
            if let Some(q) = target.query() {
                path.push('?');
                path.push_str(q);
            }
            if let Some(f) = target.fragment() {
                path.push('#');
                path.push_str(f);
            }
            if path.starts_with("//") || http::HeaderValue::from_str(&path).is_err() {
                HOME.into()
            } else {
                path
            }
        }
        _ => HOME.into(),
    }
}

/// Gives a server function's error its HTTP status (422 for a wrong field, 401, 429 …) —
/// except for a plain form post (no script), which must stay the redirect back to the form
/// that carries the error to the page.
pub async fn with_status<T>(
    result: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let result = result.await;
    if let Err(e) = &result
        && !is_plain_form_post()
    {
        set_status(e.status());
    }
    result
}

fn is_plain_form_post() -> bool {
    parts()
        .and_then(|p| {
            p.headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_followed_only_within_the_portal() {
        assert_eq!(safe_next(Some("/user/settings")), "/user/settings");
        assert_eq!(
            safe_next(Some("/search?name=%E7%8E%8B")),
            "/search?name=%E7%8E%8B"
        );
        for evil in [
            "//evil.example",
            "/\t/evil.example",
            "/\t\t/evil.example",
            "/\n/evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/\u{0}x",
            "/ /evil.example",
            "/\r\nSet-Cookie: x=1",
            "",
        ] {
            assert_eq!(safe_next(Some(evil)), "/user", "{evil:?}");
        }
        assert_eq!(safe_next(None), "/user");
    }
}
