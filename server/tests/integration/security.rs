//! The trust chain, tested as its attacker would try it, through the router on SQLite and
//! PostgreSQL: an enterprise account reaching for a person's certificates, production running
//! development services, ID numbers rebuilt from answers, races on the limits, crafted
//! redirects and origins, state changed by a GET, and ID numbers in addresses.

use crate::common;
use crate::common::{
    Browser, Reply, TestDb, demo_state, face_checked_desktop, outbox_code, phone_steps, start,
    state,
};
use app::platform::state::PortalEnv;
use axum::body::Body;
use axum::extract::ConnectInfo;
use http::{Request, StatusCode, header};
use std::net::SocketAddr;

const WANG_ID: &str = "110105198003150039";
const LI_ID: &str = "310104199007220044";
const ZHAO_ID: &str = "110108200001010015";
const LI_CODE: &str = "91310000MA1KXYW12M";
const LI_ORG: &str = "沪上示范工程咨询有限公司";
const DEMO_CODE: &str = "91110000MA01ABCD1M";

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", app::domain::url::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A POST from the client at `peer` (each test client has its own address).
async fn post_from(b: &mut Browser, peer: &str, function: &str, fields: &[(&str, &str)]) -> Reply {
    let addr: SocketAddr = format!("{peer}:40000").parse().unwrap();
    let request = Request::post(format!("/api/{function}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .extension(ConnectInfo(addr));
    b.send(request, Body::from(form(fields))).await
}

async fn register_enterprise(
    b: &mut Browser,
    code: &str,
    org: &str,
    legal: &str,
    legal_id: &str,
    phone: &str,
) -> Reply {
    let sent = b.send_code("register", phone, &[]).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let sms = outbox_code(&b.state, phone).await;
    b.post(
        "register_enterprise",
        &[
            ("org_name", org),
            ("credit_code", code),
            ("legal_name", legal),
            ("legal_id_number", legal_id),
            ("phone", phone),
            ("sms_code", &sms),
            ("password", "Ent@2026xx"),
            ("password_confirm", "Ent@2026xx"),
            ("consent", "on"),
        ],
    )
    .await
}

/// 沪上示范工程咨询有限公司 claimed in 李秀英's name (her details are public), with `phone`.
async fn claim_li_enterprise(b: &mut Browser, phone: &str) -> Reply {
    register_enterprise(b, LI_CODE, LI_ORG, "李秀英", LI_ID, phone).await
}

/// The public id of 王建国's first certificate, as his own face-checked session lists it.
async fn wang_certificate(state: &app::platform::state::AppState) -> String {
    let mut wang = face_checked_desktop(state, WANG_ID).await;
    let cards = wang.get("/api/my_certificates").await;
    assert_eq!(cards.status, StatusCode::OK, "{}", cards.body);
    let id = cards.json()[0]["id"].as_str().unwrap().to_string();
    let annotated = wang
        .post(
            "annotate_certificate",
            &[("certificate_id", &id), ("purpose", "投标使用")],
        )
        .await;
    assert_eq!(annotated.status, StatusCode::OK, "{}", annotated.body);
    id
}

// ---- 1. An enterprise account never gets a person's certificates ---------------------------

#[tokio::test]
async fn naming_a_legal_representative_proves_nothing() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        // The attack as reported: any checksum-valid credit code, 王建国's public name and ID,
        // the attacker's own phone.
        let mut attacker = Browser::new(&state);
        let reply = register_enterprise(
            &mut attacker,
            "91440101MA5CQRT837",
            "随便科技有限公司",
            "王建国",
            WANG_ID,
            "13600136001",
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        assert!(
            reply
                .field_message("credit_code")
                .contains("企业信息核验未通过"),
            "{}",
            reply.body
        );
        let login = attacker
            .login("enterprise", "91440101MA5CQRT837", "Ent@2026xx")
            .await;
        assert_ne!(
            login.status,
            StatusCode::OK,
            "{}: no account was made",
            db.label
        );
        db.close().await;
    }
}

#[tokio::test]
async fn an_enterprise_session_is_refused_every_certificate_even_face_checked() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let certificate = wang_certificate(&state).await;
        // The demo enterprise is active and names 王建国 as its legal representative.
        let mut enterprise = Browser::new(&state);
        let login = enterprise.login("enterprise", DEMO_CODE, "Demo@2026").await;
        assert_eq!(login.status, StatusCode::OK, "{}", login.body);
        let started = enterprise.post("start_face_check", &[]).await;
        assert_eq!(started.status, StatusCode::FORBIDDEN, "{}", started.body);
        assert!(started.body.contains("个人用户"), "{}", started.body);
        // Even a session marked face-checked (as the old path made it) gets nothing.
        let session = enterprise.cookie.clone().unwrap();
        let token = session.split_once('=').unwrap().1;
        let hash = app::platform::session::repo::token_hash(token);
        app::face_check::repo::mark_session_verified(&state.db, &hash, state.clock.now())
            .await
            .unwrap();
        // 电子证照管理's cards and the credentials' (亮证, 授权用证) alike.
        for list in ["/api/my_certificates", "/api/holder_certificates"] {
            let cards = enterprise.get(list).await;
            assert_eq!(
                cards.status,
                StatusCode::FORBIDDEN,
                "{}: {list}: {}",
                db.label,
                cards.body
            );
            assert!(!cards.body.contains("京1112010000001"), "{list}");
        }
        let annotate = enterprise
            .post(
                "annotate_certificate",
                &[("certificate_id", &certificate), ("purpose", "投标使用")],
            )
            .await;
        assert_eq!(annotate.status, StatusCode::FORBIDDEN, "{}", annotate.body);
        for file in ["preview", "pdf", "ofd"] {
            let got = enterprise
                .get(&format!("/api/certificates/{certificate}/{file}"))
                .await;
            assert_eq!(got.status, StatusCode::FORBIDDEN, "{}: {file}", db.label);
            assert!(got.body.contains("个人用户"), "{file}: {}", got.body);
        }
        db.close().await;
    }
}

#[tokio::test]
async fn an_enterprise_is_active_only_after_its_legal_representative_confirms_with_a_face_check() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut ent = Browser::new(&state);
        let reply = claim_li_enterprise(&mut ent, "13600136002").await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", db.label, reply.body);
        // Pending: it signs in and learns only that it awaits confirmation.
        let login = ent.login("enterprise", LI_CODE, "Ent@2026xx").await;
        assert_eq!(login.status, StatusCode::OK, "{}", login.body);
        assert_eq!(ent.current_user().await["awaiting_confirmation"], true);
        let settings = ent.get("/api/account_settings").await;
        assert_eq!(settings.status, StatusCode::FORBIDDEN, "{}", settings.body);
        assert!(
            settings.body.contains("尚待法定代表人确认"),
            "{}",
            settings.body
        );

        // Another person, face-checked, cannot confirm it; nor can 李秀英 without a face check.
        let mut wang = face_checked_desktop(&state, WANG_ID).await;
        let listed = wang.get("/api/pending_enterprises").await;
        assert_eq!(listed.json()["pending"].as_array().unwrap().len(), 0);
        let mut li = Browser::new(&state);
        li.login("person", LI_ID, "Demo@2026").await;
        let listed = li.get("/api/pending_enterprises").await;
        assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
        let pending = &listed.json()["pending"][0];
        assert_eq!(pending["org_name"], LI_ORG);
        assert_eq!(listed.json()["face_checked"], false);
        let id = pending["account_id"].as_str().unwrap().to_string();
        let by_wang = wang
            .post("confirm_enterprise", &[("account_id", &id)])
            .await;
        assert_eq!(by_wang.status, StatusCode::NOT_FOUND, "{}", by_wang.body);
        let unchecked = li.post("confirm_enterprise", &[("account_id", &id)]).await;
        assert_eq!(
            unchecked.status,
            StatusCode::FORBIDDEN,
            "{}",
            unchecked.body
        );
        // The enterprise cannot confirm itself.
        let itself = ent.post("confirm_enterprise", &[("account_id", &id)]).await;
        assert_eq!(itself.status, StatusCode::FORBIDDEN, "{}", itself.body);
        assert_eq!(ent.current_user().await["awaiting_confirmation"], true);

        // 李秀英, face-checked in her own personal account, confirms it.
        let mut li = face_checked_desktop(&state, LI_ID).await;
        let confirmed = li.post("confirm_enterprise", &[("account_id", &id)]).await;
        assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
        assert_eq!(confirmed.json(), LI_ORG);
        assert_eq!(ent.current_user().await["awaiting_confirmation"], false);
        assert_eq!(
            ent.get("/api/account_settings").await.status,
            StatusCode::OK
        );
        // Active or not, still no certificates for an enterprise.
        assert_eq!(
            ent.get("/api/my_certificates").await.status,
            StatusCode::FORBIDDEN
        );

        // One credit code, one account: a second claim names the way to dispute it.
        let mut second = Browser::new(&state);
        let again = claim_li_enterprise(&mut second, "13600136003").await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            again
                .field_message("credit_code")
                .contains("/user/enterprise"),
            "{}",
            again.body
        );
        db.close().await;
    }
}

#[tokio::test]
async fn a_legal_representative_rejects_a_claim_that_is_not_their_enterprises() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        // A squatter who knows 李秀英's public details claims her enterprise first.
        let mut squatter = Browser::new(&state);
        let reply = claim_li_enterprise(&mut squatter, "13600136004").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let mut li = face_checked_desktop(&state, LI_ID).await;
        let id = li.get("/api/pending_enterprises").await.json()["pending"][0]["account_id"]
            .as_str()
            .unwrap()
            .to_string();
        // Nobody else may reject it.
        let mut wang = face_checked_desktop(&state, WANG_ID).await;
        let by_wang = wang.post("reject_enterprise", &[("account_id", &id)]).await;
        assert_eq!(by_wang.status, StatusCode::NOT_FOUND, "{}", by_wang.body);
        let rejected = li.post("reject_enterprise", &[("account_id", &id)]).await;
        assert_eq!(
            rejected.status,
            StatusCode::OK,
            "{}: {}",
            db.label,
            rejected.body
        );
        // The claim is gone (its session too) and the enterprise can register itself.
        assert!(squatter.current_user().await.is_null());
        let own = claim_li_enterprise(&mut Browser::new(&state), "13900139000").await;
        assert_eq!(own.status, StatusCode::OK, "{}: {}", db.label, own.body);
        db.close().await;
    }
}

// ---- 2. Production runs no development service ---------------------------------------------

#[test]
fn production_refuses_to_start_without_real_services() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("PORTAL_ENV", "production")
        .env("PORTAL_DATA_KEY", "0123456789abcdef0123456789abcdef-key")
        .env("DATABASE_URL", "sqlite::memory:")
        .env("LEPTOS_OUTPUT_NAME", "portal")
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .output()
        .expect("server binary runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("错误:"))
        .unwrap_or_else(|| panic!("no 错误: line in {stderr}"));
    for name in [
        "PORTAL_PUBLIC_URL",
        "PORTAL_ISSUER_KEY_FILE",
        "PORTAL_VC_KEY_FILE",
        "PORTAL_VC_CERT_FILE",
        "PORTAL_VP_KEY_FILE",
        "PORTAL_IDENTITY_APP_ID",
        "PORTAL_ENTERPRISE_APP_ID",
        "PORTAL_SMS_PROVIDER",
        "PORTAL_FACE_PROVIDER",
    ] {
        assert!(line.contains(name), "{name} missing from: {line}");
    }
}

#[tokio::test]
async fn a_production_state_refuses_the_development_services() {
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("portal")
        .build();
    let pool = {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect_lazy("sqlite::memory:").unwrap()
    };
    let settings = app::platform::state::Settings {
        env: PortalEnv::Production,
        data_key: common::DATA_KEY.into(),
        trust_forwarded_for: false,
        public_url: Some(common::PRODUCTION_URL.into()),
        metrics_token: None,
        staging: false,
    };
    let refused = server::adapters::development_state(
        options,
        pool,
        settings,
        app::platform::state::Limits::default(),
    );
    assert!(refused.is_err());
}

#[tokio::test]
async fn production_keeps_no_issuer_key_in_the_database() {
    for db in TestDb::all().await {
        // A database that once ran in development holds a key made by the portal.
        documents::development_key(&db.pool, 0).await.unwrap();
        assert!(
            app::platform::signing_key::repo::forget(&db.pool)
                .await
                .unwrap()
        );
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM signing_keys")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(left, 0, "{}", db.label);
        db.close().await;
    }
}

#[tokio::test]
async fn production_adapters_fail_closed() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Production);
        common::with_demo_accounts(&state).await;
        // No development person, no outbox: the carrier cannot be reached, so no code exists.
        let mut b = Browser::new(&state);
        let sent = b.send_code("register", "13700137009", &[]).await;
        assert_eq!(
            sent.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            sent.body
        );
        assert!(sent.body.contains("短信"), "{}", sent.body);
        assert!(
            app::accounts::sms::repo::outbox_list(&state.db, None, 10)
                .await
                .unwrap()
                .is_empty()
        );
        // The face check fails, with the reason, and nothing passes.
        let mut desktop = Browser::new(&state);
        desktop.login("person", WANG_ID, "Demo@2026").await;
        let (ticket, token) = start(&mut desktop).await;
        let mut phone = Browser::new(&state);
        phone.login("person", WANG_ID, "Demo@2026").await;
        let steps = phone_steps(&mut phone, &token, WANG_ID).await;
        assert_eq!(
            steps[2].0,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            steps[2].1
        );
        let status = desktop
            .get(&format!("/api/face_ticket_status?ticket_id={ticket}"))
            .await;
        assert_eq!(status.json()["state"], "Failed", "{}", status.body);
        assert!(
            status.body.contains("人脸识别服务暂时不可用"),
            "{}",
            status.body
        );
        assert_eq!(desktop.get("/api/face_gate").await.json(), false);
        db.close().await;
    }
}

// ---- 3. No oracle about ID numbers; birth dates not readable --------------------------------

#[tokio::test]
async fn nothing_is_said_about_an_id_number_before_the_phone_is_proven() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut b = Browser::new(&state);
        // 王建国 is registered; a wrong code says only that the code is wrong.
        let fields = |name: &'static str, id: &'static str| {
            vec![
                ("name", name),
                ("id_number", id),
                ("phone", "13700137101"),
                ("sms_code", "123456"),
                ("password", "Abcd@2026x"),
                ("password_confirm", "Abcd@2026x"),
                ("consent", "on"),
            ]
        };
        for (name, id) in [("王建国", WANG_ID), ("李四", WANG_ID), ("赵新民", ZHAO_ID)] {
            let reply = b.post("register_person", &fields(name, id)).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                !reply.field_message("sms_code").is_empty(),
                "{}",
                reply.body
            );
            assert!(!reply.body.contains("已注册") && !reply.body.contains("身份信息核验"));
        }
        // 获取验证码 for a number bound to another person answers like any other.
        let sent = b.send_code("register", "13800138000", &[]).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        // Recovery with a phone that is not the account's: the code is what is wrong.
        let reset = b
            .post(
                "reset_password",
                &[
                    ("kind", "person"),
                    ("login_id", WANG_ID),
                    ("phone", "13900139000"),
                    ("sms_code", "123456"),
                    ("password", "Abcd@2026x"),
                    ("password_confirm", "Abcd@2026x"),
                ],
            )
            .await;
        assert!(
            !reset.field_message("sms_code").is_empty(),
            "{}",
            reset.body
        );
        assert!(!reset.body.contains("不匹配"), "{}", reset.body);
        db.close().await;
    }
}

#[tokio::test]
async fn recovery_codes_say_nothing_and_serve_only_their_requester() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        fn reset<'a>(phone: &'a str, code: &'a str) -> Vec<(&'a str, &'a str)> {
            vec![
                ("kind", "person"),
                ("login_id", WANG_ID),
                ("phone", phone),
                ("sms_code", code),
                ("password", "Wang@2027x"),
                ("password_confirm", "Wang@2027x"),
            ]
        }
        // The probe: a recovery code asked under 王建国's ID for his bound phone and for
        // another; then a wrong code. The answers are the same.
        let mut answers = vec![];
        for phone in ["13800138000", "13700137099"] {
            let mut prober = Browser::new(&state);
            let sent = prober
                .send_code(
                    "reset_password",
                    phone,
                    &[("kind", "person"), ("login_id", WANG_ID)],
                )
                .await;
            assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
            let r = prober.post("reset_password", &reset(phone, "000001")).await;
            answers.push((r.status, r.field_message("sms_code")));
            state.clock.advance(61);
        }
        assert_eq!(answers[0], answers[1], "{}: {answers:?}", db.label);
        assert!(answers[0].1.contains("验证码不正确"), "{answers:?}");

        // A stranger without the owner's ticket can neither use nor burn the owner's code.
        let mut owner = Browser::new(&state);
        owner
            .send_code(
                "reset_password",
                "13800138000",
                &[("kind", "person"), ("login_id", WANG_ID)],
            )
            .await;
        let code = outbox_code(&state, "13800138000").await;
        let mut stranger = Browser::new(&state);
        for guess in ["000002", "000003", "000004", "000005", "000006", "000007"] {
            let r = stranger
                .post("reset_password", &reset("13800138000", guess))
                .await;
            assert!(
                r.field_message("sms_code").contains("获取验证码"),
                "{}",
                r.body
            );
        }
        let r = stranger
            .post("reset_password", &reset("13800138000", &code))
            .await;
        assert_ne!(r.status, StatusCode::OK, "the code is the owner's alone");
        let ok = owner
            .post("reset_password", &reset("13800138000", &code))
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}: {}", db.label, ok.body);
        db.close().await;
    }
}

#[tokio::test]
async fn recovery_codes_cannot_be_guessed_in_parallel_nor_the_ceiling_read() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        // Many tickets from many clients, one account: ten wrong codes a day in all.
        let mut refused = false;
        for n in 0..12u8 {
            let mut attacker = Browser::new(&state);
            let peer = format!("10.0.1.{n}");
            let sent = post_from(
                &mut attacker,
                &peer,
                "send_sms_code",
                &[
                    ("purpose", "reset_password"),
                    ("phone", "13800138000"),
                    ("kind", "person"),
                    ("login_id", WANG_ID),
                ],
            )
            .await;
            let ticket = sent.json()["ticket"].as_str().unwrap().to_string();
            let r = post_from(
                &mut attacker,
                &peer,
                "reset_password",
                &[
                    ("kind", "person"),
                    ("login_id", WANG_ID),
                    ("phone", "13800138000"),
                    ("sms_code", "000000"),
                    ("sms_ticket", &ticket),
                    ("password", "Wang@2027x"),
                    ("password_confirm", "Wang@2027x"),
                ],
            )
            .await;
            if r.field_message("sms_code")
                .contains("今日验证码错误次数过多")
            {
                assert!(n >= 10, "{}: refused after {n}", db.label);
                refused = true;
            }
        }
        assert!(refused, "{}", db.label);

        // The hourly ceiling answers alike for a bound and an unbound recovery pair: 20
        // registration requests to the number, then one recovery probe, then one more
        // registration request — the same answer either way.
        let mut answers = vec![];
        for (phone, net) in [("13800138000", 2u8), ("13700137555", 3u8)] {
            let mut b = Browser::new(&state);
            for i in 0..19u8 {
                post_from(
                    &mut b,
                    &format!("10.{net}.1.{i}"),
                    "send_sms_code",
                    &[("purpose", "register"), ("phone", phone)],
                )
                .await;
            }
            post_from(
                &mut b,
                &format!("10.{net}.2.1"),
                "send_sms_code",
                &[
                    ("purpose", "reset_password"),
                    ("phone", phone),
                    ("kind", "person"),
                    ("login_id", WANG_ID),
                ],
            )
            .await;
            let last = post_from(
                &mut b,
                &format!("10.{net}.1.20"),
                "send_sms_code",
                &[("purpose", "register"), ("phone", phone)],
            )
            .await;
            answers.push(last.status);
        }
        assert_eq!(answers[0], answers[1], "{}: {answers:?}", db.label);
        db.close().await;
    }
}

#[tokio::test]
async fn a_stolen_session_cannot_guess_the_password_without_limit() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut thief = Browser::new(&state);
        thief.login("person", WANG_ID, "Demo@2026").await;
        let mut answers = vec![];
        for n in 0..6 {
            let guess = format!("Guess@2026{n}");
            let r = thief
                .post(
                    "change_password",
                    &[
                        ("current_password", &guess),
                        ("password", "Thief@2026x"),
                        ("password_confirm", "Thief@2026x"),
                    ],
                )
                .await;
            answers.push(r.field_message("current_password"));
        }
        assert!(answers[0].contains("还可尝试4次"), "{answers:?}");
        assert!(
            answers[5].contains("账户已锁定"),
            "{}: {answers:?}",
            db.label
        );
        // The right password is refused now too, and so is a login.
        let right = thief
            .post(
                "change_password",
                &[
                    ("current_password", "Demo@2026"),
                    ("password", "Thief@2026x"),
                    ("password_confirm", "Thief@2026x"),
                ],
            )
            .await;
        assert_ne!(right.status, StatusCode::OK);
        let login = Browser::new(&state)
            .login("person", WANG_ID, "Demo@2026")
            .await;
        assert_ne!(login.status, StatusCode::OK);
        db.close().await;
    }
}

#[tokio::test]
async fn an_id_search_confirms_at_most_ten_guesses_a_day_per_masked_id() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        // Other birth dates with 王建国's region and last four (the check character differs,
        // so only the number itself is valid; the limit counts every valid guess alike).
        let mut b = Browser::new(&state);
        let mut refused_at = None;
        for attempt in 1..=12 {
            let r = b.post("search_key", &[("id_number", WANG_ID)]).await;
            if r.field_message("id_number").contains("上限") {
                assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
                refused_at = Some(attempt);
                break;
            }
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        assert_eq!(refused_at, Some(11), "{}", db.label);
        // The form without JavaScript meets the same limit.
        let posted = b
            .send(
                Request::post("/search")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
                Body::from(form(&[("id_number", WANG_ID)])),
            )
            .await;
        let page = b
            .get(posted.headers[header::LOCATION].to_str().unwrap())
            .await;
        assert!(page.body.contains("上限"), "{}", db.label);
        db.close().await;
    }
}

#[tokio::test]
async fn an_unconfirmed_claim_lapses_after_seven_days() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut squatter = Browser::new(&state);
        let r = claim_li_enterprise(&mut squatter, "13600136005").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        state.clock.advance(7 * 86_400 + 1);
        let own = claim_li_enterprise(&mut Browser::new(&state), "13900139000").await;
        assert_eq!(own.status, StatusCode::OK, "{}: {}", db.label, own.body);
        db.close().await;
    }
}

#[tokio::test]
async fn sweeping_a_masked_ids_birth_dates_is_stopped_by_the_limits() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut b = Browser::new(&state);
        // Candidates sharing 王建国's masked ID (110105********0039's region and last four
        // would be the same for every birth date tried); each costs a fresh code.
        let mut refused_at = None;
        for attempt in 1..=12 {
            let phone = format!("137{:08}", 201 + attempt);
            b.send_code("register", &phone, &[]).await;
            let code = outbox_code(&state, &phone).await;
            let reply = b
                .post(
                    "register_person",
                    &[
                        ("name", "王建国"),
                        ("id_number", WANG_ID),
                        ("phone", &phone),
                        ("sms_code", &code),
                        ("password", "Abcd@2026x"),
                        ("password_confirm", "Abcd@2026x"),
                        ("consent", "on"),
                    ],
                )
                .await;
            if reply.body.contains("今日身份核验次数已达上限") {
                refused_at = Some(attempt);
                break;
            }
            state.clock.advance(61);
        }
        assert_eq!(refused_at, Some(11), "{}", db.label);
        db.close().await;
    }
}

#[tokio::test]
async fn the_database_and_the_documents_hold_no_readable_birth_date() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT birth_date, birth_sealed FROM persons")
                .fetch_all(&state.db)
                .await
                .unwrap();
        assert!(rows.len() > 2);
        for (clear, sealed) in &rows {
            assert!(clear.is_empty(), "{clear}");
            assert!(!sealed.contains('-') && sealed.len() == 20, "{sealed}");
        }
        let certificate = wang_certificate(&state).await;
        let mut wang = face_checked_desktop(&state, WANG_ID).await;
        let preview = wang
            .get(&format!("/api/certificates/{certificate}/preview"))
            .await;
        assert_eq!(preview.status, StatusCode::OK);
        assert!(!preview.body.contains("出生日期") && !preview.body.contains("1980"));
        db.close().await;
    }
}

// ---- 4. Races and lock-outs -----------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_wrong_passwords_are_checked_at_most_five_times() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let tries = (0..15).map(|_| {
            let state = state.clone();
            tokio::spawn(async move {
                Browser::new(&state)
                    .login("person", WANG_ID, "Wrong@2026x")
                    .await
                    .status
            })
        });
        for t in tries {
            assert_ne!(t.await.unwrap(), StatusCode::OK);
        }
        let account = app::accounts::repo::by_login_key(
            &state.db,
            &app::accounts::repo::person_login_key(&app::domain::person::id_digest(
                common::DATA_KEY,
                WANG_ID,
            )),
        )
        .await
        .unwrap()
        .unwrap();
        let checked = app::accounts::repo::count_events(&state.db, account.id, "login_failed")
            .await
            .unwrap()
            + app::accounts::repo::count_events(&state.db, account.id, "locked")
                .await
                .unwrap();
        assert!(
            checked <= 5,
            "{}: {checked} passwords were checked",
            db.label
        );
        let right = Browser::new(&state)
            .login("person", WANG_ID, "Demo@2026")
            .await;
        assert_ne!(right.status, StatusCode::OK, "{}: the lock holds", db.label);
        assert!(right.body.contains("锁定"), "{}", right.body);
        db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_sms_requests_sends_one_message() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        let burst = (0..20).map(|_| {
            let state = state.clone();
            tokio::spawn(async move {
                Browser::new(&state)
                    .send_code("register", "13700137301", &[])
                    .await
                    .status
            })
        });
        let mut sent = 0;
        for b in burst {
            if b.await.unwrap() == StatusCode::OK {
                sent += 1;
            }
        }
        assert_eq!(sent, 1, "{}", db.label);
        let messages = app::accounts::sms::repo::outbox_list(&state.db, Some("13700137301"), 50)
            .await
            .unwrap();
        assert_eq!(messages.len(), 1, "{}", db.label);
        db.close().await;
    }
}

#[tokio::test]
async fn a_stranger_cannot_use_up_a_citizens_sms_quota() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut stranger = Browser::new(&state);
        // Reset codes for 王建国's number asked under 李秀英's ID: never sent, no quota used.
        for _ in 0..12 {
            let r = post_from(
                &mut stranger,
                "10.0.0.1",
                "send_sms_code",
                &[
                    ("purpose", "reset_password"),
                    ("phone", "13800138000"),
                    ("kind", "person"),
                    ("login_id", LI_ID),
                ],
            )
            .await;
            assert!(r.status == StatusCode::OK || r.status == StatusCode::UNPROCESSABLE_ENTITY);
            state.clock.advance(61);
        }
        // Registration codes to his number from the stranger's client, until refused.
        let mut refused = false;
        for _ in 0..12 {
            let r = post_from(
                &mut stranger,
                "10.0.0.1",
                "send_sms_code",
                &[("purpose", "register"), ("phone", "13800138000")],
            )
            .await;
            refused |= r.body.contains("上限");
            state.clock.advance(61);
        }
        assert!(refused, "{}: the stranger meets the daily limit", db.label);
        // 王建国 himself still gets his codes, for every purpose.
        let mut owner = Browser::new(&state);
        for (purpose, extra) in [
            ("register", vec![]),
            (
                "reset_password",
                vec![("kind", "person"), ("login_id", WANG_ID)],
            ),
        ] {
            let mut fields = vec![("purpose", purpose), ("phone", "13800138000")];
            fields.extend(extra);
            let r = post_from(&mut owner, "10.0.0.2", "send_sms_code", &fields).await;
            assert_eq!(
                r.status,
                StatusCode::OK,
                "{}: {purpose}: {}",
                db.label,
                r.body
            );
        }
        db.close().await;
    }
}

// ---- 5. Redirects and Host ------------------------------------------------------------------

#[tokio::test]
async fn crafted_next_addresses_stay_on_the_portal_and_never_panic() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        for next in [
            "/\t/evil.example",
            "//evil.example",
            "/\u{1}x",
            "/\r\nX: y",
            "https://evil.example",
        ] {
            let mut b = Browser::new(&state);
            let request = Request::post("/api/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html");
            let reply = b
                .send(
                    request,
                    Body::from(form(&[
                        ("kind", "person"),
                        ("login_id", WANG_ID),
                        ("password", "Demo@2026"),
                        ("next", next),
                    ])),
                )
                .await;
            assert!(reply.status.is_redirection(), "{next:?}: {}", reply.status);
            assert_eq!(reply.headers[header::LOCATION], "/user", "{next:?}");
        }
        db.close().await;
    }
}

#[tokio::test]
async fn production_qr_codes_point_to_the_public_url_whatever_the_host() {
    let db = TestDb::sqlite().await;
    let state = state(&db, PortalEnv::Production);
    common::with_demo_accounts(&state).await;
    let mut desktop = Browser::new(&state);
    desktop.login("person", WANG_ID, "Demo@2026").await;
    let request = Request::post("/api/start_face_check")
        .header(header::HOST, "evil.example")
        .header(header::ACCEPT, "application/json");
    let reply = desktop.send(request, Body::empty()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let url = reply.json()["scan_url"].as_str().unwrap().to_string();
    assert!(url.starts_with(common::PRODUCTION_URL), "{url}");
    db.close().await;
}

// ---- 6. Correctness under attack ------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_renders_whole_signed_in_and_out() {
    let db = TestDb::sqlite().await;
    let state = demo_state(&db).await;
    let mut signed = Browser::new(&state);
    signed.login("person", WANG_ID, "Demo@2026").await;
    let cookie = signed.cookie.clone();
    let routes = [
        "/",
        "/search",
        "/faq",
        "/contact",
        "/login",
        "/register",
        "/forgot-password",
        "/privacy",
        "/user",
        "/user/certificates/manage",
        "/user/settings",
        "/user/security",
        "/user/enterprise",
        "/m",
        "/m/login",
        "/m/scan?t=0000000000000000000000000000000000000000000000000000000000000000",
        "/verify/00000000000000000000000000000000",
        "/no-such-page",
    ];
    for route in routes {
        for who in [None, cookie.clone()] {
            let fetches = (0..20).map(|_| {
                let mut b = Browser::new(&state);
                b.cookie = who.clone();
                tokio::spawn(async move { b.get(route).await })
            });
            for f in fetches {
                let reply = f.await.expect("no panic");
                let signed_in = who.is_some();
                if reply.status.is_redirection() {
                    continue;
                }
                // Whole: the document closed, and the stream not cut off after it (a streamed
                // page ends with its last resource's script).
                let body = reply.body.trim_end();
                assert!(
                    body.contains("</html>")
                        && (body.ends_with("</html>") || body.ends_with("</script>")),
                    "{route} (signed in: {signed_in}): {} cut off: …{}",
                    reply.status,
                    &reply.body[reply.body.len().saturating_sub(200)..]
                );
            }
        }
    }
    db.close().await;
}

#[tokio::test]
async fn opening_the_qr_address_changes_nothing() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut desktop = Browser::new(&state);
        desktop.login("person", WANG_ID, "Demo@2026").await;
        let (ticket, token) = start(&mut desktop).await;
        // His own phone, and another person's, open the link (a cross-site link could).
        for id in [WANG_ID, LI_ID] {
            let mut phone = Browser::new(&state);
            phone.login("person", id, "Demo@2026").await;
            let page = phone.get(&format!("/m/scan?t={token}")).await;
            // The page says whose ticket it is (422 for another person's, as its data says).
            assert!(!page.status.is_server_error(), "{}", page.status);
            let read = phone
                .get(&format!("/api/read_face_ticket?token={token}"))
                .await;
            assert!(read.status.is_success() || read.status.is_client_error());
        }
        let status = desktop
            .get(&format!("/api/face_ticket_status?ticket_id={ticket}"))
            .await;
        assert_eq!(
            status.json()["state"],
            "Waiting",
            "{}: {}",
            db.label,
            status.body
        );
        db.close().await;
    }
}

#[tokio::test]
async fn origin_must_match_in_scheme_host_and_port() {
    let db = TestDb::sqlite().await;
    let state = demo_state(&db).await;
    let login = form(&[
        ("kind", "person"),
        ("login_id", WANG_ID),
        ("password", "Demo@2026"),
    ]);
    for (origin, allowed) in [
        ("http://127.0.0.1:3000", true),
        ("http://127.0.0.1:3001", false),
        ("https://127.0.0.1:3000", false),
        ("http://127.0.0.1:3000.evil.example", false),
        ("null", false),
    ] {
        let mut b = Browser::new(&state);
        let request = Request::post("/api/login")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        let reply = b.send(request, Body::from(login.clone())).await;
        assert_eq!(
            reply.status == StatusCode::FORBIDDEN,
            !allowed,
            "{origin}: {}",
            reply.status
        );
    }
    db.close().await;
}

#[tokio::test]
async fn refusals_are_4xx_with_a_message() {
    let db = TestDb::sqlite().await;
    let state = demo_state(&db).await;
    let mut b = Browser::new(&state);
    let name_only = b.get("/api/search_registry?query[name]=%E7%8E%8B").await;
    assert_eq!(
        name_only.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        name_only.body
    );
    assert!(name_only.body.contains("注册类别"), "{}", name_only.body);
    let unknown = b
        .get("/api/registration?public_id=00000000000000000000000000000000")
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
    let malformed = b
        .send(
            Request::post("/api/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json"),
            Body::from("kind=person&%%%"),
        )
        .await;
    assert_eq!(
        malformed.status,
        StatusCode::BAD_REQUEST,
        "{}",
        malformed.body
    );
    let error: app::platform::error::AppError = serde_json::from_str(&malformed.body).unwrap();
    assert!(error.to_string().contains("提交的内容无法识别"), "{error}");
    db.close().await;
}

// ---- 7. No ID number in any address ---------------------------------------------------------

#[tokio::test]
async fn an_id_search_leaves_no_id_number_in_the_address() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut b = Browser::new(&state);
        let posted = b
            .send(
                Request::post("/search")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
                Body::from(form(&[("id_number", WANG_ID), ("name", "")])),
            )
            .await;
        assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
        let location = posted.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            !location.contains(WANG_ID) && location.contains("k="),
            "{location}"
        );
        let page = b.get(&location).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("110105********0039"),
            "{}: results",
            db.label
        );
        assert!(
            !page.body.contains(WANG_ID),
            "{}: the page holds the number",
            db.label
        );
        // The API does not take the number from an address either.
        let by_url = b
            .get(&format!("/api/search_registry?query[id_number]={WANG_ID}"))
            .await;
        assert_eq!(by_url.status, StatusCode::UNPROCESSABLE_ENTITY);
        // A malformed number comes back as its message, still without the number.
        let bad = b
            .send(
                Request::post("/search")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
                Body::from(form(&[("id_number", "110105198003150038")])),
            )
            .await;
        let location = bad.headers[header::LOCATION].to_str().unwrap().to_string();
        assert!(!location.contains("110105198003150038"), "{location}");
        let page = b.get(&location).await;
        assert!(page.body.contains("校验"), "{}", db.label);
        db.close().await;
    }
}

/// `POST /care` (the 无障碍工具条 without JavaScript) as an attacker would use it: a `next`
/// that leaves the portal, a post from another site, an unknown action, a forged cookie.
#[tokio::test]
async fn the_care_form_keeps_its_cookie_and_goes_back_only_within_the_portal() {
    let db = TestDb::sqlite().await;
    let state = common::state(&db, PortalEnv::Development);
    let mut b = common::Browser::new(&state);
    let post = |body: &str| {
        (
            Request::post("/care")
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
            Body::from(body.to_string()),
        )
    };
    for (next, back_to) in [
        ("%2Ffaq%3Fq%3D1", "/faq?q=1"),
        ("%2F%2Fevil.example", "/"),
        ("https%3A%2F%2Fevil.example%2F", "/"),
        ("%2F%09%2Fevil.example", "/"),
        ("", "/"),
    ] {
        b.cookie = None;
        let (request, body) = post(&format!("do=elder&next={next}"));
        let reply = b.send(request, body).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(reply.headers[header::LOCATION], back_to, "{next}");
        assert_eq!(b.cookie.as_deref(), Some("portal_care=elder"), "{next}");
    }
    // The choice builds on what the cookie held; a forged value is only ignored.
    b.cookie = Some("portal_care=elder.<script>.z999".into());
    let (request, body) = post("do=zoom-in&next=%2F");
    b.send(request, body).await;
    assert_eq!(b.cookie.as_deref(), Some("portal_care=elder.z125"));
    // Unknown action: refused, the cookie untouched.
    let (request, body) = post("do=drop&next=%2F");
    assert_eq!(b.send(request, body).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(b.cookie.as_deref(), Some("portal_care=elder.z125"));
    // From another site: refused like every state-changing request.
    let (request, body) = post("do=reset&next=%2F");
    let reply = b
        .send(request.header(header::ORIGIN, "https://evil.example"), body)
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(b.cookie.as_deref(), Some("portal_care=elder.z125"));
    db.close().await;
}

// ---- Attack review (issue 24): IPv6 networks and a staging server on the network ----

/// A search from the IPv6 client at `peer`.
async fn search_from_v6(state: &app::platform::state::AppState, peer: &str) -> StatusCode {
    let addr: SocketAddr = format!("[{peer}]:40000").parse().unwrap();
    let mut b = Browser::new(state);
    b.send(
        Request::get("/api/search_registry?query[reg_no]=%E4%BA%AC1112010000001")
            .extension(ConnectInfo(addr)),
        Body::empty(),
    )
    .await
    .status
}

#[tokio::test]
async fn one_subscribers_ipv6_networks_share_one_limit() {
    for db in TestDb::all().await {
        let limits = app::platform::state::Limits {
            search_per_minute: 2,
            ..Default::default()
        };
        let state = common::state_with_limits(&db, PortalEnv::Development, limits);
        // The attacker's /56 holds 256 /64s; each of 80 of them asks once.
        let mut answered = 0;
        for n in 0..80u16 {
            let peer = format!("2001:db8:77:{:x}::1", 0x4200 + n);
            if search_from_v6(&state, &peer).await == StatusCode::OK {
                answered += 1;
            }
        }
        assert_eq!(answered, 2, "{}: one /56 is one client", db.label);
        // Another subscriber (the next /56) has a window of its own.
        assert_eq!(
            search_from_v6(&state, "2001:db8:77:4300::1").await,
            StatusCode::OK
        );
        db.close().await;
    }
}

#[tokio::test]
async fn a_staging_server_refuses_to_listen_beyond_this_machine() {
    for listen in ["0.0.0.0:0", "[::]:0", "192.0.2.10:3000"] {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", "sqlite::memory:")
            .env("PORTAL_ENV", "production")
            .env("PORTAL_STAGING", "1")
            .env("PORTAL_PUBLIC_URL", "https://127.0.0.1:8443")
            .env("PORTAL_DATA_KEY", "staging-data-key-staging-data-key-0001")
            .env("LEPTOS_SITE_ADDR", listen)
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("LEPTOS_OUTPUT_NAME", "portal")
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("server binary runs");
        let stderr = child.stderr.take().unwrap();
        let ended = tokio::time::timeout(std::time::Duration::from_secs(20), child.wait()).await;
        let status = ended
            .unwrap_or_else(|_| panic!("a staging server started on {listen}"))
            .unwrap();
        assert!(!status.success(), "{listen}");
        let mut text = String::new();
        tokio::io::AsyncReadExt::read_to_string(&mut tokio::io::BufReader::new(stderr), &mut text)
            .await
            .unwrap();
        assert!(text.contains("只能监听本机地址"), "{listen}: {text}");
    }
}
