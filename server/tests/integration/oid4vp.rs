//! OpenID4VP 1.0 verification (issue 29 §2) on SQLite and PostgreSQL, with a wallet written
//! here from the specifications: `/verifier`'s request, the signed request object fetched
//! once by `request_uri` (`x509_hash` client id, `x5c`, DCQL, the response key), the answer
//! as `direct_post.jwt` (ECDH-ES, A128GCM/A256GCM) with a Key Binding JWT, the result shown
//! only to the browser that asked, and the holder's 用证记录. Then the conformance plan's
//! negative modules (oid4vp-1final-verifier-test-plan), one test each: the KB-JWT's audience,
//! nonce, signature, `iat` ahead and behind, a wrong `sd_hash`, a revoked credential, one
//! without status, an issuer outside the trust anchor, the request object fetched twice, and
//! an answer from another session.

use crate::common::{Browser, TestDb, demo_state, face_checked_desktop, query_param};
use app::credentials::oid4vp::jwe;
use app::platform::sd_jwt::{VcKey, b64, jws_parts};
use app::platform::state::AppState;
use axum::body::Body;
use http::{Request, StatusCode, header};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const WANG: &str = "110105198003150039";
const ALL: &str =
    "name,registration_category,registration_number,specialties,valid_until,employer,licence_id";

/// A holder with a credential bound to their wallet key, issued on the face-checked desktop.
struct Holder {
    desktop: Browser,
    key: VcKey,
    sd_jwt: String,
}

async fn holder(state: &AppState) -> Holder {
    let mut desktop = face_checked_desktop(state, WANG).await;
    let cards = desktop.get("/api/my_certificates").await.json();
    let cert = cards[0]["id"].as_str().unwrap().to_string();
    let key = VcKey::generate().0;
    let issued = desktop
        .post(
            "issue_credential",
            &[
                ("certificate_id", &cert),
                ("disclose", ALL),
                ("holder_jwk", &key.public_jwk().to_string()),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let sd_jwt = issued.json()["sd_jwt"].as_str().unwrap().to_string();
    Holder {
        desktop,
        key,
        sd_jwt,
    }
}

/// A request made on `/verifier` and the request object the wallet fetched for it.
struct Asked {
    verifier: Browser,
    id: String,
    client_id: String,
    object: Value,
}

impl Asked {
    fn nonce(&self) -> &str {
        self.object["nonce"].as_str().unwrap()
    }
}

/// The path of a URL on the portal (the tests' public base is http://127.0.0.1:3000).
fn path_of(url: &str) -> String {
    url.split_once("127.0.0.1:3000").unwrap().1.to_string()
}

async fn ask(state: &AppState, claims: &[&str], category: &str) -> Asked {
    ask_across(state, state, claims, category).await
}

/// A request made on `state`'s server, its request object fetched from `wallets`' (another
/// server of the same portal, or the same).
async fn ask_across(
    state: &AppState,
    wallets: &AppState,
    claims: &[&str],
    category: &str,
) -> Asked {
    let mut verifier = Browser::new(state);
    let mut fields = vec![
        ("organisation", "某某招标代理有限公司"),
        ("category", category),
    ];
    let names: Vec<String> = (0..claims.len()).map(|i| format!("claims[{i}]")).collect();
    for (name, claim) in names.iter().zip(claims) {
        fields.push((name, claim));
    }
    let started = verifier.post("start_verification", &fields).await;
    let location = started
        .headers
        .get(header::LOCATION)
        .unwrap_or_else(|| panic!("{}: {}", started.status, started.body))
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        verifier.cookie.is_some(),
        "the request is bound to this browser"
    );
    let id = query_param(&location, "request");
    let waiting = verifier
        .get(&format!("/api/verification_result?id={id}"))
        .await
        .json();
    let link = waiting["Waiting"]["link"].as_str().unwrap().to_string();
    assert!(link.starts_with("openid4vp://?"), "{link}");
    let client_id = query_param(&link, "client_id");
    let request_uri = query_param(&link, "request_uri");

    // The wallet: the request object, once.
    let mut wallet = Browser::new(wallets);
    let fetched = wallet.get(&path_of(&request_uri)).await;
    assert_eq!(fetched.status, StatusCode::OK, "{}", fetched.body);
    assert_eq!(
        fetched.headers[header::CONTENT_TYPE],
        "application/oauth-authz-req+jwt"
    );
    let jwt = fetched.body.clone();
    let (head, _) = jws_parts(&jwt).unwrap();
    assert_eq!(head["typ"], "oauth-authz-req+jwt");
    // x509_hash: the SHA-256 of the certificate the header carries, which the portal's
    // anchor certifies and whose key signed the object.
    let x5c = app::credentials::oid4vp::check::x5c_of(&head).unwrap();
    assert_eq!(
        client_id,
        format!("x509_hash:{}", app::platform::x509::hash(&x5c[0]))
    );
    let anchor =
        app::platform::x509::pem_chain(&wallet.get("/trust-anchor.pem").await.body).unwrap();
    let now = state.clock.now();
    let (_, object) = app::credentials::oid4vp::check::verify_x5c_jwt(&jwt, &anchor, None, now)
        .expect("the request object is signed by the certified verifier key");
    assert_eq!(object["client_id"], client_id.as_str());
    assert_eq!(object["response_mode"], "direct_post.jwt");
    assert_eq!(object["response_type"], "vp_token");
    assert_eq!(
        object["client_metadata"]["encrypted_response_enc_values_supported"],
        json!(["A128GCM", "A256GCM"])
    );
    Asked {
        verifier,
        id,
        client_id,
        object,
    }
}

/// What a wallet may do wrong, one thing at a time.
#[derive(Default, Clone)]
struct Faults {
    audience: Option<String>,
    nonce: Option<String>,
    signer: Option<VcKey>,
    iat_shift: i64,
    sd_hash: Option<String>,
    state: Option<String>,
    enc: Option<&'static str>,
}

/// The wallet's presentation of the claims `asked` asks for, as `direct_post.jwt`.
fn answer(holder: &Holder, asked: &Asked, now: i64, faults: &Faults) -> String {
    let names: Vec<String> = asked.object["dcql_query"]["credentials"][0]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"][0].as_str().unwrap().to_string())
        .collect();
    let mut parts = holder.sd_jwt.split('~');
    let mut sd_part = format!("{}~", parts.next().unwrap());
    for d in parts.filter(|d| !d.is_empty()) {
        let decoded: Value =
            serde_json::from_slice(&app::platform::sd_jwt::unb64(d).unwrap()).unwrap();
        if names.iter().any(|n| decoded[1] == n.as_str()) {
            sd_part.push_str(d);
            sd_part.push('~');
        }
    }
    let kb = faults.signer.as_ref().unwrap_or(&holder.key).sign_jwt_with(
        json!({ "alg": "ES256", "typ": "kb+jwt" }),
        &json!({
            "aud": faults.audience.clone().unwrap_or_else(|| asked.client_id.clone()),
            "nonce": faults.nonce.clone().unwrap_or_else(|| asked.nonce().to_string()),
            "iat": now + faults.iat_shift,
            "sd_hash": faults
                .sd_hash
                .clone()
                .unwrap_or_else(|| b64(&Sha256::digest(sd_part.as_bytes()))),
        }),
    );
    let payload = json!({
        "vp_token": { "registration": [format!("{sd_part}{kb}")] },
        "state": faults.state.clone().unwrap_or_else(|| asked.object["state"].as_str().unwrap().to_string()),
    });
    let key = &asked.object["client_metadata"]["jwks"]["keys"][0];
    jwe::encrypt(
        &payload,
        key,
        faults.enc.unwrap_or("A128GCM"),
        asked.nonce().as_bytes(),
    )
    .unwrap()
}

async fn post_answer(state: &AppState, asked: &Asked, response: &str) -> crate::common::Reply {
    let mut wallet = Browser::new(state);
    let body = format!("response={}", app::domain::url::percent_encode(response));
    wallet
        .send(
            Request::post(format!("/oid4vp/responses/{}", asked.id))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
            Body::from(body),
        )
        .await
}

#[tokio::test]
async fn a_wallet_presents_two_claims_and_the_page_that_asked_sees_exactly_those() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let mut holder = holder(&state).await;
        let now = state.clock.now();
        // The wallet talks to another server of the same portal (its own caches and limiters,
        // the same database and keys): the request made on one is answered on the other.
        let other = crate::common::state(&db, app::platform::state::PortalEnv::Development);
        let mut asked = ask_across(
            &state,
            &other,
            &["registration_category", "valid_until"],
            "一级注册建造师",
        )
        .await;
        let query = &asked.object["dcql_query"]["credentials"][0];
        assert_eq!(query["format"], "dc+sd-jwt");
        assert_eq!(
            query["claims"][0],
            json!({ "path": ["registration_category"], "values": ["一级注册建造师"] })
        );
        let opened = asked
            .verifier
            .get(&format!("/api/verification_result?id={}", asked.id))
            .await;
        assert_eq!(opened.json(), json!("Opened"), "{}", opened.body);

        let reply = post_answer(
            &state,
            &asked,
            &answer(
                &holder,
                &asked,
                now,
                &Faults {
                    enc: Some("A256GCM"),
                    ..Faults::default()
                },
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", db.label, reply.body);
        assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
        let redirect = reply.json()["redirect_uri"].as_str().unwrap().to_string();
        let code = query_param(&redirect, "response_code");
        assert!(!code.is_empty());

        // The page that asked: exactly the two claims, nothing else the credential holds.
        let result = asked
            .verifier
            .get(&format!(
                "/api/verification_result?id={}&response_code={code}",
                asked.id
            ))
            .await
            .json();
        let claims = result["Verified"]["claims"].as_array().unwrap();
        assert_eq!(claims.len(), 2, "{result}");
        assert_eq!(claims[0], json!(["注册类别", "一级注册建造师"]));
        assert_eq!(claims[1][0], "注册有效期");
        assert!(!result.to_string().contains("王建国"));
        // The same-device redirect in another browser session: refused.
        let mut stranger = Browser::new(&state);
        let elsewhere = stranger
            .get(&path_of(&redirect).replace("/verifier?request=", "/api/verification_result?id="))
            .await;
        assert_eq!(
            elsewhere.status,
            StatusCode::FORBIDDEN,
            "{}",
            elsewhere.body
        );
        assert!(elsewhere.body.contains("只能在发起核验的浏览器中查看"));
        // A wrong response code in the right browser: refused too.
        let wrong = asked
            .verifier
            .get(&format!(
                "/api/verification_result?id={}&response_code=x",
                asked.id
            ))
            .await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
        // The page renders the result on the server (no script needed).
        let page = asked.verifier.get(&path_of(&redirect)).await;
        assert!(
            page.body.contains("核验通过") && page.body.contains("一级注册建造师"),
            "{}",
            page.body
        );

        // Not stored by the browser, and readable ten minutes after the request ends only.
        let again_page = asked.verifier.get(&path_of(&redirect)).await;
        assert_eq!(again_page.headers[header::CACHE_CONTROL], "no-store");
        // One answer per request.
        let again = post_answer(
            &state,
            &asked,
            &answer(&holder, &asked, now, &Faults::default()),
        )
        .await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST);

        // The holder's 用证记录 names the organisation and what was shown.
        let uses = holder
            .desktop
            .get("/api/my_certificate_uses?kind=wallet")
            .await
            .json();
        state.clock.advance(
            app::credentials::oid4vp::REQUEST_SECONDS
                + app::credentials::oid4vp::repo::RESULT_SECONDS
                + 1,
        );
        let gone = asked
            .verifier
            .get(&format!("/api/verification_result?id={}", asked.id))
            .await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.body);
        let record = &uses["records"][0];
        assert_eq!(record["kind"], "数字钱包出示", "{uses}");
        assert!(
            record["organisation"]
                .as_str()
                .unwrap()
                .contains("某某招标代理有限公司")
        );
        assert!(
            record["subject"]
                .as_str()
                .unwrap()
                .contains("注册类别、注册有效期")
        );
        db.close().await;
    }
}

/// A request answered with one fault: refused with `reason`, and the page says so.
async fn refused(state: &AppState, faults: Faults, reason: &str) {
    let holder = holder(state).await;
    let now = state.clock.now();
    let mut asked = ask(state, &["registration_category", "valid_until"], "").await;
    let reply = post_answer(state, &asked, &answer(&holder, &asked, now, &faults)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(reply.body.contains(reason), "{reason}: {}", reply.body);
    let result = asked
        .verifier
        .get(&format!("/api/verification_result?id={}", asked.id))
        .await
        .json();
    assert!(
        result["Refused"]["reason"]["zh"]
            .as_str()
            .unwrap()
            .contains(reason),
        "{result}"
    );
}

async fn each_db(test: impl AsyncFn(&AppState)) {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        test(&state).await;
        db.close().await;
    }
}

#[tokio::test]
async fn kb_jwt_for_another_audience_is_refused() {
    each_db(async |s| {
        let faults = Faults {
            audience: Some("x509_hash:someone-else".into()),
            ..Faults::default()
        };
        refused(s, faults, "接收方(aud)").await;
    })
    .await;
}

#[tokio::test]
async fn kb_jwt_with_another_nonce_is_refused() {
    each_db(async |s| {
        let faults = Faults {
            nonce: Some("replayed-nonce".into()),
            ..Faults::default()
        };
        refused(s, faults, "随机数(nonce)").await;
    })
    .await;
}

#[tokio::test]
async fn kb_jwt_signed_by_another_key_is_refused() {
    each_db(async |s| {
        let faults = Faults {
            signer: Some(VcKey::generate().0),
            ..Faults::default()
        };
        refused(s, faults, "持有者绑定签名无效").await;
    })
    .await;
}

#[tokio::test]
async fn kb_jwt_issued_in_the_future_is_refused() {
    each_db(async |s| {
        refused(
            s,
            Faults {
                iat_shift: 600,
                ..Faults::default()
            },
            "签发时间在未来",
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn kb_jwt_issued_long_ago_is_refused() {
    each_db(async |s| {
        refused(
            s,
            Faults {
                iat_shift: -3600,
                ..Faults::default()
            },
            "已过时",
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn a_wrong_sd_hash_is_refused() {
    each_db(async |s| {
        let faults = Faults {
            sd_hash: Some(b64(&Sha256::digest(b"another presentation"))),
            ..Faults::default()
        };
        refused(s, faults, "sd_hash").await;
    })
    .await;
}

#[tokio::test]
async fn a_revoked_credential_is_refused() {
    each_db(async |state| {
        let mut holder = holder(state).await;
        let listed = holder.desktop.get("/api/my_credentials").await.json();
        let id = listed[0]["id"].as_str().unwrap().to_string();
        let revoked = holder
            .desktop
            .post("revoke_credential", &[("credential_id", &id)])
            .await;
        assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
        let now = state.clock.now();
        let asked = ask(state, &["valid_until"], "").await;
        let reply = post_answer(
            state,
            &asked,
            &answer(&holder, &asked, now, &Faults::default()),
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
        assert!(reply.body.contains("已撤销"), "{}", reply.body);
    })
    .await;
}

/// A credential the issuer's own key signed but without `status`, and one signed by a key
/// with a chain of its own: both refused.
#[tokio::test]
async fn a_credential_without_status_or_outside_the_trust_anchor_is_refused() {
    each_db(async |state| {
        let holder = holder(state).await;
        let now = state.clock.now();
        let issuer = app::credentials::vc::repo::issuer_key(&state.db, None, now)
            .await
            .unwrap();
        let (header, mut payload) = jws_parts(holder.sd_jwt.split('~').next().unwrap()).unwrap();
        let disclosures: String = holder.sd_jwt.split_once('~').unwrap().1.to_string();
        payload.as_object_mut().unwrap().remove("status");
        let unrevocable = format!(
            "{}~{disclosures}",
            issuer.sign_jwt(header["typ"].as_str().unwrap(), &payload)
        );
        let stranger_ca = VcKey::generate().0;
        let stranger =
            app::credentials::vc::repo::development_chain(VcKey::generate().0, &stranger_ca)
                .unwrap();
        let (_, signed) = jws_parts(holder.sd_jwt.split('~').next().unwrap()).unwrap();
        let outsider = format!("{}~{disclosures}", stranger.sign_jwt("dc+sd-jwt", &signed));
        // Signed under another certificate of the portal's own CA (the verifier's): not the
        // issuer's signing certificate, so not this portal's credential.
        let verifier_key = app::credentials::oid4vp::repo::verifier_key(&state.db, None, now)
            .await
            .unwrap();
        let sibling = format!(
            "{}~{disclosures}",
            verifier_key.sign_jwt("dc+sd-jwt", &signed)
        );
        for (sd_jwt, reason) in [
            (unrevocable, "没有状态信息"),
            (outsider, "受信任的根证书"),
            (sibling, "签发证书"),
        ] {
            let forged = Holder {
                desktop: Browser::new(state),
                key: holder.key.clone(),
                sd_jwt,
            };
            let asked = ask(state, &["valid_until"], "").await;
            let reply = post_answer(
                state,
                &asked,
                &answer(&forged, &asked, now, &Faults::default()),
            )
            .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
            assert!(reply.body.contains(reason), "{reason}: {}", reply.body);
        }
    })
    .await;
}

#[tokio::test]
async fn the_request_object_is_fetched_once() {
    each_db(async |state| {
        let asked = ask(state, &["valid_until"], "").await;
        let mut wallet = Browser::new(state);
        let again = wallet.get(&format!("/oid4vp/requests/{}", asked.id)).await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        assert_eq!(again.json()["error"], "invalid_request_uri");
        let unknown = wallet.get("/oid4vp/requests/nothing").await;
        assert_eq!(unknown.json()["error"], "invalid_request_uri");
        // An answer to a request nobody fetched is not taken either.
        let mut verifier = Browser::new(state);
        let started = verifier
            .post(
                "start_verification",
                &[("organisation", "某建设单位"), ("claims[0]", "name")],
            )
            .await;
        let location = started.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        let unfetched = query_param(&location, "request");
        let reply = wallet
            .send(
                Request::post(format!("/oid4vp/responses/{unfetched}"))
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
                Body::from("response=a.b.c.d.e"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    })
    .await;
}

/// What the form refuses, in Chinese, on the field.
#[tokio::test]
async fn the_verifiers_form_refuses_what_it_cannot_ask() {
    each_db(async |state| {
        let mut verifier = Browser::new(state);
        for (fields, field) in [
            (
                vec![("organisation", "某"), ("claims[0]", "name")],
                "organisation",
            ),
            (vec![("organisation", "某建设单位")], "claims"),
            (
                vec![("organisation", "某建设单位"), ("claims[0]", "id_number")],
                "claims",
            ),
            (
                vec![
                    ("organisation", "某建设单位"),
                    ("category", "注册会计师"),
                    ("claims[0]", "name"),
                ],
                "category",
            ),
        ] {
            let reply = verifier.post("start_verification", &fields).await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                reply.body
            );
            assert!(
                !reply.field_message(field).is_empty(),
                "{field}: {}",
                reply.body
            );
        }
    })
    .await;
}

/// An answer that does not decrypt with the request's key, or names another state, is
/// nobody's answer: it is refused and the request still takes its wallet's (the review found a
/// stranger could end a verification and put words on the page that asked).
#[tokio::test]
async fn an_answer_that_is_not_for_the_request_ends_nothing() {
    each_db(async |state| {
        let holder = holder(state).await;
        let now = state.clock.now();
        let mut asked = ask(state, &["valid_until"], "").await;
        let header = json!({ "alg": "ECDH-ES", "enc": "核验通过!请转账至 6222 0000", "epk": {} });
        let forged = format!(
            "{}..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA",
            b64(header.to_string().as_bytes())
        );
        let reply = post_answer(state, &asked, &forged).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert!(!reply.body.contains("转账"), "never echoed: {}", reply.body);
        let faults = Faults {
            state: Some("another-session".into()),
            ..Faults::default()
        };
        let other_session = answer(&holder, &asked, now, &faults);
        let reply = post_answer(state, &asked, &other_session).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert!(reply.body.contains("state"), "{}", reply.body);
        let still = asked
            .verifier
            .get(&format!("/api/verification_result?id={}", asked.id))
            .await;
        assert_eq!(still.json(), json!("Opened"), "{}", still.body);
        let real = answer(&holder, &asked, now, &Faults::default());
        let reply = post_answer(state, &asked, &real).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        // The request object names who asks, as they named themselves.
        let name = asked.object["client_metadata"]["client_name"]
            .as_str()
            .unwrap();
        assert!(name.starts_with("某某招标代理有限公司"), "{name}");
    })
    .await;
}
