//! 法人账户申诉 (issue 28 §4) on SQLite and PostgreSQL: who may file one (only the
//! registered legal representative, face-checked, with their own 身份证号), and the release
//! that needs a 受理员 and a different 审核员, after which the holding account is out and both
//! sides are told.

use crate::common::{Browser, TestDb, demo_state, face_checked_desktop};
use crate::staff::signed_in;
use app::staff::Role;
use http::StatusCode;
use sqlx::Row;

const WANG: &str = "110105198003150039";
const LI: &str = "310104199007220044";
/// 沪上示范工程咨询有限公司: 李秀英 is its legal representative in the enterprise registry.
const CODE: &str = "91310000MA1KXYW12M";
const ORG: &str = "沪上示范工程咨询有限公司";
const HOLDER_PHONE: &str = "13600136000";

/// An active enterprise account for [`CODE`] that is not 李秀英's (a former representative's).
async fn squatter(state: &app::platform::state::AppState) -> i64 {
    let key = &state.settings.data_key;
    let digest = app::domain::person::id_digest(key, "11010519491231002X");
    let hash = state.passwords.hash("Demo@2026".to_string()).await.unwrap();
    app::accounts::repo::create(
        &state.db,
        &app::accounts::repo::NewAccount {
            kind: app::domain::account::AccountKind::Enterprise,
            status: app::domain::account::AccountStatus::Active,
            login_key: &app::accounts::repo::enterprise_login_key(CODE),
            person_digest: &digest,
            name: "赵敏",
            id_number_masked: "110105********002X",
            id_kind: app::domain::DocumentKind::ResidentId,
            id_country: "",
            org_name: Some(ORG),
            credit_code: Some(CODE),
            phone: HOLDER_PHONE,
            password_hash: &hash,
        },
        state.clock.now(),
    )
    .await
    .unwrap();
    sqlx::query("SELECT id FROM accounts WHERE phone = $1")
        .bind(HOLDER_PHONE)
        .fetch_one(&state.db)
        .await
        .unwrap()
        .get(0)
}

async fn file(b: &mut Browser, org: &str, id: &str) -> crate::common::Reply {
    b.post(
        "file_dispute",
        &[
            ("credit_code", CODE),
            ("org_name", org),
            ("id_number", id),
            (
                "statement",
                "该账户由已离任的原法定代表人注册,本单位无法登录使用",
            ),
        ],
    )
    .await
}

#[tokio::test]
async fn only_the_representative_files_and_a_release_needs_two_members() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let holder_id = squatter(&state).await;
        let mut holder = Browser::new(&state);
        let signed = holder.login("enterprise", CODE, "Demo@2026").await;
        assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);

        // Without a face check in this session: refused.
        let mut li_plain = Browser::new(&state);
        li_plain.login("person", LI, "Demo@2026").await;
        let unchecked = file(&mut li_plain, ORG, LI).await;
        assert_eq!(
            unchecked.status,
            StatusCode::FORBIDDEN,
            "{}",
            unchecked.body
        );

        // Someone else's number, a wrong name, or another person altogether: refused.
        let mut li = face_checked_desktop(&state, LI).await;
        let other_id = file(&mut li, ORG, WANG).await;
        assert!(
            other_id.field_message("id_number").contains("不一致"),
            "{}: {}",
            db.label,
            other_id.body
        );
        let wrong_org = file(&mut li, "沪上某公司", LI).await;
        assert!(
            wrong_org.field_message("org_name").contains("不一致"),
            "{}",
            wrong_org.body
        );
        let mut wang = face_checked_desktop(&state, WANG).await;
        let not_rep = file(&mut wang, ORG, WANG).await;
        assert!(
            !not_rep.field_message("org_name").is_empty(),
            "{}",
            not_rep.body
        );

        // The representative: filed once, a second time refused while it is handled.
        let filed = file(&mut li, ORG, LI).await;
        assert_eq!(filed.status, StatusCode::OK, "{}: {}", db.label, filed.body);
        let dispute = filed.json().as_i64().unwrap();
        let twice = file(&mut li, ORG, LI).await;
        assert!(twice.field_message("credit_code").contains("处理中"));
        assert_eq!(
            li.get("/api/my_disputes").await.json()[0]["state"],
            "处理中"
        );

        // The console: a 受理员 proposes, the same person as 审核员 cannot approve, another does.
        let mut both = signed_in(&state, "zhou.both", &[Role::Acceptor, Role::Reviewer]).await;
        let mut reviewer = signed_in(&state, "qian.review", &[Role::Reviewer]).await;
        let queue = both.get("/admin/disputes").await;
        assert!(
            queue.body.contains(ORG) && queue.body.contains("李**"),
            "{}",
            queue.body
        );
        assert!(!queue.body.contains(LI), "the filer's number is masked");
        let proposed = both
            .post(
                &format!("/admin/disputes/{dispute}/propose"),
                &[(
                    "note",
                    "经电话核实原法定代表人已离任,营业执照显示现任为李秀英",
                )],
            )
            .await;
        assert!(proposed.body.contains("已提请释放"), "{}", proposed.body);
        let proposal: i64 =
            sqlx::query("SELECT id FROM staff_proposals WHERE kind = '释放信用代码'")
                .fetch_one(&state.db)
                .await
                .unwrap()
                .get(0);
        let own = both
            .post(&format!("/admin/approvals/{proposal}/approve"), &[])
            .await;
        assert!(own.body.contains("不能审核自己"), "{}", own.body);
        assert!(!holder.current_user().await.is_null(), "not released yet");
        let approved = reviewer
            .post(&format!("/admin/approvals/{proposal}/approve"), &[])
            .await;
        assert!(
            approved.body.contains("已批准并生效"),
            "{}: {}",
            db.label,
            approved.body
        );

        // The holder is out, and cannot sign in again; the code is free.
        assert!(holder.current_user().await.is_null(), "{}", db.label);
        let again = Browser::new(&state)
            .login("enterprise", CODE, "Demo@2026")
            .await;
        assert_ne!(again.status, StatusCode::OK, "{}", again.body);
        assert!(
            !app::accounts::repo::login_key_exists(
                &state.db,
                &app::accounts::repo::enterprise_login_key(CODE)
            )
            .await
            .unwrap()
        );
        // Both told: an SMS each is queued, and their 安全记录 says why.
        let told: Vec<i64> = sqlx::query("SELECT account_id FROM sms_notices ORDER BY id")
            .fetch_all(&state.db)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let li_id: i64 = sqlx::query("SELECT filed_by FROM enterprise_disputes WHERE id = $1")
            .bind(dispute)
            .fetch_one(&state.db)
            .await
            .unwrap()
            .get(0);
        assert_eq!(told, [holder_id, li_id], "{}", db.label);
        let released: String = sqlx::query(
            "SELECT detail FROM audit_events WHERE account_id = $1 AND kind = 'enterprise_released'",
        )
        .bind(holder_id)
        .fetch_one(&state.db)
        .await
        .unwrap()
        .get(0);
        assert!(released.contains("法定代表人提出申诉"), "{released}");
        let mine = li.get("/api/my_disputes").await.json();
        assert!(
            mine[0]["state"].as_str().unwrap().contains("已释放"),
            "{mine}"
        );
        db.close().await;
    }
}

#[tokio::test]
async fn a_declined_dispute_tells_the_filer_why_and_a_reviewer_cannot_skip_the_acceptor() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        squatter(&state).await;
        let mut li = face_checked_desktop(&state, LI).await;
        let dispute = file(&mut li, ORG, LI).await.json().as_i64().unwrap();
        // A 审核员 alone handles no dispute.
        let mut reviewer = signed_in(&state, "qian.review", &[Role::Reviewer]).await;
        let refused = reviewer
            .post(
                &format!("/admin/disputes/{dispute}/propose"),
                &[("note", "直接释放")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let mut acceptor = signed_in(&state, "sun.accept", &[Role::Acceptor]).await;
        let empty = acceptor
            .post(
                &format!("/admin/disputes/{dispute}/decline"),
                &[("note", " ")],
            )
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        let declined = acceptor
            .post(
                &format!("/admin/disputes/{dispute}/decline"),
                &[("note", "该账户经核实为本单位员工注册,请内部交接")],
            )
            .await;
        assert!(declined.body.contains("已不予支持"), "{}", declined.body);
        // Decided once: a release cannot be proposed afterwards.
        let late = acceptor
            .post(
                &format!("/admin/disputes/{dispute}/propose"),
                &[("note", "改为释放")],
            )
            .await;
        assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
        let mine = li.get("/api/my_disputes").await.json();
        assert_eq!(mine[0]["state"], "未予支持", "{}", db.label);
        assert!(mine[0]["outcome"].as_str().unwrap().contains("内部交接"));
        assert!(
            app::accounts::repo::login_key_exists(
                &state.db,
                &app::accounts::repo::enterprise_login_key(CODE)
            )
            .await
            .unwrap(),
            "nothing released"
        );
        db.close().await;
    }
}
