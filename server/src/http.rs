//! The axum router: Leptos pages and server functions, static files, `/healthz`, and the
//! layers every response passes through (security headers, cross-site refusal, request log).

use app::platform::state::{AppState, PortalEnv};
use app::{App, shell};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use leptos::nonce::Nonce;
use leptos::prelude::{Owner, provide_context};
use leptos::reactive::computed::ScopedFuture;
use leptos_axum::{LeptosRoutes, generate_route_list};

/// The portal's router with its own figures and no database watch (tests).
pub fn router(state: AppState) -> Router {
    router_with(state, crate::ops::Ops::new())
}

/// The portal's router, counting into `ops` (whose database watch the server runs).
pub fn router_with(state: AppState, ops: std::sync::Arc<crate::ops::Ops>) -> Router {
    let routes = generate_route_list(App);
    let router = own_routes()
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let state = state.clone();
                move || {
                    provide_context(state.settings.clone());
                    // One QR code per 人脸识别认证 page, however often its parts render.
                    provide_context(app::face_check::api::ssr::PageTicket::default());
                }
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        // The 404 page renders the whole app (header with the session) and needs the state.
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            {
                let state = state.clone();
                move || {
                    provide_context(state.clone());
                    provide_context(state.settings.clone());
                }
            },
            shell,
        ));
    with_layers(router, &state, ops).with_state(state)
}

/// The portal's own routes beside the app's pages: health and metrics, the forms without
/// JavaScript, the development aids (each refuses outside development), the face check's event
/// stream, the certificate downloads and the verifiable credentials' public documents.
fn own_routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        // The staff console is served by its own listener only (`admin.rs`).
        .route("/admin", axum::routing::any(staff_console_not_here))
        .route("/admin/{*rest}", axum::routing::any(staff_console_not_here))
        .route("/metrics", get(crate::ops::metrics))
        .route("/search", post(app::registry::form::post_search))
        .route("/care", post(app::care::form::post_care))
        .route("/lang", post(app::platform::caller::post_lang))
        .route("/user/data.json", get(app::privacy::export::ssr::download))
        .route("/dev/sms-outbox", get(sms_outbox))
        .route("/dev/face-provider", post(dev_face_provider))
        .route("/dev/face-tickets/expire", post(dev_expire_face_tickets))
        .route("/dev/closing/elapse", post(dev_elapse_closing))
        .route("/dev/sms/resend-now", post(dev_sms_resend_now))
        .route(
            "/api/face_events/{ticket}",
            get(app::face_check::events::face_events),
        )
        .route(
            "/api/certificates/{id}/{file}",
            get(app::certificates::download::certificate_file),
        )
        .route(
            "/.well-known/jwt-vc-issuer",
            get(app::credentials::vc::endpoints::issuer_metadata),
        )
        .route(
            "/trust-anchor.pem",
            get(app::credentials::vc::endpoints::trust_anchor),
        )
        .route(
            "/status-lists/{list}",
            get(app::credentials::vc::endpoints::status_list),
        )
        .route(
            "/vct/{code}",
            get(app::credentials::vc::endpoints::type_metadata),
        )
        // OpenID4VCI: the issuer's and authorization server's metadata and endpoints.
        .route(
            "/.well-known/openid-credential-issuer",
            get(app::credentials::oid4vci::metadata::issuer_metadata),
        )
        .route(
            "/.well-known/oauth-authorization-server",
            get(app::credentials::oid4vci::metadata::authorization_server_metadata),
        )
        .route(
            "/oid4vci/offers/{id}",
            get(app::credentials::oid4vci::endpoints::offer),
        )
        .route(
            "/oid4vci/nonce",
            post(app::credentials::oid4vci::endpoints::nonce)
                .options(app::credentials::oid4vci::endpoints::preflight),
        )
        .route(
            "/oid4vci/par",
            post(app::credentials::oid4vci::par::par)
                .options(app::credentials::oid4vci::endpoints::preflight),
        )
        .route(
            "/oid4vci/authorize",
            get(app::credentials::oid4vci::par::authorize),
        )
        .route(
            "/oid4vci/token",
            post(app::credentials::oid4vci::endpoints::token)
                .options(app::credentials::oid4vci::endpoints::preflight),
        )
        // OpenID4VP: the verifier's request objects and the wallets' answers.
        .route(
            "/oid4vp/requests/{id}",
            get(app::credentials::oid4vp::endpoints::request_object),
        )
        .route(
            "/oid4vp/responses/{id}",
            post(app::credentials::oid4vp::endpoints::response)
                .options(app::credentials::oid4vci::endpoints::preflight),
        )
        .route(
            "/oid4vci/credential",
            post(app::credentials::oid4vci::endpoints::credential)
                .options(app::credentials::oid4vci::endpoints::preflight),
        )
}

async fn staff_console_not_here() -> Response {
    app::staff::console::not_found()
}

/// The layers every answer passes through, the innermost first.
fn with_layers(
    router: Router<AppState>,
    state: &AppState,
    ops: std::sync::Arc<crate::ops::Ops>,
) -> Router<AppState> {
    router
        // A first-time visitor's home page from a copy rendered once (inside the security
        // headers, which give each request its nonce).
        .layer(middleware::from_fn_with_state(
            app::site::home_cache::HomeCache::new(),
            app::site::home_cache::serve_home,
        ))
        .layer(middleware::from_fn_with_state(
            state.settings.clone(),
            refuse_cross_site,
        ))
        .layer(middleware::from_fn_with_state(
            state.settings.env,
            security_headers,
        ))
        .layer(middleware::from_fn(undecodable_requests_are_400))
        .layer(middleware::from_fn(cache_lifetimes))
        // Pages and JSON compressed for clients that accept it; the static files are sent
        // precompressed (.br/.gz beside them) and pass through untouched. Level 5, not the
        // library's 4: a streamed page is compressed piece by piece, and at 4 the home page
        // came out a third larger (3,029 B) than the same page at 5 in one piece (2,284 B),
        // while 5 still costs well under a millisecond for a page of this size.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::compression::CompressionLevel::Precise(5)),
        )
        .layer(middleware::from_fn_with_state(
            (ops, state.clone()),
            crate::ops::observe,
        ))
        .layer(middleware::from_fn(own_reactive_root))
}

/// Every request under a reactive root of its own. Leptos's handlers for server functions and
/// static files make their owner with `Owner::new()`, whose parent is whatever owner the worker
/// thread had last: a page rendered just before on that thread. A static file's answer then
/// took that page's `ResponseOptions` as its own — the browser bundle went out as
/// `302 Location: /login?next=%2Fuser`, another visitor's redirect (found with two Playwright
/// browsers at once; 138 of 300 beside a flood of `/user` in the test). Under a root of its own a
/// request finds only what it provided itself. Pages make their own roots and stream after this
/// returns, so dropping this root ends nothing of theirs.
async fn own_reactive_root(request: Request, next: Next) -> Response {
    let root = Owner::new_root(None);
    root.with(|| ScopedFuture::new_untracked(next.run(request)))
        .await
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise, for load balancers. As the
/// server's database watch last found it; without a watch (tests), asked within a second.
async fn healthz(
    State(state): State<AppState>,
    ops: Option<axum::Extension<std::sync::Arc<crate::ops::Ops>>>,
) -> Response {
    let watch = ops.filter(|ops| ops.watched());
    let answered = if let Some(ops) = watch {
        // The watch's own connection answers for the database: a pool kept busy by a flood
        // of requests must not take the server out of the load balancer.
        if ops.database_down() {
            Err("the database watch finds it down".to_string())
        } else {
            Ok(())
        }
    } else {
        let probe = sqlx::query("SELECT 1").execute(&state.db);
        match tokio::time::timeout(std::time::Duration::from_secs(1), probe).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("no answer within 1 s".to_string()),
        }
    };
    match answered {
        Ok(()) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"status":"ok"}"#,
        )
            .into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"status":"database unavailable"}"#,
            )
                .into_response()
        }
    }
}

#[derive(serde::Deserialize)]
struct OutboxQuery {
    phone: Option<String>,
}

/// `GET /dev/sms-outbox?phone=…`: what the development SMS gateway sent, newest first, as
/// JSON. Development only: 404 in production, where codes must reach phones alone.
async fn sms_outbox(
    State(state): State<AppState>,
    axum::extract::Query(query): axum::extract::Query<OutboxQuery>,
) -> Response {
    if state.settings.env.is_production() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let phone = query
        .phone
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(|p| app::domain::Phone::parse(p).map(|p| p.as_str().to_string()));
    let phone = match phone.transpose() {
        Ok(phone) => phone,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    match app::accounts::sms::repo::outbox_list(&state.db, phone.as_deref(), 50).await {
        Ok(messages) => {
            ([(header::CACHE_CONTROL, "no-store")], axum::Json(messages)).into_response()
        }
        Err(err) => {
            tracing::error!(error = %err, "sms outbox");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(serde::Deserialize)]
struct FaceProviderForm {
    result: String,
}

/// `POST /dev/face-provider` with `result=fail` or `result=pass`: tells the development face
/// provider how to answer (tests). Development only.
async fn dev_face_provider(
    State(state): State<AppState>,
    axum::Form(form): axum::Form<FaceProviderForm>,
) -> Response {
    match (&state.dev_face, state.settings.env.is_production()) {
        (Some(provider), false) => {
            provider.set_failing(form.result == "fail");
            StatusCode::NO_CONTENT.into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `POST /dev/face-tickets/expire`: ends the open face-check tickets of the caller's session
/// now, so that the expiry path can be tried without waiting 120 s; nobody else's (the
/// Playwright specs run side by side). Development only.
async fn dev_expire_face_tickets(State(state): State<AppState>, parts: Parts) -> Response {
    if state.settings.env.is_production() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let caller = app::platform::caller::Caller::from_parts(state.clone(), &parts);
    let session = match caller.require_signed_in().await {
        Ok(signed) => signed.session_hash,
        Err(e) => return app::platform::error::plain_error(&e),
    };
    let now = state.clock.now();
    match app::face_check::repo::expire_open(&state.db, &session, now).await {
        Ok(ids) => {
            for id in &ids {
                state.face_hub.publish(&state.db, id).await;
            }
            (StatusCode::OK, ids.len().to_string()).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "expire face tickets");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// What `/dev/sms/resend-now` is given.
#[derive(serde::Deserialize)]
struct PhoneForm {
    phone: String,
}

/// `POST /dev/sms/resend-now` (`phone`): a code may be asked for that number again at once,
/// rather than after 60 s (every other limit stays), so that a journey needing two codes in a
/// row need not wait. Development only.
async fn dev_sms_resend_now(
    State(state): State<AppState>,
    axum::Form(form): axum::Form<PhoneForm>,
) -> Response {
    if state.settings.env.is_production() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(phone) = app::domain::Phone::parse(&form.phone) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let cleared = sqlx::query("DELETE FROM attempt_counters WHERE scope = $1 AND key LIKE $2")
        .bind(app::platform::counters::scopes::SMS_RESEND)
        .bind(format!("{}:%", phone.as_str()))
        .execute(&state.db)
        .await;
    match cleared {
        Ok(done) => (StatusCode::OK, done.rows_affected().to_string()).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "sms resend-now");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// What `/dev/closing/elapse` is given: the 身份证号 of the person whose 注销 to finish.
#[derive(serde::Deserialize)]
struct ElapseForm {
    login_id: String,
}

/// `POST /dev/closing/elapse` (`login_id`): the cooling-off of that person's 注销 ends now and
/// the retention purge runs: the Playwright run's fake clock, for one account only (the specs
/// beside it keep their own time). Answers how many accounts the purge deleted, or 409 when
/// another run held the purge. Development only.
async fn dev_elapse_closing(
    State(state): State<AppState>,
    axum::Form(form): axum::Form<ElapseForm>,
) -> Response {
    if state.settings.env.is_production() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(id) = app::domain::IdNumber::parse(&form.login_id) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let key = app::accounts::repo::person_login_key(&app::domain::person::id_digest(
        &state.settings.data_key,
        id.as_str(),
    ));
    let cooling_off = app::accounts::COOLING_OFF_DAYS * 86_400;
    let aged = sqlx::query(
        "UPDATE accounts SET closing_at = closing_at - $1 WHERE login_key = $2 \
         AND status = 'closing'",
    )
    .bind(cooling_off)
    .bind(&key)
    .execute(&state.db)
    .await;
    if let Err(e) = aged {
        tracing::error!(error = %e, "elapse closing");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    match app::privacy::purge::run(&state.db, state.sms.as_ref(), state.clock.now()).await {
        Ok(pass) if pass.ran => (StatusCode::OK, pass.of("closing").to_string()).into_response(),
        Ok(_) => StatusCode::CONFLICT.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "elapse closing");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The Content-Security-Policy for one response. Scripts run only from this origin or with the
/// request's nonce (Leptos's inline hydration script); WASM may compile; nothing may frame us.
pub fn content_security_policy(nonce: &Nonce, env: PortalEnv) -> String {
    // `cargo leptos watch` reloads the page over a websocket on port 3001.
    let connect = match env {
        PortalEnv::Development => "'self' ws://127.0.0.1:3001 ws://localhost:3001",
        PortalEnv::Production => "'self'",
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src {connect}; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        nonce = nonce.as_inner()
    )
}

async fn security_headers(
    State(env): State<PortalEnv>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // A handler that sets its own policy (the certificate preview image) keeps it.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(csp) = HeaderValue::from_str(&content_security_policy(&nonce, env))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(self), microphone=(), geolocation=(), payment=()"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if env.is_production() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// State-changing requests must come from the portal's own pages: a browser says where a
/// request came from in `Sec-Fetch-Site` (modern) or `Origin` (older); cross-site ones are
/// refused before any handler runs.
async fn refuse_cross_site(
    State(settings): State<std::sync::Arc<app::platform::state::Settings>>,
    request: Request,
    next: Next,
) -> Response {
    // OpenID4VCI's and OpenID4VP's wallet endpoints read no cookie (a code, a token, a DPoP
    // proof or an encrypted answer to one request are what is presented), and a wallet in a
    // browser calls them from its own site.
    let path = request.uri().path();
    let cookieless = path.starts_with("/oid4vci/") || path.starts_with("/oid4vp/");
    if !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) && !cookieless
        && is_cross_site(&settings, &request)
    {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "refused cross-site request");
        return (StatusCode::FORBIDDEN, "跨站请求已被拒绝").into_response();
    }
    next.run(request).await
}

/// Whether a state-changing request came from another site. `Sec-Fetch-Site` decides when
/// present; otherwise `Origin` must be the portal's own origin — scheme, host and port alike
/// (`PORTAL_PUBLIC_URL`'s, or the Host's with the scheme the environment serves).
pub fn is_cross_site(settings: &app::platform::state::Settings, request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        // No browser provenance at all: a non-browser client, which CSRF cannot involve.
        return false;
    };
    let parse_origin = |text: &str| url::Url::parse(text).ok().map(|u| u.origin());
    let Some(origin) = origin.to_str().ok().and_then(parse_origin) else {
        // `null` (sandboxed frames, some redirects) or garbage.
        return true;
    };
    if !origin.is_tuple() {
        return true;
    }
    let own = match &settings.public_url {
        Some(url) => parse_origin(url),
        None => {
            let scheme = if settings.env.is_production() {
                "https"
            } else {
                "http"
            };
            headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .and_then(|host| parse_origin(&format!("{scheme}://{host}")))
        }
    };
    own.is_none_or(|own| own != origin)
}

/// How long a response may be kept: fingerprinted assets (`/pkg/name.<hash>.ext`, the build's
/// `hash-files`) for a year and never revalidated; everything else — pages, answers, the few
/// unhashed files — revalidated on every use and kept only by the browser. A handler's own
/// `Cache-Control` (downloads: `no-store`) stands.
async fn cache_lifetimes(request: Request, next: Next) -> Response {
    let fingerprinted = is_fingerprinted(request.uri().path());
    let never_stored = never_stored(request.uri().path());
    let mut response = next.run(request).await;
    let success = response.status().is_success();
    let headers = response.headers_mut();
    if never_stored {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        let value = if fingerprinted && success {
            "public, max-age=31536000, immutable"
        } else {
            "private, no-cache"
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    // A page's language comes from the cookie or, on a first visit, Accept-Language.
    let html = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if html {
        headers.append(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
    }
    response
}

/// The pages and answers that may carry a wallet's authorization code or a verifier's result:
/// not even the browser keeps them.
fn never_stored(path: &str) -> bool {
    matches!(
        path,
        "/user/wallet-authorize" | "/api/wallet_return" | "/verifier" | "/api/verification_result"
    )
}

/// Whether `path` names a fingerprinted asset: `/pkg/<name>.<22 base64url chars>.<ext>`.
pub fn is_fingerprinted(path: &str) -> bool {
    let Some(file) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let parts: Vec<&str> = file.split('.').collect();
    parts.len() >= 3
        && !file.contains('/')
        && parts[parts.len() - 2].len() == 22
        && parts[parts.len() - 2]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A server function whose arguments could not be decoded (a crafted or truncated form) is
/// the request's fault: Leptos answers those with 500 and the error in the body; they become
/// 400 with the same Chinese message. Other answers pass untouched.
async fn undecodable_requests_are_400(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if serde_json::from_slice::<app::platform::error::AppError>(&bytes)
        .is_ok_and(|e| e == app::platform::error::AppError::BadRequest)
    {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
