//! 电子证照标识, 亮证, 授权用证 and 用证记录 through the HTTP surface, on SQLite and PostgreSQL,
//! each trust boundary tried as its attacker would: another person's certificate, showing or
//! grant, a screenshot of a 亮证 code, a code edited to look newer, a revoked or expired grant.

use crate::common;
use crate::common::{Browser, TestDb, demo_state, face_checked_desktop, phone_steps, start};
use http::StatusCode;

const WANG: &str = "110105198003150039";
const LI: &str = "310104199007220044";

/// Owned form fields as the post helper takes them.
fn post<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn id_of(card: &serde_json::Value) -> String {
    card["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_licence_identifier_is_on_the_card_the_copy_and_the_verify_page() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut desktop = face_checked_desktop(&state, WANG).await;
        let cards = desktop.get("/api/my_certificates").await.json();
        let first = &cards[0];
        let licence = first["licence_id"].as_str().unwrap().to_string();
        let parsed = app::certificates::licence_id::LicenceId::parse(&licence)
            .unwrap_or_else(|e| panic!("{}: {licence}: {e}", db.label));
        assert_eq!(parsed.type_code, "11100000000013338W001", "{licence}");
        assert_eq!(parsed.issuer_code, "11100000000013338W");
        assert_eq!(parsed.version, 1);
        // Two certificates, two serials.
        assert_ne!(cards[1]["licence_id"], first["licence_id"]);

        let ok = desktop
            .post(
                "annotate_certificate",
                &[("certificate_id", &id_of(first)), ("purpose", "投标使用")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let code = latest_code(&db).await;
        let mut public = Browser::new(&state);
        let v = public
            .get(&format!("/api/verify_copy?code={code}"))
            .await
            .json();
        assert_eq!(v["licence_id"], licence.as_str(), "{v}");
        assert_eq!(v["type_code"], "11100000000013338W001");
        assert_eq!(v["holder_code"], "110105********0039");
        assert_eq!(v["issued_on"], "2010-06-18");

        // The registry changes the certificate: a new version, while the copy keeps its own.
        sqlx::query("UPDATE registrations SET employer = $1 WHERE registration_no = $2")
            .bind("另一家建设集团有限公司")
            .bind("京1112010000001")
            .execute(&db.pool)
            .await
            .unwrap();
        let cards = desktop.get("/api/my_certificates").await.json();
        let changed = cards[0]["licence_id"].as_str().unwrap();
        let parsed = app::certificates::licence_id::LicenceId::parse(changed).unwrap();
        assert_eq!(parsed.version, 2, "{changed}");
        assert_eq!(changed[..changed.len() - 6], licence[..licence.len() - 6]);
        // Seen again unchanged: still 2.
        let again = desktop.get("/api/my_certificates").await.json();
        assert_eq!(again[0]["licence_id"], changed);
        let v = public
            .get(&format!("/api/verify_copy?code={code}"))
            .await
            .json();
        assert_eq!(
            v["licence_id"],
            licence.as_str(),
            "the copy keeps its version"
        );
        let ok = desktop
            .post(
                "annotate_certificate",
                &[("certificate_id", &id_of(first)), ("purpose", "资质申报")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK);
        let v = public
            .get(&format!("/api/verify_copy?code={}", latest_code(&db).await))
            .await
            .json();
        assert_eq!(v["licence_id"], changed, "a new copy certifies version 2");
        db.close().await;
    }
}

async fn latest_code(db: &TestDb) -> String {
    use sqlx::Row;
    sqlx::query("SELECT verify_code FROM annotations ORDER BY id DESC LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .try_get("verify_code")
        .unwrap()
}

/// The token inside a 亮证 code's address.
fn token_of(code: &serde_json::Value) -> String {
    let url = code["url"].as_str().unwrap();
    let token = url.rsplit("/verify/show/").next().unwrap().to_string();
    assert_eq!(token.len(), 64, "{url}");
    token
}

#[tokio::test]
async fn showing_on_the_phone_and_what_a_camera_sees() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        // The phone signs in and checks its own face: the ticket is its own.
        let mut phone = Browser::new(&state);
        phone.login("person", WANG, "Demo@2026").await;
        assert_eq!(
            phone
                .post("start_showing", &[("certificate_id", "x")])
                .await
                .status,
            StatusCode::FORBIDDEN,
            "no 亮证 without a face check"
        );
        let (_, ticket) = start(&mut phone).await;
        let info = phone
            .get(&format!("/api/read_face_ticket?token={ticket}"))
            .await
            .json();
        assert_eq!(info["own_device"], true, "{info}");
        for (status, body) in phone_steps(&mut phone, &ticket, WANG).await {
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        let cards = phone.get("/api/my_certificates").await.json();
        let cert = id_of(&cards[0]);

        let shown = phone
            .post("start_showing", &[("certificate_id", &cert)])
            .await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        let showing = shown.json();
        assert!(showing["code"]["qr_svg"].as_str().unwrap().contains("<svg"));
        let first = token_of(&showing["code"]);
        let showing_id = showing["id"].as_str().unwrap().to_string();

        // Anyone's camera: the live status, the holder masked, when it was shown.
        let mut camera = Browser::new(&state);
        let seen = camera.get(&format!("/api/check_show?token={first}")).await;
        assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
        let live = &seen.json()["Live"];
        assert_eq!(live["certificate"]["holder"], "王**", "{live}");
        assert_eq!(live["certificate"]["status"], "Valid");
        assert_eq!(live["certificate"]["registration_no"], "京1112010000001");
        assert!(live["shown_at"].as_str().unwrap().starts_with("20"));
        assert!(!seen.body.contains(WANG) && !seen.body.contains("王建国"));

        // 30 seconds on the phone has a new code; the old one still opens within the minute.
        state.clock.advance(30);
        let next = phone
            .get(&format!("/api/show_code?showing_id={showing_id}"))
            .await
            .json();
        let second = token_of(&next);
        assert_ne!(second, first);
        assert!(
            camera
                .get(&format!("/api/check_show?token={first}"))
                .await
                .json()["Live"]
                .is_object()
        );

        // A screenshot a minute later: expired.
        state.clock.advance(31);
        assert_eq!(
            camera
                .get(&format!("/api/check_show?token={first}"))
                .await
                .json(),
            "Expired"
        );
        // Editing the time inside the code to look newer breaks its signature.
        let now = state.clock.now();
        let mut forged = first[..16].to_string();
        forged.push_str(&format!("{now:016x}"));
        forged.push_str(&first[32..]);
        assert_eq!(
            camera
                .get(&format!("/api/check_show?token={forged}"))
                .await
                .json(),
            "Invalid"
        );
        assert_eq!(
            camera.get("/api/check_show?token=not-a-token").await.json(),
            "Invalid"
        );

        // Another person cannot show this certificate or renew this showing.
        let mut li = face_checked_desktop(&state, LI).await;
        assert_eq!(
            li.post("start_showing", &[("certificate_id", &cert)])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert!(
            li.get(&format!("/api/show_code?showing_id={showing_id}"))
                .await
                .json()
                .is_null()
        );

        // The showing ends after five minutes: no more codes.
        state.clock.advance(300);
        let ended = phone
            .get(&format!("/api/show_code?showing_id={showing_id}"))
            .await;
        assert!(ended.json().is_null(), "{}", ended.body);

        // A revoked certificate shows as such on a fresh code.
        let mut phone = face_checked_desktop(&state, WANG).await;
        let showing = phone
            .post("start_showing", &[("certificate_id", &cert)])
            .await
            .json();
        let token = token_of(&showing["code"]);
        sqlx::query("UPDATE certificates SET revoked_at = 1")
            .execute(&db.pool)
            .await
            .unwrap();
        let seen = camera
            .get(&format!("/api/check_show?token={token}"))
            .await
            .json();
        assert_eq!(seen["Live"]["certificate"]["status"], "Revoked", "{seen}");

        // The holder's 安全记录 lists each 亮证; 用证记录 lists each live verification.
        let log = phone.get("/api/security_log").await.json();
        let shows = log
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["label"] == "亮证")
            .count();
        assert_eq!(shows, 2, "{log}");
        let uses = phone.get("/api/my_certificate_uses").await.json();
        let uses = uses["records"].as_array().unwrap();
        assert_eq!(uses.len(), 3, "{uses:?}");
        assert!(uses.iter().all(|u| u["kind"] == "亮证核验"));
        assert!(uses[0]["ip"].as_str().unwrap().ends_with('*'), "{uses:?}");
        db.close().await;
    }
}

#[tokio::test]
async fn grants_answer_only_within_their_time_and_the_holder_sees_every_look() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut wang = face_checked_desktop(&state, WANG).await;
        let cards = wang.get("/api/my_certificates").await.json();
        let cert = id_of(&cards[0]);
        let grant = |code: &'static str, name: &'static str, days: &'static str| {
            vec![
                ("certificate_id", cert.clone()),
                ("org_code", code.to_string()),
                ("org_name", name.to_string()),
                ("purpose", "投标资格审查".to_string()),
                ("days", days.to_string()),
            ]
        };

        // Bad input: each field says what is wrong, in Chinese.
        let r = wang
            .post(
                "create_grant",
                &post(&grant("91110000000000000X", "某建设集团", "7")),
            )
            .await;
        assert!(
            r.field_message("org_code").contains("统一社会信用代码"),
            "{}",
            r.body
        );
        let r = wang
            .post("create_grant", &post(&grant(ORG, "某", "7")))
            .await;
        assert!(r.field_message("org_name").contains("单位"), "{}", r.body);
        let r = wang
            .post(
                "create_grant",
                &post(&grant(ORG, "中建示范建设有限公司", "31")),
            )
            .await;
        assert!(r.field_message("days").contains("1–30"), "{}", r.body);

        let made = wang
            .post(
                "create_grant",
                &post(&grant(ORG, "中建示范建设有限公司", "7")),
            )
            .await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.body);
        let made = made.json();
        let url = made["url"].as_str().unwrap();
        let code = url.rsplit("/verify/grant/").next().unwrap().to_string();
        let grant_id = made["grant"]["id"].as_str().unwrap().to_string();

        // The organisation's page: the certificate, the holder's name as granted, never the ID.
        let mut org = Browser::new(&state);
        let seen = org.get(&format!("/api/check_grant?code={code}")).await;
        let live = &seen.json()["Live"];
        assert_eq!(live["certificate"]["holder"], "王建国", "{}", seen.body);
        assert_eq!(live["org_name"], "中建示范建设有限公司");
        assert!(
            live["specialties"][0]
                .as_str()
                .unwrap()
                .contains("有效期至")
        );
        assert!(!seen.body.contains(WANG));
        // Only the digest of the code is stored.
        let stored: i64 =
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM grants WHERE code_hash = $1")
                .bind(&code)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(stored, 0);

        // Another person can neither grant this certificate nor revoke Wang's grant.
        let mut li = face_checked_desktop(&state, LI).await;
        let r = li
            .post(
                "create_grant",
                &post(&grant(ORG, "中建示范建设有限公司", "7")),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = li.post("revoke_grant", &[("grant_id", &grant_id)]).await;
        assert_ne!(r.status, StatusCode::OK);
        assert!(
            li.get("/api/my_grants")
                .await
                .json()
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert!(
            org.get(&format!("/api/check_grant?code={code}"))
                .await
                .json()["Live"]
                .is_object()
        );

        // The holder sees it, and the look by the organisation in 用证记录.
        let grants = wang.get("/api/my_grants").await.json();
        assert_eq!(grants[0]["state"], "有效", "{grants}");
        let uses = wang.get("/api/my_certificate_uses").await.json()["records"].clone();
        assert_eq!(uses[0]["kind"], "授权核验", "{uses}");
        assert_eq!(
            uses[0]["organisation"],
            format!("中建示范建设有限公司({ORG})的授权链接")
        );

        // Revoked at once, even from a session without a face check.
        let mut plain = Browser::new(&state);
        plain.login("person", WANG, "Demo@2026").await;
        let r = plain.post("revoke_grant", &[("grant_id", &grant_id)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let ended = org
            .get(&format!("/api/check_grant?code={code}"))
            .await
            .json();
        assert_eq!(ended["Ended"]["revoked"], true, "{ended}");
        assert!(!ended.to_string().contains("京1112010000001"));
        let again = plain.post("revoke_grant", &[("grant_id", &grant_id)]).await;
        assert_ne!(again.status, StatusCode::OK);

        // A one-day grant ends by itself.
        let made = wang
            .post(
                "create_grant",
                &post(&grant(ORG, "中建示范建设有限公司", "1")),
            )
            .await
            .json();
        let url = made["url"].as_str().unwrap();
        let code = url.rsplit("/verify/grant/").next().unwrap().to_string();
        assert!(
            org.get(&format!("/api/check_grant?code={code}"))
                .await
                .json()["Live"]
                .is_object()
        );
        state.clock.advance(86_400);
        let ended = org
            .get(&format!("/api/check_grant?code={code}"))
            .await
            .json();
        assert_eq!(ended["Ended"]["revoked"], false, "{ended}");
        let mut plain = Browser::new(&state);
        plain.login("person", WANG, "Demo@2026").await;
        let grants = plain.get("/api/my_grants").await.json();
        assert_eq!(grants[0]["state"], "已到期", "{grants}");
        assert_eq!(grants[1]["state"], "已撤销");
        assert_eq!(
            org.get("/api/check_grant?code=0123456789abcdef0123456789abcdef")
                .await
                .json(),
            "NotFound"
        );

        // A copy's public verification is in 用证记录 too; newest first.
        let mut wang = face_checked_desktop(&state, WANG).await;
        wang.post(
            "annotate_certificate",
            &[("certificate_id", &cert), ("purpose", "投标使用")],
        )
        .await;
        org.get(&format!("/api/verify_copy?code={}", latest_code(&db).await))
            .await;
        let uses = wang.get("/api/my_certificate_uses").await.json()["records"].clone();
        assert_eq!(uses[0]["kind"], "副本核验", "{uses}");
        assert!(uses[0]["subject"].as_str().unwrap().starts_with("副本 JZ"));
        let log = wang.get("/api/security_log").await.json();
        assert!(
            log.as_array()
                .unwrap()
                .iter()
                .any(|e| e["label"] == "撤销授权")
        );
        assert!(
            log.as_array()
                .unwrap()
                .iter()
                .any(|e| e["label"] == "授权用证")
        );
        db.close().await;
    }
}

/// A valid 统一社会信用代码 (the demo employer's).
const ORG: &str = "91110000MA01ABCD1M";

// ---- Attack review (issue 24): status lists, what a credential tells, 用证记录 ----

/// The JWT payload of an issued SD-JWT.
fn payload_of(sd_jwt: &str) -> serde_json::Value {
    let jwt = sd_jwt.split('~').next().unwrap();
    let part = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&app::platform::sd_jwt::unb64(part).unwrap()).unwrap()
}

/// Issues a credential of `certificate` disclosing `disclose`, as the dialog posts it.
async fn export(browser: &mut Browser, certificate: &str, disclose: &str) -> common::Reply {
    browser
        .post(
            "issue_credential",
            &[
                ("certificate_id", certificate),
                ("disclose", disclose),
                ("holder_jwk", ""),
            ],
        )
        .await
}

/// (list, index) of an issued credential.
pub(crate) fn slot_of(issued: &serde_json::Value) -> (i64, i64) {
    let payload = payload_of(issued["sd_jwt"].as_str().unwrap());
    let status = &payload["status"]["status_list"];
    let uri = status["uri"].as_str().unwrap();
    let list = uri.rsplit('/').next().unwrap().parse().unwrap();
    (list, status["idx"].as_i64().unwrap())
}

/// Whether the served status list `list` marks `idx` invalid; the token lives ≤ 10 minutes.
pub(crate) async fn marked(browser: &mut Browser, list: i64, idx: i64) -> bool {
    use std::io::Read as _;
    let r = browser.get(&format!("/status-lists/{list}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let part = r.body.split('.').nth(1).unwrap();
    let payload: serde_json::Value =
        serde_json::from_slice(&app::platform::sd_jwt::unb64(part).unwrap()).unwrap();
    let lifetime = payload["exp"].as_i64().unwrap() - payload["iat"].as_i64().unwrap();
    assert!((1..=600).contains(&lifetime), "{payload}");
    assert_eq!(payload["ttl"], 10);
    let lst = app::platform::sd_jwt::unb64(payload["status_list"]["lst"].as_str().unwrap());
    let mut bits = Vec::new();
    flate2::read::ZlibDecoder::new(&lst.unwrap()[..])
        .read_to_end(&mut bits)
        .unwrap();
    assert_eq!(bits.len(), 1 << 17);
    bits[(idx / 8) as usize] & (1 << (idx % 8)) != 0
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    use sqlx::Row;
    sqlx::query(sql)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

async fn revoke_live_credentials(browser: &mut Browser, how_many: usize) {
    let mine = browser.get("/api/my_credentials").await.json();
    let live: Vec<String> = mine
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["active"] == true)
        .take(how_many)
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(live.len(), how_many, "{mine}");
    for id in live {
        let r = browser
            .post("revoke_credential", &[("credential_id", &id)])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
}

#[tokio::test]
async fn one_holder_cannot_fill_the_status_list_however_fast_they_ask() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut wang = face_checked_desktop(&state, WANG).await;
        let cards = wang.get("/api/my_certificates").await.json();
        let cert = id_of(&cards[0]);

        // As the attacker did: many exports at once from one face-checked session.
        let mut asking = Vec::new();
        for _ in 0..30 {
            let mut b = Browser::new(&state);
            b.cookie = wang.cookie.clone();
            let cert = cert.clone();
            asking.push(tokio::spawn(
                async move { export(&mut b, &cert, "name").await },
            ));
        }
        let mut issued = 0;
        for task in asking {
            let r = task.await.unwrap();
            match r.status {
                StatusCode::OK => issued += 1,
                StatusCode::FORBIDDEN => assert!(
                    r.body.contains("20 个有效的可验证凭证"),
                    "{}: {}",
                    db.label,
                    r.body
                ),
                other => panic!("{}: {other} {}", db.label, r.body),
            }
        }
        assert_eq!(issued, 20, "{}", db.label);
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM vc_credentials WHERE revoked_at = 0"
            )
            .await,
            20
        );

        // Revoking makes room; the 24-hour count still bounds what one account can take.
        revoke_live_credentials(&mut wang, 5).await;
        for _ in 0..5 {
            assert_eq!(
                export(&mut wang, &cert, "name").await.status,
                StatusCode::OK
            );
        }
        let r = export(&mut wang, &cert, "name").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        for _ in 0..25 {
            revoke_live_credentials(&mut wang, 1).await;
            assert_eq!(
                export(&mut wang, &cert, "name").await.status,
                StatusCode::OK
            );
        }
        revoke_live_credentials(&mut wang, 1).await;
        let r = export(&mut wang, &cert, "name").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(r.body.contains("24 小时内最多导出 50 个"), "{}", r.body);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM vc_credentials").await, 50);

        // A day later the holder may export again (after a new face check).
        state.clock.advance(86_401);
        let mut wang = face_checked_desktop(&state, WANG).await;
        assert_eq!(
            export(&mut wang, &cert, "name").await.status,
            StatusCode::OK
        );
        db.close().await;
    }
}

#[tokio::test]
async fn status_lists_are_stored_bits_opened_as_they_fill_and_no_other_list_is_signed() {
    use app::credentials::vc::repo;
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        state.clock.freeze();
        let mut wang = face_checked_desktop(&state, WANG).await;
        let cards = wang.get("/api/my_certificates").await.json();
        let cert = id_of(&cards[0]);
        let mut verifier = Browser::new(&state);

        let first = export(&mut wang, &cert, "name").await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        let (list, idx) = slot_of(&first.json());
        assert_eq!(list, 0);
        assert!(!marked(&mut verifier, 0, idx).await);
        revoke_live_credentials(&mut wang, 1).await;
        assert!(
            marked(&mut verifier, 0, idx).await,
            "revoked: its bit at once"
        );

        // Lists that were never opened are not signed, and asking for them cannot push the
        // lists that exist out of the servers' copies.
        for n in ["1", "2", "1048575", "-1", "x", "99999999999"] {
            let r = verifier.get(&format!("/status-lists/{n}")).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{n}: {}", r.body);
        }
        let second = export(&mut wang, &cert, "name").await;
        let (_, idx2) = slot_of(&second.json());
        assert!(!marked(&mut verifier, 0, idx2).await);
        // The registry revokes the certificate behind the portal's back (a trigger notes it).
        sqlx::query("UPDATE certificates SET revoked_at = 1")
            .execute(&db.pool)
            .await
            .unwrap();
        for n in 1..=100 {
            verifier.get(&format!("/status-lists/{}", n * 7)).await;
        }
        assert!(
            !marked(&mut verifier, 0, idx2).await,
            "still this server's copy of ten seconds"
        );
        state.clock.advance(10);
        assert!(
            marked(&mut verifier, 0, idx2).await,
            "the registry's revocation"
        );
        sqlx::query("UPDATE certificates SET revoked_at = 0")
            .execute(&db.pool)
            .await
            .unwrap();
        state.clock.advance(10);
        assert!(!marked(&mut verifier, 0, idx2).await, "restored");

        // A list half taken: the next credential opens list 1, which then exists.
        sqlx::query("UPDATE vc_status_lists SET used = $1 WHERE list = 0")
            .bind(repo::LIST_OPEN_UNTIL)
            .execute(&db.pool)
            .await
            .unwrap();
        let third = export(&mut wang, &cert, "name").await;
        assert_eq!(third.status, StatusCode::OK, "{}", third.body);
        let (list, idx3) = slot_of(&third.json());
        assert_eq!(list, 1);
        assert!(!marked(&mut verifier, 1, idx3).await);
        assert_eq!(
            verifier.get("/status-lists/2").await.status,
            StatusCode::NOT_FOUND
        );

        // A slot is freed only a day after its credential's expiry, then counted free.
        let now = state.clock.now();
        assert_eq!(repo::release_slots(&db.pool, now).await.unwrap(), 0);
        state.clock.advance(30 * 86_400);
        assert_eq!(
            repo::release_slots(&db.pool, state.clock.now())
                .await
                .unwrap(),
            0
        );
        state.clock.advance(86_400);
        assert_eq!(
            repo::release_slots(&db.pool, state.clock.now())
                .await
                .unwrap(),
            3
        );
        assert_eq!(
            count(&db, "SELECT CAST(SUM(used) AS BIGINT) FROM vc_status_lists").await,
            0
        );

        // A registry change touching many certificates is worked off in the background: a
        // verifier's request takes two batches at most and answers at once.
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) \
             INSERT INTO vc_status_dirty (certificate_id) \
             SELECT (SELECT MIN(certificate_id) FROM vc_credentials) FROM n",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        state.clock.advance(10);
        assert_eq!(verifier.get("/status-lists/0").await.status, StatusCode::OK);
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM vc_status_dirty").await,
            3000
        );
        let worked = repo::refresh(&db.pool, state.clock.now()).await.unwrap();
        assert_eq!(worked, 3000);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM vc_status_dirty").await, 0);
        db.close().await;
    }
}

#[tokio::test]
async fn a_credential_tells_neither_its_kind_nor_its_registration_end_unless_disclosed() {
    use app::domain::time::beijing_date;
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        state.clock.freeze();
        let mut wang = face_checked_desktop(&state, WANG).await;
        let cards = wang.get("/api/my_certificates").await.json();
        assert_ne!(cards[0]["category"], cards[1]["category"], "{cards}");
        let mut seen = Vec::new();
        for card in [&cards[0], &cards[1]] {
            let r = export(&mut wang, &id_of(card), "name").await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let payload = payload_of(r.json()["sd_jwt"].as_str().unwrap());
            let text = payload.to_string();
            let category = card["category"].as_str().unwrap();
            assert!(!text.contains(category), "{text}");
            assert!(
                !text.contains("11100000000013338W0"),
                "no kind code: {text}"
            );
            // The registration's end is not `exp`: a month from issuance for everyone.
            let lifetime = payload["exp"].as_i64().unwrap() - payload["iat"].as_i64().unwrap();
            assert_eq!(lifetime, 30 * 86_400, "{text}");
            seen.push(payload["vct"].as_str().unwrap().to_string());
        }
        assert_eq!(seen[0], seen[1], "one vct for every kind");
        let path = seen[0].splitn(4, '/').nth(3).unwrap().to_string();
        let metadata = wang.get(&format!("/{path}")).await;
        assert_eq!(metadata.status, StatusCode::OK, "{path}");
        for card in [&cards[0], &cards[1]] {
            let category = card["category"].as_str().unwrap();
            assert!(!metadata.body.contains(category), "{}", metadata.body);
        }

        // A registration that ends in two days: the credential outlives it, and the status
        // list marks it once the registration has lapsed.
        let (y, m, d) = beijing_date(state.clock.now() + 2 * 86_400);
        sqlx::query("UPDATE registrations SET valid_until = $1 WHERE registration_no = $2")
            .bind(format!("{y:04}-{m:02}-{d:02}"))
            .bind(cards[0]["registration_no"].as_str().unwrap())
            .execute(&db.pool)
            .await
            .unwrap();
        let r = export(&mut wang, &id_of(&cards[0]), "name").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let issued = r.json();
        let payload = payload_of(issued["sd_jwt"].as_str().unwrap());
        assert_eq!(
            payload["exp"].as_i64().unwrap() - payload["iat"].as_i64().unwrap(),
            30 * 86_400
        );
        let (list, idx) = slot_of(&issued);
        let mut verifier = Browser::new(&state);
        assert!(!marked(&mut verifier, list, idx).await);
        state.clock.advance(3 * 86_400);
        assert!(
            marked(&mut verifier, list, idx).await,
            "lapsed registration"
        );
        db.close().await;
    }
}

#[tokio::test]
async fn a_stranger_with_a_code_cannot_push_an_organisation_out_of_the_record_of_uses() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut wang = face_checked_desktop(&state, WANG).await;
        let cards = wang.get("/api/my_certificates").await.json();
        let cert = id_of(&cards[0]);
        let r = wang
            .post(
                "create_grant",
                &[
                    ("certificate_id", cert.as_str()),
                    ("org_code", ORG),
                    ("org_name", "中建示范建设有限公司"),
                    ("purpose", "投标资格审查"),
                    ("days", "7"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let made = r.json();
        let url = made["url"].as_str().unwrap();
        let code = url.rsplit("/verify/grant/").next().unwrap().to_string();
        let mut org = Browser::new(&state);
        let seen = org.get(&format!("/api/check_grant?code={code}")).await;
        assert!(seen.json()["Live"].is_object(), "{}", seen.body);

        // A stranger holding a copy's 核验码 looks it up 205 times.
        wang.post(
            "annotate_certificate",
            &[("certificate_id", &cert), ("purpose", "投标使用")],
        )
        .await;
        let copy = latest_code(&db).await;
        let mut stranger = Browser::new(&state);
        for _ in 0..205 {
            let r = stranger.get(&format!("/api/verify_copy?code={copy}")).await;
            assert_eq!(r.status, StatusCode::OK);
        }
        let page = wang.get("/api/my_certificate_uses").await.json();
        let records = page["records"].as_array().unwrap();
        assert_eq!(records.len(), 2, "{page}");
        assert_eq!(records[0]["kind"], "副本核验");
        assert_eq!(records[0]["repeats"], 205);
        assert_eq!(
            records[1]["kind"], "授权核验",
            "the organisation's look stays"
        );
        let grants = wang.get("/api/my_certificate_uses?kind=grant").await.json();
        assert_eq!(grants["records"].as_array().unwrap().len(), 1, "{grants}");
        assert_eq!(grants["records"][0]["kind"], "授权核验");

        // Many different look-ups: a page of twenty at a time, and the oldest still there.
        let id: i64 = count(&db, "SELECT MIN(certificate_id) FROM certificate_uses").await;
        for n in 0..45 {
            sqlx::query(
                "INSERT INTO certificate_uses (certificate_id, kind, subject, organisation, \
                 ip_masked, browser, created_at, last_at) \
                 VALUES ($1, 'copy', $2, '', '10.0.0.*', 'Firefox', $3, $3)",
            )
            .bind(id)
            .bind(format!("副本 {n}"))
            .bind(state.clock.now() + 1 + n)
            .execute(&db.pool)
            .await
            .unwrap();
        }
        let mut all = Vec::new();
        for page in 1..=3 {
            let got = wang
                .get(&format!("/api/my_certificate_uses?page={page}"))
                .await
                .json();
            assert_eq!(got["page"], page);
            assert_eq!(got["has_next"], page < 3, "{got}");
            all.extend(got["records"].as_array().unwrap().clone());
        }
        assert_eq!(all.len(), 47);
        assert_eq!(all[46]["kind"], "授权核验");
        db.close().await;
    }
}
