//! Who is calling, and from where: what the portal reads once from a request
//! ([`RequestMeta`]: client address, browser, session cookie, host), the caller's session
//! with its face-check mark ([`SignedIn`]), the session cookie, the audit log, and the
//! preamble every server function shares ([`serve`], [`serve_signed_in`]). Server only.
//!
//! A server function reads its request from Leptos's context; a plain axum handler (the
//! downloads, the face-check event stream, the no-script search form) makes the same
//! [`Caller`] from its request's parts with [`Caller::from_parts`].

use crate::platform::account::AccountRow;
use crate::platform::error::AppError;
use crate::platform::lang::Text;
use crate::platform::session::repo::{self as sessions, Session};
use crate::platform::state::AppState;
use axum::extract::ConnectInfo;
use http::request::Parts;
use http::{HeaderValue, header};
use leptos::prelude::use_context;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// Who looked: recorded with every verification.
pub struct Viewer {
    pub ip: String,
    pub browser: String,
}

/// What a request says about its sender, read once.
#[derive(Debug, Clone)]
pub struct RequestMeta {
    /// The socket's peer, or the last `X-Forwarded-For` hop when a trusted proxy is
    /// configured.
    pub client_ip: IpAddr,
    pub user_agent: String,
    /// The session cookie's token, if well-formed.
    session_token: Option<String>,
    /// The `Host` the browser used.
    host: Option<String>,
    /// A form posted without script (it accepts HTML): errors stay the redirect back to
    /// the form that carries them, not an error status.
    plain_form_post: bool,
    /// The language of the page that sent the request (its cookie, else `Accept-Language`):
    /// what the server writes for the citizen outside a page (an SMS code) is in it.
    pub lang: crate::platform::lang::Lang,
}

impl RequestMeta {
    pub fn read(state: &AppState, parts: &Parts) -> Self {
        let header = |name: header::HeaderName| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        Self {
            client_ip: client_ip(state, parts),
            user_agent: header(header::USER_AGENT).unwrap_or_default(),
            session_token: session_token(state, &parts.headers),
            host: header(header::HOST),
            plain_form_post: header(header::ACCEPT).is_some_and(|v| v.contains("text/html")),
            lang: crate::platform::lang::of_request(&parts.headers),
        }
    }

    /// Nothing is known (Leptos listing its routes, with no request being served).
    fn unknown() -> Self {
        Self {
            client_ip: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            user_agent: String::new(),
            session_token: None,
            host: None,
            plain_form_post: false,
            lang: crate::platform::lang::Lang::Zh,
        }
    }
}

fn client_ip(state: &AppState, parts: &Parts) -> IpAddr {
    // The last entry of the last header line is the one the load balancer added: a client's
    // own `X-Forwarded-For` comes before it (a separate line, or earlier in the same one).
    if state.settings.trust_forwarded_for
        && let Some(ip) = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
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

/// The session cookie's name: `__Host-` in production, which browsers accept only over
/// HTTPS, for the whole site, from this host.
pub fn cookie_name(state: &AppState) -> &'static str {
    if state.settings.env.is_production() {
        "__Host-portal_session"
    } else {
        "portal_session"
    }
}

fn session_token(state: &AppState, headers: &http::HeaderMap) -> Option<String> {
    cookie(headers, cookie_name(state))
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The value of the cookie `name` in a request's `Cookie` headers.
pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| crate::domain::cookie::value(v, name))
        .map(str::to_string)
}

/// The answer to a form a browser posts without script to keep a choice in a cookie (the
/// 无障碍工具条's, the language's): back to `next` (a path of this site, else `/`) with the
/// cookie set, kept nowhere. `safe_path` and the callers' cookies always make valid header
/// values; were one not to, the answer is a logged 500.
pub fn back_with_cookie(next: &str, set_cookie: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let next = crate::domain::url::safe_path(Some(next), "/");
    match (
        HeaderValue::from_str(&next),
        HeaderValue::from_str(set_cookie),
    ) {
        (Ok(location), Ok(cookie)) => (
            http::StatusCode::SEE_OTHER,
            [
                (header::LOCATION, location),
                (header::SET_COOKIE, cookie),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
        )
            .into_response(),
        _ => {
            tracing::error!("a cookie form's answer: header value");
            http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The signed-in caller: the account and its live session.
pub struct SignedIn {
    pub account: AccountRow,
    pub session: Session,
    pub session_hash: String,
}

/// What a pending enterprise account is told whatever it asks for.
pub const AWAITING_CONFIRMATION: Text = Text::new(
    "该法人账户尚待法定代表人确认:请法定代表人使用本人的个人用户账户登录,\
     在“用户中心 → 确认法人账户”完成人脸识别认证后确认。确认前本账户只能查看确认状态",
    "This organisation's account is waiting for its legal representative to confirm it: they \
     sign in with their own personal account and, after a face check, confirm it under Your \
     account → Confirm an organisation's account. Until then this account can only see that \
     it is waiting",
);

/// What an account being closed is told whatever it asks for, but 撤销注销.
pub const CLOSING: Text = Text::new(
    "该账户已申请注销,正在冷静期内,暂停使用。如需继续使用,请在用户中心点击【撤销注销】",
    "This account is being closed and cannot be used during the cooling-off. To keep it, \
     choose Cancel closing in Your account",
);

/// A request being served: the portal's state and what the request said. It dereferences to
/// the state, so `caller.db` and `caller.clock` read as they would on [`AppState`].
pub struct Caller {
    pub state: AppState,
    pub meta: RequestMeta,
}

impl std::ops::Deref for Caller {
    type Target = AppState;
    fn deref(&self) -> &AppState {
        &self.state
    }
}

impl Caller {
    /// The request a server function serves. The state is absent only while Leptos renders
    /// the app to list its routes; resources started then get an error nobody sees.
    pub fn current() -> Result<Self, AppError> {
        let state = use_context::<AppState>().ok_or(AppError::Internal)?;
        let meta = use_context::<Parts>().map_or_else(RequestMeta::unknown, |parts| {
            RequestMeta::read(&state, &parts)
        });
        Ok(Self { state, meta })
    }

    /// The request of a plain axum handler.
    pub fn from_parts(state: AppState, parts: &Parts) -> Self {
        let meta = RequestMeta::read(&state, parts);
        Self { state, meta }
    }

    /// Refuses the request with 429 when this client has asked `limiter` too often, counted
    /// over every server process.
    pub async fn check_rate(
        &self,
        limiter: &crate::platform::rate_limit::RateLimiter,
    ) -> Result<(), AppError> {
        if limiter
            .allow(&self.db, self.meta.client_ip, self.clock.now())
            .await?
        {
            Ok(())
        } else {
            set_status(http::StatusCode::TOO_MANY_REQUESTS);
            Err(AppError::RateLimited)
        }
    }

    /// A form posted without script (the browser will follow the answer's redirect itself).
    pub fn is_plain_form_post(&self) -> bool {
        self.meta.plain_form_post
    }

    /// The session hash the browser presented, live or not (to end it at login and logout).
    pub fn presented_session_hash(&self) -> Option<String> {
        self.meta.session_token.as_deref().map(sessions::token_hash)
    }

    /// The caller's live session and account, or `None` (a stale cookie is cleared).
    pub async fn signed_in(&self) -> Result<Option<SignedIn>, AppError> {
        let Some(hash) = self.presented_session_hash() else {
            return Ok(None);
        };
        let now = self.clock.now();
        let mut signed = None;
        if let Some(session) = sessions::resume(&self.db, &hash, now).await? {
            match crate::platform::account::by_id(&self.db, session.account_id).await? {
                Some(account) => {
                    signed = Some(SignedIn {
                        account,
                        session,
                        session_hash: hash,
                    });
                }
                None => sessions::delete(&self.db, &hash).await?,
            }
        }
        if signed.is_none() {
            self.clear_session_cookie();
        }
        Ok(signed)
    }

    /// Like [`Self::signed_in`], but refuses with 401 when nobody is, and with 403 an
    /// enterprise account its legal representative has not confirmed (it may only sign in and
    /// out).
    pub async fn require_signed_in(&self) -> Result<SignedIn, AppError> {
        match self.signed_in().await? {
            Some(s) if s.account.status == crate::domain::account::AccountStatus::Pending => {
                set_status(http::StatusCode::FORBIDDEN);
                Err(AppError::refused(AWAITING_CONFIRMATION))
            }
            Some(s) if s.account.status == crate::domain::account::AccountStatus::Closing => {
                set_status(http::StatusCode::FORBIDDEN);
                Err(AppError::refused(CLOSING))
            }
            Some(s) => Ok(s),
            None => {
                set_status(http::StatusCode::UNAUTHORIZED);
                Err(AppError::Unauthenticated)
            }
        }
    }

    /// The key every per-client count uses for this caller: the address, or for IPv6 its
    /// network (`PORTAL_IPV6_PREFIX`, default /56).
    pub fn client_key(&self) -> String {
        crate::platform::rate_limit::client_key(self.meta.client_ip, self.ipv6_prefix)
    }

    /// Appends to the audit log with the caller's address and browser; a failure to write the
    /// log is logged, never shown.
    pub async fn audit(&self, account_id: Option<i64>, kind: &str, detail: &str) {
        if let Err(e) = self.audit_with(&self.db, account_id, kind, detail).await {
            tracing::error!(error = %e, kind, "audit log write failed");
        }
    }

    /// Writes a 安全记录 entry in the transaction `tx`, with the action it records: both are
    /// kept, or neither. Unlike [`Caller::audit`], a failure fails the action.
    pub async fn audit_in(
        &self,
        tx: &mut sqlx::AnyConnection,
        account_id: Option<i64>,
        kind: &str,
        detail: &str,
    ) -> Result<(), sqlx::Error> {
        self.audit_with(&mut *tx, account_id, kind, detail).await
    }

    async fn audit_with<'e>(
        &self,
        db: impl sqlx::any::AnyExecutor<'e>,
        account_id: Option<i64>,
        kind: &str,
        detail: &str,
    ) -> Result<(), sqlx::Error> {
        crate::platform::audit::audit(
            db,
            account_id,
            kind,
            detail,
            &self.meta.client_ip.to_string(),
            &self.meta.user_agent,
            self.clock.now(),
        )
        .await
    }

    /// `http(s)://host` of the portal as the browser reached it (`PORTAL_PUBLIC_URL` wins):
    /// the base of the QR codes' and signed copies' addresses.
    /// Who is looking, as the holder's 用证记录 keeps it (the address is masked when stored).
    pub fn viewer(&self) -> crate::platform::caller::Viewer {
        crate::platform::caller::Viewer {
            ip: self.meta.client_ip.to_string(),
            browser: crate::domain::browser::browser_label(&self.meta.user_agent),
        }
    }

    pub fn public_base(&self) -> String {
        if let Some(url) = &self.settings.public_url {
            return url.trim_end_matches('/').to_string();
        }
        let host = self.meta.host.as_deref().unwrap_or("127.0.0.1:3000");
        let scheme = if self.settings.env.is_production() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{host}")
    }

    /// Sends the session cookie: `HttpOnly`, `SameSite=Lax`, `Secure` outside development. No
    /// `Max-Age`: the browser forgets it when closed; the server enforces both timeouts.
    pub fn send_session_cookie(&self, token: &str) {
        self.set_cookie(token, "");
    }

    pub fn clear_session_cookie(&self) {
        self.set_cookie("", "; Max-Age=0");
    }

    fn set_cookie(&self, value: &str, max_age: &str) {
        self.send_cookie(cookie_name(&self.state), value, max_age);
    }

    /// Sends the cookie `name`: `HttpOnly`, `SameSite=Lax`, for the whole site, `Secure`
    /// outside development; `max_age` is `""` (until the browser closes) or `"; Max-Age=…"`.
    pub fn send_cookie(&self, name: &str, value: &str, max_age: &str) {
        let secure = if self.settings.env.is_production() {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!("{name}={value}; Path=/{max_age}; HttpOnly; SameSite=Lax{secure}");
        if let (Some(response), Ok(cookie)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            HeaderValue::from_str(&cookie),
        ) {
            response.append_header(header::SET_COOKIE, cookie);
        }
    }
}

/// The preamble of every server function: the caller, and the error's HTTP status (422 for a
/// wrong field, 401, 403, 429 …) — except for a plain form post (no script), which must stay
/// the redirect back to the form that carries the error to the page.
/// The longest a server function may take before the citizen is told to try again.
pub const SERVE_WITHIN: std::time::Duration = std::time::Duration::from_secs(4);

/// The longest a server function that asks an outside service (SMS, identity, enterprise
/// registry) may take: the provider's own 8-second bound (`platform::providers`) and the
/// database's steps around it, so a slow provider ends in the step's own message and its
/// clean-up, never cut off in the middle.
pub const SERVE_CALLING_OUT_WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

/// The server functions that ask an outside service ([`SERVE_CALLING_OUT_WITHIN`]); the
/// server's answer bound for their addresses is as long.
pub const CALLING_OUT: [&str; 5] = [
    "send_sms_code",
    "register_person",
    "register_enterprise",
    "begin_face_check",
    "finish_face_check",
];

pub async fn serve<T, Fut>(body: impl FnOnce(Caller) -> Fut) -> Result<T, AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    serve_within(SERVE_WITHIN, body).await
}

/// [`serve`] for a server function that asks an outside service.
pub async fn serve_calling_out<T, Fut>(body: impl FnOnce(Caller) -> Fut) -> Result<T, AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    serve_within(SERVE_CALLING_OUT_WITHIN, body).await
}

async fn serve_within<T, Fut>(
    bound: std::time::Duration,
    body: impl FnOnce(Caller) -> Fut,
) -> Result<T, AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    let (result, plain_form_post) = match Caller::current() {
        Ok(caller) => {
            let plain = caller.meta.plain_form_post;
            // A database that hangs (a frozen disk, a stopped server) must not hold citizens
            // without end: the step fails with 503 after four seconds and nothing is changed
            // (an unfinished transaction rolls back when its future is dropped).
            match tokio::time::timeout(bound, body(caller)).await {
                Ok(result) => (result, plain),
                Err(_) => {
                    tracing::warn!("request abandoned after {bound:?}: too slow");
                    (
                        Err(AppError::unavailable(crate::platform::error::UNAVAILABLE)),
                        plain,
                    )
                }
            }
        }
        Err(e) => (Err(e), false),
    };
    if let Err(e) = &result
        && !plain_form_post
    {
        set_status(e.status());
    }
    result
}

/// The response's status. Access refusals (401, 403, 429) are set where they are decided, so
/// that even a plain form post gets them; other errors by [`serve`].
pub fn set_status(status: http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// [`serve`] for a function only a signed-in caller may use (401 otherwise; 403 for an
/// enterprise account still awaiting its legal representative).
pub async fn serve_signed_in<T, Fut>(
    body: impl FnOnce(Caller, SignedIn) -> Fut,
) -> Result<T, AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    serve(|caller| async move {
        let signed = caller.require_signed_in().await?;
        body(caller, signed).await
    })
    .await
}

/// `POST /lang` (`lang`, `next`): keeps the choice and goes back to the page, which the
/// server now renders in that language. The switch's form posts here with or without
/// JavaScript (the whole page changes language, so a full load is what it takes).
pub async fn post_lang(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::Form(form): axum::Form<LangForm>,
) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    let Some(lang) = crate::platform::lang::Lang::parse(&form.lang) else {
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "未知的语言 / Unknown language",
        )
            .into_response();
    };
    let secure = state.settings.env.is_production();
    back_with_cookie(&form.next, &lang.set_cookie(secure))
}

/// What the language switch posts.
#[derive(Debug, Default, serde::Deserialize)]
pub struct LangForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    next: String,
}
