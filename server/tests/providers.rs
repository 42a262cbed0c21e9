//! The real clients of the outside services (腾讯云慧眼 IdCardVerification, 腾讯云短信
//! SendSms) against the provider simulator (`scripts/provider-sim/sim.py`), which verifies every
//! TC3-HMAC-SHA256 signature as Tencent Cloud does, through the portal's own pages and server
//! functions, on SQLite and PostgreSQL: a registration with the code the simulator received and
//! the identity it confirmed; then each way a provider fails (a wrong key, down, 5xx, not JSON,
//! an error answer, a per-number failure inside a 200, an identity database that cannot say)
//! gives a clear Chinese message, passes nothing, and the breaker answers at once after five
//! failures.

mod common;

use app::state::{Limits, PortalEnv};
use common::process::{free_ports, http};
use common::{Browser, TestDb};
use http::StatusCode;
use serde_json::Value;

const ZHAO: (&str, &str) = ("赵新民", "110108200001010015");
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
        let (port, _) = free_ports();
        let child = tokio::process::Command::new("python3")
            .arg(format!(
                "{}/../scripts/provider-sim/sim.py",
                env!("CARGO_MANIFEST_DIR")
            ))
            .args(["--port", &port.to_string()])
            .args(["--tencent-key", "AKIDportal:portal-secret"])
            .args(["--aliyun-key", "LTAIportal:portal-secret"])
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
fn portal(db: &TestDb, sim: &Sim, secret: &str) -> app::state::AppState {
    portal_with(db, sim, secret, "tencent")
}

/// The same with the SMS of `carrier` (`tencent` or `aliyun`).
fn portal_with(db: &TestDb, sim: &Sim, secret: &str, carrier: &str) -> app::state::AppState {
    let url = sim.url();
    let (access_key, template) = match carrier {
        "aliyun" => ("LTAIportal", "SMS_100001"),
        _ => ("AKIDportal", "100001"),
    };
    let vars: Vec<(&str, String)> = vec![
        ("PORTAL_ENV", "development".into()),
        ("PORTAL_IDENTITY_URL", url.clone()),
        ("PORTAL_IDENTITY_APP_ID", "AKIDportal".into()),
        ("PORTAL_IDENTITY_SECRET", secret.into()),
        ("PORTAL_SMS_PROVIDER", carrier.into()),
        ("PORTAL_SMS_ENDPOINT", url),
        ("PORTAL_SMS_ACCESS_KEY", access_key.into()),
        ("PORTAL_SMS_SECRET", secret.into()),
        ("PORTAL_SMS_SIGN_NAME", "住建部政务服务".into()),
        ("PORTAL_SMS_APP_ID", "1400000000".into()),
        ("PORTAL_SMS_TEMPLATE_ID", template.into()),
    ];
    let config = server::config::Config::from_vars(&move |name: &str| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    })
    .expect("a development configuration with the simulator");
    let clock = std::sync::Arc::new(app::services::clock::Clock::default());
    let services = server::adapters::services(&config, &db.pool, clock.clone()).unwrap();
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("portal")
        .site_root("target/site")
        .build();
    let settings = app::state::Settings {
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
    app::state::AppState::new(options, db.pool.clone(), settings, limits, clock, services)
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
            app::models::sms::repo::outbox_list(&state.db, None, 10)
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
        assert_eq!(sim.sent().await.len(), 1);
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
async fn the_simulator_checks_signatures_as_tencents_own_sdk_makes_them() {
    let python = format!(
        "{}/../target/doc-tools/bin/python",
        env!("CARGO_MANIFEST_DIR")
    );
    let has_sdk = std::process::Command::new(&python)
        .args([
            "-c",
            "import tencentcloud.sms.v20210111, tencentcloud.faceid.v20180301",
        ])
        .status()
        .is_ok_and(|s| s.success());
    if !has_sdk {
        assert!(
            std::env::var("PORTAL_DOC_TOOLS").as_deref() != Ok("required"),
            "Tencent Cloud's Python SDK is required (scripts/setup.sh --test-tools)"
        );
        eprintln!(
            "SKIPPED: the simulator against Tencent Cloud's SDK (scripts/setup.sh --test-tools)"
        );
        return;
    }
    let sim = Sim::start().await;
    // The SDK signs with the right key (accepted) and with a wrong one (refused with
    // AuthFailure.SignatureFailure, as Tencent Cloud refuses it).
    let out = tokio::process::Command::new(&python)
        .arg(format!(
            "{}/../scripts/provider-sim/check_with_sdk.py",
            env!("CARGO_MANIFEST_DIR")
        ))
        .args([&sim.port.to_string(), "AKIDportal", "portal-secret"])
        .args(["LTAIportal", "portal-secret"])
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
        2,
        "{said}"
    );
    assert_eq!(said.matches("SignatureDoesNotMatch").count(), 1, "{said}");
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
