//! The staff console (`app::staff`, `server/src/admin.rs`) on SQLite and PostgreSQL, as its
//! attackers would try it: a stolen password without the code, a code used twice, guessing,
//! a role reaching past itself, the public address, another site's form, an idle session, and
//! someone with the database who edits, removes or cuts the audit.

use crate::common::{DATA_KEY, TestDb, state};
use app::platform::state::{AppState, PortalEnv};
use app::staff::audit::{self, Verified};
use app::staff::console::service::{self, Actor};
use app::staff::{Action, Role, totp};
use axum::body::Body;
use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use sqlx::Row;
use tower::ServiceExt;

/// A console form: its address, its fields, and the action it takes.
type ConsoleForm<'a> = (&'a str, &'a [(&'a str, &'a str)], Action);

pub(crate) struct Console {
    state: AppState,
    cookie: Option<String>,
}

pub(crate) struct Answer {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Console {
    fn new(state: &AppState) -> Self {
        Self {
            state: state.clone(),
            cookie: None,
        }
    }

    pub async fn send(&mut self, request: http::request::Builder, body: Body) -> Answer {
        let request = request.header(header::HOST, "127.0.0.1:3001");
        let request = match &self.cookie {
            Some(c) => request.header(header::COOKIE, c),
            None => request,
        };
        let res = server::admin::router(self.state.clone())
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        if let Some(set) = headers.get(header::SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap().to_string();
            self.cookie = (!pair.ends_with('=')).then_some(pair);
        }
        let body = res.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        self.send(Request::get(path), Body::empty()).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", app::domain::url::percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin"),
            Body::from(body),
        )
        .await
    }

    async fn login(&mut self, username: &str, password: &str, code: &str) -> Answer {
        self.post(
            "/admin/login",
            &[
                ("username", username),
                ("password", password),
                ("code", code),
            ],
        )
        .await
    }
}

/// A member with `roles`: their initial password and TOTP secret.
async fn add(state: &AppState, username: &str, roles: &[Role]) -> (String, Vec<u8>) {
    let created = service::add_staff(state, Actor::Cli, username, "测试人员", roles)
        .await
        .unwrap();
    let sealed: String = sqlx::query("SELECT totp_secret FROM staff_accounts WHERE username = $1")
        .bind(username)
        .fetch_one(&state.db)
        .await
        .unwrap()
        .get("totp_secret");
    (created.password, totp::open(DATA_KEY, &sealed).unwrap())
}

fn code(state: &AppState, secret: &[u8]) -> String {
    totp::code_at(secret, state.clock.now() as u64)
}

/// The member's own password, chosen at enrolment.
const OWN_PASSWORD: &str = "Own-Pass-2026x";

/// Completes a signed-in member's enrolment: their own password and a new secret, which is
/// returned.
async fn enrol(c: &mut Console, state: &AppState, username: &str) -> Vec<u8> {
    let page = c.get("/admin/enrol").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let sealed: String = sqlx::query("SELECT pending_totp FROM staff_accounts WHERE username = $1")
        .bind(username)
        .fetch_one(&state.db)
        .await
        .unwrap()
        .get(0);
    let secret = totp::open(DATA_KEY, &sealed).unwrap();
    assert!(page.body.contains("otpauth://totp/"), "{}", page.body);
    let done = c
        .post(
            "/admin/enrol",
            &[
                ("password", OWN_PASSWORD),
                ("confirm", OWN_PASSWORD),
                ("code", &code(state, &secret)),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    secret
}

/// A console signed in as a new member with `roles`, enrolled.
pub(crate) async fn signed_in(state: &AppState, username: &str, roles: &[Role]) -> Console {
    let (password, secret) = add(state, username, roles).await;
    let mut c = Console::new(state);
    let answer = c.login(username, &password, &code(state, &secret)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    enrol(&mut c, state, username).await;
    c
}

#[tokio::test]
async fn login_needs_the_password_and_a_fresh_code_and_locks_after_five_wrong() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        let (password, secret) = add(&state, "wang.admin", &[Role::Admin]).await;
        let mut c = Console::new(&state);

        // Nobody: the login page, never the console.
        let home = c.get("/admin").await;
        assert_eq!(home.status, StatusCode::SEE_OTHER, "{}", db.label);
        assert_eq!(home.headers[header::LOCATION], "/admin/login");

        // The password alone, or a code of another secret, is not enough.
        let other = totp::new_secret();
        let refused = c
            .login("wang.admin", &password, &code(&state, &other))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            db.label
        );
        assert!(refused.body.contains(service::WRONG), "{}", refused.body);
        assert!(c.cookie.is_none());

        // Both: a session cookie for /admin only, out of scripts' reach, same-site only.
        let now_code = code(&state, &secret);
        let ok = c.login("WANG.admin", &password, &now_code).await;
        assert_eq!(
            ok.status,
            StatusCode::SEE_OTHER,
            "{}: {}",
            db.label,
            ok.body
        );
        let set = ok.headers[header::SET_COOKIE].to_str().unwrap();
        for part in [
            "portal_staff=",
            "Path=/admin",
            "HttpOnly",
            "SameSite=Strict",
        ] {
            assert!(set.contains(part), "{set}");
        }
        // What the account's creator handed over opens only the enrolment.
        for path in ["/admin", "/admin/staff", "/admin/audit"] {
            let shut = c.get(path).await;
            assert_eq!(shut.status, StatusCode::SEE_OTHER, "{}: {path}", db.label);
            assert_eq!(shut.headers[header::LOCATION], "/admin/enrol");
        }
        let weak = c
            .post(
                "/admin/enrol",
                &[("password", "abc"), ("confirm", "abc"), ("code", "000000")],
            )
            .await;
        assert_eq!(
            weak.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            db.label
        );
        let own_secret = enrol(&mut c, &state, "wang.admin").await;
        let home = c.get("/admin").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("测试人员") && home.body.contains("管理员"));
        // Afterwards the creator's password and secret open nothing; the member's own do.
        state.clock.advance(60);
        let handed_over = Console::new(&state)
            .login("wang.admin", &password, &code(&state, &secret))
            .await;
        assert_eq!(
            handed_over.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            db.label
        );
        let mut own = Console::new(&state);
        let first_code = code(&state, &own_secret);
        let mine = own.login("wang.admin", OWN_PASSWORD, &first_code).await;
        assert_eq!(
            mine.status,
            StatusCode::SEE_OTHER,
            "{}: {}",
            db.label,
            mine.body
        );
        assert_eq!(own.get("/admin").await.status, StatusCode::OK);

        // The same code again (another browser, while it is still valid) is refused. The very
        // code used above: a code worked out anew could belong to the next 30-second step.
        let mut replay = Console::new(&state);
        let again = replay.login("wang.admin", OWN_PASSWORD, &first_code).await;
        assert_eq!(
            again.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            db.label
        );
        assert!(replay.cookie.is_none());

        // Guessing: the fifth wrong try locks the name; then even everything right is refused.
        state.clock.advance(60);
        for _ in 0..4 {
            replay.login("wang.admin", "wrong-password", "000000").await;
        }
        let locked = replay
            .login("wang.admin", OWN_PASSWORD, &code(&state, &own_secret))
            .await;
        assert!(
            locked.body.contains("账户已锁定"),
            "{}: {}",
            db.label,
            locked.body
        );
        assert!(replay.cookie.is_none());
        // An unknown name is answered alike.
        let unknown = Console::new(&state)
            .login("nobody.here", &password, "123456")
            .await;
        assert!(unknown.body.contains(service::WRONG), "{}", unknown.body);
        db.close().await;
    }
}

#[tokio::test]
async fn each_role_is_refused_what_it_may_not_do() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        for (i, role) in Role::ALL.into_iter().enumerate() {
            let mut c = signed_in(&state, &format!("member{i}"), &[role]).await;
            let audit = c.get("/admin/audit").await;
            let may_audit = matches!(role, Role::Admin | Role::ReadOnly);
            assert_eq!(
                audit.status,
                if may_audit {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                },
                "{}: {role:?} /admin/audit",
                db.label
            );
            let staff = c.get("/admin/staff").await;
            let may_manage = role == Role::Admin;
            assert_eq!(
                staff.status,
                if may_manage {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                },
                "{}: {role:?} /admin/staff",
                db.label
            );
            let added = c
                .post(
                    "/admin/staff",
                    &[
                        ("username", &format!("new{i}")),
                        ("display_name", "新人"),
                        ("admin", "1"),
                    ],
                )
                .await;
            assert_eq!(
                added.status,
                if may_manage {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                },
                "{}: {role:?} adds staff",
                db.label
            );
            let exists = sqlx::query("SELECT 1 AS one FROM staff_accounts WHERE username = $1")
                .bind(format!("new{i}"))
                .fetch_optional(&state.db)
                .await
                .unwrap()
                .is_some();
            assert_eq!(exists, may_manage, "{}: {role:?}", db.label);
            if may_manage {
                assert!(added.body.contains("otpauth://totp/"), "{}", added.body);
                assert!(added.body.contains("created-password"));
            }
            // The two-person pages and their forms.
            for (path, action) in [
                ("/admin/withdrawals", Action::ProposeWithdrawal),
                ("/admin/approvals", Action::Approve),
                ("/admin/assisted", Action::AssistVerification),
                ("/admin/disputes", Action::HandleDispute),
                ("/admin/orders", Action::HandleWorkOrder),
                ("/admin/registry", Action::ApplyFeed),
            ] {
                let may = action.roles().contains(&role);
                let got = c.get(path).await;
                let want = if may {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(got.status, want, "{}: {role:?} GET {path}", db.label);
            }
            let proposed = c
                .post(
                    "/admin/withdrawals",
                    &[
                        ("registration_no", "京1"),
                        ("kind", "注销"),
                        ("reason", "试"),
                    ],
                )
                .await;
            let may = Action::ProposeWithdrawal.roles().contains(&role);
            assert_eq!(
                proposed.status,
                if may {
                    StatusCode::UNPROCESSABLE_ENTITY
                } else {
                    StatusCode::FORBIDDEN
                },
                "{}: {role:?} proposes",
                db.label
            );
            // Every other form, with what a member allowed it gets for nonsense (422).
            let forms: [ConsoleForm; 6] = [
                (
                    "/admin/assisted",
                    &[
                        ("id_number", "110105198003150038"),
                        ("evidence_kind", "其他书面证明材料"),
                        ("evidence_ref", "X"),
                        ("reason", "试"),
                    ],
                    Action::AssistVerification,
                ),
                (
                    "/admin/assisted/999/resend",
                    &[],
                    Action::AssistVerification,
                ),
                (
                    "/admin/disputes/999/propose",
                    &[("note", "试")],
                    Action::HandleDispute,
                ),
                (
                    "/admin/disputes/999/decline",
                    &[("note", "试")],
                    Action::HandleDispute,
                ),
                (
                    "/admin/orders/999/verify",
                    &[("note", "试")],
                    Action::HandleWorkOrder,
                ),
                (
                    "/admin/orders/999/visit",
                    &[("note", "试")],
                    Action::HandleWorkOrder,
                ),
            ];
            for (path, fields, action) in forms {
                let may = action.roles().contains(&role);
                let got = c.post(path, fields).await;
                let want = if may {
                    StatusCode::UNPROCESSABLE_ENTITY
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(got.status, want, "{}: {role:?} POST {path}", db.label);
            }
            let decided = c.post("/admin/approvals/999/approve", &[]).await;
            let may = Action::Approve.roles().contains(&role);
            assert_eq!(
                decided.status,
                if may {
                    StatusCode::UNPROCESSABLE_ENTITY
                } else {
                    StatusCode::FORBIDDEN
                },
                "{}: {role:?} approves",
                db.label
            );
        }
        db.close().await;
    }
}

#[tokio::test]
async fn an_admin_cannot_change_or_disable_themselves_and_a_disabled_member_is_out() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        let mut admin = signed_in(&state, "admin.one", &[Role::Admin]).await;
        let mut reader = signed_in(&state, "reader.one", &[Role::ReadOnly]).await;
        let ids: Vec<(String, i64)> = sqlx::query("SELECT username, id FROM staff_accounts")
            .fetch_all(&state.db)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get("username"), r.get("id")))
            .collect();
        let id = |name: &str| ids.iter().find(|(n, _)| n == name).unwrap().1;
        let own = admin
            .post(
                &format!("/admin/staff/{}/roles", id("admin.one")),
                &[("readonly", "1")],
            )
            .await;
        assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(own.body.contains("不能修改自己的角色"));
        // The reader cannot raise themselves either (not a 管理员).
        let raise = reader
            .post(
                &format!("/admin/staff/{}/roles", id("reader.one")),
                &[("admin", "1")],
            )
            .await;
        assert_eq!(raise.status, StatusCode::FORBIDDEN);
        // The admin disables the reader: the reader's session ends at once.
        let off = admin
            .post(&format!("/admin/staff/{}/disable", id("reader.one")), &[])
            .await;
        assert_eq!(
            off.status,
            StatusCode::SEE_OTHER,
            "{}: {}",
            db.label,
            off.body
        );
        assert_eq!(
            reader.get("/admin/audit").await.status,
            StatusCode::SEE_OTHER
        );
        db.close().await;
    }
}

#[tokio::test]
async fn a_session_ends_after_fifteen_idle_minutes() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        let mut c = signed_in(&state, "idle.member", &[Role::ReadOnly]).await;
        state.clock.advance(14 * 60);
        assert_eq!(c.get("/admin").await.status, StatusCode::OK, "{}", db.label);
        state.clock.advance(14 * 60);
        assert_eq!(c.get("/admin").await.status, StatusCode::OK, "{}", db.label);
        state.clock.advance(15 * 60 + 1);
        let after = c.get("/admin").await;
        assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", db.label);
        assert_eq!(after.headers[header::LOCATION], "/admin/login");
        // 退出: the session ends with its record, and the cookie no longer opens anything.
        let mut other = signed_in(&state, "leaving.member", &[Role::ReadOnly]).await;
        let cookie = other.cookie.clone();
        let out = other.post("/admin/logout", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER, "{}", db.label);
        other.cookie = cookie;
        assert_eq!(other.get("/admin").await.status, StatusCode::SEE_OTHER);
        let logouts: i64 =
            sqlx::query("SELECT COUNT(*) FROM staff_audit WHERE action = 'staff.logout'")
                .fetch_one(&state.db)
                .await
                .unwrap()
                .get(0);
        assert_eq!(logouts, 1, "{}", db.label);
        db.close().await;
    }
}

#[tokio::test]
async fn the_public_address_never_serves_the_console() {
    let db = TestDb::sqlite().await;
    let state = state(&db, PortalEnv::Development);
    for (method, path) in [
        ("GET", "/admin"),
        ("GET", "/admin/"),
        ("GET", "/admin/login"),
        ("POST", "/admin/login"),
        ("GET", "/admin/audit"),
        ("GET", "/admin/console.css"),
    ] {
        let res = server::http::router(state.clone())
            .oneshot(
                Request::builder()
                    .method(method)
                    .uri(path)
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{method} {path}");
    }
    db.close().await;
}

#[tokio::test]
async fn another_sites_form_is_refused() {
    let db = TestDb::sqlite().await;
    let state = state(&db, PortalEnv::Development);
    let (password, secret) = add(&state, "csrf.target", &[Role::Admin]).await;
    let form = format!(
        "username=csrf.target&password={}&code={}",
        app::domain::url::percent_encode(&password),
        code(&state, &secret)
    );
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "http://evil.example"),
        ("origin", "http://127.0.0.1:3000"),
        ("origin", "null"),
    ] {
        let res = server::admin::router(state.clone())
            .oneshot(
                Request::post("/admin/login")
                    .header(header::HOST, "127.0.0.1:3001")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(name, value)
                    .body(Body::from(form.clone()))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{name}: {value}");
        assert!(res.headers().get(header::SET_COOKIE).is_none());
    }
    // The console's own origin passes (and nothing else in the console needs a script).
    let res = server::admin::router(state.clone())
        .oneshot(
            Request::get("/admin/login")
                .header(header::HOST, "127.0.0.1:3001")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let csp = res.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("script-src"),
        "{csp}"
    );
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
    db.close().await;
}

#[tokio::test]
async fn the_audit_chain_shows_an_edited_a_removed_and_a_cut_entry() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        let mut admin = signed_in(&state, "chain.admin", &[Role::Admin]).await;
        for i in 0..3 {
            admin
                .post(
                    "/admin/staff",
                    &[
                        ("username", &format!("chain{i}")),
                        ("display_name", "链"),
                        ("acceptor", "1"),
                    ],
                )
                .await;
        }
        // One add by the command line, the login, the enrolment, three adds in the console.
        let Verified::Intact { entries, .. } = audit::verify(&state.db, DATA_KEY).await.unwrap()
        else {
            panic!("{}: the chain should hold", db.label);
        };
        assert_eq!(entries, 6, "{}", db.label);
        let page = admin.get("/admin/audit").await;
        assert!(page.body.contains("链完整:共 6 条"), "{}", page.body);

        // Append-only: the database itself refuses a change while its triggers stand.
        let refused = sqlx::query("UPDATE staff_audit SET detail = 'x' WHERE seq = 3")
            .execute(&state.db)
            .await;
        assert!(refused.is_err(), "{}: UPDATE passed", db.label);
        assert!(
            sqlx::query("DELETE FROM staff_audit WHERE seq = 3")
                .execute(&state.db)
                .await
                .is_err()
        );

        // A replacing insert (SQLite) and TRUNCATE (PostgreSQL) are refused too.
        let sneaky = if db.label == "sqlite" {
            "INSERT OR REPLACE INTO staff_audit (seq, at, actor, action, subject, detail, prev_hash, hash) \
             SELECT seq, at, actor, action, subject, 'x', prev_hash, hash FROM staff_audit WHERE seq = 3"
        } else {
            "TRUNCATE staff_audit"
        };
        assert!(
            sqlx::query(sneaky).execute(&state.db).await.is_err(),
            "{}: {sneaky}",
            db.label
        );

        // Someone with the database's keys drops the triggers and edits entry 3.
        let drop_triggers: &[&str] = if db.label == "sqlite" {
            &[
                "DROP TRIGGER staff_audit_no_update",
                "DROP TRIGGER staff_audit_no_delete",
            ]
        } else {
            &["ALTER TABLE staff_audit DISABLE TRIGGER staff_audit_no_change"]
        };
        for statement in drop_triggers {
            sqlx::query(statement).execute(&state.db).await.unwrap();
        }
        sqlx::query("UPDATE staff_audit SET detail = 'roles=admin' WHERE seq = 3")
            .execute(&state.db)
            .await
            .unwrap();
        let broken = audit::verify(&state.db, DATA_KEY).await.unwrap();
        assert!(
            matches!(broken, Verified::Broken { seq: 3, .. }),
            "{}: {broken:?}",
            db.label
        );
        let page = admin.get("/admin/audit").await;
        assert!(page.body.contains("链在第 3 条断开"), "{}", page.body);

        // Recomputing that entry's hash without the data key does not make it hold, and with
        // it the next entry still names the old hash.
        let row = sqlx::query(
            "SELECT at, actor, action, subject, detail, prev_hash FROM staff_audit WHERE seq = 3",
        )
        .fetch_one(&state.db)
        .await
        .unwrap();
        let entry = audit::Entry {
            seq: 3,
            at: row.get("at"),
            actor: row.get("actor"),
            action: row.get("action"),
            subject: row.get("subject"),
            detail: row.get("detail"),
        };
        let prev: String = row.get("prev_hash");
        let guessed = audit::entry_hash(b"a key the attacker guessed", &prev, &entry);
        sqlx::query("UPDATE staff_audit SET hash = $1 WHERE seq = 3")
            .bind(&guessed)
            .execute(&state.db)
            .await
            .unwrap();
        let broken = audit::verify(&state.db, DATA_KEY).await.unwrap();
        assert!(
            matches!(broken, Verified::Broken { seq: 3, .. }),
            "{}: {broken:?}",
            db.label
        );
        let forged = audit::entry_hash(DATA_KEY, &prev, &entry);
        sqlx::query("UPDATE staff_audit SET hash = $1 WHERE seq = 3")
            .bind(&forged)
            .execute(&state.db)
            .await
            .unwrap();
        let broken = audit::verify(&state.db, DATA_KEY).await.unwrap();
        assert!(
            matches!(broken, Verified::Broken { seq: 4, .. }),
            "{}: {broken:?}",
            db.label
        );

        // Removing an entry, or the last one, is seen too.
        sqlx::query("DELETE FROM staff_audit WHERE seq = 3")
            .execute(&state.db)
            .await
            .unwrap();
        let broken = audit::verify(&state.db, DATA_KEY).await.unwrap();
        assert!(
            matches!(broken, Verified::Broken { seq: 3, .. }),
            "{}: {broken:?}",
            db.label
        );
        sqlx::query("DELETE FROM staff_audit WHERE seq >= 3")
            .execute(&state.db)
            .await
            .unwrap();
        let broken = audit::verify(&state.db, DATA_KEY).await.unwrap();
        assert!(
            matches!(broken, Verified::Broken { seq: 3, .. }),
            "{}: {broken:?}",
            db.label
        );
        db.close().await;
    }
}

#[tokio::test]
async fn concurrent_appends_from_many_requests_keep_one_chain() {
    for db in TestDb::all().await {
        let state = state(&db, PortalEnv::Development);
        let mut tasks = Vec::new();
        for i in 0..24 {
            let state = state.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = app::platform::db::begin_write(&state.db).await.unwrap();
                audit::append(
                    &mut tx,
                    DATA_KEY,
                    state.clock.now(),
                    "cli",
                    "test.append",
                    &format!("n{i}"),
                    "",
                )
                .await
                .unwrap();
                tx.commit().await.unwrap();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let verified = audit::verify(&state.db, DATA_KEY).await.unwrap();
        assert!(
            matches!(verified, Verified::Intact { entries: 24, .. }),
            "{}: {verified:?}",
            db.label
        );
        db.close().await;
    }
}

#[test]
fn the_console_never_listens_on_the_public_address_or_every_interface() {
    use server::config::{AdminAddr, Config};
    let config = |vars: &[(&str, &str)]| {
        let map: std::collections::HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_vars(&move |name: &str| map.get(name).cloned())
    };
    let public: std::net::SocketAddr = "127.0.0.1:3000".parse().unwrap();
    let default = config(&[]).unwrap();
    assert_eq!(
        default.admin,
        AdminAddr::Default("127.0.0.1:3001".parse().unwrap())
    );
    assert!(default.check_listen(public).is_ok());
    assert_eq!(
        config(&[("PORTAL_ADMIN_ADDR", "off")]).unwrap().admin,
        AdminAddr::Off
    );
    let same = config(&[("PORTAL_ADMIN_ADDR", "127.0.0.1:3000")]).unwrap();
    assert!(
        same.check_listen(public)
            .unwrap_err()
            .contains("不能与门户的公开地址")
    );
    let every = config(&[("PORTAL_ADMIN_ADDR", "0.0.0.0:3001")]).unwrap();
    assert!(
        every
            .check_listen(public)
            .unwrap_err()
            .contains("不能监听所有网卡")
    );
    let public_everywhere: std::net::SocketAddr = "0.0.0.0:3001".parse().unwrap();
    assert!(default.check_listen(public_everywhere).is_err());
    assert!(config(&[("PORTAL_ADMIN_ADDR", "管理端")]).is_err());
}

#[tokio::test]
async fn a_withdrawal_takes_a_second_person_and_then_reaches_the_certificate() {
    for db in TestDb::all().await {
        let state = crate::common::demo_state(&db).await;
        let digest = app::domain::person::id_digest(DATA_KEY, "110105198003150039");
        app::certificates::repo::ensure_issued(&state.db, &digest, state.clock.now())
            .await
            .unwrap();
        // One member holds both roles: they may propose and review, but not their own.
        let mut both = signed_in(&state, "both.roles", &[Role::Acceptor, Role::Reviewer]).await;
        let mut reviewer = signed_in(&state, "second.reviewer", &[Role::Reviewer]).await;
        let mut acceptor = signed_in(&state, "plain.acceptor", &[Role::Acceptor]).await;

        let bad = both
            .post(
                "/admin/withdrawals",
                &[
                    ("registration_no", "京9999999999999"),
                    ("kind", "注销"),
                    ("reason", "测试"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(bad.body.contains("不在库中"));
        let proposed = both
            .post(
                "/admin/withdrawals",
                &[
                    ("registration_no", "京1112010000001"),
                    ("kind", "注销"),
                    ("reason", "本人申请注销"),
                ],
            )
            .await;
        assert_eq!(
            proposed.status,
            StatusCode::OK,
            "{}: {}",
            db.label,
            proposed.body
        );
        assert!(
            proposed.body.contains("已提交第 1 号申请"),
            "{}",
            proposed.body
        );
        let revoked = || async {
            sqlx::query(
                "SELECT c.revoked_at FROM certificates c JOIN registrations r ON r.id = c.registration_id \
                 WHERE r.registration_no = '京1112010000001'",
            )
            .fetch_one(&state.db)
            .await
            .unwrap()
            .get::<i64, _>(0)
        };
        assert_eq!(
            revoked().await,
            0,
            "{}: nothing before the approval",
            db.label
        );
        // One pending proposal per registration.
        let twice = acceptor
            .post(
                "/admin/withdrawals",
                &[
                    ("registration_no", "京1112010000001"),
                    ("kind", "撤销"),
                    ("reason", "再次申请"),
                ],
            )
            .await;
        assert_eq!(
            twice.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            db.label
        );
        assert!(
            twice.body.contains("已有待审核的第 1 号申请"),
            "{}",
            twice.body
        );

        // The proposer, even as a 审核员, cannot approve it; a 受理员 cannot approve at all.
        let own = both.post("/admin/approvals/1/approve", &[]).await;
        assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(own.body.contains("不能审核自己提交的事项"), "{}", own.body);
        assert_eq!(
            acceptor
                .post("/admin/approvals/1/approve", &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(revoked().await, 0, "{}", db.label);

        // A second person approves: the certificate is invalid at once.
        let approved = reviewer.post("/admin/approvals/1/approve", &[]).await;
        assert_eq!(
            approved.status,
            StatusCode::OK,
            "{}: {}",
            db.label,
            approved.body
        );
        assert!(approved.body.contains("已批准并生效"), "{}", approved.body);
        assert_ne!(revoked().await, 0, "{}", db.label);
        // Decided once: approving or rejecting again is refused.
        let again = reviewer.post("/admin/approvals/1/reject", &[]).await;
        assert!(again.body.contains("该事项已审核"), "{}", again.body);

        // A rejected proposal changes nothing.
        acceptor
            .post(
                "/admin/withdrawals",
                &[
                    ("registration_no", "11000001"),
                    ("kind", "撤销"),
                    ("reason", "核查中"),
                ],
            )
            .await;
        let rejected = reviewer.post("/admin/approvals/2/reject", &[]).await;
        assert!(rejected.body.contains("第 2 号已驳回"), "{}", rejected.body);
        let withdrawn: i64 = sqlx::query(
            "SELECT withdrawn_at FROM registrations WHERE registration_no = '11000001'",
        )
        .fetch_one(&state.db)
        .await
        .unwrap()
        .get(0);
        assert_eq!(withdrawn, 0, "{}", db.label);

        // Every step is in the audit chain, which holds.
        let actions: Vec<String> = sqlx::query("SELECT action FROM staff_audit WHERE action LIKE 'staff.%' OR action LIKE 'registry.%' ORDER BY seq")
            .fetch_all(&state.db)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("action"))
            .filter(|a: &String| {
                !a.starts_with("staff.add") && !a.starts_with("staff.login") && a != "staff.enrol"
            })
            .collect();
        assert_eq!(
            actions,
            // The withdrawal and its approval in one transaction, the withdrawal first.
            [
                "staff.propose",
                "registry.cancel",
                "staff.approve",
                "staff.propose",
                "staff.reject"
            ],
            "{}",
            db.label
        );
        assert!(matches!(
            audit::verify(&state.db, DATA_KEY).await.unwrap(),
            Verified::Intact { .. }
        ));
        db.close().await;
    }
}
