//! The staff console's listener (`PORTAL_ADMIN_ADDR`, by default 127.0.0.1:3001): the
//! console's routes (`app::staff::console`) and nothing else, behind strict headers and a
//! same-origin check for every form. The public router answers 404 for `/admin`
//! (`http::own_routes`), and `deploy/haproxy.cfg` refuses it before any server sees it.

use app::platform::state::AppState;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

/// The console's router.
pub fn router(state: AppState) -> Router {
    app::staff::console::routes()
        .fallback(|| async { app::staff::console::not_found() })
        .layer(middleware::from_fn(refuse_cross_site))
        .layer(middleware::from_fn(console_headers))
        .with_state(state)
}

/// No script at all, styles from the console only, never framed, never cached, no referrer.
async fn console_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// A form posted from any other origin is refused: `Sec-Fetch-Site` must say same-origin
/// when the browser sends it, and otherwise `Origin`, when present, must be the Host the
/// request came to (the console has no public address of its own to compare with).
async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) || !is_cross_site(&request) {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "staff console refused a cross-site request");
    (StatusCode::FORBIDDEN, "跨站请求已被拒绝").into_response()
}

pub fn is_cross_site(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site != "same-origin";
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin = origin.to_str().ok().and_then(|o| url::Url::parse(o).ok());
    match (origin, host) {
        (Some(origin), Some(host)) => {
            let authority = match (origin.host_str(), origin.port()) {
                (Some(h), Some(p)) => format!("{h}:{p}"),
                (Some(h), None) => h.to_string(),
                _ => return true,
            };
            !authority.eq_ignore_ascii_case(host)
        }
        _ => true,
    }
}

/// The console's listener: `None` when this server does not serve it. An address the
/// operator named that cannot be bound stops the start; the default one, taken, is a warning
/// (another server on this machine serves the console already).
pub async fn bind(
    addr: crate::config::AdminAddr,
) -> Result<Option<tokio::net::TcpListener>, String> {
    use crate::config::AdminAddr;
    let (addr, required) = match addr {
        AdminAddr::Off => {
            tracing::info!("staff console not served by this server (PORTAL_ADMIN_ADDR=off)");
            return Ok(None);
        }
        AdminAddr::Default(addr) => (addr, false),
        AdminAddr::Set(addr) => (addr, true),
    };
    match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => {
            tracing::info!("staff console listening on http://{addr}/admin");
            Ok(Some(listener))
        }
        Err(e) if !required => {
            tracing::warn!(%addr, error = %e, "staff console not served by this server (its default address is taken; set PORTAL_ADMIN_ADDR)");
            Ok(None)
        }
        Err(e) => Err(format!("工作人员控制台无法监听 {addr}:{e}")),
    }
}

/// Serves the console on `listener` until `shutdown` completes.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(|e| format!("工作人员控制台异常退出:{e}"))
}
