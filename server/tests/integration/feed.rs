//! The national registry's change feed (`app::registry::feed`, `server registry apply`) on
//! SQLite and PostgreSQL: each kind reaches the registration, its 变更记录, the certificate
//! and the holder's 安全记录; a feed applied twice changes nothing; bad lines are reported and
//! the rest applied; a 注销 invalidates the certificate, also one issued afterwards, and is in
//! the staff audit chain.

use crate::common::{DATA_KEY, TestDb, demo_state, outbox_count};
use app::platform::notices;
use app::registry::feed::{self, FeedReport};
use app::staff::audit::{self, Verified};
use sqlx::{AnyPool, Row};

const WANG_DIGEST_OF: &str = "110105198003150039";

async fn apply(db: &AnyPool, text: &str) -> FeedReport {
    feed::apply(
        db,
        DATA_KEY,
        feed::read(text),
        "feed:test.jsonl",
        1_800_000_000,
        |_| {},
    )
    .await
    .unwrap()
}

async fn count(db: &AnyPool, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(db)
        .await
        .unwrap()
        .get::<i64, _>(0)
}

const CHANGES: &str = r#"{"change_id":"BG1","kind":"变更注册","registration_no":"京1112010000001","date":"2026-11-30","employer":"华南示范设计院有限公司","employer_credit_code":"91330100MA2H3K7P54"}
{"change_id":"BG2","kind":"增项注册","registration_no":"京1112010000001","date":"2026-12-01","specialties":"机电工程:2029-06-17"}
{"change_id":"BG3","kind":"延续注册","registration_no":"11000001","date":"2026-12-01","valid_until":"2031-12-01"}
{"change_id":"BG4","kind":"初始注册","registration_no":"京1112026000009","date":"2026-12-02","name":"王建国","id_number":"110105198003150039","category":"一级注册建造师","employer":"华南示范设计院有限公司","employer_credit_code":"91330100MA2H3K7P54","valid_until":"2031-12-01","specialties":"公路工程"}
{"change_id":"BG5","kind":"变更注册","registration_no":"京9999999999999","date":"2026-12-02","employer":"某单位","employer_credit_code":"91330100MA2H3K7P54"}
{"change_id":"BG6","kind":"改名","registration_no":"京1112010000001","date":"2026-12-02"}
{"change_id":"BG1","kind":"注销","registration_no":"京1112010000001","date":"2026-12-02"}
not json
"#;

#[tokio::test]
async fn every_kind_reaches_the_registry_once_and_bad_lines_are_named() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let code = app::domain::CreditCode::parse("91330100MA2H3K7P54");
        assert!(
            code.is_ok(),
            "the test's credit code must be valid: {code:?}"
        );
        let changes_before = count(&state.db, "SELECT COUNT(*) FROM registration_changes").await;
        let report = apply(&state.db, CHANGES).await;
        assert_eq!(report.lines, 8, "{}", db.label);
        assert_eq!(report.applied, 4, "{}: {:?}", db.label, report.rejected);
        let rejected: Vec<u64> = report.rejected.iter().map(|(l, _)| *l).collect();
        assert_eq!(
            rejected,
            vec![5, 6, 7, 8],
            "{}: {:?}",
            db.label,
            report.rejected
        );
        assert!(report.rejected[0].1.contains("不在库中"));
        assert!(report.rejected[1].1.contains("变更类型"));
        assert!(report.rejected[2].1.contains("已用于另一项变更"));
        assert!(report.rejected[3].1.contains("JSON"));

        let row = sqlx::query(
            "SELECT employer, employer_credit_code, specialty_names FROM registrations WHERE registration_no = '京1112010000001'",
        )
        .fetch_one(&state.db)
        .await
        .unwrap();
        assert_eq!(row.get::<String, _>("employer"), "华南示范设计院有限公司");
        assert_eq!(
            row.get::<String, _>("specialty_names"),
            "建筑工程、市政公用工程、机电工程"
        );
        let until: String =
            sqlx::query("SELECT valid_until FROM registrations WHERE registration_no = '11000001'")
                .fetch_one(&state.db)
                .await
                .unwrap()
                .get(0);
        assert_eq!(until, "2031-12-01");
        // 初始注册 for a person already in the registry joins their registrations.
        let persons = count(&state.db, "SELECT COUNT(*) FROM registrations r JOIN persons p ON p.id = r.person_id WHERE p.name = '王建国'").await;
        assert_eq!(persons, 3, "{}", db.label);
        // 变更记录: one row per applied change (the 初始注册 brings its own).
        assert_eq!(
            count(&state.db, "SELECT COUNT(*) FROM registration_changes").await,
            changes_before + 4,
            "{}",
            db.label
        );
        // The holder sees each in 安全记录.
        let seen = count(
            &state.db,
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'registry_changed'",
        )
        .await;
        assert_eq!(seen, 4, "{}", db.label);

        // The same file again: nothing changes.
        let again = apply(&state.db, CHANGES).await;
        assert_eq!((again.applied, again.already), (0, 4), "{}", db.label);
        assert_eq!(
            count(&state.db, "SELECT COUNT(*) FROM registration_changes").await,
            changes_before + 4
        );
        db.close().await;
    }
}

#[tokio::test]
async fn a_cancellation_invalidates_the_certificate_now_and_later_and_is_audited() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let digest = app::domain::person::id_digest(DATA_KEY, WANG_DIGEST_OF);
        // One certificate issued before the 注销, the other not yet.
        app::certificates::repo::ensure_issued(&state.db, &digest, 1_700_000_000)
            .await
            .unwrap();
        sqlx::query("DELETE FROM certificates WHERE registration_id = (SELECT id FROM registrations WHERE registration_no = '11000001')")
            .execute(&state.db)
            .await
            .unwrap();
        let report = apply(
            &state.db,
            r#"{"change_id":"ZX1","kind":"注销","registration_no":"京1112010000001","date":"2026-12-02","reason":"本人申请"}
{"change_id":"CX1","kind":"撤销","registration_no":"11000001","date":"2026-12-02","reason":"以欺骗手段取得注册"}
{"change_id":"BG9","kind":"变更注册","registration_no":"京1112010000001","date":"2026-12-03","employer":"某单位","employer_credit_code":"91330100MA2H3K7P54"}"#,
        )
        .await;
        assert_eq!(report.applied, 2, "{}: {:?}", db.label, report.rejected);
        assert!(
            report.rejected[0].1.contains("已注销或撤销"),
            "{:?}",
            report.rejected
        );
        let revoked: i64 = sqlx::query(
            "SELECT c.revoked_at FROM certificates c JOIN registrations r ON r.id = c.registration_id WHERE r.registration_no = '京1112010000001'",
        )
        .fetch_one(&state.db)
        .await
        .unwrap()
        .get(0);
        assert_eq!(
            revoked, 1_800_000_000,
            "{}: the issued certificate",
            db.label
        );
        // Issued after the 撤销: invalid from the start.
        app::certificates::repo::ensure_issued(&state.db, &digest, 1_800_000_100)
            .await
            .unwrap();
        let revoked: i64 = sqlx::query(
            "SELECT c.revoked_at FROM certificates c JOIN registrations r ON r.id = c.registration_id WHERE r.registration_no = '11000001'",
        )
        .fetch_one(&state.db)
        .await
        .unwrap()
        .get(0);
        assert_ne!(revoked, 0, "{}: a certificate issued later", db.label);
        // (The credentials' status bits follow `certificates.revoked_at` through the
        // `vc_dirty_certificate` trigger, as for any revocation; verifiable_credentials.rs.)
        // Both are in the staff audit chain, which holds.
        let verified = audit::verify(&state.db, DATA_KEY).await.unwrap();
        assert!(
            matches!(verified, Verified::Intact { entries: 2, .. }),
            "{}: {verified:?}",
            db.label
        );
        let actions: Vec<String> = sqlx::query("SELECT action FROM staff_audit ORDER BY seq")
            .fetch_all(&state.db)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("action"))
            .collect();
        assert_eq!(actions, ["registry.cancel", "registry.revoke"]);
        let withdrawn = count(
            &state.db,
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'registry_withdrawn'",
        )
        .await;
        assert_eq!(withdrawn, 2, "{}: the holder's 安全记录", db.label);

        // And an SMS each to the holder's bound phone, once, by whichever server sends first.
        // (The feed above applied at 1_800_000_000.)
        let now = 1_800_000_001;
        let before = outbox_count(&state, "13800138000").await;
        let (first, second) = tokio::join!(
            notices::send_due(&state.db, state.sms.as_ref(), now),
            notices::send_due(&state.db, state.sms.as_ref(), now),
        );
        let (first, second) = (first.unwrap(), second.unwrap());
        assert_eq!(first.sent + second.sent, 2, "{}", db.label);
        assert_eq!(outbox_count(&state, "13800138000").await, before + 2);
        let texts: Vec<String> =
            app::accounts::sms::repo::outbox_list(&state.db, Some("13800138000"), 2)
                .await
                .unwrap()
                .into_iter()
                .map(|m| m.text)
                .collect();
        assert!(
            texts
                .iter()
                .any(|t| t.contains("注册编号 京1112010000001") && t.contains("注销")),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t.contains("撤销")), "{texts:?}");
        let again = notices::send_due(&state.db, state.sms.as_ref(), now + 600)
            .await
            .unwrap();
        assert_eq!(again, notices::Pass::default(), "sent once");
        db.close().await;
    }
}

#[tokio::test]
async fn an_admin_uploads_a_feed_another_member_approves_it_and_both_follow_its_progress() {
    use crate::staff::signed_in;
    use app::staff::Role;
    use axum::body::Body;
    use http::{Request, StatusCode, header};
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let file = r#"{"change_id":"UP1","kind":"注销","registration_no":"京1112010000001","date":"2026-12-02","reason":"本人申请"}
{"change_id":"UP2","kind":"变更注册","registration_no":"不存在","date":"2026-12-02","employer":"某单位","employer_credit_code":"91330100MA2H3K7P54"}
"#;
        let multipart = |body: &str| {
            let boundary = "portal-boundary-7d1";
            let payload = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"feed\"; filename=\"changes.jsonl\"\r\nContent-Type: application/octet-stream\r\n\r\n{body}\r\n--{boundary}--\r\n"
            );
            (
                Request::post("/admin/registry")
                    .header(
                        header::CONTENT_TYPE,
                        format!("multipart/form-data; boundary={boundary}"),
                    )
                    .header("sec-fetch-site", "same-origin"),
                Body::from(payload),
            )
        };
        // Not a 管理员's: refused.
        let mut acceptor = signed_in(&state, "sun.accept", &[Role::Acceptor]).await;
        let (request, body) = multipart(file);
        assert_eq!(
            acceptor.send(request, body).await.status,
            StatusCode::FORBIDDEN
        );
        let mut admin = signed_in(&state, "wang.admin", &[Role::Admin]).await;
        let (request, body) = multipart("");
        let empty = admin.send(request, body).await;
        assert_eq!(
            empty.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            empty.body
        );
        let (request, body) = multipart(file);
        let proposed = admin.send(request, body).await;
        assert_eq!(
            proposed.status,
            StatusCode::OK,
            "{}: {}",
            db.label,
            proposed.body
        );
        assert!(
            proposed.body.contains("待另一位审核员批准")
                && proposed.body.contains("注销 1 行、变更注册 1 行"),
            "{}",
            proposed.body
        );
        // Nothing applied before a second member approves; the uploader cannot.
        let withdrawn: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE withdrawn_at <> 0")
                .fetch_one(&state.db)
                .await
                .unwrap();
        assert_eq!(withdrawn, 0);
        let proposal: i64 =
            sqlx::query_scalar("SELECT id FROM staff_proposals WHERE kind = '应用变更文件'")
                .fetch_one(&state.db)
                .await
                .unwrap();
        let mut both = signed_in(&state, "zhou.both", &[Role::Admin, Role::Reviewer]).await;
        let (request, body) = multipart(file);
        both.send(request, body).await;
        let own: i64 =
            sqlx::query_scalar("SELECT MAX(id) FROM staff_proposals WHERE kind = '应用变更文件'")
                .fetch_one(&state.db)
                .await
                .unwrap();
        let refused = both
            .post(&format!("/admin/approvals/{own}/approve"), &[])
            .await;
        assert!(refused.body.contains("不能审核自己"), "{}", refused.body);
        let mut reviewer = signed_in(&state, "qian.review", &[Role::Reviewer]).await;
        let started = reviewer
            .post(&format!("/admin/approvals/{proposal}/approve"), &[])
            .await;
        assert_eq!(
            started.status,
            StatusCode::SEE_OTHER,
            "{}: {}",
            db.label,
            started.body
        );
        let job = started.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        // An acceptor may not watch it; the uploader and the reviewer may.
        assert_eq!(acceptor.get(&job).await.status, StatusCode::NOT_FOUND);
        let mut page = reviewer.get(&job).await;
        for _ in 0..100 {
            if page.body.contains("完成") {
                break;
            }
            assert!(
                page.body.contains("http-equiv=\"refresh\""),
                "{}",
                page.body
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            page = admin.get(&job).await;
            assert_eq!(page.status, StatusCode::OK);
        }
        assert!(
            page.body.contains("应用 1 行") && page.body.contains("拒绝 1 行"),
            "{}: {}",
            db.label,
            page.body
        );
        assert!(
            page.body.contains("不存在"),
            "the rejected line's reason: {}",
            page.body
        );
        let actions: Vec<String> = sqlx::query("SELECT action FROM staff_audit ORDER BY seq")
            .fetch_all(&state.db)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("action"))
            .collect();
        assert!(
            actions.contains(&"registry.cancel".to_string())
                && actions.contains(&"staff.feed_upload".to_string())
                && actions.contains(&"staff.feed_applied".to_string()),
            "{actions:?}"
        );
        db.close().await;
    }
}
