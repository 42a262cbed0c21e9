//! The real clients of the outside services (腾讯云慧眼 IdCardVerification, 腾讯云短信
//! SendSms) against the provider simulator (`scripts/provider-sim/sim.py`), which verifies every
//! TC3-HMAC-SHA256 signature as Tencent Cloud does, through the portal's own pages and server
//! functions, on SQLite and PostgreSQL: a registration with the code the simulator received and
//! the identity it confirmed; then each way a provider fails (a wrong key, down, 5xx, not JSON,
//! an error answer, a per-number failure inside a 200, an identity database that cannot say)
//! gives a clear Chinese message, passes nothing, and the breaker answers at once after five
//! failures.

use crate::common;
use crate::common::process::{free_ports, http};
use crate::common::{Browser, TestDb};
use app::platform::state::{Limits, PortalEnv};
use http::StatusCode;
use serde_json::Value;

const ZHAO: (&str, &str) = ("赵新民", "110108200001010015");
const WANG: (&str, &str) = ("王建国", "110105198003150039");
const ALIPAY_APP: &str = "2021000000000001";

/// A test key of the simulator (`scripts/provider-sim/keys`).
fn key_file(name: &str) -> String {
    format!(
        "{}/../scripts/provider-sim/keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}
/// A phone number of its own for each request: the resend and daily limits are per number.
fn phone(n: u32) -> String {
    format!("137001370{n:02}")
}

/// The simulator on a free port, stopped when dropped.
struct Sim {
    port: u16,
    _child: tokio::process::Child,
}

impl Sim {
    async fn start() -> Sim {
        Self::launch(&[]).await
    }

    /// The simulator serving HTTPS with its test certificate (`keys/test_ca.pem` signed it),
    /// knowing the people of `people_file`.
    async fn start_tls(people_file: &str) -> Sim {
        let (cert, key) = (key_file("sim_tls_cert.pem"), key_file("sim_tls_key.pem"));
        Self::launch(&[
            "--tls-cert",
            &cert,
            "--tls-key",
            &key,
            "--people",
            people_file,
        ])
        .await
    }

    async fn launch(extra: &[&str]) -> Sim {
        let (port, _) = free_ports();
        // The test tools' Python (scripts/setup.sh --test-tools) has the `cryptography` the
        // simulator's Alipay side signs with; a bare machine's python3 may not.
        let venv = format!(
            "{}/../target/doc-tools/bin/python",
            env!("CARGO_MANIFEST_DIR")
        );
        let python = if std::path::Path::new(&venv).exists() {
            venv
        } else {
            "python3".to_string()
        };
        let child = tokio::process::Command::new(python)
            .arg(format!(
                "{}/../scripts/provider-sim/sim.py",
                env!("CARGO_MANIFEST_DIR")
            ))
            .args(["--port", &port.to_string()])
            .args(["--tencent-key", "AKIDportal:portal-secret"])
            .args(["--aliyun-key", "LTAIportal:portal-secret"])
            .arg("--alipay-app")
            .arg(format!("{ALIPAY_APP}:{}", key_file("app_public_key.txt")))
            .arg("--alipay-key")
            .arg(key_file("alipay_private_key.txt"))
            .args(extra)
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("python3 runs the simulator");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let sim = Sim {
            port,
            _child: child,
        };
        if !extra.is_empty() {
            return sim;
        }
        sim.post("/_sim/people", &format!(r#"[["{}","{}"]]"#, ZHAO.0, ZHAO.1))
            .await;
        sim
    }

    async fn post(&self, path: &str, body: &str) {
        let (status, _, reply) = http(self.port, "POST", path, None, body).await;
        assert_eq!(status, 200, "{path}: {reply}");
    }

    async fn mode(&self, mode: &str) {
        self.post("/_sim/mode", &format!(r#"{{"mode":"{mode}"}}"#))
            .await;
    }

    async fn sent(&self) -> Vec<Value> {
        let (_, _, body) = http(self.port, "GET", "/_sim/sms", None, "").await;
        serde_json::from_str::<Value>(&body)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// A development portal whose identity and SMS services are the real clients, pointed at the
/// simulator with `secret` as the SecretKey.
fn portal(db: &TestDb, sim: &Sim, secret: &str) -> app::platform::state::AppState {
    portal_with(db, sim, secret, "tencent")
}

/// The same with the SMS of `carrier` (`tencent` or `aliyun`).
fn portal_with(
    db: &TestDb,
    sim: &Sim,
    secret: &str,
    carrier: &str,
) -> app::platform::state::AppState {
    portal_full(db, sim, secret, carrier, "development")
}

/// The same with the face provider `face` (`development`, `wechat` or `alipay`) and the
/// enterprise check's real client too.
fn portal_full(
    db: &TestDb,
    sim: &Sim,
    secret: &str,
    carrier: &str,
    face: &str,
) -> app::platform::state::AppState {
    let url = sim.url();
    let (access_key, template, english) = match carrier {
        "aliyun" => ("LTAIportal", "SMS_100001", "SMS_100003"),
        _ => ("AKIDportal", "100001", "100003"),
    };
    let vars: Vec<(&str, String)> = vec![
        ("PORTAL_ENV", "development".into()),
        ("PORTAL_IDENTITY_URL", url.clone()),
        ("PORTAL_IDENTITY_APP_ID", "AKIDportal".into()),
        ("PORTAL_IDENTITY_SECRET", secret.into()),
        ("PORTAL_SMS_PROVIDER", carrier.into()),
        ("PORTAL_SMS_ENDPOINT", url.clone()),
        ("PORTAL_SMS_ACCESS_KEY", access_key.into()),
        ("PORTAL_SMS_SECRET", secret.into()),
        ("PORTAL_SMS_SIGN_NAME", "住建部政务服务".into()),
        ("PORTAL_SMS_APP_ID", "1400000000".into()),
        ("PORTAL_SMS_TEMPLATE_ID", template.into()),
        ("PORTAL_SMS_TEMPLATE_ID_EN", english.into()),
        ("PORTAL_SMS_NOTICE_TEMPLATE_ID", "100002".into()),
        ("PORTAL_ENTERPRISE_URL", url.clone()),
        ("PORTAL_ENTERPRISE_APP_ID", "AKIDportal".into()),
        ("PORTAL_ENTERPRISE_SECRET", secret.into()),
        ("PORTAL_FACE_PROVIDER", face.into()),
        ("PORTAL_FACEID_ENDPOINT", url.clone()),
        ("PORTAL_WECHAT_SECRET_ID", "AKIDportal".into()),
        ("PORTAL_WECHAT_SECRET_KEY", secret.into()),
        ("PORTAL_WECHAT_RULE_ID", "1".into()),
        ("PORTAL_ALIPAY_GATEWAY", format!("{url}/gateway.do")),
        ("PORTAL_ALIPAY_APP_ID", ALIPAY_APP.into()),
        (
            "PORTAL_ALIPAY_PRIVATE_KEY_FILE",
            key_file("app_private_key.txt"),
        ),
        (
            "PORTAL_ALIPAY_PUBLIC_KEY_FILE",
            key_file("alipay_public_key.txt"),
        ),
    ];
    let config = server::config::Config::from_vars(&move |name: &str| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    })
    .expect("a development configuration with the simulator");
    let clock = std::sync::Arc::new(app::platform::clock::Clock::default());
    let services = server::adapters::services(&config, &db.pool, clock.clone()).unwrap();
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("portal")
        .site_root("target/site")
        .build();
    let settings = app::platform::state::Settings {
        env: PortalEnv::Development,
        data_key: common::DATA_KEY.into(),
        trust_forwarded_for: false,
        public_url: None,
        metrics_token: None,
        staging: false,
    };
    let limits = Limits {
        search_per_minute: 0,
        login_per_minute: 0,
        sms_per_minute: 0,
        ..Limits::default()
    };
    app::platform::state::AppState::new(options, db.pool.clone(), settings, limits, clock, services)
        .expect("state")
}

async fn register(b: &mut Browser, who: (&str, &str), phone: &str, code: &str) -> common::Reply {
    b.post(
        "register_person",
        &[
            ("name", who.0),
            ("id_number", who.1),
            ("phone", phone),
            ("sms_code", code),
            ("password", "Zhao@2026x"),
            ("password_confirm", "Zhao@2026x"),
            ("consent", "on"),
        ],
    )
    .await
}

#[tokio::test]
async fn a_citizen_registers_with_the_real_sms_and_identity_clients() {
    for db in TestDb::all().await {
        let sim = Sim::start().await;
        let state = portal(&db, &sim, "portal-secret");
        let mut b = Browser::new(&state);

        // A name that is not the number's: the provider says so, and nothing is created.
        let sent = b.send_code("register", &phone(1), &[]).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let messages = sim.sent().await;
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert_eq!(messages[0]["phone"], format!("+86{}", phone(1)));
        assert_eq!(messages[0]["template"], "100001");
        assert_eq!(messages[0]["params"][1], "5", "the code's minutes");
        let code = messages[0]["params"][0].as_str().unwrap().to_string();
        assert_eq!(code.len(), 6);
        assert!(
            app::accounts::sms::repo::outbox_list(&state.db, None, 10)
                .await
                .unwrap()
                .is_empty(),
            "the carrier sent it, not the development outbox"
        );
        let r = register(&mut b, ("赵新", ZHAO.1), &phone(1), &code).await;
        assert!(
            r.field_message("name").contains("身份信息核验未通过")
                || r.field_message("id_number").contains("身份信息核验未通过"),
            "{}: {}",
            db.label,
            r.body
        );

        // The right name, with a new code: registered.
        b.send_code("register", &phone(2), &[]).await;
        let code = sim.sent().await[1]["params"][0]
            .as_str()
            .unwrap()
            .to_string();
        let r = register(&mut b, ZHAO, &phone(2), &code).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", db.label, r.body);

        // A code asked for from an English page goes by the approved English template, with
        // the same parameters; a Chinese page's by the Chinese one.
        let mut english = Browser::new(&state);
        english.cookie = Some("portal_lang=en".into());
        let sent = english.send_code("register", &phone(3), &[]).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let last = sim.sent().await.last().cloned().unwrap();
        assert_eq!(last["template"], "100003", "{last}");
        assert_eq!(last["params"][1], "5", "{last}");
        let mut again = Browser::new(&state);
        let login = again.login("person", ZHAO.1, "Zhao@2026x").await;
        assert_eq!(login.status, StatusCode::OK, "{}", login.body);
        db.close().await;
    }
}

#[tokio::test]
async fn every_way_a_provider_fails_is_a_clear_refusal_that_passes_nothing() {
    for db in TestDb::all().await {
        // A wrong SecretKey: the provider refuses the signature.
        let sim = Sim::start().await;
        let state = portal(&db, &sim, "not-the-secret");
        let mut b = Browser::new(&state);
        let r = b.send_code("register", &phone(10), &[]).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert!(
            r.body.contains("AuthFailure.SignatureFailure"),
            "{}",
            r.body
        );
        assert!(!r.body.contains("not-the-secret"), "no secret in an answer");
        assert!(sim.sent().await.is_empty());

        let state = portal(&db, &sim, "portal-secret");
        let mut n = 10;
        let mut next = || {
            n += 1;
            phone(n)
        };
        for (mode, words) in [
            ("5xx", "暂时不可用"),
            ("malformed", "无法识别"),
            ("error", "InternalError"),
            ("per-number", "LimitExceeded"),
        ] {
            sim.mode(mode).await;
            let mut b = Browser::new(&state);
            let to = next();
            let r = b.send_code("register", &to, &[]).await;
            assert_eq!(
                r.status,
                StatusCode::SERVICE_UNAVAILABLE,
                "{mode}: {}",
                r.body
            );
            assert!(r.body.contains("短信发送失败"), "{mode}: {}", r.body);
            assert!(r.body.contains(words), "{mode}: {}", r.body);
            let codes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sms_codes WHERE phone = $1")
                .bind(&to)
                .fetch_one(&db.pool)
                .await
                .unwrap();
            assert_eq!(codes, 0, "{mode}: no code stands for a message not sent");
            sim.mode("ok").await;
            // Asking again at once is not "too soon"; the success resets the breaker too.
            let ok = Browser::new(&state).send_code("register", &to, &[]).await;
            assert_eq!(ok.status, StatusCode::OK, "after {mode}: {}", ok.body);
        }

        // An identity database that cannot say is "unavailable", never "not matching".
        let mut b = Browser::new(&state);
        let to = next();
        b.send_code("register", &to, &[]).await;
        let code = sim.sent().await.last().unwrap()["params"][0]
            .as_str()
            .unwrap()
            .to_string();
        sim.mode("result-4").await;
        let r = register(&mut b, ZHAO, &to, &code).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert!(r.body.contains("身份信息核验服务暂时不可用"), "{}", r.body);
        sim.mode("ok").await;

        // Five failures in a row open the breaker: the sixth call does not wait for the
        // provider, and even a recovered provider is not asked until the breaker half-opens.
        sim.mode("5xx").await;
        for _ in 0..5 {
            Browser::new(&state)
                .send_code("register", &next(), &[])
                .await;
        }
        sim.mode("ok").await;
        let before = sim.sent().await.len();
        let started = std::time::Instant::now();
        let r = Browser::new(&state)
            .send_code("register", &next(), &[])
            .await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert!(started.elapsed() < std::time::Duration::from_millis(500));
        assert_eq!(
            sim.sent().await.len(),
            before,
            "not sent while the breaker is open"
        );

        // /metrics counts the calls by provider and action (a refusal by the breaker is no
        // call), their failures among them, and shows no secret.
        let figures = server::ops::Ops::new().render(&state);
        for (sample, value) in [
            (
                r#"portal_provider_requests_total{provider="sms",action="SendSms"}"#,
                14,
            ),
            (
                r#"portal_provider_errors_total{provider="sms",action="SendSms"}"#,
                8,
            ),
            (
                r#"portal_provider_requests_total{provider="faceid",action="IdCardVerification"}"#,
                1,
            ),
        ] {
            assert!(
                figures.contains(&format!("{sample} {value}\n")),
                "{sample} {value}: {figures}"
            );
        }
        assert!(figures.contains("portal_provider_request_duration_seconds_bucket"));
        assert!(!figures.contains("portal-secret") && !figures.contains("AKIDportal"));
        db.close().await;
    }
}

#[tokio::test]
async fn a_code_goes_out_through_aliyun_too_and_its_refusals_are_clear() {
    for db in TestDb::all().await {
        let sim = Sim::start().await;
        let state = portal_with(&db, &sim, "portal-secret", "aliyun");
        let mut b = Browser::new(&state);
        let sent = b.send_code("register", &phone(60), &[]).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let messages = sim.sent().await;
        assert_eq!(messages[0]["phone"], phone(60));
        assert_eq!(messages[0]["template"], "SMS_100001");
        assert_eq!(messages[0]["params"]["minutes"], "5");
        let code = messages[0]["params"]["code"].as_str().unwrap().to_string();
        let r = register(&mut b, ZHAO, &phone(60), &code).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", db.label, r.body);
        // From an English page: the English template, the same variables.
        let mut english = Browser::new(&state);
        english.cookie = Some("portal_lang=en".into());
        english.send_code("register", &phone(69), &[]).await;
        let last = sim.sent().await.last().cloned().unwrap();
        assert_eq!(last["template"], "SMS_100003", "{last}");
        assert_eq!(last["params"]["minutes"], "5", "{last}");

        for (mode, words) in [
            ("per-number", "isv.BUSINESS_LIMIT_CONTROL"),
            ("error", "暂时不可用"),
            ("malformed", "无法识别"),
        ] {
            sim.mode(mode).await;
            let r = Browser::new(&state)
                .send_code("register", &phone(61), &[])
                .await;
            assert_eq!(
                r.status,
                StatusCode::SERVICE_UNAVAILABLE,
                "{mode}: {}",
                r.body
            );
            assert!(r.body.contains(words), "{mode}: {}", r.body);
            sim.mode("ok").await;
        }
        let wrong = portal_with(&db, &sim, "not-the-secret", "aliyun");
        let r = Browser::new(&wrong)
            .send_code("register", &phone(62), &[])
            .await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert!(r.body.contains("SignatureDoesNotMatch"), "{}", r.body);
        assert_eq!(sim.sent().await.len(), 2, "the two codes that went out");
        db.close().await;
    }
}

#[tokio::test]
async fn an_unreachable_provider_fails_the_step() {
    for db in TestDb::all().await {
        let sim = Sim::start().await;
        let state = portal(&db, &sim, "portal-secret");
        drop(sim);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let mut b = Browser::new(&state);
        let r = b.send_code("register", &phone(50), &[]).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert!(r.body.contains("短信服务暂时不可用"), "{}", r.body);
        db.close().await;
    }
}

#[tokio::test]
async fn the_simulator_checks_signatures_as_the_providers_own_sdks_make_them() {
    let python = format!(
        "{}/../target/doc-tools/bin/python",
        env!("CARGO_MANIFEST_DIR")
    );
    let has_sdk = std::process::Command::new(&python)
        .args([
            "-c",
            "import tencentcloud.sms.v20210111, tencentcloud.faceid.v20180301, alipay.aop.api",
        ])
        .status()
        .is_ok_and(|s| s.success());
    if !has_sdk {
        assert!(
            std::env::var("PORTAL_DOC_TOOLS").as_deref() != Ok("required"),
            "the providers' Python SDKs are required (scripts/setup.sh --test-tools)"
        );
        eprintln!(
            "SKIPPED: the simulator against Tencent Cloud's SDK (scripts/setup.sh --test-tools)"
        );
        return;
    }
    let sim = Sim::start().await;
    // Each SDK signs with the right key (accepted) and with a wrong one (refused as the
    // provider refuses it); Alipay's SDK also verifies the simulator's signed answers.
    let out = tokio::process::Command::new(&python)
        .arg(format!(
            "{}/../scripts/provider-sim/check_with_sdk.py",
            env!("CARGO_MANIFEST_DIR")
        ))
        .args([&sim.port.to_string(), "AKIDportal", "portal-secret"])
        .args(["LTAIportal", "portal-secret", ALIPAY_APP])
        .arg(key_file("app_private_key.txt"))
        .arg(key_file("alipay_public_key.txt"))
        .output()
        .await
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    println!("{said}");
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        said.matches("AuthFailure.SignatureFailure").count(),
        3,
        "{said}"
    );
    assert_eq!(said.matches("SignatureDoesNotMatch").count(), 1, "{said}");
    assert_eq!(said.matches("isv.invalid-signature").count(), 1, "{said}");
}

#[tokio::test]
async fn a_provider_that_does_not_answer_in_time_fails_the_step_cleanly() {
    for db in TestDb::all().await {
        let sim = Sim::start().await;
        let state = portal(&db, &sim, "portal-secret");
        sim.mode("slow").await;
        let started = std::time::Instant::now();
        let r = Browser::new(&state)
            .send_code("register", &phone(70), &[])
            .await;
        let took = started.elapsed();
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert!(r.body.contains("短信服务暂时不可用"), "{}", r.body);
        // The provider's own 8-second bound ended it, inside the step's longer one, so the
        // step cleaned up: no code stands for the message, and asking again is not too soon.
        assert!(
            took >= std::time::Duration::from_secs(7) && took < std::time::Duration::from_secs(10),
            "{took:?}"
        );
        let codes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sms_codes WHERE phone = $1")
            .bind(phone(70))
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(codes, 0);
        sim.mode("ok").await;
        let again = Browser::new(&state)
            .send_code("register", &phone(70), &[])
            .await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        db.close().await;
    }
}

/// POSTs a form to the simulator and gives the status and the `Location` it answers with.
async fn post_for_location(port: u16, path: &str, body: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: \
         application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let location = text
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .unwrap_or("")
        .to_string();
    (status, location)
}

/// A desktop signed in as 王建国 with a new QR code, and his phone at the face step: (desktop,
/// phone, ticket id, QR token).
async fn at_the_face_step(
    state: &app::platform::state::AppState,
) -> (Browser, Browser, String, String) {
    let mut desktop = Browser::new(state);
    desktop.login("person", WANG.1, "Demo@2026").await;
    let (ticket, token) = common::start(&mut desktop).await;
    let mut phone = Browser::new(state);
    phone.login("person", WANG.1, "Demo@2026").await;
    for step in ["scan_face_ticket", "allow_face_check"] {
        let r = phone.post(step, &[("token", &token)]).await;
        assert_eq!(r.status, StatusCode::OK, "{step}: {}", r.body);
    }
    (desktop, phone, ticket, token)
}

/// The provider's H5 page at `handoff` (on the simulator), answered with `verdict` as a
/// citizen would; the address the provider then sends the phone back to.
async fn answer_provider_page(sim: &Sim, handoff: &str, verdict: &str) -> url::Url {
    let page = handoff
        .strip_prefix(&sim.url())
        .expect("the simulator's page");
    let (status, _, html) = http(sim.port, "GET", page, None, "").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("通过") && html.contains("不通过"), "{html}");
    let token = html
        .split(r#"name="token" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let action = if page.starts_with("/h5/faceid") {
        "/h5/faceid/verdict"
    } else {
        "/h5/alipay/verdict"
    };
    let (status, location) = post_for_location(
        sim.port,
        action,
        &format!("token={token}&verdict={verdict}"),
    )
    .await;
    assert_eq!(status, 302);
    url::Url::parse(&location).unwrap()
}

/// The return's ticket and token, as the return page posts them.
fn return_fields(back: &url::Url) -> Vec<(String, String)> {
    back.query_pairs()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn finish(phone: &mut Browser, back: &url::Url) -> Value {
    assert_eq!(back.path(), "/m/face-return", "{back}");
    let fields = return_fields(back);
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = phone.post("finish_face_check", &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn a_face_check_through_faceid_h5_or_alipay_passes_only_what_the_provider_passed() {
    for db in TestDb::all().await {
        let sim = Sim::start().await;
        for provider in ["wechat", "alipay"] {
            let state = portal_full(&db, &sim, "portal-secret", "tencent", provider);
            common::with_demo_accounts(&state).await;
            // 通过 on the provider's page: the portal asks the provider, which says passed.
            let (mut desktop, mut phone, ticket, token) = at_the_face_step(&state).await;
            let begun = phone
                .post(
                    "begin_face_check",
                    &[("token", &token), ("id_number", WANG.1)],
                )
                .await;
            assert_eq!(begun.status, StatusCode::OK, "{provider}: {}", begun.body);
            let handoff = begun.json().as_str().unwrap().to_string();
            assert!(handoff.starts_with(&sim.url()), "{handoff}");
            assert!(
                !handoff.contains(WANG.1),
                "the number goes in the signed call, not the address"
            );
            let back = answer_provider_page(&sim, &handoff, "pass").await;
            assert_eq!(
                return_fields(&back)[0],
                ("ticket".to_string(), ticket.clone()),
                "{back}"
            );
            let answer = finish(&mut phone, &back).await;
            assert_eq!(answer["passed"], true, "{provider}: {answer}");
            assert_eq!(
                desktop.get("/api/face_gate").await.json(),
                true,
                "{provider}"
            );
            // Its return again: nothing changes.
            assert_eq!(finish(&mut phone, &back).await["passed"], true);

            // 不通过, and a phone that comes back without finishing: both fail, with the reason.
            for verdict in ["fail", "none"] {
                let (mut desktop, mut phone, ticket, token) = at_the_face_step(&state).await;
                let begun = phone
                    .post(
                        "begin_face_check",
                        &[("token", &token), ("id_number", WANG.1)],
                    )
                    .await;
                let handoff = begun.json().as_str().unwrap().to_string();
                let back = if verdict == "none" {
                    // The citizen leaves the provider's page and opens the return address.
                    let mut back =
                        url::Url::parse(&format!("http://127.0.0.1/m/face-return?ticket={ticket}"))
                            .unwrap();
                    if provider == "wechat" {
                        let biz = handoff.rsplit("token=").next().unwrap();
                        back.query_pairs_mut().append_pair("token", biz);
                    }
                    back
                } else {
                    answer_provider_page(&sim, &handoff, verdict).await
                };
                let answer = finish(&mut phone, &back).await;
                assert_eq!(answer["passed"], false, "{provider} {verdict}: {answer}");
                assert!(
                    answer["message"]
                        .as_str()
                        .unwrap()
                        .contains("人脸识别未通过"),
                    "{answer}"
                );
                let s = desktop
                    .get(&format!("/api/face_ticket_status?ticket_id={ticket}"))
                    .await
                    .json();
                assert_eq!(s["state"], "Failed", "{s}");
                assert_eq!(desktop.get("/api/face_gate").await.json(), false);
            }
        }
        db.close().await;
    }
}

#[tokio::test]
async fn a_face_provider_that_fails_or_checks_someone_else_passes_nothing() {
    for db in TestDb::all().await {
        let sim = Sim::start().await;
        // FaceId answers a pass for another person: the ticket fails.
        let state = portal_full(&db, &sim, "portal-secret", "tencent", "wechat");
        common::with_demo_accounts(&state).await;
        let (_, mut phone, _, token) = at_the_face_step(&state).await;
        let begun = phone
            .post(
                "begin_face_check",
                &[("token", &token), ("id_number", WANG.1)],
            )
            .await;
        let back = answer_provider_page(&sim, begun.json().as_str().unwrap(), "pass").await;
        sim.mode("other-person").await;
        let answer = finish(&mut phone, &back).await;
        sim.mode("ok").await;
        assert_eq!(answer["passed"], false, "{answer}");
        assert!(
            answer["message"]
                .as_str()
                .unwrap()
                .contains("身份与本账户不一致"),
            "{answer}"
        );

        // Alipay answers signed with another key: not read, the check does not start.
        for (provider, secret, mode, words) in [
            ("alipay", "portal-secret", "bad-answer-sign", "无法识别"),
            ("alipay", "portal-secret", "5xx", "暂时不可用"),
            ("alipay", "portal-secret", "malformed", "无法识别"),
            ("alipay", "portal-secret", "error", "isp.unknow-error"),
            (
                "wechat",
                "not-the-secret",
                "ok",
                "AuthFailure.SignatureFailure",
            ),
            ("wechat", "portal-secret", "5xx", "暂时不可用"),
            ("wechat", "portal-secret", "error", "InternalError"),
        ] {
            let state = portal_full(&db, &sim, secret, "tencent", provider);
            common::with_demo_accounts(&state).await;
            let (mut desktop, mut phone, ticket, token) = at_the_face_step(&state).await;
            sim.mode(mode).await;
            let begun = phone
                .post(
                    "begin_face_check",
                    &[("token", &token), ("id_number", WANG.1)],
                )
                .await;
            sim.mode("ok").await;
            assert_eq!(
                begun.status,
                StatusCode::SERVICE_UNAVAILABLE,
                "{provider} {mode}: {}",
                begun.body
            );
            assert!(
                begun.body.contains(words),
                "{provider} {mode}: {}",
                begun.body
            );
            assert!(!begun.body.contains(secret) || secret == "portal-secret");
            let s = desktop
                .get(&format!("/api/face_ticket_status?ticket_id={ticket}"))
                .await
                .json();
            assert_eq!(s["state"], "Failed", "{provider} {mode}: {s}");
            assert!(s["message"].as_str().unwrap().contains("暂时不可用"), "{s}");
        }

        // The provider down when the phone comes back: the result is not known, so no pass.
        let state = portal_full(&db, &sim, "portal-secret", "tencent", "alipay");
        common::with_demo_accounts(&state).await;
        let (mut desktop, mut phone, _, token) = at_the_face_step(&state).await;
        let begun = phone
            .post(
                "begin_face_check",
                &[("token", &token), ("id_number", WANG.1)],
            )
            .await;
        let back = answer_provider_page(&sim, begun.json().as_str().unwrap(), "pass").await;
        sim.mode("5xx").await;
        let fields = return_fields(&back);
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = phone.post("finish_face_check", &fields).await;
        sim.mode("ok").await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert!(r.body.contains("重新查询结果"), "{}", r.body);
        assert_eq!(desktop.get("/api/face_gate").await.json(), false);
        // 【重新查询结果】 once the provider answers again: the check it passed counts.
        assert_eq!(finish(&mut phone, &back).await["passed"], true);
        assert_eq!(desktop.get("/api/face_gate").await.json(), true);
        // One provider check per QR code: a second start is refused, nothing is billed twice.
        let again = phone
            .post(
                "begin_face_check",
                &[("token", &token), ("id_number", WANG.1)],
            )
            .await;
        assert_eq!(
            again.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            again.body
        );
        db.close().await;
    }
}

#[tokio::test]
async fn the_enterprise_check_asks_tencent_ocr_for_all_four_and_an_operating_enterprise() {
    use app::platform::ports::enterprise::{EnterpriseCheck, EnterpriseClaim};
    let sim = Sim::start().await;
    sim.post(
        "/_sim/enterprises",
        r#"[["91110000MA01ABCD1M","中建示范建设有限公司","王建国","110105198003150039","1"],
            ["91310000MA1KXYW12M","沪上示范工程咨询有限公司","李秀英","310104199007220044","3"]]"#,
    )
    .await;
    let http = std::sync::Arc::new(app::platform::providers::ProviderHttp::new().unwrap());
    let clock = std::sync::Arc::new(app::platform::clock::Clock::default());
    let source = |secret: &str| {
        server::adapters::enterprise(
            &http,
            &server::config::TencentKey {
                endpoint: sim.url(),
                secret_id: "AKIDportal".into(),
                secret_key: secret.into(),
            },
            &clock,
        )
    };
    let wang: app::domain::IdDocument = app::domain::IdNumber::parse(WANG.1).unwrap().into();
    let li: app::domain::IdDocument = app::domain::IdNumber::parse("310104199007220044")
        .unwrap()
        .into();
    let claim = |code, name, legal, id| EnterpriseClaim {
        credit_code: code,
        org_name: name,
        legal_name: legal,
        legal_id: id,
    };
    use app::platform::ports::enterprise::EnterpriseSource;
    let good = source("portal-secret");
    let ok = claim(
        "91110000MA01ABCD1M",
        "中建示范建设有限公司",
        "王建国",
        &wang,
    );
    assert_eq!(good.verify(&ok).await, Ok(EnterpriseCheck::Match));
    for (what, c) in [
        (
            "another name",
            claim("91110000MA01ABCD1M", "某某公司", "王建国", &wang),
        ),
        (
            "another representative",
            claim(
                "91110000MA01ABCD1M",
                "中建示范建设有限公司",
                "李秀英",
                &wang,
            ),
        ),
        (
            "another ID number",
            claim("91110000MA01ABCD1M", "中建示范建设有限公司", "王建国", &li),
        ),
        (
            "unknown code",
            claim(
                "91440101MA5CQRT837",
                "中建示范建设有限公司",
                "王建国",
                &wang,
            ),
        ),
        (
            "注销",
            claim(
                "91310000MA1KXYW12M",
                "沪上示范工程咨询有限公司",
                "李秀英",
                &li,
            ),
        ),
    ] {
        assert_eq!(
            good.verify(&c).await,
            Ok(EnterpriseCheck::NoMatch),
            "{what}"
        );
    }
    let refused = source("not-the-secret").verify(&ok).await.unwrap_err();
    assert!(
        refused.contains("AuthFailure.SignatureFailure"),
        "{refused}"
    );
    assert!(!refused.contains("not-the-secret"));
    sim.mode("5xx").await;
    let down = good.verify(&ok).await.unwrap_err();
    assert!(down.contains("企业信息核验服务暂时不可用"), "{down}");
}

/// A client of the simulator's HTTPS side, trusting only its test CA, following no redirect.
fn tls_client() -> reqwest::Client {
    let ca = std::fs::read(key_file("test_ca.pem")).unwrap();
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn production_serves_a_citizen_through_every_real_client_over_tls() {
    for db in TestDb::all().await {
        let people =
            std::env::temp_dir().join(format!("portal-sim-people-{}.json", std::process::id()));
        std::fs::write(&people, format!(r#"[["{}","{}"]]"#, ZHAO.0, ZHAO.1)).unwrap();
        let sim = Sim::start_tls(people.to_str().unwrap()).await;
        let base = format!("https://127.0.0.1:{}", sim.port);
        let client = tls_client();
        let ca = key_file("test_ca.pem");
        let vars: Vec<(&str, String)> = vec![
            ("PORTAL_ENV", "production".into()),
            (
                "PORTAL_DATA_KEY",
                "0123456789abcdef0123456789abcdef-production".into(),
            ),
            ("PORTAL_PUBLIC_URL", "https://zwfw.example.gov.cn".into()),
            ("PORTAL_ISSUER_KEY_FILE", "/etc/portal/issuer.key".into()),
            ("PORTAL_VC_KEY_FILE", "/etc/portal/vc.key".into()),
            ("PORTAL_VC_CERT_FILE", "/etc/portal/vc-chain.pem".into()),
            ("PORTAL_VP_KEY_FILE", "/etc/portal/vp.key".into()),
            ("PORTAL_VP_CERT_FILE", "/etc/portal/vp-chain.pem".into()),
            ("PORTAL_PROVIDER_CA_FILE", ca),
            ("PORTAL_IDENTITY_URL", base.clone()),
            ("PORTAL_IDENTITY_APP_ID", "AKIDportal".into()),
            ("PORTAL_IDENTITY_SECRET", "portal-secret".into()),
            ("PORTAL_ENTERPRISE_URL", base.clone()),
            ("PORTAL_ENTERPRISE_APP_ID", "AKIDportal".into()),
            ("PORTAL_ENTERPRISE_SECRET", "portal-secret".into()),
            ("PORTAL_SMS_PROVIDER", "tencent".into()),
            ("PORTAL_SMS_ENDPOINT", base.clone()),
            ("PORTAL_SMS_ACCESS_KEY", "AKIDportal".into()),
            ("PORTAL_SMS_SECRET", "portal-secret".into()),
            ("PORTAL_SMS_SIGN_NAME", "住建部政务服务".into()),
            ("PORTAL_SMS_APP_ID", "1400000000".into()),
            ("PORTAL_SMS_TEMPLATE_ID", "100001".into()),
            ("PORTAL_SMS_NOTICE_TEMPLATE_ID", "100002".into()),
            ("PORTAL_FACE_PROVIDER", "wechat".into()),
            ("PORTAL_FACEID_ENDPOINT", base.clone()),
            ("PORTAL_WECHAT_SECRET_ID", "AKIDportal".into()),
            ("PORTAL_WECHAT_SECRET_KEY", "portal-secret".into()),
            ("PORTAL_WECHAT_RULE_ID", "1".into()),
        ];
        let lookup = |vars: Vec<(&'static str, String)>| {
            move |name: &str| {
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.clone())
            }
        };
        let config = server::config::Config::from_vars(&lookup(vars.clone()))
            .expect("a complete production configuration");
        let clock = std::sync::Arc::new(app::platform::clock::Clock::default());
        // Without the gateway's CA the simulator's certificate is refused: TLS is checked.
        let mut untrusted = vars.clone();
        untrusted.retain(|(n, _)| *n != "PORTAL_PROVIDER_CA_FILE");
        let untrusted = server::config::Config::from_vars(&lookup(untrusted)).unwrap();
        let services = server::adapters::services(&untrusted, &db.pool, clock.clone()).unwrap();
        let refused = services
            .identity
            .verify(
                ZHAO.0,
                &app::domain::IdNumber::parse(ZHAO.1).unwrap().into(),
            )
            .await
            .unwrap_err();
        assert!(refused.contains("暂时不可用"), "{refused}");

        let services = server::adapters::services(&config, &db.pool, clock.clone()).unwrap();
        assert!(!services.is_development());
        let options = leptos::prelude::LeptosOptions::builder()
            .output_name("portal")
            .site_root("target/site")
            .build();
        let settings = app::platform::state::Settings {
            env: PortalEnv::Production,
            data_key: common::DATA_KEY.into(),
            trust_forwarded_for: false,
            public_url: Some("https://zwfw.example.gov.cn".into()),
            metrics_token: None,
            staging: false,
        };
        let state = app::platform::state::AppState::new(
            options,
            db.pool.clone(),
            settings,
            Limits::default(),
            clock,
            services,
        )
        .expect("a production state with every real client");

        // Registration: the code the carrier delivered, the identity the provider confirmed.
        let mut b = Browser::new(&state);
        let sent = b.send_code("register", &phone(90), &[]).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let messages: Value = serde_json::from_str(
            &client
                .get(format!("{base}/_sim/sms"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        )
        .unwrap();
        let code = messages[0]["params"][0].as_str().unwrap().to_string();
        let r = register(&mut b, ZHAO, &phone(90), &code).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", db.label, r.body);

        // The face check through FaceId H5: the provider's page, 通过, back to the portal.
        let mut desktop = Browser::new(&state);
        desktop.login("person", ZHAO.1, "Zhao@2026x").await;
        let (ticket, token) = common::start(&mut desktop).await;
        let mut phone_b = Browser::new(&state);
        phone_b.login("person", ZHAO.1, "Zhao@2026x").await;
        for step in ["scan_face_ticket", "allow_face_check"] {
            let r = phone_b.post(step, &[("token", &token)]).await;
            assert_eq!(r.status, StatusCode::OK, "{step}: {}", r.body);
        }
        let begun = phone_b
            .post(
                "begin_face_check",
                &[("token", &token), ("id_number", ZHAO.1)],
            )
            .await;
        assert_eq!(begun.status, StatusCode::OK, "{}", begun.body);
        let handoff = begun.json().as_str().unwrap().to_string();
        assert!(
            handoff.starts_with(&format!("{base}/h5/faceid?token=")),
            "{handoff}"
        );
        let page = client
            .get(&handoff)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains(ZHAO.0), "{page}");
        let biz = handoff.rsplit("token=").next().unwrap().to_string();
        let answered = client
            .post(format!("{base}/h5/faceid/verdict"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("token={biz}&verdict=pass"))
            .send()
            .await
            .unwrap();
        assert_eq!(answered.status(), 302);
        let back = url::Url::parse(answered.headers()["location"].to_str().unwrap()).unwrap();
        assert_eq!(back.host_str(), Some("zwfw.example.gov.cn"), "{back}");
        assert_eq!(back.path(), "/m/face-return");
        let answer = finish(&mut phone_b, &back).await;
        assert_eq!(answer["passed"], true, "{answer}");
        let s = desktop
            .get(&format!("/api/face_ticket_status?ticket_id={ticket}"))
            .await
            .json();
        assert_eq!(s["state"], "Passed", "{s}");
        assert_eq!(desktop.get("/api/face_gate").await.json(), true);
        let _ = std::fs::remove_file(&people);
        db.close().await;
    }
}

#[tokio::test]
async fn production_refuses_the_simulators_published_alipay_key() {
    let db = TestDb::sqlite().await;
    let vars: Vec<(&str, String)> = vec![
        ("PORTAL_ENV", "production".into()),
        (
            "PORTAL_DATA_KEY",
            "0123456789abcdef0123456789abcdef-production".into(),
        ),
        ("PORTAL_PUBLIC_URL", "https://zwfw.example.gov.cn".into()),
        ("PORTAL_ISSUER_KEY_FILE", "/etc/portal/issuer.key".into()),
        ("PORTAL_VC_KEY_FILE", "/etc/portal/vc.key".into()),
        ("PORTAL_VC_CERT_FILE", "/etc/portal/vc-chain.pem".into()),
        ("PORTAL_VP_KEY_FILE", "/etc/portal/vp.key".into()),
        ("PORTAL_VP_CERT_FILE", "/etc/portal/vp-chain.pem".into()),
        ("PORTAL_IDENTITY_APP_ID", "AKIDportal".into()),
        ("PORTAL_IDENTITY_SECRET", "s".into()),
        ("PORTAL_ENTERPRISE_APP_ID", "AKIDportal".into()),
        ("PORTAL_ENTERPRISE_SECRET", "s".into()),
        ("PORTAL_SMS_PROVIDER", "tencent".into()),
        ("PORTAL_SMS_ACCESS_KEY", "AKIDportal".into()),
        ("PORTAL_SMS_SECRET", "s".into()),
        ("PORTAL_SMS_SIGN_NAME", "住建部政务服务".into()),
        ("PORTAL_SMS_APP_ID", "1400000000".into()),
        ("PORTAL_SMS_TEMPLATE_ID", "100001".into()),
        ("PORTAL_SMS_NOTICE_TEMPLATE_ID", "100002".into()),
        ("PORTAL_FACE_PROVIDER", "alipay".into()),
        ("PORTAL_ALIPAY_APP_ID", ALIPAY_APP.into()),
        (
            "PORTAL_ALIPAY_PRIVATE_KEY_FILE",
            key_file("app_private_key.txt"),
        ),
        (
            "PORTAL_ALIPAY_PUBLIC_KEY_FILE",
            key_file("alipay_public_key.txt"),
        ),
    ];
    let config = server::config::Config::from_vars(&|name: &str| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    let clock = std::sync::Arc::new(app::platform::clock::Clock::default());
    let err = server::adapters::services(&config, &db.pool, clock)
        .err()
        .expect("refused");
    assert!(err.contains("模拟器的测试公钥"), "{err}");
}

#[tokio::test]
async fn a_notice_goes_by_the_notice_template_of_either_carrier_and_a_failure_is_retried() {
    use app::platform::notices;
    let db = TestDb::sqlite().await;
    for carrier in ["tencent", "aliyun"] {
        let sim = Sim::start().await;
        let state = portal_with(&db, &sim, "portal-secret", carrier);
        common::with_demo_accounts(&state).await;
        let account: i64 =
            sqlx::query_scalar("SELECT id FROM accounts WHERE phone = '13900139000'")
                .fetch_one(&state.db)
                .await
                .unwrap();
        let (matter, result) = ("注册证书(注册编号 京1112010000001)", "已于 2026-12-02 注销");
        let now = state.clock.now();
        notices::enqueue(&state.db, account, matter, result, now)
            .await
            .unwrap();

        // The carrier fails: nothing is lost, the notice waits a minute for its next try.
        sim.mode("error").await;
        let failed = notices::send_due(&state.db, state.sms.as_ref(), now)
            .await
            .unwrap();
        assert_eq!(failed, notices::Pass { sent: 0, failed: 1 }, "{carrier}");
        assert_eq!(notices::backlog(&state.db).await.unwrap(), (1, 0));
        sim.mode("ok").await;
        let early = notices::send_due(&state.db, state.sms.as_ref(), now + 30)
            .await
            .unwrap();
        assert_eq!(
            early,
            notices::Pass::default(),
            "{carrier}: not before its wait"
        );
        let sent = notices::send_due(&state.db, state.sms.as_ref(), now + 61)
            .await
            .unwrap();
        assert_eq!(sent, notices::Pass { sent: 1, failed: 0 }, "{carrier}");
        assert_eq!(notices::backlog(&state.db).await.unwrap(), (0, 0));

        let messages = sim.sent().await;
        assert_eq!(messages.len(), 1, "{carrier}: {messages:?}");
        let m = &messages[0];
        match carrier {
            "tencent" => {
                assert_eq!(m["phone"], "+8613900139000");
                assert_eq!(m["template"], "100002");
                assert_eq!(m["params"], serde_json::json!([matter, result]));
            }
            _ => {
                assert_eq!(m["phone"], "13900139000");
                assert_eq!(m["template"], "100002");
                assert_eq!(
                    m["params"],
                    serde_json::json!({ "matter": matter, "result": result })
                );
            }
        }
        sqlx::query("DELETE FROM sms_notices")
            .execute(&state.db)
            .await
            .unwrap();
    }
    db.close().await;
}
