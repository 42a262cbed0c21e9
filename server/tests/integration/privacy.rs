//! A citizen's rights over their data (issue 31), on SQLite and PostgreSQL: 注销账户 with its
//! cooling-off, 撤销注销 and the deletion that follows (credentials revoked in their status
//! list, a tombstone in place of the person, copies still verifiable), 个人信息导出 (content,
//! masking, a recent sign-in, the day's limit), the retention purge with a fake clock (exactly
//! what goes and what stays, one server at a time, idempotent, counted in `/metrics`), and
//! 隐私政策 printing the purge's own table. Written as their attackers would try them: a
//! stolen session without the SMS code, another account, a closing account's old session.

use crate::common::{Browser, TestDb, demo_state, face_checked_desktop, outbox_code};
use crate::credentials::{marked, slot_of};
use app::privacy::{purge, retention};
use http::StatusCode;
use sqlx::Row;

const LI: &str = "310104199007220044";
const LI_PHONE: &str = "13900139000";
const WANG: &str = "110105198003150039";
const DAY: i64 = 86_400;

async fn scalar(db: &TestDb, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

/// 李秀英 asks to close her account from `b` (signed in), with her password and the code sent
/// to her phone.
async fn request_closing(b: &mut Browser, password: &str) -> crate::common::Reply {
    // A minute apart: one client may ask a number for a code once a minute.
    b.state.clock.advance(61);
    let sent = b.send_code("close_account", LI_PHONE, &[]).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let code = outbox_code(&b.state, LI_PHONE).await;
    b.post(
        "request_closing",
        &[
            ("password", password),
            ("sms_code", &code),
            ("confirm", "on"),
        ],
    )
    .await
}

#[tokio::test]
async fn closing_locks_at_once_can_be_cancelled_and_deletes_after_the_cooling_off() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        // Before: a copy handed out, a credential exported, a grant made.
        let mut li = face_checked_desktop(&state, LI).await;
        let cert = li.get("/api/my_certificates").await.json()[0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let copy = li
            .post(
                "annotate_certificate",
                &[("certificate_id", &cert), ("purpose", "投标使用")],
            )
            .await;
        assert_eq!(copy.status, StatusCode::OK, "{}", copy.body);
        let code: String =
            sqlx::query_scalar("SELECT verify_code FROM annotations ORDER BY id DESC")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        let issued = li
            .post(
                "issue_credential",
                &[
                    ("certificate_id", &cert),
                    ("disclose", "name"),
                    ("holder_jwk", ""),
                ],
            )
            .await;
        assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
        let (list, idx) = slot_of(&issued.json());
        crate::evaluation::grant(&mut li).await;

        // A stolen session without the phone: no code, a wrong code, or the code sent to
        // another number (refused before it goes) — the account stays.
        let mut thief = Browser::new(&state);
        thief.login("person", LI, "Demo@2026").await;
        let r = thief
            .post(
                "request_closing",
                &[
                    ("password", "Demo@2026"),
                    ("sms_code", "123456"),
                    ("confirm", "on"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = thief.send_code("close_account", "13700137999", &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.field_message("phone").contains("绑定"), "{}", r.body);
        // The password is asked too: a code alone is not enough.
        let r = request_closing(&mut thief, "Wrong@2026x").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let status: String =
            sqlx::query_scalar("SELECT status FROM accounts WHERE name = '李秀英'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(status, "active", "{}", db.label);
        // An enterprise account cannot use the person's way.
        let mut enterprise = Browser::new(&state);
        enterprise
            .login("enterprise", "91110000MA01ABCD1M", "Demo@2026")
            .await;
        let r = enterprise
            .post(
                "request_closing",
                &[
                    ("password", "Demo@2026"),
                    ("sms_code", "123456"),
                    ("confirm", "on"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        // A claim on an enterprise naming her, waiting for her confirmation.
        let mut claimant = Browser::new(&state);
        claimant.state.clock.advance(61);
        claimant.send_code("register", "13700137444", &[]).await;
        let sms = outbox_code(&state, "13700137444").await;
        let claimed = claimant
            .post(
                "register_enterprise",
                &[
                    ("org_name", "沪上示范工程咨询有限公司"),
                    ("credit_code", "91310000MA1KXYW12M"),
                    ("legal_name", "李秀英"),
                    ("legal_id_number", LI),
                    ("phone", "13700137444"),
                    ("sms_code", &sms),
                    ("password", "Ent@2026xx"),
                    ("password_confirm", "Ent@2026xx"),
                    ("consent", "on"),
                ],
            )
            .await;
        assert_eq!(claimed.status, StatusCode::OK, "{}", claimed.body);
        let pending = "SELECT COUNT(*) FROM accounts WHERE credit_code = '91310000MA1KXYW12M' \
                       AND status = 'pending'";
        assert_eq!(scalar(&db, pending).await, 1);

        // Asked with both: locked at once, every session ended (the thief's too).
        let asked = request_closing(&mut li, "Demo@2026").await;
        assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
        assert_eq!(li.current_user().await, serde_json::Value::Null);
        assert_eq!(thief.current_user().await, serde_json::Value::Null);
        // Signing in within the cooling-off offers only 撤销注销.
        let mut back = Browser::new(&state);
        let login = back.login("person", LI, "Demo@2026").await;
        assert_eq!(login.status, StatusCode::OK, "{}", login.body);
        let me = back.current_user().await;
        assert!(me["closing_until"].as_str().is_some(), "{me}");
        let refused = back.get("/api/account_settings").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert!(refused.body.contains("撤销注销"), "{}", refused.body);
        assert_eq!(back.get("/api/my_data").await.status, StatusCode::FORBIDDEN);
        // Another account cannot cancel it: 撤销 acts on the caller's own account.
        let mut wang = Browser::new(&state);
        wang.login("person", WANG, "Demo@2026").await;
        let r = wang.post("cancel_closing", &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        // 撤销注销: the account works again.
        let kept = back.post("cancel_closing", &[]).await;
        assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
        assert_eq!(
            back.get("/api/account_settings").await.status,
            StatusCode::OK
        );
        // The SMS told both steps.
        app::platform::notices::send_due(&state.db, state.sms.as_ref(), state.clock.now())
            .await
            .unwrap();
        let texts: Vec<String> =
            app::accounts::sms::repo::outbox_list(&state.db, Some(LI_PHONE), 10)
                .await
                .unwrap()
                .into_iter()
                .map(|m| m.text)
                .collect();
        assert!(texts.iter().any(|t| t.contains("已受理")), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("已撤销")), "{texts:?}");

        // Asked again; a purge within the cooling-off deletes nothing.
        let asked = request_closing(&mut back, "Demo@2026").await;
        assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
        state.clock.advance(6 * DAY);
        let pass = purge::run(&state.db, state.sms.as_ref(), state.clock.now())
            .await
            .unwrap();
        assert!(pass.ran);
        assert_eq!(pass.of("closing"), 0);
        // After 7 days: deleted.
        state.clock.advance(DAY + 60);
        let pass = purge::run(&state.db, state.sms.as_ref(), state.clock.now())
            .await
            .unwrap();
        assert_eq!(pass.of("closing"), 1, "{}: {pass:?}", db.label);
        let mut again = Browser::new(&state);
        let login = again.login("person", LI, "Demo@2026").await;
        assert_ne!(login.status, StatusCode::OK, "{}", login.body);
        // Her pending claim lapsed with her: nobody can confirm it now.
        assert_eq!(scalar(&db, pending).await, 0, "{}", db.label);
        // What went: every personal field, sessions, grants; the tombstone holds nothing.
        let row = sqlx::query(
            "SELECT status, public_id, login_key, name, phone, password_hash, person_digest, \
             id_number_masked FROM accounts WHERE id = (SELECT account_id FROM annotations \
             ORDER BY id DESC LIMIT 1)",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(row.get::<String, _>("status"), "deleted");
        assert!(row.get::<String, _>("public_id").starts_with('D'));
        for column in [
            "name",
            "phone",
            "password_hash",
            "person_digest",
            "id_number_masked",
        ] {
            assert_eq!(row.get::<String, _>(column), "", "{column}");
        }
        assert_eq!(
            scalar(
                &db,
                "SELECT COUNT(*) FROM grants g JOIN accounts a ON a.id = g.account_id \
                 WHERE a.status = 'deleted'"
            )
            .await,
            0
        );
        // The credential is revoked in its status list; the copy still verifies.
        let mut verifier = Browser::new(&state);
        assert!(marked(&mut verifier, list, idx).await, "{}", db.label);
        let verified = verifier
            .get(&format!("/api/verify_copy?code={code}"))
            .await
            .json();
        assert!(
            verified.to_string().contains("投标使用"),
            "{}: {verified}",
            db.label
        );
        // The 安全记录 stays, keyed by the tombstone.
        assert!(
            scalar(
                &db,
                "SELECT COUNT(*) FROM audit_events e JOIN accounts a ON a.id = e.account_id \
                 WHERE a.status = 'deleted' AND e.kind = 'account_deleted'"
            )
            .await
                == 1
        );
        // The deletion's SMS went to the number before it was removed.
        let texts: Vec<String> =
            app::accounts::sms::repo::outbox_list(&state.db, Some(LI_PHONE), 10)
                .await
                .unwrap()
                .into_iter()
                .map(|m| m.text)
                .collect();
        assert!(texts.iter().any(|t| t.contains("完成注销")), "{texts:?}");
        // Its tombstone outlives its period while an exported credential's status entry
        // names it (those rows are never deleted); it holds nothing personal.
        state.clock.advance(retention::TOMBSTONES.seconds() + DAY);
        let pass = purge::run(&state.db, state.sms.as_ref(), state.clock.now())
            .await
            .unwrap();
        assert_eq!(pass.of("tombstones"), 0, "{pass:?}");
        // The same person may register again: the login key is free.
        let key = app::accounts::repo::person_login_key(&app::domain::person::id_digest(
            crate::common::DATA_KEY,
            LI,
        ));
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE login_key = $1")
            .bind(&key)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(taken, 0, "{}", db.label);
        db.close().await;
    }
}

#[tokio::test]
async fn an_export_holds_everything_masked_needs_a_recent_sign_in_and_is_limited() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut wang = face_checked_desktop(&state, WANG).await;
        let data = wang.get("/api/my_data").await;
        assert_eq!(data.status, StatusCode::OK, "{}", data.body);
        let d = data.json();
        assert_eq!(d["account"]["name"], "王建国");
        assert_eq!(d["account"]["id_number_masked"], "110105********0039");
        assert!(!data.body.contains(WANG), "the full number is never held");
        assert_eq!(d["registrations"].as_array().unwrap().len(), 2, "{d}");
        assert!(
            d["security_log"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["label"] == "人脸识别认证"),
            "{d}"
        );
        // Another account's export is its own: 李秀英 sees nothing of 王建国.
        let mut li = Browser::new(&state);
        li.login("person", LI, "Demo@2026").await;
        let hers = li.get("/api/my_data").await;
        assert_eq!(hers.status, StatusCode::OK, "{}", hers.body);
        assert!(!hers.body.contains("王建国"), "{}", hers.body);
        // The file: JSON, to keep, never cached.
        let file = wang.get("/user/data.json").await;
        assert_eq!(file.status, StatusCode::OK, "{}", file.body);
        assert!(
            file.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        assert_eq!(file.headers["cache-control"], "no-store");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&file.body).unwrap()["account"]["name"],
            "王建国"
        );
        // Started by a page elsewhere (the browser says so): refused, nothing spent.
        let cross = wang
            .send(
                http::Request::get("/user/data.json").header("sec-fetch-site", "cross-site"),
                axum::body::Body::empty(),
            )
            .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);
        // Signed out: nothing.
        let mut nobody = Browser::new(&state);
        assert_eq!(
            nobody.get("/user/data.json").await.status,
            StatusCode::UNAUTHORIZED
        );
        // Eleven minutes after signing in: the password first.
        state.clock.advance(11 * 60);
        wang.get("/api/current_user").await;
        let stale = wang.get("/api/my_data").await;
        assert_eq!(stale.status, StatusCode::FORBIDDEN, "{}", stale.body);
        assert!(stale.body.contains("10 分钟"), "{}", stale.body);
        let wrong = wang
            .post("sign_in_again", &[("password", "Wrong@2026x")])
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            wrong.body
        );
        let again = wang
            .post("sign_in_again", &[("password", "Demo@2026")])
            .await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        assert_eq!(wang.get("/api/my_data").await.status, StatusCode::OK);
        // Five a day (two made above), logged in 安全记录.
        for _ in 0..2 {
            assert_eq!(wang.get("/api/my_data").await.status, StatusCode::OK);
        }
        let sixth = wang.get("/api/my_data").await;
        assert_eq!(sixth.status, StatusCode::FORBIDDEN, "{}", sixth.body);
        assert!(sixth.body.contains("上限"), "{}", sixth.body);
        assert_eq!(
            scalar(
                &db,
                "SELECT COUNT(*) FROM audit_events WHERE kind = 'data_exported'"
            )
            .await,
            6,
            "five of 王建国's and one of 李秀英's"
        );
        db.close().await;
    }
}

#[tokio::test]
async fn the_purge_removes_exactly_what_passed_its_period_once_and_counts_it() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let t0 = state.clock.now();
        // His certificates exist once he has looked at them; a grant of one for 7 days.
        let mut wang = face_checked_desktop(&state, WANG).await;
        crate::evaluation::grant(&mut wang).await;
        // One use record and one SMS in the outbox at t0.
        let inserted = sqlx::query(
            "INSERT INTO certificate_uses (certificate_id, kind, subject, organisation, \
             ip_masked, browser, created_at) SELECT id, 'copy', 's', 'o', '1.2.*.*', 'b', $1 \
             FROM certificates LIMIT 1",
        )
        .bind(t0)
        .execute(&db.pool)
        .await
        .unwrap();
        assert_eq!(inserted.rows_affected(), 1);
        let logs = |db: &TestDb| {
            let pool = db.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_events")
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        Browser::new(&state)
            .send_code("register", "13700137555", &[])
            .await;
        let before = logs(&db).await;
        assert!(before > 0);
        let sms = state.sms.as_ref();

        // The grant ends after 7 days and is kept 30 more; the face check's ticket and the SMS
        // code a day after they expired; the outbox 7 days.
        state
            .clock
            .advance(7 * DAY + retention::ENDED_GRANTS.seconds() - DAY);
        let pass = purge::run(&state.db, sms, state.clock.now()).await.unwrap();
        assert_eq!(pass.of("ended_grants"), 0, "{pass:?}");
        assert!(
            pass.of("short_lived") > 0,
            "the face-check ticket: {pass:?}"
        );
        assert!(pass.of("sms_outbox") > 0, "{pass:?}");
        state.clock.advance(2 * DAY);
        let pass = purge::run(&state.db, sms, state.clock.now()).await.unwrap();
        assert_eq!(pass.of("ended_grants"), 1, "{pass:?}");
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM grants").await, 0);

        // A day before the security record's period ends, it stays.
        state
            .clock
            .advance(t0 + retention::SECURITY_LOG.seconds() - DAY - state.clock.now());
        let pass = purge::run(&state.db, sms, state.clock.now()).await.unwrap();
        assert_eq!(pass.of("security_log"), 0);
        assert_eq!(logs(&db).await, before);
        // Past it, it goes; the use record (three years) stays.
        state
            .clock
            .advance(t0 + retention::SECURITY_LOG.seconds() + DAY - state.clock.now());
        let pass = purge::run(&state.db, sms, state.clock.now()).await.unwrap();
        assert_eq!(
            pass.of("security_log") as i64,
            before,
            "{}: {pass:?}",
            db.label
        );
        assert_eq!(pass.of("use_log"), 0);
        // Idempotent: again, nothing more.
        let again = purge::run(&state.db, sms, state.clock.now()).await.unwrap();
        assert!(again.purged.iter().all(|(_, n)| *n == 0), "{again:?}");
        state
            .clock
            .advance(t0 + retention::USE_LOG.seconds() + DAY - state.clock.now());
        let pass = purge::run(&state.db, sms, state.clock.now()).await.unwrap();
        assert_eq!(pass.of("use_log"), 1);

        // One server at a time: two runs at once, one runs.
        let (a, b) = tokio::join!(
            purge::run(&state.db, sms, state.clock.now()),
            purge::run(&state.db, sms, state.clock.now()),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(a.ran || b.ran);
        // A held lock (another server mid-run) is left alone until it lapses.
        sqlx::query("UPDATE job_locks SET held_until = $1 WHERE name = 'retention'")
            .bind(state.clock.now() + 60)
            .execute(&db.pool)
            .await
            .unwrap();
        assert!(
            !purge::run(&state.db, sms, state.clock.now())
                .await
                .unwrap()
                .ran
        );
        state.clock.advance(61);
        assert!(
            purge::run(&state.db, sms, state.clock.now())
                .await
                .unwrap()
                .ran
        );

        // `/metrics` reports the totals.
        let metrics = Browser::new(&state).get("/metrics").await;
        assert!(
            metrics.body.contains(&format!(
                "portal_retention_purged_total{{kind=\"security_log\"}} {before}"
            )),
            "{}",
            metrics.body
        );
        assert!(
            metrics
                .body
                .contains("portal_retention_purged_total{kind=\"use_log\"} 1")
        );
        db.close().await;
    }
}

#[tokio::test]
async fn the_privacy_notice_prints_the_purges_own_periods() {
    let db = TestDb::sqlite().await;
    let state = demo_state(&db).await;
    for (lang, cookie) in [
        (app::platform::lang::Lang::Zh, "portal_lang=zh-CN"),
        (app::platform::lang::Lang::En, "portal_lang=en"),
    ] {
        let mut b = Browser::new(&state);
        b.cookie = Some(cookie.into());
        let page = b.get("/privacy").await;
        assert_eq!(page.status, StatusCode::OK);
        for r in retention::TABLE {
            let row = format!("data-retention=\"{}\"", r.key);
            let at = page.body.find(&row).unwrap_or_else(|| panic!("{row}"));
            let end = at + page.body[at..].find("</tr>").unwrap();
            assert!(
                page.body[at..end].contains(&retention::period(&r, lang)),
                "{}: {}",
                r.key,
                &page.body[at..end]
            );
        }
    }
    db.close().await;
}

#[tokio::test]
async fn an_enterprise_is_closed_by_its_face_checked_representative_only() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        const DEMO_CODE: &str = "91110000MA01ABCD1M";
        // Signed in, not face-checked: refused.
        let mut plain = Browser::new(&state);
        plain.login("person", WANG, "Demo@2026").await;
        let listed = plain.get("/api/pending_enterprises").await.json();
        let id = listed["represented"][0]["account_id"]
            .as_str()
            .expect("王建国 represents the demo enterprise")
            .to_string();
        let r = plain.post("close_enterprise", &[("account_id", &id)]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        // Another person, face-checked, cannot close what they do not represent.
        let mut li = face_checked_desktop(&state, LI).await;
        let r = li.post("close_enterprise", &[("account_id", &id)]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        // The enterprise signed in on its own, to see its session end. Its export is refused:
        // the representative's personal data is not the enterprise's.
        let mut enterprise = Browser::new(&state);
        enterprise.login("enterprise", DEMO_CODE, "Demo@2026").await;
        assert_eq!(
            enterprise.get("/api/my_data").await.status,
            StatusCode::FORBIDDEN
        );
        // Its representative, face-checked: closing, and the enterprise's session ends.
        let mut wang = face_checked_desktop(&state, WANG).await;
        let r = wang.post("close_enterprise", &[("account_id", &id)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json(), "中建示范建设有限公司");
        assert_eq!(enterprise.current_user().await, serde_json::Value::Null);
        let mut back = Browser::new(&state);
        back.login("enterprise", DEMO_CODE, "Demo@2026").await;
        assert!(back.current_user().await["closing_until"].is_string());
        // The shared password cannot undo the representative's decision; the representative,
        // face-checked, can — and closes it again.
        let r = back.post("cancel_closing", &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let listed = wang.get("/api/pending_enterprises").await.json();
        assert_eq!(listed["closing"][0]["account_id"], id.as_str(), "{listed}");
        let r = li
            .post("cancel_enterprise_closing", &[("account_id", &id)])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = wang
            .post("cancel_enterprise_closing", &[("account_id", &id)])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            back.get("/api/account_settings").await.status,
            StatusCode::OK
        );
        let r = wang.post("close_enterprise", &[("account_id", &id)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // After the cooling-off it is gone and its credit code is free.
        state.clock.advance(7 * DAY + 60);
        let pass = purge::run(&state.db, state.sms.as_ref(), state.clock.now())
            .await
            .unwrap();
        assert_eq!(pass.of("closing"), 1, "{}: {pass:?}", db.label);
        let login = Browser::new(&state)
            .login("enterprise", DEMO_CODE, "Demo@2026")
            .await;
        assert_ne!(login.status, StatusCode::OK);
        assert_eq!(
            scalar(
                &db,
                "SELECT COUNT(*) FROM accounts WHERE credit_code = '91110000MA01ABCD1M'"
            )
            .await,
            0
        );
        // Its tombstone (no credential names it) goes when its period ends, with its 安全记录.
        let tombstones = "SELECT COUNT(*) FROM accounts WHERE status = 'deleted'";
        assert_eq!(scalar(&db, tombstones).await, 1);
        state.clock.advance(retention::TOMBSTONES.seconds() + DAY);
        let pass = purge::run(&state.db, state.sms.as_ref(), state.clock.now())
            .await
            .unwrap();
        assert_eq!(pass.of("tombstones"), 1, "{pass:?}");
        assert_eq!(scalar(&db, tombstones).await, 0);
        db.close().await;
    }
}

/// The development aids of this feature are not there in production: a production server
/// answers 404, and the account's cooling-off and the number's wait stay as they were.
#[tokio::test]
async fn production_has_no_clock_or_sms_aids() {
    use app::platform::state::PortalEnv;
    let db = TestDb::sqlite().await;
    let state = crate::common::state(&db, PortalEnv::Production);
    let mut b = Browser::new(&state);
    for (path, form) in [
        ("/dev/closing/elapse", format!("login_id={LI}")),
        ("/dev/sms/resend-now", format!("phone={LI_PHONE}")),
    ] {
        let reply = b
            .send(
                http::Request::post(path)
                    .header(
                        http::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .header(http::header::ORIGIN, crate::common::PRODUCTION_URL),
                axum::body::Body::from(form),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            reply.body
        );
    }
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM retention_counts").await,
        0,
        "no purge ran"
    );
    db.close().await;
}
