//! 证件类型 (issue 30) on SQLite and PostgreSQL, through the HTTP surface a browser uses: a
//! Hong Kong resident registers with a 港澳居民来往内地通行证, signs in, passes the face check
//! and holds a copy that names the document; a number is only ever the document of its own
//! kind; a kind the face provider cannot check goes to 协助核验, and one the identity source
//! cannot check registers only as the professional the national registry holds; the import
//! and the change feed take the kinds with their rules.

use crate::common::{
    Browser, DATA_KEY, Reply, TestDb, demo_state, outbox_code, phone_steps, start,
};
use app::domain::{DocumentKind, IdDocument};
use app::platform::ports::BoxFuture;
use app::platform::ports::face_provider::{
    DevFaceProvider, FaceProvider, FaceResult, FaceStart, Handoff,
};
use app::platform::ports::identity::{IdentityCheck, IdentitySource};
use http::StatusCode;
use std::sync::Arc;

/// 陈家豪 of the demo registry: a Hong Kong resident with a 港澳居民来往内地通行证.
const CHEN: (&str, &str) = ("陈家豪", "H60123456");
const PASSWORD: &str = "Chen@2026x";

async fn register(b: &mut Browser, name: &str, kind: &str, number: &str, phone: &str) -> Reply {
    b.send_code("register", phone, &[]).await;
    let code = outbox_code(&b.state, phone).await;
    b.post(
        "register_person",
        &[
            ("name", name),
            ("id_kind", kind),
            ("id_number", number),
            ("phone", phone),
            ("sms_code", &code),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
            ("consent", "on"),
        ],
    )
    .await
}

async fn login(b: &mut Browser, kind: &str, number: &str) -> Reply {
    b.post(
        "login",
        &[
            ("kind", "person"),
            ("id_kind", kind),
            ("login_id", number),
            ("password", PASSWORD),
        ],
    )
    .await
}

#[tokio::test]
async fn a_hong_kong_resident_registers_with_a_travel_permit_and_holds_a_copy_naming_it() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut b = Browser::new(&state);
        // The permit's number as a 居民身份证 breaks that kind's rule; as its own kind (typed in
        // lower case) it is accepted and registered.
        let wrong_kind = register(&mut b, CHEN.0, "", CHEN.1, "13700137031").await;
        assert_eq!(wrong_kind.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            wrong_kind.field_message("id_number").contains("18位"),
            "{}",
            wrong_kind.body
        );
        let unknown = register(&mut b, CHEN.0, "driving_licence", CHEN.1, "13700137031").await;
        assert!(
            unknown.field_message("id_kind").contains("证件类型"),
            "{}",
            unknown.body
        );
        let ok = register(
            &mut b,
            CHEN.0,
            "hk_macao_permit",
            "h60123456",
            "13700137031",
        )
        .await;
        assert_eq!(ok.status, StatusCode::OK, "{}: {}", db.label, ok.body);
        let again = register(&mut b, CHEN.0, "hk_macao_permit", CHEN.1, "13700137032").await;
        assert!(
            again
                .field_message("id_number")
                .contains("该通行证号码已注册"),
            "{}",
            again.body
        );

        // Signing in takes the kind: the same number under another kind is no account.
        let mut desktop = Browser::new(&state);
        let as_resident = login(&mut desktop, "", CHEN.1).await;
        assert_eq!(as_resident.status, StatusCode::UNPROCESSABLE_ENTITY);
        let as_taiwan = login(&mut desktop, "taiwan_permit", "60123456").await;
        assert_eq!(as_taiwan.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(as_taiwan.body.contains("密码错误"), "{}", as_taiwan.body);
        let signed = login(&mut desktop, "hk_macao_permit", CHEN.1).await;
        assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
        let settings = desktop.get("/api/account_settings").await.json();
        assert_eq!(settings["id_kind"], "HongKongMacaoPermit", "{settings}");
        assert_eq!(settings["id_number_masked"], "H*****456");

        // The phone asks the permit's number (the account knows its kind); another number
        // is refused and counted, the right one passes the (development) face check.
        let page = desktop.post("start_face_check", &[]).await.json();
        assert!(page["assisted_only"].is_null(), "{page}");
        let (_, token) = start(&mut desktop).await;
        let mut phone = Browser::new(&state);
        login(&mut phone, "hk_macao_permit", CHEN.1).await;
        let info = phone
            .get(&format!("/api/read_face_ticket?token={token}"))
            .await;
        assert_eq!(
            info.json()["id_kind"],
            "HongKongMacaoPermit",
            "{}",
            info.body
        );
        let wrong = phone_steps(&mut phone, &token, "H60123457").await;
        assert!(
            wrong[2].1.contains("通行证号码与本账户登记的不一致"),
            "{wrong:?}"
        );
        let steps = phone_steps(&mut phone, &token, "H60123456").await;
        assert!(steps[3].1.contains(r#""passed":true"#), "{steps:?}");

        // Her certificate's preview names the document; the copy's public page names its
        // kind and the GB/T 36903 code type.
        let cards = desktop.get("/api/my_certificates").await.json();
        let id = cards[0]["id"].as_str().unwrap().to_string();
        let preview = desktop
            .get(&format!("/api/certificates/{id}/preview"))
            .await;
        assert!(
            preview.body.contains("港澳居民来往内地通行证 H*****456"),
            "{}",
            db.label
        );
        let annotated = desktop
            .post(
                "annotate_certificate",
                &[("certificate_id", &id), ("purpose", "工程投标")],
            )
            .await;
        assert_eq!(annotated.status, StatusCode::OK, "{}", annotated.body);
        let code: String =
            sqlx::query_scalar("SELECT verify_code FROM annotations ORDER BY id DESC LIMIT 1")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        let verified = Browser::new(&state)
            .get(&format!("/api/verify_copy?code={code}"))
            .await
            .json();
        assert_eq!(verified["holder_kind"], "HongKongMacaoPermit", "{verified}");
        assert_eq!(verified["holder_code"], "H*****456");
        let pdf = desktop.get(&format!("/api/certificates/{id}/pdf")).await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert!(pdf.bytes.starts_with(b"%PDF"));

        // The public search finds her by kind and number, never by the number as another kind.
        let key = b
            .post(
                "search_key",
                &[("id_kind", "hk_macao_permit"), ("id_number", CHEN.1)],
            )
            .await;
        assert_eq!(key.status, StatusCode::OK, "{}", key.body);
        let key = key.json().as_str().unwrap().to_string();
        let found = b
            .get(&format!("/api/search_registry?query[key]={key}"))
            .await
            .json();
        assert_eq!(found["rows"][0]["name"], CHEN.0, "{found}");
        assert_eq!(found["rows"][0]["id_number_masked"], "H*****456");
        let as_taiwan = b
            .post(
                "search_key",
                &[("id_kind", "taiwan_permit"), ("id_number", "60123456")],
            )
            .await
            .json();
        let none = b
            .get(&format!(
                "/api/search_registry?query[key]={}",
                as_taiwan.as_str().unwrap()
            ))
            .await
            .json();
        assert_eq!(none["rows"].as_array().map(Vec::len), Some(0), "{none}");
    }
}

/// A face provider that checks what the commercial ones check: a 公民身份号码 only.
struct CitizenOnly(DevFaceProvider);

impl FaceProvider for CitizenOnly {
    fn name(&self) -> &'static str {
        "development"
    }
    fn start<'a>(&'a self, start: FaceStart<'a>) -> BoxFuture<'a, Result<Handoff, String>> {
        self.0.start(start)
    }
    fn result<'a>(&'a self, reference: &'a str) -> BoxFuture<'a, Result<FaceResult, String>> {
        self.0.result(reference)
    }
}

/// An identity source that checks a 公民身份号码 only and answers "no" to every one: what a
/// holder of another kind meets with the commercial sources.
struct NoMatch;

impl IdentitySource for NoMatch {
    fn verify<'a>(
        &'a self,
        _name: &'a str,
        _document: &'a IdDocument,
    ) -> BoxFuture<'a, Result<IdentityCheck, String>> {
        Box::pin(async { Ok(IdentityCheck::NoMatch) })
    }
}

#[tokio::test]
async fn kinds_the_providers_cannot_check_go_to_the_registry_and_to_assisted_verification() {
    for db in TestDb::all().await {
        let mut state = demo_state(&db).await;
        state.face = Arc::new(CitizenOnly(DevFaceProvider::default()));
        state.identity = Arc::new(NoMatch);
        let mut b = Browser::new(&state);
        // Not the registry's name for the permit: refused plainly, naming the kind.
        let stranger = register(&mut b, "陈大文", "hk_macao_permit", CHEN.1, "13700137041").await;
        assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            stranger
                .field_message("id_number")
                .contains("港澳居民来往内地通行证暂不能通过公安身份信息库在线核验"),
            "{}",
            stranger.body
        );
        // A permit the registry does not hold at all: refused the same way.
        let unknown = register(
            &mut b,
            CHEN.0,
            "hk_macao_permit",
            "H99999999",
            "13700137042",
        )
        .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        // The registry's own professional registers; a 居民身份证 still goes to the source.
        let ok = register(&mut b, CHEN.0, "hk_macao_permit", CHEN.1, "13700137043").await;
        assert_eq!(ok.status, StatusCode::OK, "{}: {}", db.label, ok.body);
        let citizen = register(&mut b, "赵新民", "", "110108200001010015", "13700137044").await;
        assert!(
            citizen
                .field_message("id_number")
                .contains("身份信息核验未通过"),
            "{}",
            citizen.body
        );

        // The face provider cannot check the permit: the phone is sent to 协助核验, and no
        // provider check is started or counted.
        let mut desktop = Browser::new(&state);
        login(&mut desktop, "hk_macao_permit", CHEN.1).await;
        // The QR page says so before any scan.
        let page = desktop.post("start_face_check", &[]).await.json();
        assert!(
            page["assisted_only"]
                .as_str()
                .is_some_and(|t| t.contains("请联系工作人员协助核验身份")),
            "{page}"
        );
        let (_, token) = start(&mut desktop).await;
        let mut phone = Browser::new(&state);
        login(&mut phone, "hk_macao_permit", CHEN.1).await;
        let steps = phone_steps(&mut phone, &token, CHEN.1).await;
        assert_eq!(steps.len(), 3, "{steps:?}");
        assert_eq!(steps[2].0, StatusCode::UNPROCESSABLE_ENTITY, "{steps:?}");
        assert!(
            steps[2].1.contains("暂不支持在线人脸识别") && steps[2].1.contains("协助核验"),
            "{steps:?}"
        );
        let started: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM face_tickets WHERE provider_ref <> ''")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(started, 0, "{}", db.label);
    }
}

#[tokio::test]
async fn the_import_and_the_feed_take_each_kind_by_its_rule() {
    use app::registry::import::{HEADER_WITH_DOCUMENTS, import};
    for db in TestDb::all().await {
        let head = HEADER_WITH_DOCUMENTS.join(",");
        let row = |name: &str, number: &str, reg: &str, tail: &str| {
            format!(
                "{name},{number},一级注册建造师,{reg},,,中建示范建设有限公司,91110000MA01ABCD1M,2020-01-01,2029-12-31,建筑工程,{tail}"
            )
        };
        let csv = [
            head,
            row(
                "林志明",
                "07654321",
                "闽1352020000001",
                "台湾居民来往大陆通行证,,男,1979-02-14",
            ),
            // The same digits as a passport are another person.
            row(
                "SMITH JOHN",
                "07654321",
                "京1112020000002",
                "passport,GBR,男,1976-11-03",
            ),
            // A passport without its country, a permit without its birth date, an unknown kind.
            row(
                "SMITH JANE",
                "P7654321",
                "京1112020000003",
                "passport,,女,1980-01-01",
            ),
            row(
                "陈美玲",
                "M12345678",
                "京1112020000004",
                "hk_macao_permit,,女,",
            ),
            row(
                "某人",
                "12345678",
                "京1112020000005",
                "驾驶证,,男,1980-01-01",
            ),
            // A 居住证's number carries gender and birth date, which must agree if given.
            row(
                "何嘉欣",
                "820000198805060027",
                "京1112020000006",
                "residence_permit,,男,",
            ),
            row(
                "何嘉怡",
                "820000198805060027",
                "京1112020000007",
                "港澳台居民居住证,,,",
            ),
        ]
        .join("\n");
        let report = import(&db.pool, DATA_KEY, csv.as_bytes()).await.unwrap();
        assert_eq!((report.persons, report.registrations), (3, 3), "{report:?}");
        let reasons: Vec<_> = report
            .rejected
            .iter()
            .map(|(l, r)| (*l, r.as_str()))
            .collect();
        assert_eq!(reasons.len(), 4, "{reasons:?}");
        assert!(reasons[0].1.contains("签发国家"), "{reasons:?}");
        assert!(reasons[1].1.contains("出生日期"), "{reasons:?}");
        assert!(reasons[2].1.contains("不在支持的类型中"), "{reasons:?}");
        assert!(reasons[3].1.contains("性别与证件号码不一致"), "{reasons:?}");
        let kinds: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id_kind, id_number_masked, gender FROM persons ORDER BY id_kind",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            kinds,
            [
                ("passport", "GBR ******21", "男"),
                ("residence_permit", "820000********0027", "女"),
                ("taiwan_permit", "0****321", "男"),
            ]
            .map(|(k, m, g)| (k.into(), m.into(), g.into())),
            "{}",
            db.label
        );

        // The feed: a 初始注册 by a permanent resident in JSON lines, the kind by its name.
        let line = r#"{"change_id":"YJ1","kind":"初始注册","registration_no":"京1112026000001","date":"2026-12-02","name":"MILLER DAVID","id_kind":"外国人永久居留身份证","id_number":"911840198006150015","gender":"男","category":"一级注册建造师","employer":"中建示范建设有限公司","employer_credit_code":"91110000MA01ABCD1M","valid_until":"2031-12-01","specialties":"建筑工程"}"#;
        let report = app::registry::feed::apply(
            &db.pool,
            DATA_KEY,
            app::registry::feed::read(line),
            "feed:test.jsonl",
            1_800_000_000,
            |_| {},
        )
        .await
        .unwrap();
        assert_eq!(report.applied, 1, "{report:?}");
        let miller =
            IdDocument::parse(DocumentKind::PermanentResidence, "911840198006150015", "").unwrap();
        assert!(
            app::registry::repo::person_exists(&db.pool, DATA_KEY, &miller)
                .await
                .unwrap()
        );
        // A 2023 永居证's number carries the birth date (not the gender): the sealed one is
        // the number's.
        let sealed: (String, String) = sqlx::query_as(
            "SELECT public_id, birth_sealed FROM persons WHERE id_kind = 'permanent_residence'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            app::domain::person::open_birth_date(DATA_KEY, &sealed.0, &sealed.1).as_deref(),
            Some("1980-06-15")
        );
    }
}
