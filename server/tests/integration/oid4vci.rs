//! OpenID4VCI 1.0 issuance (issue 29 §1) on SQLite and PostgreSQL, with a wallet written here
//! from the specifications: the offer from 电子证照管理, the pre-authorized code with its
//! tx_code, DPoP (RFC 9449) with the server's nonce, the nonce endpoint and a batch of `jwt`
//! proofs; and the conformance plan's negative modules: a replayed or unknown nonce, a proof
//! signed by another key, no proof, an unknown configuration, the token in the query, a token
//! used twice or by another key, wrong tx_codes, and no caching.

use crate::common::{Browser, Reply, TestDb, demo_state, face_checked_desktop, query_param};
use app::platform::sd_jwt::{VcKey, b64, jws_parts, unb64, verify_es256};
use axum::body::Body;
use http::{Request, StatusCode, header};
use serde_json::{Value, json};

const WANG: &str = "110105198003150039";

/// A wallet: its DPoP key and what it has learnt of the issuer.
struct Wallet {
    dpop: VcKey,
    nonce: String,
    issuer: String,
}

impl Wallet {
    fn new(issuer: &str) -> Self {
        Self {
            dpop: VcKey::generate().0,
            nonce: String::new(),
            issuer: issuer.to_string(),
        }
    }

    fn dpop_proof(&self, path: &str, token: Option<&str>, now: i64) -> String {
        let mut claims = json!({
            "htm": "POST",
            "htu": format!("{}{path}", self.issuer),
            "iat": now,
            "jti": app::platform::ids::random_hex::<12>(),
        });
        if !self.nonce.is_empty() {
            claims["nonce"] = json!(self.nonce);
        }
        if let Some(token) = token {
            claims["ath"] = json!(app::credentials::oid4vci::dpop::ath(token));
        }
        self.dpop.sign_jwt_with(
            json!({ "alg": "ES256", "typ": "dpop+jwt", "jwk": self.dpop.public_jwk() }),
            &claims,
        )
    }

    /// POST to `path` with a DPoP proof (and the access token); the server's new DPoP nonce
    /// is kept.
    async fn post(
        &mut self,
        b: &mut Browser,
        path: &str,
        content_type: &str,
        body: String,
        token: Option<&str>,
        now: i64,
    ) -> Reply {
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, content_type)
            .header(
                "dpop",
                self.dpop_proof(path.split('?').next().unwrap(), token, now),
            );
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("DPoP {token}"));
        }
        let reply = b.send(request, Body::from(body)).await;
        if let Some(nonce) = reply.headers.get("dpop-nonce") {
            self.nonce = nonce.to_str().unwrap().to_string();
        }
        reply
    }

    async fn token(&mut self, b: &mut Browser, code: &str, tx_code: &str, now: i64) -> Reply {
        let form = format!(
            "grant_type={}&pre-authorized_code={}&tx_code={tx_code}",
            app::domain::url::percent_encode(app::credentials::oid4vci::PRE_AUTHORIZED_GRANT),
            app::domain::url::percent_encode(code)
        );
        let first = self
            .post(
                b,
                "/oid4vci/token",
                "application/x-www-form-urlencoded",
                form.clone(),
                None,
                now,
            )
            .await;
        if first.json()["error"] == "use_dpop_nonce" {
            return self
                .post(
                    b,
                    "/oid4vci/token",
                    "application/x-www-form-urlencoded",
                    form,
                    None,
                    now,
                )
                .await;
        }
        first
    }

    async fn c_nonce(&mut self, b: &mut Browser) -> String {
        let reply = b.send(Request::post("/oid4vci/nonce"), Body::empty()).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
        self.nonce = reply.headers["dpop-nonce"].to_str().unwrap().to_string();
        reply.json()["c_nonce"].as_str().unwrap().to_string()
    }

    fn proof(&self, key: &VcKey, nonce: &str, now: i64) -> String {
        key.sign_jwt_with(
            json!({ "alg": "ES256", "typ": "openid4vci-proof+jwt", "jwk": key.public_jwk() }),
            &json!({ "aud": self.issuer, "iat": now, "nonce": nonce }),
        )
    }

    async fn credential(
        &mut self,
        b: &mut Browser,
        token: &str,
        body: Value,
        query: &str,
        now: i64,
    ) -> Reply {
        let path = format!("/oid4vci/credential{query}");
        self.post(
            b,
            &path,
            "application/json",
            body.to_string(),
            Some(token),
            now,
        )
        .await
    }
}

/// An offer made on the face-checked desktop: (pre-authorized code, tx_code, configuration).
async fn offer(desktop: &mut Browser, cert: &str) -> (String, String, String) {
    let made = desktop
        .post("offer_to_wallet", &[("certificate_id", cert)])
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let made = made.json();
    let uri = made["offer_uri"].as_str().unwrap();
    let at = uri.find("credential_offer_uri=").unwrap() + "credential_offer_uri=".len();
    let offer_url: String = url::form_urlencoded::parse(format!("u={}", &uri[at..]).as_bytes())
        .next()
        .unwrap()
        .1
        .into_owned();
    let path = offer_url
        .split_once("127.0.0.1:3000")
        .unwrap()
        .1
        .to_string();
    let object = desktop.get(&path).await.json();
    let grant = &object["grants"][app::credentials::oid4vci::PRE_AUTHORIZED_GRANT];
    assert_eq!(grant["tx_code"]["length"], 6, "{object}");
    (
        grant["pre-authorized_code"].as_str().unwrap().to_string(),
        made["tx_code"].as_str().unwrap().to_string(),
        object["credential_configuration_ids"][0]
            .as_str()
            .unwrap()
            .to_string(),
    )
}

#[tokio::test]
async fn a_wallet_redeems_an_offer_with_dpop_and_gets_an_unlinkable_batch() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let now = state.clock.now();
        let mut desktop = face_checked_desktop(&state, WANG).await;
        let cards = desktop.get("/api/my_certificates").await.json();
        let cert = cards[0]["id"].as_str().unwrap().to_string();

        // The wallet talks to another server of the same portal (its own state and caches,
        // the same database and key): the offer made on one is redeemed on the other.
        let other_server = crate::common::state(&db, app::platform::state::PortalEnv::Development);
        let mut b = Browser::new(&other_server);
        let metadata = b.get("/.well-known/openid-credential-issuer").await.json();
        let issuer = metadata["credential_issuer"].as_str().unwrap().to_string();
        assert_eq!(
            metadata["nonce_endpoint"],
            format!("{issuer}/oid4vci/nonce")
        );
        let configs = metadata["credential_configurations_supported"]
            .as_object()
            .unwrap();
        assert!(configs.len() >= 7, "one per 注册类别: {metadata}");
        for config in configs.values() {
            assert_eq!(config["format"], "dc+sd-jwt");
            assert_eq!(
                config["proof_types_supported"]["jwt"]["proof_signing_alg_values_supported"],
                json!(["ES256"])
            );
            assert_eq!(
                config["cryptographic_binding_methods_supported"],
                json!(["jwk"])
            );
            assert_eq!(
                config["credential_metadata"]["display"][0]["locale"],
                "zh-CN"
            );
        }
        let server = b
            .get("/.well-known/oauth-authorization-server")
            .await
            .json();
        assert_eq!(server["issuer"], issuer);
        assert_eq!(
            server["dpop_signing_alg_values_supported"],
            json!(["ES256"])
        );

        let (code, tx_code, configuration) = offer(&mut desktop, &cert).await;
        assert!(configs.contains_key(&configuration));
        let mut wallet = Wallet::new(&issuer);
        // Without the server's nonce: use_dpop_nonce, and the nonce comes with the answer.
        let form = format!(
            "grant_type={}&pre-authorized_code={}&tx_code={tx_code}",
            app::domain::url::percent_encode(app::credentials::oid4vci::PRE_AUTHORIZED_GRANT),
            app::domain::url::percent_encode(&code)
        );
        let first = wallet
            .post(
                &mut b,
                "/oid4vci/token",
                "application/x-www-form-urlencoded",
                form,
                None,
                now,
            )
            .await;
        assert_eq!(first.json()["error"], "use_dpop_nonce", "{}", first.body);
        assert!(!wallet.nonce.is_empty());
        let wrong = if tx_code == "000000" {
            "000001"
        } else {
            "000000"
        };
        let refused = wallet.token(&mut b, &code, wrong, now).await;
        assert_eq!(refused.json()["error"], "invalid_grant", "{}", refused.body);
        let token = wallet.token(&mut b, &code, &tx_code, now).await;
        assert_eq!(token.status, StatusCode::OK, "{}: {}", db.label, token.body);
        assert_eq!(token.headers[header::CACHE_CONTROL], "no-store");
        assert_eq!(token.json()["token_type"], "DPoP");
        let access = token.json()["access_token"].as_str().unwrap().to_string();
        // Redeemed once only.
        let again = wallet.token(&mut b, &code, &tx_code, now).await;
        assert_eq!(again.json()["error"], "invalid_grant", "{}", again.body);

        // A batch of three, each bound to its own key.
        let c_nonce = wallet.c_nonce(&mut b).await;
        let keys: Vec<VcKey> = (0..3).map(|_| VcKey::generate().0).collect();
        let proofs: Vec<String> = keys
            .iter()
            .map(|k| wallet.proof(k, &c_nonce, now))
            .collect();
        let issued = wallet
            .credential(
                &mut b,
                &access,
                json!({ "credential_configuration_id": configuration, "proofs": { "jwt": proofs } }),
                "",
                now,
            )
            .await;
        assert_eq!(
            issued.status,
            StatusCode::OK,
            "{}: {}",
            db.label,
            issued.body
        );
        assert_eq!(issued.headers[header::CACHE_CONTROL], "no-store");
        let credentials = issued.json()["credentials"].as_array().unwrap().clone();
        assert_eq!(credentials.len(), 3);
        let issuer_jwk =
            b.get("/.well-known/jwt-vc-issuer").await.json()["jwks"]["keys"][0].clone();
        let mut salts = std::collections::HashSet::new();
        let mut indexes = std::collections::HashSet::new();
        let mut iats = std::collections::HashSet::new();
        for (credential, key) in credentials.iter().zip(&keys) {
            let sd_jwt = credential["credential"].as_str().unwrap();
            let mut parts = sd_jwt.split('~');
            let jwt = parts.next().unwrap();
            let (header, payload) = verify_es256(jwt, &issuer_jwk).expect("signed by the issuer");
            assert_eq!(header["typ"], "dc+sd-jwt");
            assert_eq!(
                payload["cnf"]["jwk"],
                key.public_jwk(),
                "bound to the proof's key"
            );
            assert_eq!(payload["iss"], issuer);
            let iat = payload["iat"].as_i64().unwrap();
            assert_eq!(iat % 86_400, 0, "iat rounded to the day");
            // exp counted from the rounded iat: it tells neither the second nor the batch.
            assert_eq!(
                payload["exp"].as_i64().unwrap() % 86_400,
                0,
                "exp from the day"
            );
            iats.insert((iat, payload["exp"].as_i64().unwrap()));
            indexes.insert(payload["status"]["status_list"]["idx"].as_i64().unwrap());
            let disclosures: Vec<&str> = parts.filter(|d| !d.is_empty()).collect();
            assert_eq!(
                disclosures.len(),
                7,
                "every claim for the wallet to choose from"
            );
            for d in disclosures {
                let decoded: Value = serde_json::from_slice(&unb64(d).unwrap()).unwrap();
                assert!(
                    salts.insert(decoded[0].as_str().unwrap().to_string()),
                    "salt reused"
                );
            }
        }
        assert_eq!(indexes.len(), 3, "distinct status indexes");
        assert_eq!(iats.len(), 1);
        // The token served its one request.
        let nonce = wallet.c_nonce(&mut b).await;
        let proof = wallet.proof(&keys[0], &nonce, now);
        let reused = wallet
            .credential(
                &mut b,
                &access,
                json!({ "credential_configuration_id": configuration, "proofs": { "jwt": [proof] } }),
                "",
                now,
            )
            .await;
        assert_eq!(reused.status, StatusCode::UNAUTHORIZED, "{}", reused.body);
        // 安全记录 has it.
        let log = desktop.get("/api/security_log").await.json();
        assert!(log.to_string().contains("存入数字钱包"), "{log}");
        let _ = jws_parts;
        let _ = b64;
        db.close().await;
    }
}

#[tokio::test]
async fn the_credential_endpoint_refuses_what_the_conformance_plan_tries() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let now = state.clock.now();
        let mut desktop = face_checked_desktop(&state, WANG).await;
        let cards = desktop.get("/api/my_certificates").await.json();
        let cert = cards[0]["id"].as_str().unwrap().to_string();
        let mut b = Browser::new(&state);
        let issuer =
            b.get("/.well-known/openid-credential-issuer").await.json()["credential_issuer"]
                .as_str()
                .unwrap()
                .to_string();
        // A fresh token for each attempt: (wallet, token, configuration).
        let fresh = async |desktop: &mut Browser, b: &mut Browser| {
            let (code, tx_code, configuration) = offer(desktop, &cert).await;
            let mut wallet = Wallet::new(&issuer);
            let token = wallet.token(b, &code, &tx_code, now).await;
            assert_eq!(token.status, StatusCode::OK, "{}", token.body);
            let token = token.json()["access_token"].as_str().unwrap().to_string();
            (wallet, token, configuration)
        };
        let key = VcKey::generate().0;
        let body = |configuration: &str, proofs: Value| json!({ "credential_configuration_id": configuration, "proofs": proofs });

        // Missing proof.
        let (mut w, t, c) = fresh(&mut desktop, &mut b).await;
        let r = w
            .credential(
                &mut b,
                &t,
                json!({ "credential_configuration_id": c }),
                "",
                now,
            )
            .await;
        assert_eq!(
            r.json()["error"],
            "invalid_proof",
            "{}: {}",
            db.label,
            r.body
        );

        // A proof signed by another key than the one it names.
        let (mut w, t, c) = fresh(&mut desktop, &mut b).await;
        let nonce = w.c_nonce(&mut b).await;
        let other = VcKey::generate().0;
        let forged = other.sign_jwt_with(
            json!({ "alg": "ES256", "typ": "openid4vci-proof+jwt", "jwk": key.public_jwk() }),
            &json!({ "aud": issuer, "iat": now, "nonce": nonce }),
        );
        let r = w
            .credential(&mut b, &t, body(&c, json!({ "jwt": [forged] })), "", now)
            .await;
        assert_eq!(r.json()["error"], "invalid_proof", "{}", r.body);

        // A proof for another audience.
        let (mut w, t, c) = fresh(&mut desktop, &mut b).await;
        let nonce = w.c_nonce(&mut b).await;
        let elsewhere = key.sign_jwt_with(
            json!({ "alg": "ES256", "typ": "openid4vci-proof+jwt", "jwk": key.public_jwk() }),
            &json!({ "aud": "https://wallet-issuer.example", "iat": now, "nonce": nonce }),
        );
        let r = w
            .credential(&mut b, &t, body(&c, json!({ "jwt": [elsewhere] })), "", now)
            .await;
        assert_eq!(r.json()["error"], "invalid_proof", "{}", r.body);

        // An unknown nonce, then a replayed one.
        let (mut w, t, c) = fresh(&mut desktop, &mut b).await;
        let r = w
            .credential(
                &mut b,
                &t,
                body(&c, json!({ "jwt": [w.proof(&key, "made-up", now)] })),
                "",
                now,
            )
            .await;
        assert_eq!(r.json()["error"], "invalid_nonce", "{}", r.body);
        let (mut w, t, c) = fresh(&mut desktop, &mut b).await;
        let nonce = w.c_nonce(&mut b).await;
        let ok = w
            .credential(
                &mut b,
                &t,
                body(&c, json!({ "jwt": [w.proof(&key, &nonce, now)] })),
                "",
                now,
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let (mut w, t, c) = fresh(&mut desktop, &mut b).await;
        let r = w
            .credential(
                &mut b,
                &t,
                body(&c, json!({ "jwt": [w.proof(&key, &nonce, now)] })),
                "",
                now,
            )
            .await;
        assert_eq!(r.json()["error"], "invalid_nonce", "replayed: {}", r.body);

        // An unknown credential configuration; the token is not used up by it.
        let (mut w, t, c) = fresh(&mut desktop, &mut b).await;
        let nonce = w.c_nonce(&mut b).await;
        let proof = w.proof(&key, &nonce, now);
        let r = w
            .credential(
                &mut b,
                &t,
                body("no-such-configuration", json!({ "jwt": [proof] })),
                "",
                now,
            )
            .await;
        assert_eq!(
            r.json()["error"],
            "unknown_credential_configuration",
            "{}",
            r.body
        );
        // Two proofs of one key (two credentials linkable by it): refused, nothing used up.
        let twice = json!({ "jwt": [w.proof(&key, &nonce, now), w.proof(&key, &nonce, now)] });
        let r = w.credential(&mut b, &t, body(&c, twice), "", now).await;
        assert_eq!(r.json()["error"], "invalid_proof", "{}", r.body);
        let proof = w.proof(&key, &nonce, now);
        let r = w
            .credential(&mut b, &t, body(&c, json!({ "jwt": [proof] })), "", now)
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "the same token and nonce still serve: {}",
            r.body
        );

        // A wallet in a browser on another site: its POSTs are not refused as cross-site.
        let preflight = b
            .send(
                Request::options("/oid4vci/token")
                    .header(header::ORIGIN, "https://wallet.example")
                    .header("access-control-request-method", "POST"),
                Body::empty(),
            )
            .await;
        assert_eq!(preflight.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        let cross = b
            .send(
                Request::post("/oid4vci/nonce")
                    .header(header::ORIGIN, "https://wallet.example")
                    .header("sec-fetch-site", "cross-site"),
                Body::empty(),
            )
            .await;
        assert_eq!(cross.status, StatusCode::OK, "{}", cross.body);

        // The access token in the query.
        let (mut w, t, c) = fresh(&mut desktop, &mut b).await;
        let nonce = w.c_nonce(&mut b).await;
        let r = w
            .credential(
                &mut b,
                &t,
                body(&c, json!({ "jwt": [w.proof(&key, &nonce, now)] })),
                &format!("?access_token={t}"),
                now,
            )
            .await;
        assert_eq!(r.json()["error"], "invalid_request", "{}", r.body);

        // The token used with another DPoP key than it was bound to.
        let (w, t, c) = fresh(&mut desktop, &mut b).await;
        let mut thief = Wallet::new(&issuer);
        thief.nonce = w.nonce.clone();
        let nonce = thief.c_nonce(&mut b).await;
        let r = thief
            .credential(
                &mut b,
                &t,
                body(&c, json!({ "jwt": [thief.proof(&key, &nonce, now)] })),
                "",
                now,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
        assert_eq!(r.json()["error"], "invalid_token");

        // Five wrong tx_codes end the offer; the right one then fails too.
        let (code, tx_code, _) = offer(&mut desktop, &cert).await;
        let mut w = Wallet::new(&issuer);
        let wrong = if tx_code == "000000" {
            "000001"
        } else {
            "000000"
        };
        for _ in 0..5 {
            let r = w.token(&mut b, &code, wrong, now).await;
            assert_eq!(r.json()["error"], "invalid_grant");
        }
        let r = w.token(&mut b, &code, &tx_code, now).await;
        assert_eq!(r.json()["error"], "invalid_grant", "{}", r.body);

        // An offer is only for the face-checked holder's own certificate.
        let mut plain = Browser::new(&state);
        plain.login("person", WANG, "Demo@2026").await;
        let refused = plain
            .post("offer_to_wallet", &[("certificate_id", &cert)])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        db.close().await;
    }
}

/// PKCE (RFC 7636): a verifier and its S256 challenge.
fn pkce() -> (String, String) {
    use sha2::Digest as _;
    let verifier = b64(&rand::random::<[u8; 32]>());
    let challenge = b64(&sha2::Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

async fn push(b: &mut Browser, fields: &[(&str, &str)]) -> Reply {
    let form = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", app::domain::url::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    b.send(
        Request::post("/oid4vci/par")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
        Body::from(form),
    )
    .await
}

const REDIRECT: &str = "https://wallet.example/cb";

/// The wallet's pushed request for WANG's kind of certificate: (request_uri, PKCE verifier).
async fn pushed(b: &mut Browser) -> (String, String) {
    let (verifier, challenge) = pkce();
    let scope = app::credentials::oid4vci::configuration_id("一级注册建造师").unwrap();
    let reply = push(
        b,
        &[
            ("response_type", "code"),
            ("client_id", "wallet.example"),
            ("redirect_uri", REDIRECT),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("scope", &scope),
            ("state", "wallet-state-1"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    (
        reply.json()["request_uri"].as_str().unwrap().to_string(),
        verifier,
    )
}

/// The holder's browser opens the authorization endpoint: the request id of the page it
/// is sent to.
async fn opened(desktop: &mut Browser, request_uri: &str) -> String {
    let reply = desktop
        .get(&format!(
            "/oid4vci/authorize?client_id=wallet.example&request_uri={}",
            app::domain::url::percent_encode(request_uri)
        ))
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    query_param(&reply.location(), "request")
}

/// The holder approves the request `id` for the certificate `cert`.
async fn approve(holder: &mut Browser, id: &str, cert: &str) -> Reply {
    holder
        .post(
            "decide_wallet_request",
            &[
                ("request", id),
                ("certificate_id", cert),
                ("approve", "true"),
            ],
        )
        .await
}

impl Wallet {
    async fn code_token(&mut self, b: &mut Browser, code: &str, verifier: &str, now: i64) -> Reply {
        let form = format!(
            "grant_type=authorization_code&code={}&code_verifier={verifier}&redirect_uri={}&client_id=wallet.example",
            app::domain::url::percent_encode(code),
            app::domain::url::percent_encode(REDIRECT)
        );
        let ct = "application/x-www-form-urlencoded";
        let first = self
            .post(b, "/oid4vci/token", ct, form.clone(), None, now)
            .await;
        if first.json()["error"] == "use_dpop_nonce" {
            return self.post(b, "/oid4vci/token", ct, form, None, now).await;
        }
        first
    }
}

#[tokio::test]
async fn the_authorization_code_flow_takes_par_pkce_the_face_check_and_gives_iss() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let now = state.clock.now();
        let mut b = Browser::new(&state);
        let metadata = b
            .get("/.well-known/oauth-authorization-server")
            .await
            .json();
        assert_eq!(metadata["require_pushed_authorization_requests"], true);
        assert_eq!(
            metadata["code_challenge_methods_supported"],
            json!(["S256"])
        );
        assert_eq!(
            metadata["authorization_response_iss_parameter_supported"],
            true
        );
        let issuer = metadata["issuer"].as_str().unwrap().to_string();
        let (request_uri, verifier) = pushed(&mut b).await;

        // Signed in without a face check: the page asks for one first.
        let mut unchecked = Browser::new(&state);
        unchecked.login("person", WANG, "Demo@2026").await;
        let id = opened(&mut unchecked, &request_uri).await;
        let refused = unchecked
            .get(&format!("/api/wallet_request?request={id}"))
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert!(refused.body.contains("人脸识别"), "{}", refused.body);

        // Face-checked: the wallet and the kind asked for, and the holder's certificate.
        let mut desktop = face_checked_desktop(&state, WANG).await;
        let id = opened(&mut desktop, &request_uri).await;
        let asked = desktop
            .get(&format!("/api/wallet_request?request={id}"))
            .await;
        assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
        let asked = asked.json();
        assert_eq!(asked["client_id"], "wallet.example");
        assert_eq!(
            asked["name"], "测试数字钱包(开发环境)",
            "the registered name, not the wallet's own"
        );
        assert_eq!(asked["returns_to"], "https://wallet.example");
        let cert = asked["certificates"][0][0].as_str().unwrap().to_string();

        // Another holder cannot give WANG's certificate away.
        let mut li = face_checked_desktop(&state, "310104199007220044").await;
        let theirs = approve(&mut li, &id, &cert).await;
        assert_eq!(
            theirs.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            theirs.body
        );

        let approved = approve(&mut desktop, &id, &cert).await;
        let back = approved.location();
        assert!(back.starts_with(&format!("{REDIRECT}?code=")), "{back}");
        assert_eq!(query_param(&back, "state"), "wallet-state-1");
        assert_eq!(query_param(&back, "iss"), issuer, "RFC 9207");
        let code = query_param(&back, "code");
        // Decided once.
        let twice = approve(&mut desktop, &id, &cert).await;
        assert_eq!(twice.status, StatusCode::FORBIDDEN, "{}", twice.body);

        // The code with its verifier and a DPoP proof: a token, then a credential bound to
        // the proof's key.
        let mut wallet = Wallet::new(&issuer);
        let token = wallet.code_token(&mut b, &code, &verifier, now).await;
        assert_eq!(token.status, StatusCode::OK, "{}: {}", db.label, token.body);
        assert_eq!(token.json()["token_type"], "DPoP");
        let access = token.json()["access_token"].as_str().unwrap().to_string();
        let again = wallet.code_token(&mut b, &code, &verifier, now).await;
        assert_eq!(
            again.json()["error"],
            "invalid_grant",
            "single use: {}",
            again.body
        );
        let c_nonce = wallet.c_nonce(&mut b).await;
        let key = VcKey::generate().0;
        let proof = wallet.proof(&key, &c_nonce, now);
        let scope = app::credentials::oid4vci::configuration_id("一级注册建造师").unwrap();
        let issued = wallet
            .credential(
                &mut b,
                &access,
                json!({ "credential_configuration_id": scope, "proofs": { "jwt": [proof] } }),
                "",
                now,
            )
            .await;
        assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
        let sd_jwt = issued.json()["credentials"][0]["credential"]
            .as_str()
            .unwrap()
            .to_string();
        let (_, payload) = jws_parts(sd_jwt.split('~').next().unwrap()).unwrap();
        assert_eq!(payload["cnf"]["jwk"], key.public_jwk());
        // The holder's 安全记录 has the approval.
        let log = desktop.get("/api/security_log").await;
        assert!(log.body.contains("授权数字钱包领取凭证"), "{}", log.body);
        db.close().await;
    }
}

#[tokio::test]
async fn the_authorization_code_flow_refuses_what_the_conformance_plan_tries() {
    for db in TestDb::all().await {
        let state = demo_state(&db).await;
        let now = state.clock.now();
        let mut b = Browser::new(&state);
        let issuer = b
            .get("/.well-known/oauth-authorization-server")
            .await
            .json()["issuer"]
            .as_str()
            .unwrap()
            .to_string();
        let scope = app::credentials::oid4vci::configuration_id("一级注册建造师").unwrap();
        let (_, challenge) = pkce();
        // PAR: no PKCE, plain PKCE, an unsafe or unregistered redirect, an unknown
        // configuration, a wallet nobody registered.
        let par =
            |client: &'static str, redirect: &'static str, method: &'static str, scope: String| {
                vec![
                    ("response_type", "code".to_string()),
                    ("client_id", client.to_string()),
                    ("redirect_uri", redirect.to_string()),
                    ("code_challenge", challenge.clone()),
                    ("code_challenge_method", method.to_string()),
                    ("scope", scope),
                ]
            };
        let send = async |b: &mut Browser, fields: Vec<(&str, String)>| {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            push(b, &fields).await
        };
        for method in ["", "plain"] {
            let reply = send(
                &mut b,
                par("wallet.example", REDIRECT, method, scope.clone()),
            )
            .await;
            assert_eq!(reply.json()["error"], "invalid_request", "{}", reply.body);
        }
        for redirect in [
            "https://attacker.example/cb",
            "http://evil.example/cb",
            "javascript:alert(1)",
            "https://wallet.example/cb#frag",
            "https://wallet.example/cb/other",
        ] {
            let reply = send(
                &mut b,
                par("wallet.example", redirect, "S256", scope.clone()),
            )
            .await;
            assert_eq!(
                reply.json()["error"],
                "invalid_request",
                "{redirect}: {}",
                reply.body
            );
        }
        // A request pushed under a name of the attacker's choosing (the review's fixation: the
        // holder opens it and the code goes to the attacker): no such wallet is registered.
        let stranger = send(
            &mut b,
            par(
                "住房和城乡建设部官方数字钱包",
                "https://attacker.example/cb",
                "S256",
                scope.clone(),
            ),
        )
        .await;
        assert_eq!(stranger.status, StatusCode::UNAUTHORIZED);
        assert_eq!(stranger.json()["error"], "invalid_client");
        let unknown = send(
            &mut b,
            par("wallet.example", REDIRECT, "S256", "nothing".into()),
        )
        .await;
        assert_eq!(unknown.json()["error"], "invalid_authorization_details");
        // The authorization endpoint takes pushed requests only, with their client_id.
        let mut desktop = face_checked_desktop(&state, WANG).await;
        let plain = desktop
            .get(&format!(
                "/oid4vci/authorize?client_id=w&response_type=code&redirect_uri={}",
                app::domain::url::percent_encode(REDIRECT)
            ))
            .await;
        assert_eq!(plain.status, StatusCode::BAD_REQUEST);
        assert!(
            plain.headers.get(header::LOCATION).is_none(),
            "never back to an unvouched redirect"
        );
        let (request_uri, verifier) = pushed(&mut b).await;
        let other_client = desktop
            .get(&format!(
                "/oid4vci/authorize?client_id=someone-else&request_uri={}",
                app::domain::url::percent_encode(&request_uri)
            ))
            .await;
        assert_eq!(other_client.status, StatusCode::BAD_REQUEST);

        // A wrong verifier spends the code: the right one afterwards gets nothing.
        let id = opened(&mut desktop, &request_uri).await;
        let cert = desktop
            .get(&format!("/api/wallet_request?request={id}"))
            .await
            .json()["certificates"][0][0]
            .as_str()
            .unwrap()
            .to_string();
        let approved = approve(&mut desktop, &id, &cert).await;
        let back = approved.location();
        let code = query_param(&back, "code");
        let mut wallet = Wallet::new(&issuer);
        let (wrong, _) = pkce();
        let refused = wallet.code_token(&mut b, &code, &wrong, now).await;
        assert_eq!(refused.json()["error"], "invalid_grant", "{}", refused.body);
        let late = wallet.code_token(&mut b, &code, &verifier, now).await;
        assert_eq!(late.json()["error"], "invalid_grant", "{}", late.body);
        // The exchange names its client (RFC 6749 §4.1.3).
        let form = format!(
            "grant_type=authorization_code&code={}&code_verifier={verifier}&redirect_uri={}",
            app::domain::url::percent_encode(&code),
            app::domain::url::percent_encode(REDIRECT)
        );
        let anonymous = wallet
            .post(
                &mut b,
                "/oid4vci/token",
                "application/x-www-form-urlencoded",
                form,
                None,
                now,
            )
            .await;
        assert_eq!(
            anonymous.json()["error"],
            "invalid_request",
            "{}",
            anonymous.body
        );
        // A code is no pre-authorized code.
        let as_pre = wallet.token(&mut b, &code, "000000", now).await;
        assert_eq!(as_pre.json()["error"], "invalid_grant");

        // Without script a form may not redirect to the wallet (CSP form-action 'self'): the
        // page gives the way back as a link, to the account that decided, for the code's
        // minute.
        let (request_uri, _) = pushed(&mut b).await;
        let id = opened(&mut desktop, &request_uri).await;
        let form = format!(
            "request={}&certificate_id={}&approve=true",
            app::domain::url::percent_encode(&id),
            app::domain::url::percent_encode(&cert)
        );
        let plain = desktop
            .send(
                Request::post("/api/decide_wallet_request")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ACCEPT, "text/html"),
                Body::from(form),
            )
            .await;
        let location = plain.location();
        assert!(
            location.starts_with("/user/wallet-authorize?request="),
            "{location}"
        );
        assert!(location.ends_with("&decided=1"), "{location}");
        let back = desktop
            .get(&format!(
                "/api/wallet_return?request={}",
                app::domain::url::percent_encode(&id)
            ))
            .await;
        assert!(
            back.json()
                .as_str()
                .unwrap()
                .starts_with(&format!("{REDIRECT}?code=")),
            "{}",
            back.body
        );
        let mut li = face_checked_desktop(&state, "310104199007220044").await;
        let theirs = li
            .get(&format!(
                "/api/wallet_return?request={}",
                app::domain::url::percent_encode(&id)
            ))
            .await;
        assert_eq!(
            theirs.status,
            StatusCode::FORBIDDEN,
            "only the account that decided"
        );

        // Refused by the holder: access_denied, with state and iss.
        let (request_uri, _) = pushed(&mut b).await;
        let id = opened(&mut desktop, &request_uri).await;
        let denied = desktop
            .post(
                "decide_wallet_request",
                &[("request", &id), ("approve", "false")],
            )
            .await;
        let back = denied.location();
        assert!(
            back.starts_with(&format!(
                "{REDIRECT}?error=access_denied&state=wallet-state-1&iss="
            )),
            "{back}"
        );
        db.close().await;
    }
}

/// A production portal with no wallet registered offers no authorization code flow and takes
/// no pushed request.
#[tokio::test]
async fn production_without_registered_wallets_takes_no_authorization_request() {
    let db = TestDb::sqlite().await;
    let state = crate::common::state(&db, app::platform::state::PortalEnv::Production);
    let mut b = Browser::new(&state);
    let metadata = b
        .get("/.well-known/oauth-authorization-server")
        .await
        .json();
    assert!(
        metadata.get("authorization_endpoint").is_none(),
        "{metadata}"
    );
    assert_eq!(
        metadata["grant_types_supported"],
        json!([app::credentials::oid4vci::PRE_AUTHORIZED_GRANT])
    );
    let (_, challenge) = pkce();
    let scope = app::credentials::oid4vci::configuration_id("一级注册建造师").unwrap();
    let reply = push(
        &mut b,
        &[
            ("response_type", "code"),
            ("client_id", "wallet.example"),
            ("redirect_uri", REDIRECT),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("scope", &scope),
        ],
    )
    .await;
    assert_eq!(reply.json()["error"], "invalid_client", "{}", reply.body);
    db.close().await;
}
