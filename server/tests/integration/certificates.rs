//! 电子证照管理 and 证照加注 through the HTTP surface, on SQLite and PostgreSQL: the cards after a
//! face check, the 加注 and its validity, and the refusals.

use crate::common;
use crate::common::{Browser, TestDb, demo_state, face_checked_desktop};
use http::StatusCode;

const WANG: &str = "110105198003150039";
const LI: &str = "310104199007220044";

#[tokio::test]
async fn cards_after_a_face_check_and_an_annotation_with_its_validity() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;

        // Without a face check: refused, for 电子证照管理 and for the credentials' pages alike.
        let mut plain = Browser::new(&state);
        plain.login("person", WANG, "Demo@2026").await;
        for list in ["/api/my_certificates", "/api/holder_certificates"] {
            assert_eq!(
                plain.get(list).await.status,
                StatusCode::FORBIDDEN,
                "{list}"
            );
        }
        // Nobody signed in: refused.
        let mut nobody = Browser::new(&state);
        assert_eq!(
            nobody.get("/api/holder_certificates").await.status,
            StatusCode::UNAUTHORIZED
        );

        let mut desktop = face_checked_desktop(&state, WANG).await;
        // The credentials' list is the same cards, the holder's own.
        let held = desktop.get("/api/holder_certificates").await.json();
        let cards = desktop.get("/api/my_certificates").await.json();
        assert_eq!(held, cards, "{}", db.label);
        let cards = cards.as_array().unwrap();
        assert_eq!(cards.len(), 2, "{}: {cards:?}", db.label);
        assert_eq!(cards[0]["title"], "中华人民共和国一级建造师注册证书");
        assert_eq!(cards[0]["state"], "None");
        let note = cards[0]["next_validity"]["Ok"]["zh"].as_str().unwrap();
        assert!(note.starts_with("使用有效期至 "), "{note}");
        let english = cards[0]["next_validity"]["Ok"]["en"].as_str().unwrap();
        assert!(
            english.starts_with("The copy can be used until "),
            "{english}"
        );
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

#[tokio::test]
async fn a_copys_validity_comes_from_the_registry_never_from_the_birth_date() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        // 王 (born 1980-03-15) turns 65 on 2045-03-15. Move the clock to 2045-01-01 and give
        // his registrations dates past that: the copy runs its 180 days, and says nothing
        // of the birthday (which would give away the masked part of his 身份证号).
        for sql in [
            "UPDATE registrations SET valid_until = '2050-12-31'",
            "UPDATE registration_specialties SET valid_until = '2050-12-31'",
        ] {
            sqlx::query(sql).execute(&db.pool).await.unwrap();
        }
        let day = |y, m, d| app::domain::time::days_from_civil(y, m, d);
        let today = app::domain::time::beijing_date(state.clock.now());
        state
            .clock
            .advance((day(2045, 1, 1) - day(today.0, today.1, today.2)) * 86_400);
        let mut desktop = face_checked_desktop(&state, WANG).await;
        let cards = desktop.get("/api/my_certificates").await.json();
        let note = cards[0]["next_validity"]["Ok"]["zh"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            note, "使用有效期至 2045-06-29(自加注之日起180天)",
            "{}",
            db.label
        );
        let id = cards[0]["id"].as_str().unwrap().to_string();
        let ok = desktop
            .post(
                "annotate_certificate",
                &[("certificate_id", &id), ("purpose", "投标使用")],
            )
            .await;
        assert_eq!(
            ok.json()["state"]["Valid"]["until"],
            "2045-06-29",
            "{}",
            db.label
        );

        // The registry ends the registration on 2045-03-14 (its age limit, its date to set):
        // the copy ends with it, and says why.
        sqlx::query("UPDATE registrations SET valid_until = '2045-03-14'")
            .execute(&db.pool)
            .await
            .unwrap();
        let cards = desktop.get("/api/my_certificates").await.json();
        let note = cards[0]["next_validity"]["Ok"]["zh"].as_str().unwrap();
        assert_eq!(
            note, "使用有效期至 2045-03-14(注册有效期早于180天届满)",
            "{}",
            db.label
        );
        // Past it, no 加注.
        state.clock.advance(80 * 86_400);
        let mut later = face_checked_desktop(&state, WANG).await;
        let cards = later.get("/api/my_certificates").await.json();
        let refusal = cards[0]["next_validity"]["Err"]["zh"].as_str().unwrap();
        assert!(
            refusal.contains("注册有效期已届满"),
            "{}: {refusal}",
            db.label
        );
        db.close().await;
    }
}

/// Makes every 安全记录 entry of `kind` fail to be written, as a request cut short between
/// the action and its entry would leave it.
async fn refuse_audit(db: &TestDb, kind: &str) {
    let statements: Vec<String> = if db.label == "postgres" {
        vec![
            "CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'audit refused'; END $$ LANGUAGE plpgsql"
                .into(),
            format!(
                "CREATE TRIGGER refuse_audit_{kind} BEFORE INSERT ON audit_events FOR EACH ROW \
                 WHEN (NEW.kind = '{kind}') EXECUTE FUNCTION refuse_audit()"
            ),
        ]
    } else {
        vec![format!(
            "CREATE TRIGGER refuse_audit_{kind} BEFORE INSERT ON audit_events \
             WHEN NEW.kind = '{kind}' BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
        )]
    };
    for sql in statements {
        sqlx::query(&sql).execute(&db.pool).await.unwrap();
    }
}

#[tokio::test]
async fn an_action_whose_security_record_cannot_be_written_is_not_done() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut desktop = face_checked_desktop(&state, WANG).await;
        let cards = desktop.get("/api/my_certificates").await.json();
        let id = cards[0]["id"].as_str().unwrap().to_string();
        let copies = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM annotations")
                .fetch_one(&db.pool)
                .await
                .unwrap()
        };
        let before = copies().await;
        refuse_audit(&db, "annotated").await;
        let refused = desktop
            .post(
                "annotate_certificate",
                &[("certificate_id", &id), ("purpose", "投标使用")],
            )
            .await;
        assert!(
            refused.status.is_server_error(),
            "{}: {}",
            db.label,
            refused.body
        );
        assert_eq!(
            copies().await,
            before,
            "{}: a 加注 without its record",
            db.label
        );

        // A password change: the old password still opens the account.
        refuse_audit(&db, "password_changed").await;
        let changed = desktop
            .post(
                "change_password",
                &[
                    ("current_password", "Demo@2026"),
                    ("password", "Other@2026x"),
                    ("password_confirm", "Other@2026x"),
                ],
            )
            .await;
        assert!(
            changed.status.is_server_error(),
            "{}: {}",
            db.label,
            changed.body
        );
        let mut again = Browser::new(&state);
        again.login("person", WANG, "Demo@2026").await;
        assert_eq!(
            again.get("/api/face_gate").await.status,
            StatusCode::OK,
            "{}: the old password still signs in",
            db.label
        );
        db.close().await;
    }
}

fn header<'a>(reply: &'a common::Reply, name: &str) -> &'a str {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// What the public verification answers for `code`.
async fn verify(public: &mut Browser, code: &str) -> serde_json::Value {
    public
        .get(&format!("/api/verify_copy?code={code}"))
        .await
        .json()
}

/// `url` is refused with a 403 whose message contains `why`.
async fn refused(browser: &mut Browser, url: &str, why: &str) {
    let r = browser.get(url).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{url}");
    assert!(r.body.contains(why), "{why}: {}", r.body);
}

/// The verification code of the certificate's latest copy, as printed in its QR code.
async fn latest_code(db: &TestDb) -> String {
    use sqlx::Row;
    sqlx::query("SELECT verify_code FROM annotations ORDER BY id DESC LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .try_get("verify_code")
        .unwrap()
}

#[tokio::test]
async fn downloads_refusals_and_public_verification() {
    if common::font().is_err() {
        assert!(
            std::env::var("PORTAL_DOC_TOOLS").as_deref() != Ok("required"),
            "the certificate font is required"
        );
        eprintln!("SKIPPED: no certificate font (apt-get install fonts-wqy-microhei)");
        return;
    }
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut desktop = face_checked_desktop(&state, WANG).await;
        let cards = desktop.get("/api/my_certificates").await.json();
        let id = cards[0]["id"].as_str().unwrap().to_string();
        let pdf_url = format!("/api/certificates/{id}/pdf");
        let ofd_url = format!("/api/certificates/{id}/ofd");

        // Before any 加注: a preview, but no download.
        let preview = desktop
            .get(&format!("/api/certificates/{id}/preview"))
            .await;
        assert_eq!(preview.status, StatusCode::OK);
        assert!(header(&preview, "content-type").starts_with("image/svg+xml"));
        assert!(header(&preview, "content-security-policy").starts_with("default-src 'none'"));
        assert_eq!(header(&preview, "cache-control"), "private, no-store");
        assert!(
            preview
                .body
                .contains("证照预览:中华人民共和国一级建造师注册证书")
        );
        assert!(preview.body.contains("王建国"));
        refused(&mut desktop, &pdf_url, "尚未加注").await;

        let ok = desktop
            .post(
                "annotate_certificate",
                &[("certificate_id", &id), ("purpose", "工程投标")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let copy_no = ok.json()["state"]["Valid"]["copy_no"]
            .as_str()
            .unwrap()
            .to_string();

        // The holder downloads: headers, a stable body and entity tag, 304 on revalidation.
        let pdf = desktop.get(&pdf_url).await;
        assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
        assert_eq!(header(&pdf, "content-type"), "application/pdf");
        assert_eq!(header(&pdf, "cache-control"), "no-store");
        assert!(pdf.bytes.starts_with(b"%PDF-"));
        let disposition = header(&pdf, "content-disposition");
        let encoded: String = format!("王建国_一级注册建造师_{copy_no}.pdf")
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        assert_eq!(
            disposition,
            format!(
                "attachment; filename=\"certificate_{copy_no}.pdf\"; filename*=UTF-8''{encoded}"
            )
        );
        let etag = header(&pdf, "etag").to_string();
        assert!(etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"));
        let again = desktop.get(&pdf_url).await;
        assert_eq!(again.bytes, pdf.bytes, "same bytes for the same 加注");
        assert_eq!(header(&again, "etag"), etag);
        let revalidated = desktop
            .send(
                http::Request::get(&pdf_url).header("if-none-match", &etag),
                axum::body::Body::empty(),
            )
            .await;
        assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);

        let ofd = desktop.get(&ofd_url).await;
        assert_eq!(ofd.status, StatusCode::OK);
        assert_eq!(header(&ofd, "content-type"), "application/ofd");
        assert!(ofd.bytes.starts_with(b"PK"));
        assert!(header(&ofd, "content-disposition").ends_with(".ofd"));
        assert_eq!(desktop.get(&ofd_url).await.bytes, ofd.bytes);
        assert_eq!(
            desktop
                .get(&format!("/api/certificates/{id}/docx"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // Anyone but the holder, no session, a session without a face check: 403.
        let mut li = face_checked_desktop(&state, LI).await;
        refused(&mut li, &pdf_url, "无权访问").await;
        assert_eq!(
            li.get(&format!("/api/certificates/{id}/preview"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        refused(&mut Browser::new(&state), &ofd_url, "请先登录").await;
        let mut unchecked = Browser::new(&state);
        unchecked.login("person", WANG, "Demo@2026").await;
        refused(&mut unchecked, &pdf_url, "人脸识别认证").await;

        // Each download is in the holder's 安全记录, with the copy and where from.
        let log = desktop.get("/api/security_log").await.json();
        let downloads: Vec<_> = log
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["label"] == "证照下载")
            .collect();
        assert_eq!(downloads.len(), 5, "{log}");
        assert!(
            downloads
                .iter()
                .any(|e| e["detail"].as_str().unwrap().contains(&copy_no)
                    && e["detail"].as_str().unwrap().ends_with("OFD"))
        );

        // Public verification, no login.
        let code = latest_code(&db).await;
        let mut public = Browser::new(&state);
        let v = verify(&mut public, &code).await;
        assert_eq!(v["copy_no"], copy_no.as_str(), "{v}");
        assert_eq!(v["holder"], "王**");
        assert_eq!(v["registration_no"], "京1112010000001");
        assert_eq!(v["purpose"], "工程投标");
        assert_eq!(v["valid"], true);
        assert_eq!(v["changed"], false);
        assert_eq!(v["revoked"], false);
        let mut forged = code.clone();
        forged.replace_range(0..1, if code.starts_with('0') { "1" } else { "0" });
        for bad in [forged.as_str(), "not-a-code", ""] {
            let r = public.get(&format!("/api/verify_copy?code={bad}")).await;
            assert_eq!(r.status, StatusCode::OK);
            assert!(r.json().is_null(), "{bad}: {}", r.body);
        }

        // The face check lapses after 30 minutes.
        state.clock.advance(31 * 60);
        assert_eq!(desktop.get(&pdf_url).await.status, StatusCode::FORBIDDEN);

        // The registry changes the certificate: the copy no longer matches it.
        sqlx::query("UPDATE registrations SET employer = $1 WHERE registration_no = $2")
            .bind("另一家建设集团有限公司")
            .bind("京1112010000001")
            .execute(&db.pool)
            .await
            .unwrap();
        let mut fresh = face_checked_desktop(&state, WANG).await;
        refused(&mut fresh, &pdf_url, "已变更").await;
        let v = verify(&mut public, &code).await;
        assert_eq!(v["changed"], true, "{v}");

        // 181 days on: expired, both for the holder and on the public page.
        state.clock.advance(181 * 86_400);
        let mut later = face_checked_desktop(&state, WANG).await;
        refused(&mut later, &pdf_url, "已过期").await;
        let v = verify(&mut public, &code).await;
        assert_eq!(v["valid"], false, "{v}");

        // Revoked by the registry.
        sqlx::query("UPDATE certificates SET revoked_at = 1")
            .execute(&db.pool)
            .await
            .unwrap();
        let v = verify(&mut public, &code).await;
        assert_eq!(v["revoked"], true, "{v}");
        db.close().await;
    }
}
