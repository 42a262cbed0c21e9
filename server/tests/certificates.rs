//! 电子证照管理 and 证照加注 through the HTTP surface, on SQLite and PostgreSQL: the cards after a
//! face check, the 加注 and its validity, and the refusals.

mod common;

use app::state::PortalEnv;
use common::{Browser, TestDb, state, with_demo_accounts};
use http::StatusCode;

const WANG: &str = "110105198003150039";
const LI: &str = "310104199007220044";

/// Signs in as `id` on a desktop and passes a face check from a phone.
async fn face_checked_desktop(state: &app::state::AppState, id: &str) -> Browser {
    let mut desktop = Browser::new(state);
    desktop.login("person", id, "Demo@2026").await;
    let v = desktop.post("start_face_check", &[]).await.json();
    let token = v["scan_url"]
        .as_str()
        .unwrap()
        .rsplit("t=")
        .next()
        .unwrap()
        .to_string();
    let mut phone = Browser::new(state);
    phone.login("person", id, "Demo@2026").await;
    for step in [
        "scan_face_ticket",
        "allow_face_check",
        "complete_face_check",
    ] {
        let r = phone.post(step, &[("token", &token)]).await;
        assert_eq!(r.status, StatusCode::OK, "{step}: {}", r.body);
    }
    desktop
}

#[tokio::test]
async fn cards_after_a_face_check_and_an_annotation_with_its_validity() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        with_demo_accounts(&state).await;
        server::demo::load_if_empty(&db.pool, db.label == "postgres", common::DATA_KEY)
            .await
            .unwrap();

        // Without a face check: refused.
        let mut plain = Browser::new(&state);
        plain.login("person", WANG, "Demo@2026").await;
        assert_eq!(
            plain.get("/api/my_certificates").await.status,
            StatusCode::FORBIDDEN
        );

        let mut desktop = face_checked_desktop(&state, WANG).await;
        let cards = desktop.get("/api/my_certificates").await.json();
        let cards = cards.as_array().unwrap();
        assert_eq!(cards.len(), 2, "{}: {cards:?}", db.label);
        assert_eq!(cards[0]["title"], "中华人民共和国一级建造师注册证书");
        assert_eq!(cards[0]["state"], "None");
        let note = cards[0]["next_validity"]["Ok"].as_str().unwrap();
        assert!(note.starts_with("使用有效期至 "), "{note}");
        // Opening the page again issues nothing new.
        let again = desktop.get("/api/my_certificates").await.json();
        assert_eq!(again.as_array().unwrap().len(), 2);
        let id = cards[0]["id"].as_str().unwrap().to_string();

        // A purpose is required.
        let bad = desktop
            .post(
                "annotate_certificate",
                &[("certificate_id", &id), ("purpose", " ")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.field_message("purpose").contains("加注用途"));

        let ok = desktop
            .post(
                "annotate_certificate",
                &[("certificate_id", &id), ("purpose", "投标使用")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let card = ok.json();
        let valid = &card["state"]["Valid"];
        assert!(
            valid["copy_no"].as_str().unwrap().starts_with("JZ"),
            "{card}"
        );
        let until = valid["until"].as_str().unwrap();
        assert!(note.contains(until), "{note} vs {until}");

        // Somebody else cannot annotate this certificate, nor can a session without a check.
        let mut li = face_checked_desktop(&state, LI).await;
        let other = li
            .post(
                "annotate_certificate",
                &[("certificate_id", &id), ("purpose", "投标使用")],
            )
            .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND, "{}", other.body);
        let unchecked = plain
            .post(
                "annotate_certificate",
                &[("certificate_id", &id), ("purpose", "投标使用")],
            )
            .await;
        assert_eq!(unchecked.status, StatusCode::FORBIDDEN);

        // The 加注 is in 安全记录.
        let log = desktop.get("/api/security_log").await.json();
        assert_eq!(log[0]["label"], "证照加注", "{log}");
        assert!(log[0]["detail"].as_str().unwrap().contains("投标使用"));

        // 181 days on, the copy has expired.
        state.clock.advance(181 * 86_400);
        let mut later = face_checked_desktop(&state, WANG).await;
        let cards = later.get("/api/my_certificates").await.json();
        assert!(cards[0]["state"]["Expired"].is_object(), "{cards}");
        db.close().await;
    }
}
