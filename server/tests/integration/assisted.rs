//! 协助核验 (issue 28 §3) on SQLite and PostgreSQL, as its attackers would try it: a code of
//! one account typed by another, a code used twice or late, guessing, and a 受理员 approving
//! their own record.

use crate::common::{Browser, DATA_KEY, TestDb, demo_state, outbox_count};
use crate::staff::signed_in;
use app::domain::IdNumber;
use app::staff::Role;
use http::StatusCode;
use sqlx::Row;

const WANG: &str = "110105198003150039";
const WANG_PHONE: &str = "13800138000";
const LI: &str = "310104199007220044";
/// A citizen with an account and no registration.
const ZHAO: &str = "11010519491231002X";
const ZHAO_PHONE: &str = "13700137000";

/// The code in the newest message to `phone`.
async fn sent_code(state: &app::platform::state::AppState, phone: &str) -> String {
    let messages = app::accounts::sms::repo::outbox_list(&state.db, Some(phone), 1)
        .await
        .unwrap();
    let text = &messages.first().expect("a message was sent").text;
    assert!(text.contains("协助核验"), "{text}");
    let at = text.find("核验码为 ").expect("code in text") + "核验码为 ".len();
    text[at..at + 6].to_string()
}

async fn redeem(b: &mut Browser, code: &str) -> crate::common::Reply {
    b.post("redeem_assisted_code", &[("code", code)]).await
}

async fn face_checked(b: &mut Browser) -> bool {
    b.get("/api/face_gate").await.json() == true
}

fn record_form(id: &str) -> [(&str, &str); 5] {
    let tail = match id {
        WANG => "8000",
        ZHAO => "7000",
        _ => "0000",
    };
    [
        ("id_number", id),
        ("phone_tail", tail),
        ("evidence_kind", "居民身份证原件现场核验"),
        ("evidence_ref", "SL-2026-0042"),
        ("reason", "本人视力障碍,无法完成人脸识别"),
    ]
}

#[tokio::test]
async fn a_holders_record_needs_another_reviewer_and_its_code_serves_one_session_of_one_account() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        // A member who is both 受理员 and 审核员, and a second 审核员.
        let mut both = signed_in(&state, "zhou.both", &[Role::Acceptor, Role::Reviewer]).await;
        let mut reviewer = signed_in(&state, "qian.review", &[Role::Reviewer]).await;
        let sent_before = outbox_count(&state, WANG_PHONE).await;

        // Someone else's account for this document (their own phone): the person present
        // names another phone, and no record is made, no code sent.
        let mut other_phone = record_form(WANG);
        other_phone[1].1 = "1234";
        let refused = both.post("/admin/assisted", &other_phone).await;
        assert!(
            refused.body.contains("与该账户绑定的手机号不符"),
            "{}: {}",
            db.label,
            refused.body
        );
        let records: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM assisted_verifications")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(records, 0, "{}", db.label);
        let recorded = both.post("/admin/assisted", &record_form(WANG)).await;
        assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
        assert!(
            recorded.body.contains("须由另一位审核员批准"),
            "{}: {}",
            db.label,
            recorded.body
        );
        assert!(!recorded.body.contains(WANG), "the number is not echoed");
        assert_eq!(outbox_count(&state, WANG_PHONE).await, sent_before);
        let proposal: i64 =
            sqlx::query("SELECT id FROM staff_proposals WHERE kind = '协助核验' AND decision = ''")
                .fetch_one(&state.db)
                .await
                .unwrap()
                .get(0);

        // The recorder cannot approve it, even holding the 审核员 role.
        let own = both
            .post(&format!("/admin/approvals/{proposal}/approve"), &[])
            .await;
        assert!(
            own.body.contains("不能审核自己提交的事项"),
            "{}: {}",
            db.label,
            own.body
        );
        assert_eq!(outbox_count(&state, WANG_PHONE).await, sent_before);

        let approved = reviewer
            .post(&format!("/admin/approvals/{proposal}/approve"), &[])
            .await;
        assert!(
            approved
                .body
                .contains("核验码已发送至本人绑定的手机 138****8000"),
            "{}: {}",
            db.label,
            approved.body
        );
        let code = sent_code(&state, WANG_PHONE).await;

        // Another account typing it gets nothing.
        let mut li = Browser::new(&state);
        li.login("person", LI, "Demo@2026").await;
        let other = redeem(&mut li, &code).await;
        assert!(
            !other.field_message("assisted_code").is_empty(),
            "{}: {}",
            db.label,
            other.body
        );
        assert!(!face_checked(&mut li).await);

        // The account's own: a wrong code is counted, the right one passes this session only.
        let mut wang = Browser::new(&state);
        wang.login("person", WANG, "Demo@2026").await;
        assert!(!face_checked(&mut wang).await);
        let wrong_code = if code == "000000" { "000001" } else { "000000" };
        let wrong = redeem(&mut wang, wrong_code).await;
        assert!(
            wrong.field_message("assisted_code").contains("还可尝试4次"),
            "{}: {}",
            db.label,
            wrong.body
        );
        let ok = redeem(&mut wang, &code).await;
        assert_eq!(ok.status, StatusCode::OK, "{}: {}", db.label, ok.body);
        assert!(face_checked(&mut wang).await);
        assert_eq!(
            wang.get("/api/my_certificates").await.status,
            StatusCode::OK
        );
        let log = wang.get("/api/security_log").await.json();
        let labels: Vec<&str> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["label"].as_str().unwrap())
            .collect();
        assert!(
            labels.contains(&"使用协助核验码") && labels.contains(&"工作人员协助核验"),
            "{labels:?}"
        );

        // Used once: a second session of the same account gets nothing from it.
        let mut again = Browser::new(&state);
        again.login("person", WANG, "Demo@2026").await;
        let reused = redeem(&mut again, &code).await;
        assert!(
            !reused.field_message("assisted_code").is_empty(),
            "{}",
            reused.body
        );
        assert!(!face_checked(&mut again).await);

        // Not twice approved, and the audit chain holds the record and the decision.
        let twice = reviewer
            .post(&format!("/admin/approvals/{proposal}/approve"), &[])
            .await;
        assert!(twice.body.contains("该事项已审核"), "{}", twice.body);
        assert!(matches!(
            app::staff::audit::verify(&state.db, DATA_KEY)
                .await
                .unwrap(),
            app::staff::audit::Verified::Intact { .. }
        ));
        let actions: Vec<String> = sqlx::query("SELECT action FROM staff_audit ORDER BY seq")
            .fetch_all(&state.db)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert!(
            actions.contains(&"staff.assist".to_string())
                && actions.contains(&"staff.approve".to_string()),
            "{actions:?}"
        );
        db.close().await;
    }
}

#[tokio::test]
async fn a_code_expires_after_30_minutes_and_five_wrong_codes_spend_it() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let key = &state.settings.data_key;
        let id = IdNumber::parse(ZHAO).unwrap();
        let digest = app::domain::person::id_digest(key, id.as_str());
        let hash = state.passwords.hash("Demo@2026".to_string()).await.unwrap();
        app::accounts::repo::create(
            &state.db,
            &app::accounts::repo::NewAccount {
                kind: app::domain::account::AccountKind::Person,
                status: app::domain::account::AccountStatus::Active,
                login_key: &app::accounts::repo::person_login_key(&digest),
                person_digest: &digest,
                name: "赵敏",
                id_number_masked: &id.masked(),
                id_kind: app::domain::DocumentKind::ResidentId,
                id_country: "",
                org_name: None,
                credit_code: None,
                phone: ZHAO_PHONE,
                password_hash: &hash,
            },
            state.clock.now(),
        )
        .await
        .unwrap();
        let mut acceptor = signed_in(&state, "sun.accept", &[Role::Acceptor]).await;

        // No certificates: no second member needed, the code goes at once.
        let recorded = acceptor.post("/admin/assisted", &record_form(ZHAO)).await;
        assert!(
            recorded
                .body
                .contains("核验码已发送至本人绑定的手机 137****7000"),
            "{}: {}",
            db.label,
            recorded.body
        );
        let first = sent_code(&state, ZHAO_PHONE).await;
        let record: i64 = sqlx::query("SELECT id FROM assisted_verifications")
            .fetch_one(&state.db)
            .await
            .unwrap()
            .get(0);

        // A 受理员 alone cannot approve anything.
        let refused = acceptor.get("/admin/approvals").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        state.clock.advance(30 * 60 + 1);
        let mut zhao = Browser::new(&state);
        zhao.login("person", ZHAO, "Demo@2026").await;
        let late = redeem(&mut zhao, &first).await;
        assert!(
            late.field_message("assisted_code").contains("已过期"),
            "{}: {}",
            db.label,
            late.body
        );
        assert!(!face_checked(&mut zhao).await);
        // Expired, it cannot be sent again: a new verification is needed. (The member's
        // console session idled out meanwhile: another member signs in.)
        let mut acceptor = signed_in(&state, "sun.accept2", &[Role::Acceptor]).await;
        let resend = acceptor
            .post(&format!("/admin/assisted/{record}/resend"), &[])
            .await;
        assert_eq!(resend.status, StatusCode::UNPROCESSABLE_ENTITY);

        // A new record; five wrong codes spend it, and then even the right one fails.
        acceptor.post("/admin/assisted", &record_form(ZHAO)).await;
        let second = sent_code(&state, ZHAO_PHONE).await;
        assert_ne!(first, second);
        let wrong_code = if second == "000000" {
            "000001"
        } else {
            "000000"
        };
        for left in (0..5).rev() {
            let wrong = redeem(&mut zhao, wrong_code).await;
            let message = wrong.field_message("assisted_code");
            if left > 0 {
                assert!(message.contains(&format!("还可尝试{left}次")), "{message}");
            } else {
                assert!(message.contains("已失效"), "{message}");
            }
        }
        let spent = redeem(&mut zhao, &second).await;
        assert!(!spent.field_message("assisted_code").is_empty());
        assert!(!face_checked(&mut zhao).await);

        // Malformed input is said plainly, and nothing is counted.
        let bad = redeem(&mut zhao, "12ab").await;
        assert!(bad.field_message("assisted_code").contains("6位"));

        // A phone bound lately (whoever has the password could have bound theirs): a second
        // member must approve, and a code cannot be resent a day later.
        let zhao_id: i64 = sqlx::query("SELECT id FROM accounts WHERE phone = $1")
            .bind(ZHAO_PHONE)
            .fetch_one(&state.db)
            .await
            .unwrap()
            .get(0);
        app::platform::audit::audit(
            &state.db,
            Some(zhao_id),
            app::platform::audit::PHONE_CHANGED,
            "",
            "",
            "",
            state.clock.now(),
        )
        .await
        .unwrap();
        let recorded = acceptor.post("/admin/assisted", &record_form(ZHAO)).await;
        assert!(
            recorded.body.contains("7 天内更换过绑定手机号"),
            "{}: {}",
            db.label,
            recorded.body
        );
        let third: i64 = sqlx::query("SELECT MAX(id) FROM assisted_verifications")
            .fetch_one(&state.db)
            .await
            .unwrap()
            .get(0);
        let unapproved = acceptor
            .post(&format!("/admin/assisted/{third}/resend"), &[])
            .await;
        assert_eq!(unapproved.status, StatusCode::UNPROCESSABLE_ENTITY);
        db.close().await;
    }
}
