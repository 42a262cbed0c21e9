//! Test support: a fresh database per test, on SQLite always and on PostgreSQL when
//! `TEST_POSTGRES_URL` is set.

#![allow(dead_code)]

pub mod process;

use app::domain::url::percent_encode;
use app::platform::state::{AppState, Limits, PortalEnv, Settings};
use axum::body::Body;
use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use sqlx::AnyPool;
use sqlx::Executor;
use tower::ServiceExt;

pub const DATA_KEY: &[u8] = b"test-data-key-test-data-key-test-data-key";

/// A migrated database that lives as long as this value.
pub struct TestDb {
    pub pool: AnyPool,
    /// The database's URL (for server processes started by a test).
    pub url: String,
    pub label: &'static str,
    _dir: Option<TempDir>,
    drop_pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let dir = TempDir::new();
        let url = format!("sqlite://{}/portal.db?mode=rwc", dir.path);
        let pool = server::db::connect_and_migrate(&url)
            .await
            .expect("sqlite test database");
        Self {
            pool,
            url,
            label: "sqlite",
            _dir: Some(dir),
            drop_pg: None,
        }
    }

    /// `None` (and a note on stderr) when `TEST_POSTGRES_URL` is not set.
    pub async fn postgres() -> Option<Self> {
        Self::postgres_with(true).await
    }

    /// A database with nothing in it yet, not even the migrations (servers started on a
    /// fresh database): SQLite, then PostgreSQL if configured.
    pub async fn all_empty() -> Vec<Self> {
        let dir = TempDir::new();
        let url = format!("sqlite://{}/portal.db?mode=rwc", dir.path);
        let pool = server::db::connect(&url)
            .await
            .expect("sqlite test database");
        let mut dbs = vec![Self {
            pool,
            url,
            label: "sqlite",
            _dir: Some(dir),
            drop_pg: None,
        }];
        dbs.extend(Self::postgres_with(false).await);
        dbs
    }

    async fn postgres_with(migrate: bool) -> Option<Self> {
        let Ok(admin_url) = std::env::var("TEST_POSTGRES_URL") else {
            eprintln!("SKIPPED (PostgreSQL): TEST_POSTGRES_URL is not set");
            return None;
        };
        sqlx::any::install_default_drivers();
        let name = format!("portal_test_{}", random_suffix());
        let admin = AnyPool::connect(&admin_url)
            .await
            .expect("connect TEST_POSTGRES_URL");
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create test database");
        admin.close().await;
        let url = replace_db_name(&admin_url, &name);
        let pool = if migrate {
            server::db::connect_and_migrate(&url).await
        } else {
            server::db::connect(&url).await
        }
        .expect("postgres test database");
        Some(Self {
            pool,
            url,
            label: "postgres",
            _dir: None,
            drop_pg: Some((admin_url, name)),
        })
    }

    /// SQLite, then PostgreSQL if configured.
    pub async fn all() -> Vec<Self> {
        let mut dbs = vec![Self::sqlite().await];
        dbs.extend(Self::postgres().await);
        dbs
    }

    pub async fn close(self) {
        self.pool.close().await;
        // Drop removes the PostgreSQL database.
    }
}

/// The PostgreSQL database goes with the value, on a passing test and on a panicking one
/// alike: a test that failed used to leave its database behind, and a few hundred of them
/// filled the disk. `WITH (FORCE)` ends the connections a panicking test left open.
impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.drop_pg.take() else {
            return;
        };
        let dropping = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async {
                if let Ok(admin) = AnyPool::connect(&admin_url).await {
                    let _ = admin
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                    admin.close().await;
                }
            });
        });
        let _ = dropping.join();
    }
}

fn random_suffix() -> String {
    let bytes: [u8; 6] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// A temporary folder removed on drop.
pub struct TempDir {
    pub path: String,
}

impl TempDir {
    pub fn new() -> Self {
        let path = std::env::temp_dir().join(format!("portal-test-{}", random_suffix()));
        std::fs::create_dir_all(&path).expect("temp dir");
        Self {
            path: path.display().to_string(),
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The state of a test server with no rate limits.
pub fn state(db: &TestDb, env: PortalEnv) -> AppState {
    state_with_limits(
        db,
        env,
        Limits {
            search_per_minute: 0,
            login_per_minute: 0,
            sms_per_minute: 0,
            ..Limits::default()
        },
    )
}

/// The public address of test production instances.
pub const PRODUCTION_URL: &str = "https://zwfw.example.gov.cn";

/// A development state with the development services; a production state with the real
/// adapters, which cannot reach their services from a test (they fail closed).
pub fn state_with_limits(db: &TestDb, env: PortalEnv, limits: Limits) -> AppState {
    let options = LeptosOptions::builder()
        .output_name("portal")
        .site_root("target/site")
        .build();
    let settings = Settings {
        env,
        data_key: DATA_KEY.into(),
        trust_forwarded_for: false,
        public_url: env.is_production().then(|| PRODUCTION_URL.to_string()),
        metrics_token: None,
        staging: false,
    };
    match env {
        PortalEnv::Development => {
            server::adapters::development_state(options, db.pool.clone(), settings, limits)
        }
        PortalEnv::Production => AppState::new(
            options,
            db.pool.clone(),
            settings,
            limits,
            std::sync::Arc::new(app::platform::clock::Clock::default()),
            production_services(),
        ),
    }
    .expect("test state")
    .with_documents(std::sync::Arc::new(documents::Documents::new(
        font(),
        db.pool.clone(),
        None,
    )))
}

/// The certificate font, loaded once for all of a test binary's states.
pub fn font() -> Result<std::sync::Arc<documents::font::Font>, String> {
    static FONT: std::sync::OnceLock<Result<std::sync::Arc<documents::font::Font>, String>> =
        std::sync::OnceLock::new();
    FONT.get_or_init(|| documents::font::Font::configured().map(std::sync::Arc::new))
        .clone()
}

/// The production adapters as an operator would configure them, at addresses no test can
/// reach (nothing listens on port 9): every call fails as an unreachable provider does.
pub fn production_services() -> app::platform::state::Services {
    use server::config::{FaceChoice, SmsCarrier, TencentKey};
    use std::sync::Arc;
    let http = Arc::new(app::platform::providers::ProviderHttp::new().unwrap());
    let clock = Arc::new(app::platform::clock::Clock::default());
    let key = TencentKey {
        endpoint: "https://127.0.0.1:9".into(),
        secret_id: "AKIDtest".into(),
        secret_key: "secret".into(),
    };
    let carrier = SmsCarrier {
        provider: "tencent".into(),
        key: key.clone(),
        sign_name: "住建部政务服务".into(),
        app_id: "1400000000".into(),
        template_id: "100001".into(),
        template_id_en: "100003".into(),
        notice_template_id: "100002".into(),
    };
    let mut services = app::platform::state::Services::configured(
        Arc::new(server::adapters::identity(&http, &key, &clock)),
        Arc::new(server::adapters::enterprise(&http, &key, &clock)),
        server::adapters::sms(&http, &carrier, &clock),
        server::adapters::face(
            &http,
            &FaceChoice::Wechat {
                key: key.clone(),
                rule_id: "1".into(),
            },
            &clock,
        )
        .unwrap(),
    );
    services.providers = Some(http);
    services
}

/// A browser: the router, the session cookie it was given, and the 验证码凭据 of the last
/// code it asked for (its forms post it back, as the pages do).
pub struct Browser {
    pub state: AppState,
    pub cookie: Option<String>,
    pub sms_ticket: Option<String>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

/// The value of the query parameter `name` in `url` ("" when it has none).
pub fn query_param(url: &str, name: &str) -> String {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

impl Reply {
    /// The `Location` the answer sends the browser to.
    pub fn location(&self) -> String {
        self.headers[header::LOCATION]
            .to_str()
            .expect("a Location header")
            .to_string()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The message of a field error, or "" when the reply is not one for `field`.
    pub fn field_message(&self, field: &str) -> String {
        let v = self.json();
        if v["Field"]["field"] == field {
            v["Field"]["message"]["zh"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        } else {
            String::new()
        }
    }
}

impl Browser {
    pub fn new(state: &AppState) -> Self {
        Self {
            state: state.clone(),
            cookie: None,
            sms_ticket: None,
        }
    }

    pub async fn send(&mut self, request: http::request::Builder, body: Body) -> Reply {
        let request = match &self.cookie {
            Some(c) => request.header(header::COOKIE, c),
            None => request,
        };
        let res = server::http::router(self.state.clone())
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap().to_string();
            self.cookie = if pair.ends_with('=') {
                None
            } else {
                Some(pair)
            };
        }
        let body = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            bytes: body.to_vec(),
        }
    }

    pub async fn post(&mut self, function: &str, fields: &[(&str, &str)]) -> Reply {
        let mut fields = fields.to_vec();
        let ticket = self.sms_ticket.clone().unwrap_or_default();
        if fields.iter().any(|(k, _)| *k == "sms_code")
            && !fields.iter().any(|(k, _)| *k == "sms_ticket")
        {
            fields.push(("sms_ticket", &ticket));
        }
        let form = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = Request::post(format!("/api/{function}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        self.send(request, Body::from(form)).await
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.send(Request::get(path), Body::empty()).await
    }

    pub async fn current_user(&mut self) -> serde_json::Value {
        self.get("/api/current_user").await.json()
    }

    pub async fn login(&mut self, kind: &str, id: &str, password: &str) -> Reply {
        self.post(
            "login",
            &[("kind", kind), ("login_id", id), ("password", password)],
        )
        .await
    }

    pub async fn send_code(&mut self, purpose: &str, phone: &str, extra: &[(&str, &str)]) -> Reply {
        let mut fields = vec![("purpose", purpose), ("phone", phone)];
        fields.extend_from_slice(extra);
        let before = outbox_count(&self.state, phone).await;
        let reply = self.post("send_sms_code", &fields).await;
        // Recovery codes go out in the background (so the answer's time says nothing): wait
        // a moment for one, which comes only when the number is the account's.
        if purpose == "reset_password" && reply.status == StatusCode::OK {
            for _ in 0..100 {
                if outbox_count(&self.state, phone).await > before {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        }
        if let Some(ticket) = reply.json()["ticket"].as_str() {
            self.sms_ticket = Some(ticket.to_string());
        }
        reply
    }
}

/// How many messages the outbox holds for `phone`.
pub async fn outbox_count(state: &AppState, phone: &str) -> usize {
    app::accounts::sms::repo::outbox_list(&state.db, Some(phone), 1000)
        .await
        .unwrap()
        .len()
}

/// The newest code the outbox holds for `phone`.
pub async fn outbox_code(state: &AppState, phone: &str) -> String {
    let messages = app::accounts::sms::repo::outbox_list(&state.db, Some(phone), 1)
        .await
        .unwrap();
    let text = &messages.first().expect("a message was sent").text;
    let at = text.find("验证码为 ").expect("code in text") + "验证码为 ".len();
    text[at..at + 6].to_string()
}

pub async fn with_demo_accounts(state: &AppState) {
    server::cli::demo::ensure_accounts(state).await.unwrap();
}

/// A development state with the demo accounts and the demo registry.
pub async fn demo_state(db: &TestDb) -> AppState {
    let state = state(db, PortalEnv::Development);
    with_demo_accounts(&state).await;
    server::cli::demo::load_if_empty(&db.pool, DATA_KEY)
        .await
        .unwrap();
    state
}

/// (ticket id, QR token) of a new QR code for the desktop.
pub async fn start(desktop: &mut Browser) -> (String, String) {
    let reply = desktop.post("start_face_check", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let v = reply.json();
    let url = v["scan_url"].as_str().unwrap();
    let token = url.rsplit("t=").next().unwrap().to_string();
    assert_eq!(token.len(), 64, "{url}");
    assert!(
        v["qr_svg"].as_str().unwrap().starts_with("<?xml")
            || v["qr_svg"].as_str().unwrap().contains("<svg")
    );
    (v["ticket_id"].as_str().unwrap().to_string(), token)
}

/// The phone's steps of a face check with their answers: scan, 允许, 【开始人脸识别】 with the
/// 身份证号 `id` typed (answering the provider's page), then the return from the provider's
/// page (the development provider hands straight back) when the start gave one.
pub async fn phone_steps(phone: &mut Browser, token: &str, id: &str) -> Vec<(StatusCode, String)> {
    let mut out = vec![];
    for step in ["scan_face_ticket", "allow_face_check"] {
        let r = phone.post(step, &[("token", token)]).await;
        out.push((r.status, r.body));
    }
    let begun = phone
        .post("begin_face_check", &[("token", token), ("id_number", id)])
        .await;
    out.push((begun.status, begun.body.clone()));
    if begun.status == StatusCode::OK {
        let (ticket, returned) = returned_to(&begun.json());
        let r = phone
            .post(
                "finish_face_check",
                &[("ticket", &ticket), ("token", &returned)],
            )
            .await;
        out.push((r.status, r.body));
    }
    out
}

/// The ticket and token of the return address a provider sends the phone back to (the
/// development provider's hand-off address is that address).
pub fn returned_to(handoff: &serde_json::Value) -> (String, String) {
    let url = url::Url::parse(handoff.as_str().expect("an address")).expect("a URL");
    assert_eq!(url.path(), "/m/face-return", "{url}");
    let get = |k: &str| {
        url.query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    };
    (get("ticket"), get("token"))
}

/// Signs in as `id` on a desktop and passes a face check from a phone.
pub async fn face_checked_desktop(state: &AppState, id: &str) -> Browser {
    let mut desktop = Browser::new(state);
    desktop.login("person", id, "Demo@2026").await;
    let (_, token) = start(&mut desktop).await;
    let mut phone = Browser::new(state);
    phone.login("person", id, "Demo@2026").await;
    let steps = phone_steps(&mut phone, &token, id).await;
    assert_eq!(steps.len(), 4, "{steps:?}");
    for (status, body) in &steps {
        assert_eq!(*status, StatusCode::OK, "{body}");
    }
    assert!(steps[3].1.contains(r#""passed":true"#), "{}", steps[3].1);
    desktop
}
