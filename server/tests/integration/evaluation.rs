//! 好差评 (issue 28 §5) on SQLite and PostgreSQL: a grant is a 办件 its holder may rate once,
//! never someone else's; a 差评 needs a reason and opens a work order due in five working days
//! (holidays counted), which staff take through 核实, 整改 and 回访 in order; an overdue order
//! shows in the console and in /metrics; the citizen sees each step and rates the fix; the
//! public page counts it all without anyone's ID number.

use crate::common::{Browser, TestDb, demo_state, face_checked_desktop};
use crate::staff::signed_in;
use app::staff::Role;
use http::StatusCode;
use sqlx::Row;

const WANG: &str = "110105198003150039";
const LI: &str = "310104199007220044";

pub(crate) async fn grant(wang: &mut Browser) {
    let cards = wang.get("/api/my_certificates").await.json();
    let cert = cards[0]["id"].as_str().unwrap().to_string();
    let made = wang
        .post(
            "create_grant",
            &[
                ("certificate_id", &cert),
                ("org_code", "91110000MA01ABCD1M"),
                ("org_name", "中建示范建设有限公司"),
                ("purpose", "投标资格审查"),
                ("days", "7"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
}

async fn rate(b: &mut Browser, case: &str, fields: &[(&str, &str)]) -> crate::common::Reply {
    let mut all = vec![("case_no", case)];
    all.extend_from_slice(fields);
    b.post("rate_case", &all).await
}

#[tokio::test]
async fn a_poor_rating_is_followed_up_in_five_working_days_and_published() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        // A national holiday tomorrow (Beijing): the deadline moves past it.
        let (y, m, d) = app::domain::time::beijing_date(state.clock.now());
        let today = app::domain::time::days_from_civil(y, m, d);
        let tomorrow = app::evaluation::working_days::key(today + 1);
        app::evaluation::repo::set_holidays(
            &state.db,
            &[(tomorrow, app::evaluation::working_days::Day::Holiday)],
        )
        .await
        .unwrap();

        let mut wang = face_checked_desktop(&state, WANG).await;
        grant(&mut wang).await;
        // The same grant again the same day is the same 办件: one to rate, not a stream.
        grant(&mut wang).await;
        let cases = wang.get("/api/my_cases").await.json();
        assert_eq!(cases.as_array().unwrap().len(), 1, "{}: {cases}", db.label);
        let case = cases[0]["case_no"].as_str().unwrap().to_string();
        assert_eq!(cases[0]["service"], "授权用证", "{}: {cases}", db.label);
        assert_eq!(cases[0]["rating"], "");

        // Not anyone else's to rate; no 差评 without a reason; no unknown level.
        let mut li = Browser::new(&state);
        li.login("person", LI, "Demo@2026").await;
        let other = rate(&mut li, &case, &[("level", "5")]).await;
        assert!(
            other.field_message("level").contains("没有这件办件"),
            "{}",
            other.body
        );
        let no_reason = rate(&mut wang, &case, &[("level", "1")]).await;
        assert!(
            no_reason.field_message("level").contains("原因"),
            "{}",
            no_reason.body
        );
        let no_level = rate(&mut wang, &case, &[("level", "9")]).await;
        assert!(!no_level.field_message("level").is_empty());

        // A 差评 with two reasons (as the form's checkboxes send them) and a comment.
        let poor = rate(
            &mut wang,
            &case,
            &[
                ("level", "2"),
                ("reasons[2]", "等待时间过长"),
                ("reasons[5]", "系统故障或报错"),
                ("comment", "页面等了很久"),
            ],
        )
        .await;
        assert_eq!(poor.status, StatusCode::OK, "{}: {}", db.label, poor.body);
        let twice = rate(&mut wang, &case, &[("level", "5")]).await;
        assert!(
            twice.field_message("level").contains("已评价"),
            "{}",
            twice.body
        );
        // Stored without the person's ID number.
        let stored = sqlx::query("SELECT * FROM service_ratings")
            .fetch_one(&state.db)
            .await
            .unwrap();
        let reasons: String = stored.get("reasons");
        assert_eq!(reasons, "等待时间过长、系统故障或报错");
        for column in ["case_no", "comment", "reasons", "service", "month"] {
            let v: String = stored.get(column);
            assert!(!v.contains(WANG) && !v.contains("王建国"), "{column}: {v}");
        }

        // The work order: due at the end of the fifth working day, the holiday skipped.
        let (due, opened): (i64, i64) = {
            let r = sqlx::query("SELECT due_at, opened_at FROM work_orders")
                .fetch_one(&state.db)
                .await
                .unwrap();
            (r.get("due_at"), r.get("opened_at"))
        };
        let table = app::evaluation::repo::holidays(&state.db).await.unwrap();
        assert_eq!(due, app::evaluation::repo::order_due(opened, &table));
        let plain = app::evaluation::repo::order_due(opened, &Default::default());
        let tomorrow_works =
            app::evaluation::working_days::is_working(today + 1, &Default::default());
        assert_eq!(
            due > plain,
            tomorrow_works,
            "{}: the holiday moves the deadline when it would have been a working day",
            db.label
        );

        // Staff: in order only, each step audited; the acceptor's console shows the order.
        let mut acceptor = signed_in(&state, "sun.accept", &[Role::Acceptor]).await;
        let order: i64 = sqlx::query("SELECT id FROM work_orders")
            .fetch_one(&state.db)
            .await
            .unwrap()
            .get(0);
        let early = acceptor
            .post(
                &format!("/admin/orders/{order}/visit"),
                &[("note", "已回访")],
            )
            .await;
        assert_eq!(
            early.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            early.body
        );
        let mut reviewer = signed_in(&state, "qian.review", &[Role::Reviewer]).await;
        let refused = reviewer
            .post(
                &format!("/admin/orders/{order}/verify"),
                &[("note", "核实")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        // Overdue: past the deadline the console and /metrics say so.
        state.clock.advance(due - state.clock.now() + 1);
        let mut acceptor = signed_in(&state, "sun.accept2", &[Role::Acceptor]).await;
        let list = acceptor.get("/admin/orders").await;
        assert!(list.body.contains("已超期"), "{}", list.body);
        let metrics = Browser::new(&state).get("/metrics").await.body;
        assert!(
            metrics.contains("portal_work_orders_overdue 1"),
            "{}: {metrics}",
            db.label
        );
        for (step, note) in [
            ("verify", "经核实系高峰期排队所致"),
            ("rectify", "已扩容,高峰期响应恢复正常"),
            ("visit", "电话回访,本人认可整改结果"),
        ] {
            let done = acceptor
                .post(&format!("/admin/orders/{order}/{step}"), &[("note", note)])
                .await;
            assert_eq!(done.status, StatusCode::OK, "{step}: {}", done.body);
        }
        let metrics = Browser::new(&state).get("/metrics").await.body;
        assert!(
            metrics.contains("portal_work_orders_overdue 0"),
            "{metrics}"
        );

        // The citizen sees every step and rates the fix, once.
        let mut wang = Browser::new(&state);
        wang.login("person", WANG, "Demo@2026").await;
        let cases = wang.get("/api/my_cases").await.json();
        let order_view = &cases[0]["order"];
        assert_eq!(
            order_view["visited"], "电话回访,本人认可整改结果",
            "{cases}"
        );
        assert_eq!(order_view["may_rate_fix"], true);
        let fixed = wang
            .post("rate_fix", &[("case_no", &case), ("level", "4")])
            .await;
        assert_eq!(fixed.status, StatusCode::OK, "{}", fixed.body);
        let again = wang
            .post("rate_fix", &[("case_no", &case), ("level", "5")])
            .await;
        assert!(!again.field_message("fix_level").is_empty());

        // The public figures: one rating this month, a 差评, put right.
        let rows = Browser::new(&state)
            .get("/api/public_evaluation")
            .await
            .json();
        let row = &rows[0];
        assert_eq!(row["service"], "授权用证", "{rows}");
        assert_eq!(row["ratings"], 1);
        assert_eq!(row["poor"], 1);
        assert_eq!(row["rectified"], 1);
        assert_eq!(row["rate_permille"], 0);
        let page = Browser::new(&state).get("/evaluation").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("0.0%") && page.body.contains("授权用证"));
        // Every step is in the audit chain.
        let actions: Vec<String> = sqlx::query(
            "SELECT action FROM staff_audit WHERE action LIKE 'staff.order_%' ORDER BY seq",
        )
        .fetch_all(&state.db)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
        assert_eq!(
            actions,
            [
                "staff.order_verify",
                "staff.order_rectify",
                "staff.order_visit"
            ]
        );
        db.close().await;
    }
}
