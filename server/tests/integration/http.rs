//! The router as a load balancer and a browser see it: health, 404, headers, cross-site refusal.

use crate::common;
use crate::common::process::{free_ports, raw_get, spawn_server_with, wait_healthy};
use crate::common::{DATA_KEY, TempDir, TestDb};
use app::platform::state::{AppState, Limits, PortalEnv};
use axum::body::Body;
use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn state(db: &TestDb, env: PortalEnv) -> AppState {
    state_with_limit(db, env, 0).await
}

async fn state_with_limit(db: &TestDb, env: PortalEnv, limit: u32) -> AppState {
    common::state_with_limits(
        db,
        env,
        Limits {
            search_per_minute: limit,
            ..Limits::default()
        },
    )
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
async fn a_database_out_of_reach_answers_503_in_chinese_not_500() {
    let db = TestDb::sqlite().await;
    let state = state(&db, PortalEnv::Development).await;
    db.pool.close().await;
    // A server function: 503 with the message, never the generic 500.
    let (status, headers, body) = get(
        server::http::router(state.clone()),
        "/api/search_registry?query[reg_no]=%E4%BA%AC1112010000001",
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("服务暂时不可用"), "{body}");
    assert!(headers.contains_key("x-request-id"));

    // Once the database watch has seen it gone, every page answers the 503 page at once,
    // while the static files and the health check are still answered.
    let ops = server::ops::Ops::new();
    // The watch's own connection cannot open the database either (a folder that is not
    // there stands for a database out of reach).
    tokio::spawn(server::ops::Ops::watch_database(
        std::sync::Arc::downgrade(&ops),
        "sqlite:///nonexistent-portal-folder/portal.db".to_string(),
    ));
    let started = std::time::Instant::now();
    while !ops.database_down() {
        assert!(
            started.elapsed().as_secs() < 3,
            "the watch did not notice within 3 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let app = || server::http::router_with(state.clone(), ops.clone());
    for path in ["/", "/search?name=%E7%8E%8B", "/user/certificates"] {
        let (status, headers, body) = get(app(), path).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(headers[header::RETRY_AFTER], "5", "{path}");
        assert!(body.contains("<h1>服务暂时不可用</h1>"), "{path}: {body}");
        assert!(body.contains("lang=\"zh-CN\""), "{path}");
    }
    let (status, _, _) = get(app(), "/healthz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let (_, _, metrics) = get(app(), "/metrics").await;
    assert!(metrics.contains("portal_db_up 0"), "{metrics}");
    assert!(metrics.contains("portal_db_outages_total 1"), "{metrics}");
}

#[tokio::test]
async fn metrics_are_not_public_in_production_without_a_token() {
    let db = TestDb::sqlite().await;
    let (status, _, _) = get(
        server::http::router(state(&db, PortalEnv::Production).await),
        "/metrics",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, headers, body) = get(
        server::http::router(state(&db, PortalEnv::Development).await),
        "/metrics",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    assert!(
        body.contains("# TYPE portal_http_requests_total counter"),
        "{body}"
    );
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
    // Production compares with PORTAL_PUBLIC_URL's origin, whatever the Host says.
    let same_origin = Request::post("/api/anything")
        .header(header::HOST, "portal.example")
        .header(header::ORIGIN, common::PRODUCTION_URL)
        .body(Body::empty())
        .unwrap();
    assert_ne!(
        app.oneshot(same_origin).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    db.close().await;
}

#[tokio::test]
async fn the_search_page_renders_results_without_javascript() {
    let db = TestDb::sqlite().await;
    server::cli::demo::load_if_empty(&db.pool, DATA_KEY)
        .await
        .unwrap();
    let app = server::http::router(state(&db, PortalEnv::Development).await);
    // The form posts; the results' address carries a 查询凭据 instead of the number.
    let posted = app
        .clone()
        .oneshot(
            Request::post("/search")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("id_number=110105198003150039&name="))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    let location = posted.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(!location.contains("110105198003150039"), "{location}");
    let (status, _, body) = get(app.clone(), &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("110105********0039"),
        "masked ID in the table"
    );
    assert!(body.contains("京1112010000001"));
    // The full number is nowhere in the page: not in the form, the pager or the data.
    assert!(!body.contains("110105198003150039"));

    let (status, _, body) = get(app.clone(), "/search?name=%E7%8E%8B%E5%BB%BA%E5%9B%BD").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("请同时选择注册类别或填写注册单位"));

    let (status, _, body) = get(app, "/registration/00000000000000000000000000000000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("您访问的页面不存在"));
    db.close().await;
}

#[tokio::test]
async fn searching_too_often_gets_429() {
    let db = TestDb::sqlite().await;
    let app = server::http::router(state_with_limit(&db, PortalEnv::Development, 2).await);
    for _ in 0..2 {
        let (status, _, _) = get(app.clone(), "/search?reg_no=X1").await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _, body) = get(app, "/search?reg_no=X1").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains("请求过于频繁"), "{body}");
    db.close().await;
}

/// A site folder with one fingerprinted asset (and its precompressed copies) and one plain file.
fn site_with_assets() -> (common::TempDir, String) {
    let dir = common::TempDir::new();
    let pkg = format!("{}/pkg", dir.path);
    std::fs::create_dir_all(&pkg).unwrap();
    let name = "portal.AbCdEfGhIjKlMnOpQrSt-_.wasm";
    let body = vec![b'a'; 4096];
    std::fs::write(format!("{pkg}/{name}"), &body).unwrap();
    std::fs::write(format!("{pkg}/{name}.br"), b"brotli bytes").unwrap();
    std::fs::write(format!("{pkg}/{name}.gz"), b"gzip bytes").unwrap();
    std::fs::write(format!("{}/favicon.svg", dir.path), b"<svg/>").unwrap();
    (dir, format!("/pkg/{name}"))
}

async fn get_with(app: axum::Router, path: &str, encoding: &str) -> (StatusCode, http::HeaderMap) {
    let res = app
        .oneshot(
            Request::get(path)
                .header(header::ACCEPT_ENCODING, encoding)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    (res.status(), res.headers().clone())
}

#[tokio::test]
async fn assets_are_sent_precompressed_and_cached_by_fingerprint() {
    let db = TestDb::sqlite().await;
    let (site, asset) = site_with_assets();
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("portal")
        .site_root(site.path.clone())
        .build();
    let settings = app::platform::state::Settings {
        env: PortalEnv::Development,
        data_key: DATA_KEY.into(),
        trust_forwarded_for: false,
        public_url: None,
        metrics_token: None,
        staging: false,
    };
    let state =
        server::adapters::development_state(options, db.pool.clone(), settings, Limits::default())
            .unwrap();
    let app = server::http::router(state);

    // A fingerprinted asset: brotli to a browser that takes it, kept for a year.
    let (status, headers) = get_with(app.clone(), &asset, "br, gzip").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let (_, headers) = get_with(app.clone(), &asset, "gzip").await;
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    // A file without a fingerprint is revalidated.
    let (status, headers) = get_with(app.clone(), "/favicon.svg", "br").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "private, no-cache");
    // Pages are compressed when the client accepts it, and revalidated.
    let (status, headers) = get_with(app.clone(), "/", "br, gzip").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert_eq!(headers[header::CACHE_CONTROL], "private, no-cache");
    let (_, headers) = get_with(app, "/api/current_user", "gzip").await;
    assert_eq!(headers[header::CACHE_CONTROL], "private, no-cache");
    db.close().await;
}

#[test]
fn fingerprints_are_recognised() {
    assert!(server::http::is_fingerprinted(
        "/pkg/portal.QeZ2aLXpZS7bkgoo89_mWg.wasm"
    ));
    assert!(server::http::is_fingerprinted(
        "/pkg/chunk_100.hGGMdZrPlrHiyQGlLA8qeA.wasm"
    ));
    assert!(!server::http::is_fingerprinted("/pkg/portal.wasm"));
    assert!(!server::http::is_fingerprinted("/favicon.svg"));
    assert!(!server::http::is_fingerprinted(
        "/pkg/a/portal.QeZ2aLXpZS7bkgoo89_mWg.wasm"
    ));
}

#[test]
fn precompress_refuses_to_run_without_brotli_and_writes_every_copy_with_it() {
    let script = format!("{}/../scripts/precompress.sh", env!("CARGO_MANIFEST_DIR"));
    let site = common::TempDir::new();
    std::fs::create_dir_all(format!("{}/pkg", site.path)).unwrap();
    std::fs::write(
        format!("{}/pkg/portal.js", site.path),
        "console.log(1);".repeat(50),
    )
    .unwrap();
    // A PATH with the basic tools but no brotli.
    let bin = common::TempDir::new();
    for tool in ["gzip", "dirname", "basename", "cat"] {
        if let Ok(found) = which(tool) {
            std::os::unix::fs::symlink(found, format!("{}/{tool}", bin.path)).unwrap();
        }
    }
    let out = std::process::Command::new("/bin/bash")
        .arg(&script)
        .arg(&site.path)
        .env("PATH", &bin.path)
        .output()
        .unwrap();
    assert!(!out.status.success(), "ran without brotli");
    assert!(String::from_utf8_lossy(&out.stderr).contains("brotli"));
    assert!(
        which("brotli").is_ok(),
        "brotli is required (scripts/setup.sh installs it)"
    );
    let out = std::process::Command::new("/bin/bash")
        .arg(&script)
        .arg(&site.path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for copy in ["portal.js.br", "portal.js.gz"] {
        let len = std::fs::metadata(format!("{}/pkg/{copy}", site.path))
            .unwrap()
            .len();
        assert!(len > 0, "{copy}");
    }
}

fn which(tool: &str) -> Result<String, ()> {
    std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .map(|dir| format!("{dir}/{tool}"))
        .find(|p| std::path::Path::new(p).is_file())
        .ok_or(())
}

#[tokio::test]
async fn a_clients_own_forwarded_for_does_not_make_a_new_client() {
    let db = TestDb::sqlite().await;
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("portal")
        .site_root("target/site")
        .build();
    let settings = app::platform::state::Settings {
        env: PortalEnv::Development,
        data_key: DATA_KEY.into(),
        trust_forwarded_for: true,
        public_url: None,
        metrics_token: None,
        staging: false,
    };
    let limits = Limits {
        search_per_minute: 2,
        ..Limits::default()
    };
    let state =
        server::adapters::development_state(options, db.pool.clone(), settings, limits).unwrap();
    // The client writes an address of its choice; the load balancer appends the real one as a
    // header line of its own. Only the balancer's counts.
    let search = |spoofed: &'static str, real: &'static str| {
        let app = server::http::router(state.clone());
        async move {
            app.oneshot(
                Request::get("/api/search_registry?query[reg_no]=%E4%BA%AC1112010000001")
                    .header("x-forwarded-for", spoofed)
                    .header("x-forwarded-for", real)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap()
            .status()
        }
    };
    assert_eq!(search("1.1.1.1", "10.9.9.9").await, StatusCode::OK);
    assert_eq!(search("2.2.2.2", "10.9.9.9").await, StatusCode::OK);
    assert_eq!(
        search("3.3.3.3, 4.4.4.4", "10.9.9.9").await,
        StatusCode::TOO_MANY_REQUESTS,
        "a new spoofed address is the same client"
    );
    assert_eq!(
        search("3.3.3.3", "10.9.9.8").await,
        StatusCode::OK,
        "another real client has its own window"
    );
}

/// A static file's answer is its own, however many pages render beside it. The browser bundle
/// once went out as `302 Location: /login?next=%2Fuser`, the redirect of another visitor's
/// page rendered just before on the same worker thread (Leptos's static-file handler took
/// that page's reactive owner as its parent). A real server process with its worker threads,
/// signed-out `/user` pages (each a redirect) and the bundle asked for at the same time.
#[tokio::test]
async fn a_static_file_never_carries_another_requests_answer() {
    let db = TestDb::sqlite().await;
    let site = TempDir::new();
    let bundle = "pkg/portal.AAAAAAAAAAAAAAAAAAAAAA.wasm";
    std::fs::create_dir_all(format!("{}/pkg", site.path)).unwrap();
    std::fs::write(format!("{}/{bundle}", site.path), b"\0asm\x01\0\0\0").unwrap();
    let (port, _) = free_ports();
    let _server = spawn_server_with(&db.url, port, &[("LEPTOS_SITE_ROOT", &site.path)]);
    wait_healthy(port).await;

    let pages: Vec<_> = (0..6)
        .map(|_| {
            tokio::spawn(async move {
                for _ in 0..60 {
                    raw_get(port, "/user", "").await;
                }
            })
        })
        .collect();
    let files: Vec<_> = (0..3)
        .map(|_| {
            tokio::spawn(async move {
                let mut foreign = Vec::new();
                for _ in 0..100 {
                    let answer = raw_get(port, &format!("/{bundle}"), "").await;
                    let head = answer.split("\r\n\r\n").next().unwrap_or("").to_lowercase();
                    if !head.starts_with("http/1.1 200")
                        || head.contains("\r\nlocation:")
                        || head.contains("\r\nset-cookie:")
                    {
                        foreign.push(head);
                    }
                }
                foreign
            })
        })
        .collect();
    for page in pages {
        page.await.unwrap();
    }
    let mut foreign = Vec::new();
    for file in files {
        foreign.extend(file.await.unwrap());
    }
    assert!(
        foreign.is_empty(),
        "{} of 300 answers for the bundle were not its own; the last:\n{}",
        foreign.len(),
        foreign.last().map(String::as_str).unwrap_or_default()
    );
}

/// One GET through `app` (a clone shares the router's layers, the home page's copy among them).
async fn get_as(
    app: &axum::Router,
    path: &str,
    cookie: Option<&str>,
) -> (StatusCode, http::HeaderMap, String) {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let res = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn policy_nonce(headers: &http::HeaderMap) -> String {
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    csp.split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce in CSP")
        .to_string()
}

/// The home page a first-time visitor gets comes from a copy (server/src/home_cache.rs): each
/// answer still has its own nonce, and nobody who sends a cookie — a signed-in citizen, 长辈模式
/// — is given the copy, nor does their page become the next visitor's.
#[tokio::test]
async fn the_home_pages_copy_has_a_fresh_nonce_and_is_never_a_signed_in_page() {
    let db = TestDb::sqlite().await;
    let state = common::demo_state(&db).await;
    let app = server::http::router(state.clone());

    // A signed-in citizen comes first: their page must not become the copy.
    let mut wang = common::Browser::new(&state);
    let login = wang
        .login("person", "110105198003150039", "Demo@2026")
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    let session = wang.cookie.clone().expect("a session cookie");
    let (status, _, signed_in) = get_as(&app, "/", Some(&session)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        signed_in.contains("退出"),
        "the signed-in header: {signed_in}"
    );

    let mut pages = Vec::new();
    for _ in 0..3 {
        let (status, headers, body) = get_as(&app, "/", None).await;
        assert_eq!(status, StatusCode::OK);
        let nonce = policy_nonce(&headers);
        assert!(
            body.contains(&format!(r#"nonce="{nonce}""#)),
            "the page's script carries this answer's nonce"
        );
        assert!(!body.contains("退出"), "an anonymous page: {body}");
        pages.push((nonce, body));
    }
    let nonces: std::collections::HashSet<_> = pages.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(nonces.len(), 3, "every answer has a nonce of its own");
    for (nonce, body) in &pages {
        for (other, _) in &pages {
            if other != nonce {
                assert!(!body.contains(other.as_str()), "no earlier answer's nonce");
            }
        }
    }
    let same = |(nonce, body): &(String, String)| body.replace(nonce.as_str(), "N");
    assert_eq!(
        same(&pages[1]),
        same(&pages[0]),
        "the copy is the rendered page"
    );

    // With the copy in place, a cookie still gets its own page.
    let (_, _, again) = get_as(&app, "/", Some(&session)).await;
    assert!(again.contains("退出"));
    let (_, _, elder) = get_as(&app, "/", Some("portal_care=elder")).await;
    assert!(
        elder.contains("care-elder"),
        "长辈模式 rendered for its cookie"
    );
    let (_, _, plain) = get_as(&app, "/", None).await;
    assert!(!plain.contains("care-elder") && !plain.contains("退出"));
    db.close().await;
}
