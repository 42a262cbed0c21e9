//! The router as a load balancer and a browser see it: health, 404, headers, cross-site refusal.

mod common;

use app::state::{AppState, PortalEnv, Settings};
use axum::body::Body;
use common::{DATA_KEY, TestDb};
use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;
use tower::ServiceExt;

async fn state(db: &TestDb, env: PortalEnv) -> AppState {
    AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("portal")
            .site_root("target/site")
            .build(),
        db: db.pool.clone(),
        settings: Arc::new(Settings {
            env,
            data_key: DATA_KEY.into(),
        }),
    }
}

async fn get(app: axum::Router, path: &str) -> (StatusCode, http::HeaderMap, String) {
    let res = app
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn healthz_answers_ok_with_a_live_database() {
    let db = TestDb::sqlite().await;
    let (status, _, body) = get(
        server::http::router(state(&db, PortalEnv::Development).await),
        "/healthz",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, r#"{"status":"ok"}"#);
    db.pool.close().await;
    let (status, _, _) = get(
        server::http::router(state(&db, PortalEnv::Development).await),
        "/healthz",
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn pages_render_in_chinese_with_a_nonce_matching_the_policy() {
    let db = TestDb::sqlite().await;
    let (status, headers, body) = get(
        server::http::router(state(&db, PortalEnv::Development).await),
        "/faq",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(r#"<html lang="zh-CN""#), "{body}");
    assert!(body.contains("个人账号登录不进去是什么原因"));
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce in CSP");
    assert!(
        body.contains(&format!(r#"nonce="{nonce}""#)),
        "hydration script lacks the CSP nonce"
    );
    db.close().await;
}

#[tokio::test]
async fn unknown_paths_get_the_404_page() {
    let db = TestDb::sqlite().await;
    let (status, headers, body) = get(
        server::http::router(state(&db, PortalEnv::Development).await),
        "/no/such/page",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("您访问的页面不存在"));
    assert!(headers.contains_key(header::CONTENT_SECURITY_POLICY));
    db.close().await;
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let db = TestDb::sqlite().await;
    for (env, path) in [
        (PortalEnv::Development, "/"),
        (PortalEnv::Production, "/"),
        (PortalEnv::Production, "/healthz"),
    ] {
        let (_, headers, _) = get(server::http::router(state(&db, env).await), path).await;
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("object-src 'none'"), "{csp}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(
            headers[header::REFERRER_POLICY],
            "strict-origin-when-cross-origin"
        );
        assert_eq!(
            headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
            env == PortalEnv::Production,
            "{env:?}"
        );
        if env == PortalEnv::Production {
            assert!(
                !csp.contains("ws://"),
                "development websocket allowed in production: {csp}"
            );
        }
    }
    db.close().await;
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let db = TestDb::sqlite().await;
    let app = server::http::router(state(&db, PortalEnv::Production).await);
    let post = |site: &str| {
        Request::post("/api/anything")
            .header("sec-fetch-site", site)
            .body(Body::empty())
            .unwrap()
    };
    let res = app.clone().oneshot(post("cross-site")).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = app.clone().oneshot(post("same-origin")).await.unwrap();
    assert_ne!(res.status(), StatusCode::FORBIDDEN);
    let evil_origin = Request::post("/api/anything")
        .header(header::HOST, "portal.example")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        app.clone().oneshot(evil_origin).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let same_origin = Request::post("/api/anything")
        .header(header::HOST, "portal.example")
        .header(header::ORIGIN, "https://portal.example")
        .body(Body::empty())
        .unwrap();
    assert_ne!(
        app.oneshot(same_origin).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    db.close().await;
}
