//! Accounts through the HTTP surface a browser uses (server functions behind the router), on
//! SQLite and PostgreSQL: registration, duplicates, the phone rule, SMS code rules, lockout,
//! session expiry, cross-origin refusal, and the account settings.

use crate::common::{Browser, DATA_KEY, Reply, TestDb, outbox_code, state, with_demo_accounts};
use app::platform::state::PortalEnv;
use axum::body::Body;
use http::{Request, StatusCode, header};

const WANG_ID: &str = "110105198003150039";
const ZHAO_ID: &str = "110108200001010015";
const LIU_ID: &str = "440106197501200033";

async fn register_person(b: &mut Browser, name: &str, id: &str, phone: &str, code: &str) -> Reply {
    b.post(
        "register_person",
        &[
            ("name", name),
            ("id_number", id),
            ("phone", phone),
            ("sms_code", code),
            ("password", "Zhao@2026x"),
            ("password_confirm", "Zhao@2026x"),
            ("consent", "on"),
        ],
    )
    .await
}

/// 刘志强 registers 华南示范设计院有限公司 (in the development enterprise registry) as its
/// legal representative, with his phone.
async fn register_enterprise(b: &mut Browser, credit_code: &str, sms_code: &str) -> Reply {
    b.post(
        "register_enterprise",
        &[
            ("org_name", "华南示范设计院有限公司"),
            ("credit_code", credit_code),
            ("legal_name", "刘志强"),
            ("legal_id_number", LIU_ID),
            ("phone", "13500135000"),
            ("sms_code", sms_code),
            ("password", "Liu@2026xx"),
            ("password_confirm", "Liu@2026xx"),
            ("consent", "on"),
        ],
    )
    .await
}

#[tokio::test]
async fn registration_creates_an_account_once_per_id_number() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        let mut b = Browser::new(&state);
        let sent = b.send_code("register", "13700137001", &[]).await;
        assert_eq!(sent.status, StatusCode::OK, "{}: {}", db.label, sent.body);
        assert_eq!(sent.json()["phone_masked"], "137****7001");
        let code = outbox_code(&state, "13700137001").await;

        let reply = register_person(&mut b, "赵新民", ZHAO_ID, "13700137001", &code).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", db.label, reply.body);
        assert_eq!(
            reply.headers.get(header::LOCATION).unwrap(),
            "/login?registered=person"
        );
        let ok = b.login("person", ZHAO_ID, "Zhao@2026x").await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert_eq!(b.current_user().await["display_name"], "赵**");

        // The same ID number again, with another phone: refused once the phone is proven.
        let mut other = Browser::new(&state);
        other.send_code("register", "13700137002", &[]).await;
        let code = outbox_code(&state, "13700137002").await;
        let again = register_person(&mut other, "赵新民", ZHAO_ID, "13700137002", &code).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            again
                .field_message("id_number")
                .contains("该身份证号已注册"),
            "{}",
            again.body
        );

        // A name that does not belong to the number fails the identity check (FAQ 5); every
        // identity question costs a fresh code.
        state.clock.advance(61);
        other.send_code("register", "13700137002", &[]).await;
        let code = outbox_code(&state, "13700137002").await;
        let wrong = register_person(&mut other, "赵新明", LIU_ID, "13700137002", &code).await;
        assert!(
            wrong.field_message("id_number").contains("CTID"),
            "{}",
            wrong.body
        );
        // A bad check digit is named as such.
        let bad = register_person(
            &mut other,
            "刘志强",
            "440106197501200034",
            "13700137002",
            &code,
        )
        .await;
        assert!(
            bad.field_message("id_number").contains("校验位"),
            "{}",
            bad.body
        );
        db.close().await;
    }
}

#[tokio::test]
async fn a_phone_bound_to_another_person_is_refused_but_a_persons_own_accounts_may_share_it() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        with_demo_accounts(&state).await;
        let mut b = Browser::new(&state);
        // 王建国's phone, for 赵新民: refused when registering, once the phone is proven (asking
        // for a code says nothing about whose the number is).
        b.send_code("register", "13800138000", &[]).await;
        let code = outbox_code(&state, "13800138000").await;
        let reply = register_person(&mut b, "赵新民", ZHAO_ID, "13800138000", &code).await;
        assert_eq!(reply.field_message("phone"), "当前手机号已被其他人员绑定");

        // 刘志强 registers an enterprise as its legal representative, then himself with the
        // same phone: one person, so allowed.
        b.send_code("register", "13500135000", &[]).await;
        let code = outbox_code(&state, "13500135000").await;
        let enterprise = register_enterprise(&mut b, "91440101MA5CXXXX0A", &code).await;
        // The made-up code above has a wrong check character: the message says so.
        assert!(
            enterprise.field_message("credit_code").contains("校验"),
            "{}",
            enterprise.body
        );
        let enterprise = register_enterprise(&mut b, "91440101MA5CQRT837", &code).await;
        assert_eq!(
            enterprise.status,
            StatusCode::OK,
            "{}: {}",
            db.label,
            enterprise.body
        );
        state.clock.advance(61);
        b.send_code("register", "13500135000", &[]).await;
        let code = outbox_code(&state, "13500135000").await;
        let person = register_person(&mut b, "刘志强", LIU_ID, "13500135000", &code).await;
        assert_eq!(person.status, StatusCode::OK, "{}", person.body);
        db.close().await;
    }
}

#[tokio::test]
async fn sms_codes_expire_allow_five_tries_wait_a_minute_and_stop_at_ten_a_day() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        // Exact seconds are counted below: the wall clock must not tick between two requests.
        state.clock.freeze();
        let mut b = Browser::new(&state);
        let phone = "13700137009";
        assert_eq!(
            b.send_code("register", phone, &[]).await.status,
            StatusCode::OK
        );
        // Cooldown: 60 s between two codes to one number.
        let soon = b.send_code("register", phone, &[]).await;
        assert_eq!(soon.status, StatusCode::TOO_MANY_REQUESTS, "{}", db.label);
        assert_eq!(soon.json()["TooSoon"], 60);
        state.clock.advance(30);
        assert_eq!(
            b.send_code("register", phone, &[]).await.json()["TooSoon"],
            30
        );

        // Expiry: a code is worth 5 minutes.
        let code = outbox_code(&state, phone).await;
        state.clock.advance(5 * 60);
        let expired = register_person(&mut b, "赵新民", ZHAO_ID, phone, &code).await;
        assert!(
            expired.field_message("sms_code").contains("已过期"),
            "{}",
            expired.body
        );

        // Tries: four wrong answers say how many are left, the fifth kills the code, and then
        // even the right one is refused.
        assert_eq!(
            b.send_code("register", phone, &[]).await.status,
            StatusCode::OK
        );
        let code = outbox_code(&state, phone).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for left in (1..=4).rev() {
            let r = register_person(&mut b, "赵新民", ZHAO_ID, phone, wrong).await;
            assert_eq!(
                r.field_message("sms_code"),
                format!("验证码不正确,还可尝试{left}次")
            );
        }
        let fifth = register_person(&mut b, "赵新民", ZHAO_ID, phone, wrong).await;
        assert!(fifth.field_message("sms_code").contains("错误次数过多"));
        let right = register_person(&mut b, "赵新民", ZHAO_ID, phone, &code).await;
        assert!(
            right.field_message("sms_code").contains("错误次数过多"),
            "{}",
            right.body
        );

        // A day holds ten codes per number (two sent above).
        for _ in 0..8 {
            state.clock.advance(61);
            let r = b.send_code("register", phone, &[]).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        state.clock.advance(61);
        let eleventh = b.send_code("register", phone, &[]).await;
        assert!(
            eleventh.field_message("phone").contains("上限"),
            "{}",
            eleventh.body
        );
        state.clock.advance(86_400);
        assert_eq!(
            b.send_code("register", phone, &[]).await.status,
            StatusCode::OK
        );
        // The code is stored hashed: the table never holds the digits.
        let stored: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM sms_codes")
            .fetch_all(&state.db)
            .await
            .unwrap();
        let latest = outbox_code(&state, phone).await;
        assert!(stored.iter().all(|h| h.len() == 64 && !h.contains(&latest)));
        db.close().await;
    }
}

#[tokio::test]
async fn five_wrong_passwords_lock_for_thirty_minutes_for_known_and_unknown_ids_alike() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        with_demo_accounts(&state).await;
        let mut b = Browser::new(&state);
        for id in [WANG_ID, ZHAO_ID] {
            for left in (1..=4).rev() {
                let r = b.login("person", id, "Wrong@2026").await;
                assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
                assert_eq!(
                    r.field_message("password"),
                    format!("身份证号或密码错误,还可尝试{left}次(连续错误5次将锁定账户30分钟)"),
                    "{}: {id}",
                    db.label
                );
            }
            let locked = b.login("person", id, "Wrong@2026").await;
            assert!(
                locked.field_message("password").contains("账户已锁定,请于"),
                "{}",
                locked.body
            );
        }
        // Locked: even the right password is refused, with the time it ends.
        let still = b.login("person", WANG_ID, "Demo@2026").await;
        assert!(
            still.field_message("password").contains("账户已锁定"),
            "{}",
            still.body
        );
        assert!(b.current_user().await.is_null());
        state.clock.advance(30 * 60 + 1);
        let ok = b.login("person", WANG_ID, "Demo@2026").await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);

        // The lock, the failures and the login are in the account's 安全记录.
        let account = app::accounts::repo::by_login_key(
            &state.db,
            &app::accounts::repo::person_login_key(&app::domain::person::id_digest(
                DATA_KEY, WANG_ID,
            )),
        )
        .await
        .unwrap()
        .unwrap();
        use app::accounts::repo::count_events;
        use app::platform::audit;
        assert_eq!(
            count_events(&state.db, account.id, audit::LOGIN_FAILED)
                .await
                .unwrap(),
            4
        );
        assert_eq!(
            count_events(&state.db, account.id, audit::LOCKED)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            count_events(&state.db, account.id, audit::LOGIN)
                .await
                .unwrap(),
            1
        );

        // 找回密码 lifts a lock at once.
        let mut c = Browser::new(&state);
        for _ in 0..5 {
            c.login("person", WANG_ID, "Wrong@2026").await;
        }
        let reset_code = c
            .send_code(
                "reset_password",
                "13800138000",
                &[("kind", "person"), ("login_id", WANG_ID)],
            )
            .await;
        assert_eq!(reset_code.status, StatusCode::OK, "{}", reset_code.body);
        let code = outbox_code(&state, "13800138000").await;
        let reset = c
            .post(
                "reset_password",
                &[
                    ("kind", "person"),
                    ("login_id", WANG_ID),
                    ("phone", "13800138000"),
                    ("sms_code", &code),
                    ("password", "Wang@2027x"),
                    ("password_confirm", "Wang@2027x"),
                ],
            )
            .await;
        assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
        // Every session of the account ended with the reset.
        assert!(b.current_user().await.is_null());
        assert_eq!(
            c.login("person", WANG_ID, "Wang@2027x").await.status,
            StatusCode::OK
        );
        db.close().await;
    }
}

#[tokio::test]
async fn sessions_end_after_thirty_idle_minutes_and_twelve_hours_and_change_id_at_login() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        with_demo_accounts(&state).await;
        let mut b = Browser::new(&state);
        let reply = b.login("person", WANG_ID, "Demo@2026").await;
        let cookie = reply
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(cookie.starts_with("portal_session="), "{cookie}");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        assert!(!cookie.contains("Secure"), "development runs on plain http");
        let first = b.cookie.clone().unwrap();
        let left = b.current_user().await["idle_seconds_left"]
            .as_i64()
            .unwrap();
        assert!((1795..=1800).contains(&left), "{left}");

        // A new id at each login; the old one is dead.
        b.login("person", WANG_ID, "Demo@2026").await;
        let second = b.cookie.clone().unwrap();
        assert_ne!(first, second);
        let mut old = Browser::new(&state);
        old.cookie = Some(first);
        assert!(old.current_user().await.is_null(), "{}", db.label);

        // Activity keeps the session; 30 idle minutes end it.
        state.clock.advance(29 * 60);
        assert_eq!(b.current_user().await["display_name"], "王**");
        state.clock.advance(29 * 60);
        assert!(!b.current_user().await.is_null());
        state.clock.advance(30 * 60);
        assert!(b.current_user().await.is_null());
        assert!(b.cookie.is_none(), "the stale cookie is cleared");

        // However active, 12 hours end it; 继续使用 (keep_alive) restarts the idle clock.
        b.login("person", WANG_ID, "Demo@2026").await;
        for _ in 0..(12 * 60 / 20) - 1 {
            state.clock.advance(20 * 60);
            let user = b.post("keep_alive", &[]).await.json();
            assert!(!user.is_null());
        }
        state.clock.advance(20 * 60);
        assert!(b.current_user().await.is_null());

        // Logout ends the session on the server.
        b.login("person", WANG_ID, "Demo@2026").await;
        let cookie = b.cookie.clone();
        b.post("logout", &[]).await;
        let mut replay = Browser::new(&state);
        replay.cookie = cookie;
        assert!(replay.current_user().await.is_null());
        db.close().await;
    }
}

#[tokio::test]
async fn production_cookies_are_secure_and_the_outbox_is_hidden() {
    let db = TestDb::sqlite().await;
    let state = state(&db, PortalEnv::Production);
    with_demo_accounts(&state).await;
    let mut b = Browser::new(&state);
    let reply = b.login("person", WANG_ID, "Demo@2026").await;
    let cookie = reply
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(cookie.starts_with("__Host-portal_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/")
    );
    assert!(!b.current_user().await.is_null());
    assert_eq!(b.get("/dev/sms-outbox").await.status, StatusCode::NOT_FOUND);
    db.close().await;
}

#[tokio::test]
async fn state_changing_requests_from_another_origin_are_refused() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        with_demo_accounts(&state).await;
        let mut b = Browser::new(&state);
        let form = format!("kind=person&login_id={WANG_ID}&password=Demo%402026");
        for (name, value) in [
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ] {
            let request = Request::post("/api/login")
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(name, value);
            let reply = b.send(request, Body::from(form.clone())).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{name}");
            assert!(b.cookie.is_none());
        }
        let same = Request::post("/api/login")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        assert_eq!(b.send(same, Body::from(form)).await.status, StatusCode::OK);
        db.close().await;
    }
}

#[tokio::test]
async fn account_settings_change_phone_and_password_and_the_security_log() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        with_demo_accounts(&state).await;
        let mut b = Browser::new(&state);
        assert_eq!(
            b.get("/api/account_settings").await.status,
            StatusCode::UNAUTHORIZED
        );
        b.login("person", "310104199007220044", "Demo@2026").await;
        let settings = b.get("/api/account_settings").await.json();
        assert_eq!(
            settings["id_number_masked"], "310104********0044",
            "{}",
            db.label
        );
        assert_eq!(settings["phone_masked"], "139****9000");
        assert_eq!(settings["name_masked"], "李**");

        // To 王建国's number: refused. To a free one: needs its code and the password.
        let sent = b.send_code("change_phone", "13800138000", &[]).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let code = outbox_code(&state, "13800138000").await;
        let taken = b
            .post(
                "change_phone",
                &[
                    ("phone", "13800138000"),
                    ("sms_code", &code),
                    ("password", "Demo@2026"),
                ],
            )
            .await;
        assert_eq!(taken.field_message("phone"), "当前手机号已被其他人员绑定");
        assert_eq!(
            b.send_code("change_phone", "13600136000", &[]).await.status,
            StatusCode::OK
        );
        let code = outbox_code(&state, "13600136000").await;
        let bad_password = b
            .post(
                "change_phone",
                &[
                    ("phone", "13600136000"),
                    ("sms_code", &code),
                    ("password", "Nope@2026"),
                ],
            )
            .await;
        assert!(
            bad_password
                .field_message("password")
                .starts_with("当前登录密码不正确"),
            "{}",
            bad_password.body
        );
        let changed = b
            .post(
                "change_phone",
                &[
                    ("phone", "13600136000"),
                    ("sms_code", &code),
                    ("password", "Demo@2026"),
                ],
            )
            .await;
        assert_eq!(changed.json(), "136****6000", "{}", changed.body);

        // 修改密码 ends the other sessions and keeps this one.
        let mut other = Browser::new(&state);
        other
            .login("person", "310104199007220044", "Demo@2026")
            .await;
        let weak = b
            .post(
                "change_password",
                &[
                    ("current_password", "Demo@2026"),
                    ("password", "password1"),
                    ("password_confirm", "password1"),
                ],
            )
            .await;
        assert!(
            weak.field_message("password").contains("至少三种"),
            "{}",
            weak.body
        );
        let ok = b
            .post(
                "change_password",
                &[
                    ("current_password", "Demo@2026"),
                    ("password", "Li@2027xyz"),
                    ("password_confirm", "Li@2027xyz"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert!(!b.current_user().await.is_null());
        assert!(other.current_user().await.is_null());

        let log = b.get("/api/security_log").await.json();
        let labels: Vec<&str> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["label"].as_str().unwrap())
            .collect();
        // Newest first: the password change, the other browser's login, the phone change, the
        // wrong current password tried before it.
        assert_eq!(
            labels[..5],
            [
                "修改密码",
                "登录成功",
                "修改手机号",
                "当前密码验证失败",
                "登录成功"
            ],
            "{labels:?}"
        );
        let phone_event = &log.as_array().unwrap()[2];
        assert_eq!(phone_event["detail"], "139****9000 → 136****6000");
        // Nothing in the log or the replies carries a whole number.
        assert!(
            !b.get("/api/security_log")
                .await
                .body
                .contains("13600136000")
        );
        db.close().await;
    }
}

/// Registrations at the same moment all go in on SQLite: a transaction that read before it
/// wrote was refused with "database is locked" when another committed in between (seen as a
/// 500 under the Playwright run's load); write transactions now take the lock when they begin.
#[tokio::test]
async fn concurrent_account_creations_all_go_in() {
    use app::accounts::repo::{NewAccount, create};
    use app::domain::account::AccountKind;
    use app::domain::account::AccountStatus;
    for db in TestDb::all().await {
        let mut tasks = Vec::new();
        for i in 0..40 {
            let pool = db.pool.clone();
            tasks.push(tokio::spawn(async move {
                let key = format!("P:concurrent-{i}");
                let phone = format!("1370000{i:04}");
                let new = NewAccount {
                    kind: AccountKind::Person,
                    status: AccountStatus::Active,
                    login_key: &key,
                    person_digest: &key,
                    name: "并发测试",
                    id_number_masked: "110105********0039",
                    id_kind: app::domain::DocumentKind::ResidentId,
                    id_country: "",
                    org_name: None,
                    credit_code: None,
                    phone: &phone,
                    password_hash: "",
                };
                create(&pool, &new, 1_800_000_000).await.map(|_| ())
            }));
        }
        for task in tasks {
            let done = task.await.unwrap();
            assert!(done.is_ok(), "{}: {:?}", db.label, done.err());
        }
        db.close().await;
    }
}
