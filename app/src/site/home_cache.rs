//! The home page as a first-time visitor gets it, rendered once and kept for a minute.
//!
//! Profiled under load (`perf`, release build), rendering `/` spends its time thinly across
//! Leptos's reactive owners, the router, attribute escaping and small allocations — no single
//! place to make faster — and it came to 0.58–0.79× the requests per second of the same bytes
//! as a static file. Yet for a visitor who sends no cookie the page is the same every time:
//! nothing in it depends on the request but the script nonce of the content security policy.
//! So such a request is answered from the copy rendered for the first one, with its own fresh
//! nonce put in place of the copy's (the nonce is 128 random bits: it occurs nowhere else in
//! the page).
//!
//! What is never answered from the copy: any request with a `Cookie` header (a session, the
//! 无障碍 settings — whatever a cookie may change), a query string, another path or method, and
//! any answer but a 200 or one that sets a cookie. The copy is kept 60 seconds, so anything in
//! the page that changes with time is at most a minute old. Each server keeps its own.
//!
//! The page depends on one request header besides the cookie: `Accept-Language` (the page's
//! language on a first visit). Only a request whose language is Chinese is answered from the
//! copy. When the page comes to depend on another header, it must join the conditions in
//! [`cacheable`].

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a copy is served before the page is rendered again.
const KEEP: Duration = Duration::from_secs(60);
/// The home page is about 8 KB; anything larger than this is not kept.
const MAX_BODY: usize = 256 * 1024;

/// One server's copy of the home page.
#[derive(Default)]
pub struct HomeCache {
    copy: RwLock<Option<Arc<Copy>>>,
}

struct Copy {
    rendered: Instant,
    headers: HeaderMap,
    /// The page as text (checked once, when kept).
    body: String,
    /// The nonce the copy was rendered with.
    nonce: String,
}

impl HomeCache {
    pub fn new() -> Arc<Self> {
        Arc::default()
    }

    fn fresh(&self) -> Option<Arc<Copy>> {
        let copy = self.copy.read().ok()?.clone()?;
        (copy.rendered.elapsed() < KEEP).then_some(copy)
    }

    fn keep(&self, copy: Copy) {
        if let Ok(mut slot) = self.copy.write() {
            *slot = Some(Arc::new(copy));
        }
    }
}

/// Whether the answer to `request` is the same for every visitor who sends it.
fn cacheable(request: &Request) -> bool {
    request.method() == Method::GET
        && request.uri().path() == "/"
        && request.uri().query().is_none()
        && !request.headers().contains_key(header::COOKIE)
        // The copy is the Chinese page: a browser that asks for English gets its own render.
        && crate::platform::lang::of_request(request.headers()) == crate::platform::lang::Lang::Zh
}

/// The layer: answers a first-time visitor's `/` from the copy, or renders it and keeps it.
/// Runs inside `security_headers`, which gave the request its nonce.
pub async fn serve_home(
    State(cache): State<Arc<HomeCache>>,
    request: Request,
    next: Next,
) -> Response {
    if !cacheable(&request) {
        return next.run(request).await;
    }
    let Some(nonce) = request
        .extensions()
        .get::<Nonce>()
        .map(|n| n.as_inner().to_string())
        .filter(|n| !n.is_empty())
    else {
        return next.run(request).await;
    };
    if let Some(copy) = cache.fresh() {
        return answer(&copy, &nonce);
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match to_bytes(body, MAX_BODY).await {
        Ok(body) => body,
        // Too large or broken off: a page cannot be given whole; the visitor sees the error.
        Err(err) => {
            tracing::error!("the home page could not be kept: {err}");
            return Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
                .body(Body::from("页面生成失败,请刷新重试"))
                .unwrap_or_default();
        }
    };
    // The nonce must be in the page (the hydration script carries it); a page without it, or
    // one that sets a cookie (which would then go to every visitor), is served as rendered
    // and not kept.
    let page = match std::str::from_utf8(&body) {
        Ok(page) if page.contains(&nonce) && !parts.headers.contains_key(header::SET_COOKIE) => {
            page.to_string()
        }
        _ => return Response::from_parts(parts, Body::from(body)),
    };
    let mut headers = parts.headers.clone();
    headers.remove(header::CONTENT_LENGTH);
    cache.keep(Copy {
        rendered: Instant::now(),
        headers,
        body: page,
        nonce,
    });
    Response::from_parts(parts, Body::from(body))
}

/// The copy with `nonce` in place of the one it was rendered with.
fn answer(copy: &Copy, nonce: &str) -> Response {
    let page = copy.body.replace(&copy.nonce, nonce);
    let mut response = Response::new(Body::from(page));
    *response.headers_mut() = copy.headers.clone();
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(uri: &str, cookie: Option<&str>) -> Request {
        let mut builder = Request::builder().uri(uri);
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn only_a_cookieless_get_of_the_home_page_is_kept() {
        assert!(cacheable(&get("/", None)));
        assert!(!cacheable(&get("/", Some("portal_care=elder"))));
        assert!(!cacheable(&get("/", Some("portal_session=x"))));
        assert!(!cacheable(&get("/?expired=1", None)));
        assert!(!cacheable(&get("/search", None)));
        let mut post = get("/", None);
        *post.method_mut() = Method::POST;
        assert!(!cacheable(&post));
    }

    #[tokio::test]
    async fn each_answer_carries_its_own_nonce_and_none_of_the_copys() {
        let copy = Copy {
            rendered: Instant::now(),
            headers: HeaderMap::new(),
            body: "<script nonce=\"AAAA\">x</script><p>AAAA</p>".into(),
            nonce: "AAAA".into(),
        };
        let response = answer(&copy, "BBBB");
        let body = to_bytes(response.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], b"<script nonce=\"BBBB\">x</script><p>BBBB</p>");
    }

    #[test]
    fn a_copy_is_served_for_a_minute_only() {
        let cache = HomeCache::default();
        assert!(cache.fresh().is_none());
        cache.keep(Copy {
            rendered: Instant::now() - KEEP - Duration::from_secs(1),
            headers: HeaderMap::new(),
            body: String::new(),
            nonce: String::new(),
        });
        assert!(cache.fresh().is_none(), "an old copy is rendered again");
        cache.keep(Copy {
            rendered: Instant::now(),
            headers: HeaderMap::new(),
            body: String::new(),
            nonce: String::new(),
        });
        assert!(cache.fresh().is_some());
    }
}
