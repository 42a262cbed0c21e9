//! 人脸识别认证 end to end through the HTTP surface, on SQLite and PostgreSQL: the happy path
//! with its event stream, expiry, replay, a phone of another person, a restart in the middle,
//! the 30-minute pass of one session; and, on PostgreSQL, two server processes where the
//! phone's requests land on one and the desktop's event stream on the other.

use crate::common;
use crate::common::process::{free_ports, http, spawn_server, wait_healthy};
use crate::common::{Browser, TestDb, demo_state, phone_steps, start, state, with_demo_accounts};
use app::platform::state::PortalEnv;
use axum::body::Body;
use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

const WANG: &str = "110105198003150039";
const LI: &str = "310104199007220044";

async fn status(desktop: &mut Browser, ticket: &str) -> serde_json::Value {
    desktop
        .get(&format!("/api/face_ticket_status?ticket_id={ticket}"))
        .await
        .json()
}

#[tokio::test]
async fn the_phone_passes_the_desktops_ticket_and_the_stream_tells_the_desktop() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut desktop = Browser::new(&state);
        desktop.login("person", WANG, "Demo@2026").await;
        assert_eq!(desktop.get("/api/face_gate").await.json(), false);
        assert_eq!(
            desktop.get("/api/my_certificates").await.status,
            StatusCode::FORBIDDEN
        );
        let (ticket, token) = start(&mut desktop).await;
        assert_eq!(
            status(&mut desktop, &ticket).await["state"],
            "Waiting",
            "{}",
            db.label
        );

        // The desktop's event stream: the first event is the current state.
        let stream = server::http::router(state.clone())
            .oneshot(
                Request::get(format!("/api/face_events/{ticket}"))
                    .header(header::COOKIE, desktop.cookie.clone().unwrap())
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(stream.status(), StatusCode::OK);
        assert_eq!(stream.headers()[header::CONTENT_TYPE], "text/event-stream");
        let mut body = stream.into_body();
        let mut seen = String::new();
        let mut next_event = async || loop {
            let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
                .await
                .expect("an event within 5 s")
                .expect("stream open")
                .unwrap();
            if let Ok(data) = frame.into_data() {
                let text = String::from_utf8_lossy(&data).to_string();
                if text.contains("event: state") {
                    return text;
                }
            }
        };
        seen.push_str(&next_event().await);
        assert!(seen.contains(r#""state":"Waiting""#), "{seen}");

        let mut phone = Browser::new(&state);
        phone.login("person", WANG, "Demo@2026").await;
        let mut returned = (String::new(), String::new());
        for (step, expected) in [
            ("scan_face_ticket", "Scanned"),
            ("allow_face_check", "Verifying"),
            ("begin_face_check", "Verifying"),
            ("finish_face_check", "Passed"),
        ] {
            let fields: Vec<(&str, &str)> = match step {
                "begin_face_check" => vec![("token", &token), ("id_number", WANG)],
                "finish_face_check" => vec![("ticket", &returned.0), ("token", &returned.1)],
                _ => vec![("token", &token)],
            };
            let r = phone.post(step, &fields).await;
            assert_eq!(r.status, StatusCode::OK, "{step}: {}", r.body);
            if step == "begin_face_check" {
                returned = common::returned_to(&r.json());
                assert_eq!(returned.0, ticket);
            }
            let event = next_event().await;
            assert!(
                event.contains(&format!(r#""state":"{expected}""#)),
                "{event}"
            );
        }

        // The pass opens 电子证照管理 for this desktop session.
        assert_eq!(desktop.get("/api/face_gate").await.json(), true);
        let list = desktop.get("/api/my_certificates").await.json();
        assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
        // … and not for another session of the same person.
        let mut other = Browser::new(&state);
        other.login("person", WANG, "Demo@2026").await;
        assert_eq!(other.get("/api/face_gate").await.json(), false);

        // Replaying the used ticket fails at every step.
        for (code, body) in phone_steps(&mut phone, &token, WANG).await {
            assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        }
        let r = phone.post("scan_face_ticket", &[("token", &token)]).await;
        assert!(r.body.contains("已使用"), "{}", r.body);

        // 30 minutes later the pass is over (the session kept alive meanwhile).
        state.clock.advance(20 * 60);
        desktop.post("keep_alive", &[]).await;
        state.clock.advance(11 * 60);
        assert_eq!(desktop.get("/api/face_gate").await.json(), false);
        db.close().await;
    }
}

#[tokio::test]
async fn the_face_check_page_makes_exactly_one_ticket_per_visit() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut desktop = Browser::new(&state);
        desktop.login("person", WANG, "Demo@2026").await;
        let tickets = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM face_tickets")
                .fetch_one(&db.pool)
                .await
                .unwrap()
        };
        let before = tickets().await;
        let page = desktop.get("/user/certificates").await;
        assert_eq!(page.status, StatusCode::OK, "{}", db.label);
        assert_eq!(
            tickets().await,
            before + 1,
            "{}: one ticket per page",
            db.label
        );
        // The QR code on the page is that ticket's, still open.
        let open: Vec<String> = sqlx::query_scalar(
            "SELECT public_id FROM face_tickets WHERE state = 'waiting' ORDER BY id",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(open.len(), 1, "{}", db.label);
        assert!(
            page.body.contains(&open[0]),
            "{}: the page shows its ticket",
            db.label
        );
        // Each visit (or 【刷新二维码】) makes one more, ending the one before.
        desktop.get("/user/certificates").await;
        assert_eq!(tickets().await, before + 2, "{}", db.label);
        let (_, _) = start(&mut desktop).await;
        assert_eq!(tickets().await, before + 3, "{}", db.label);
        db.close().await;
    }
}

#[tokio::test]
async fn tickets_expire_after_120_seconds_and_a_new_one_replaces_the_old() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        with_demo_accounts(&state).await;
        let mut desktop = Browser::new(&state);
        desktop.login("person", WANG, "Demo@2026").await;
        let mut phone = Browser::new(&state);
        phone.login("person", WANG, "Demo@2026").await;

        // Exact seconds: the wall clock must not tick between the QR and the check.
        state.clock.freeze();
        let (ticket, token) = start(&mut desktop).await;
        state.clock.advance(119);
        assert_eq!(status(&mut desktop, &ticket).await["seconds_left"], 1);
        state.clock.advance(1);
        assert_eq!(
            status(&mut desktop, &ticket).await["state"],
            "Expired",
            "{}",
            db.label
        );
        let r = phone.post("scan_face_ticket", &[("token", &token)]).await;
        assert!(r.body.contains("已过期"), "{}", r.body);

        // 刷新二维码: a new ticket; an earlier open one ends at once.
        let (first, first_token) = start(&mut desktop).await;
        let (_second, second_token) = start(&mut desktop).await;
        assert_eq!(status(&mut desktop, &first).await["state"], "Expired");
        assert!(
            phone
                .post("scan_face_ticket", &[("token", &first_token)])
                .await
                .body
                .contains("过期")
        );
        let steps = phone_steps(&mut phone, &second_token, WANG).await;
        assert!(steps.iter().all(|(s, _)| *s == StatusCode::OK), "{steps:?}");

        // Another desktop cannot read this session's ticket; a made-up token is refused.
        let mut stranger = Browser::new(&state);
        stranger.login("person", WANG, "Demo@2026").await;
        assert_eq!(
            stranger
                .get(&format!("/api/face_ticket_status?ticket_id={first}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let r = phone
            .post("scan_face_ticket", &[("token", &"0".repeat(64))])
            .await;
        assert!(r.body.contains("二维码无效"), "{}", r.body);
        db.close().await;
    }
}

#[tokio::test]
async fn a_phone_of_another_person_fails_the_ticket_on_both_screens() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        with_demo_accounts(&state).await;
        let mut desktop = Browser::new(&state);
        desktop.login("person", WANG, "Demo@2026").await;
        let (ticket, token) = start(&mut desktop).await;
        let mut phone = Browser::new(&state);
        phone.login("person", LI, "Demo@2026").await;
        let r = phone.post("scan_face_ticket", &[("token", &token)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("不是同一人"), "{}", r.body);
        let s = status(&mut desktop, &ticket).await;
        assert_eq!(s["state"], "Failed", "{}", db.label);
        assert!(s["message"].as_str().unwrap().contains("不是同一人"));
        // The owner's phone cannot revive it.
        let mut own = Browser::new(&state);
        own.login("person", WANG, "Demo@2026").await;
        assert!(
            own.post("scan_face_ticket", &[("token", &token)])
                .await
                .body
                .contains("已使用")
        );

        // 拒绝 fails it too, and the development provider can be told to fail.
        let (ticket, token) = start(&mut desktop).await;
        own.post("scan_face_ticket", &[("token", &token)]).await;
        own.post("deny_face_check", &[("token", &token)]).await;
        assert!(
            status(&mut desktop, &ticket).await["message"]
                .as_str()
                .unwrap()
                .contains("拒绝")
        );
        state.dev_face.as_ref().unwrap().set_failing(true);
        let (ticket, token) = start(&mut desktop).await;
        let steps = phone_steps(&mut own, &token, WANG).await;
        assert!(steps[3].1.contains(r#""passed":false"#), "{steps:?}");
        assert_eq!(status(&mut desktop, &ticket).await["state"], "Failed");
        assert_eq!(desktop.get("/api/face_gate").await.json(), false);
        db.close().await;
    }
}

#[tokio::test]
async fn a_restart_in_the_middle_of_a_check_loses_nothing() {
    for db in TestDb::all().await {
        let before = state(&db, PortalEnv::Development);
        with_demo_accounts(&before).await;
        let mut desktop = Browser::new(&before);
        desktop.login("person", WANG, "Demo@2026").await;
        let (ticket, token) = start(&mut desktop).await;
        let mut phone = Browser::new(&before);
        phone.login("person", WANG, "Demo@2026").await;
        assert_eq!(
            phone
                .post("scan_face_ticket", &[("token", &token)])
                .await
                .status,
            StatusCode::OK
        );
        drop(before);

        // A new process: new state, same database, same cookies.
        let after = state(&db, PortalEnv::Development);
        desktop.state = after.clone();
        phone.state = after.clone();
        assert_eq!(
            status(&mut desktop, &ticket).await["state"],
            "Scanned",
            "{}",
            db.label
        );
        assert_eq!(
            phone
                .post("allow_face_check", &[("token", &token)])
                .await
                .status,
            StatusCode::OK
        );
        let steps = common::phone_steps(&mut phone, &token, WANG).await;
        assert!(steps[3].1.contains(r#""passed":true"#), "{steps:?}");
        assert_eq!(desktop.get("/api/face_gate").await.json(), true);
        db.close().await;
    }
}

#[tokio::test]
async fn two_processes_sharing_postgresql_push_the_phones_pass_to_the_desktops_stream() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let url = db.url.clone();
    // The first process creates the demo data; then the second starts.
    let (port_a, port_b) = free_ports();
    let _a = spawn_server(&url, port_a);
    wait_healthy(port_a).await;
    let _b = spawn_server(&url, port_b);
    wait_healthy(port_b).await;

    let login = format!("kind=person&login_id={WANG}&password=Demo%402026");
    let (_, desktop, _) = http(port_a, "POST", "/api/login", None, &login).await;
    let (_, phone, _) = http(port_b, "POST", "/api/login", None, &login).await;
    let (status, _, body) = http(port_a, "POST", "/api/start_face_check", Some(&desktop), "").await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let ticket = v["ticket_id"].as_str().unwrap().to_string();
    let token = v["scan_url"]
        .as_str()
        .unwrap()
        .rsplit("t=")
        .next()
        .unwrap()
        .to_string();

    // The desktop's event stream, on process A.
    let mut sse = tokio::net::TcpStream::connect(("127.0.0.1", port_a))
        .await
        .unwrap();
    sse.write_all(
        format!(
            "GET /api/face_events/{ticket} HTTP/1.1\r\nHost: x\r\nCookie: {desktop}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    let mut read_until = async |sse: &mut tokio::net::TcpStream, what: &str| {
        tokio::time::timeout(Duration::from_secs(5), async {
            while !seen.contains(what) {
                let n = sse.read(&mut buf).await.unwrap();
                assert!(n > 0, "stream closed before {what}: {seen}");
                seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
        .await
        .unwrap_or_else(|_| panic!("no {what} within 5 s: {seen}"));
    };
    read_until(&mut sse, r#""state":"Waiting""#).await;

    // The phone's steps, on process B; A's stream hears each one within the timeout (far
    // below the stream's 30-second re-read, so the news came by NOTIFY).
    let mut returned = (String::new(), String::new());
    for (step, expected) in [
        ("scan_face_ticket", "Scanned"),
        ("allow_face_check", "Verifying"),
        ("begin_face_check", "Verifying"),
        ("finish_face_check", "Passed"),
    ] {
        let form = match step {
            "begin_face_check" => format!("token={token}&id_number={WANG}"),
            "finish_face_check" => format!("ticket={}&token={}", returned.0, returned.1),
            _ => format!("token={token}"),
        };
        let (status, _, body) =
            http(port_b, "POST", &format!("/api/{step}"), Some(&phone), &form).await;
        assert_eq!(status, 200, "{step}: {body}");
        if step == "begin_face_check" {
            returned = common::returned_to(&serde_json::from_str(&body).unwrap());
        }
        read_until(&mut sse, &format!(r#""state":"{expected}""#)).await;
    }
    let (_, _, gate) = http(port_a, "GET", "/api/face_gate", Some(&desktop), "").await;
    assert_eq!(gate, "true");
    drop(sse);
    drop(_a);
    drop(_b);
    db.close().await;
}

#[tokio::test]
async fn the_number_typed_and_the_return_address_prove_nothing_by_themselves() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        with_demo_accounts(&state).await;
        let mut desktop = Browser::new(&state);
        desktop.login("person", WANG, "Demo@2026").await;
        let mut phone = Browser::new(&state);
        phone.login("person", WANG, "Demo@2026").await;
        let (ticket, token) = start(&mut desktop).await;
        for step in ["scan_face_ticket", "allow_face_check"] {
            assert_eq!(
                phone.post(step, &[("token", &token)]).await.status,
                StatusCode::OK
            );
        }
        // Not a number at all: said, and not counted.
        let r = phone
            .post(
                "begin_face_check",
                &[("token", &token), ("id_number", "12345")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        // Another person's number (LI's): refused before any provider is asked, counted.
        for left in (1..=4).rev() {
            let r = phone
                .post("begin_face_check", &[("token", &token), ("id_number", LI)])
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            assert!(r.body.contains(&format!("还可输入{left}次")), "{}", r.body);
        }
        let r = phone
            .post("begin_face_check", &[("token", &token), ("id_number", LI)])
            .await;
        assert!(r.body.contains("次数过多"), "{}", r.body);
        // Past the limit even the right number is not compared until the half hour ends.
        let r = phone
            .post(
                "begin_face_check",
                &[("token", &token), ("id_number", WANG)],
            )
            .await;
        assert!(r.body.contains("次数过多"), "{}", r.body);
        // The ticket itself is still open: the desktop still waits.
        assert_eq!(status(&mut desktop, &ticket).await["state"], "Verifying");

        // Half an hour later, on a new ticket: the right number hands the phone off.
        state.clock.advance(31 * 60);
        desktop.login("person", WANG, "Demo@2026").await;
        phone.login("person", WANG, "Demo@2026").await;
        let (ticket, token) = start(&mut desktop).await;
        let steps = common::phone_steps(&mut phone, &token, WANG).await;
        assert!(steps[3].1.contains(r#""passed":true"#), "{steps:?}");
        // A replayed return changes nothing and says how it ended.
        let returned = common::returned_to(&serde_json::from_str(&steps[2].1).unwrap());
        let again = phone
            .post(
                "finish_face_check",
                &[("ticket", &returned.0), ("token", &returned.1)],
            )
            .await;
        assert!(again.body.contains(r#""passed":true"#), "{}", again.body);
        assert_eq!(status(&mut desktop, &ticket).await["state"], "Passed");
        // Another person's phone cannot read or end it.
        let mut li = Browser::new(&state);
        li.login("person", LI, "Demo@2026").await;
        let r = li
            .post(
                "finish_face_check",
                &[("ticket", &returned.0), ("token", &returned.1)],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

        // A return naming another check (an earlier ticket's token) fails the ticket.
        let (ticket, token) = start(&mut desktop).await;
        for step in ["scan_face_ticket", "allow_face_check"] {
            phone.post(step, &[("token", &token)]).await;
        }
        // Before 【开始人脸识别】 there is nothing to return from.
        let early = phone
            .post("finish_face_check", &[("ticket", &ticket), ("token", "x")])
            .await;
        assert_eq!(
            early.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            early.body
        );
        let begun = phone
            .post(
                "begin_face_check",
                &[("token", &token), ("id_number", WANG)],
            )
            .await;
        assert_eq!(begun.status, StatusCode::OK, "{}", begun.body);
        let r = phone
            .post(
                "finish_face_check",
                &[("ticket", &ticket), ("token", &returned.1)],
            )
            .await;
        assert!(r.body.contains(r#""passed":false"#), "{}", r.body);
        let s = status(&mut desktop, &ticket).await;
        assert_eq!(s["state"], "Failed", "{}", db.label);
        assert!(
            s["message"].as_str().unwrap().contains("不属于本次认证"),
            "{s}"
        );

        // A day holds ten wrong numbers at most, however they are spread over half hours:
        // five earlier, five more now, and then not even the right one is compared.
        state.clock.advance(31 * 60);
        desktop.login("person", WANG, "Demo@2026").await;
        phone.login("person", WANG, "Demo@2026").await;
        let (_, token) = start(&mut desktop).await;
        for step in ["scan_face_ticket", "allow_face_check"] {
            phone.post(step, &[("token", &token)]).await;
        }
        let mut last = String::new();
        for _ in 0..5 {
            last = phone
                .post("begin_face_check", &[("token", &token), ("id_number", LI)])
                .await
                .body;
        }
        assert!(last.contains("次数过多"), "{last}");
        state.clock.advance(31 * 60);
        phone.login("person", WANG, "Demo@2026").await;
        desktop.login("person", WANG, "Demo@2026").await;
        let (_, token) = start(&mut desktop).await;
        for step in ["scan_face_ticket", "allow_face_check"] {
            phone.post(step, &[("token", &token)]).await;
        }
        let r = phone
            .post(
                "begin_face_check",
                &[("token", &token), ("id_number", WANG)],
            )
            .await;
        assert!(r.body.contains("次数过多"), "{}", r.body);
        db.close().await;
    }
}

/// The development aid that ends tickets early ends only the caller's: the Playwright specs run
/// side by side, and one spec's expiry once ended another's QR code mid-check. Signed out, it
/// ends nothing.
#[tokio::test]
async fn the_development_expiry_ends_only_the_callers_tickets() {
    let db = TestDb::sqlite().await;
    let state = demo_state(&db).await;
    let mut wang = Browser::new(&state);
    wang.login("person", WANG, "Demo@2026").await;
    let mut li = Browser::new(&state);
    li.login("person", LI, "Demo@2026").await;
    let (wang_ticket, _) = start(&mut wang).await;
    let (li_ticket, _) = start(&mut li).await;

    let mut stranger = Browser::new(&state);
    let refused = stranger
        .send(Request::post("/dev/face-tickets/expire"), Body::empty())
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);

    let ended = wang
        .send(Request::post("/dev/face-tickets/expire"), Body::empty())
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    assert_eq!(ended.body, "1");
    assert_eq!(status(&mut wang, &wang_ticket).await["state"], "Expired");
    assert_eq!(status(&mut li, &li_ticket).await["state"], "Waiting");
}

/// The desktop's event stream is its own session's: another person signed in, or nobody,
/// asking for the ticket's events by its id learns nothing of it.
#[tokio::test]
async fn another_person_cannot_listen_to_a_desktops_face_events() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut desktop = Browser::new(&state);
        desktop.login("person", WANG, "Demo@2026").await;
        let (ticket, _) = start(&mut desktop).await;
        let mut other = Browser::new(&state);
        other.login("person", LI, "Demo@2026").await;
        let events = |cookie: Option<String>| {
            let mut request = Request::get(format!("/api/face_events/{ticket}"));
            if let Some(cookie) = cookie {
                request = request.header(header::COOKIE, cookie);
            }
            server::http::router(state.clone()).oneshot(request.body(Body::empty()).unwrap())
        };
        let stranger = events(other.cookie.clone()).await.unwrap();
        assert_eq!(stranger.status(), StatusCode::NOT_FOUND, "{}", db.label);
        let nobody = events(None).await.unwrap();
        assert_eq!(nobody.status(), StatusCode::UNAUTHORIZED, "{}", db.label);
        let unknown = server::http::router(state.clone())
            .oneshot(
                Request::get("/api/face_events/0123456789abcdef")
                    .header(header::COOKIE, desktop.cookie.clone().unwrap())
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND, "{}", db.label);
        db.close().await;
    }
}
