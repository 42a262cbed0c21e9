//! The certificate as an SD-JWT VC, checked by an independent implementation: a real server
//! process issues it, and `@sd-jwt/sd-jwt-vc` (end2end/verify-sd-jwt.mjs, under Node) fetches
//! the issuer's keys and the status list from that server and verifies the signature, the
//! disclosures and the status. A tampered disclosure, a forged signature, a changed and a
//! revoked certificate are each refused. On SQLite and PostgreSQL.

use crate::common;
use crate::common::TestDb;
use crate::common::process::{
    free_ports, header_of, http, http_raw, spawn_server_with, wait_healthy,
};
use serde_json::Value;

const WANG: &str = "110105198003150039";
const LI: &str = "310104199007220044";

fn script() -> String {
    format!(
        "{}/../end2end/verify-sd-jwt.mjs",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The independent verifier's answer, or `None` when Node or the library is missing (a
/// visible skip; `make test` installs both and sets `PORTAL_DOC_TOOLS=required`).
/// The servers' status-list TTL here (`PORTAL_STATUS_LIST_TTL`): the test waits it out twice
/// per database, and the default's 10 s made it a minute long.
const STATUS_TTL: u64 = 2;

fn verify_independently(credential: &str) -> Option<Value> {
    use std::io::Write as _;
    let library = format!(
        "{}/../end2end/node_modules/@sd-jwt/sd-jwt-vc/package.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let child = std::process::Command::new("node")
        .arg(script())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let (Ok(mut child), true) = (child, std::path::Path::new(&library).exists()) else {
        assert!(
            std::env::var("PORTAL_DOC_TOOLS").as_deref() != Ok("required"),
            "node and end2end/node_modules/@sd-jwt/sd-jwt-vc are required"
        );
        eprintln!("SKIPPED: the independent SD-JWT VC check (node, npm ci in end2end)");
        return None;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(credential.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let line = String::from_utf8_lossy(&out.stdout).to_string();
    let answer: Value = serde_json::from_str(line.trim()).unwrap_or_else(|_| {
        panic!(
            "verifier said: {line} / {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(
        out.status.code(),
        Some(if answer["verified"] == true { 0 } else { 1 })
    );
    println!("independent verifier: {line}");
    Some(answer)
}

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", app::domain::url::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Signs in on the server at `port` and passes a face check with the same session.
async fn face_checked(port: u16) -> String {
    let login = form(&[
        ("kind", "person"),
        ("login_id", WANG),
        ("password", "Demo@2026"),
    ]);
    let (status, cookie, body) = http(port, "POST", "/api/login", None, &login).await;
    assert_eq!(status, 200, "{body}");
    let (status, _, body) = http(port, "POST", "/api/start_face_check", Some(&cookie), "").await;
    assert_eq!(status, 200, "{body}");
    let ticket: Value = serde_json::from_str(&body).unwrap();
    let token = ticket["scan_url"]
        .as_str()
        .unwrap()
        .rsplit("t=")
        .next()
        .unwrap()
        .to_string();
    let mut returned = (String::new(), String::new());
    for step in [
        "scan_face_ticket",
        "allow_face_check",
        "begin_face_check",
        "finish_face_check",
    ] {
        let fields = match step {
            "begin_face_check" => form(&[("token", &token), ("id_number", WANG)]),
            "finish_face_check" => form(&[("ticket", &returned.0), ("token", &returned.1)]),
            _ => form(&[("token", &token)]),
        };
        let (status, _, body) = http(
            port,
            "POST",
            &format!("/api/{step}"),
            Some(&cookie),
            &fields,
        )
        .await;
        assert_eq!(status, 200, "{step}: {body}");
        if step == "begin_face_check" {
            returned = common::returned_to(&serde_json::from_str(&body).unwrap());
        } else if step == "finish_face_check" {
            assert!(body.contains(r#""passed":true"#), "{body}");
        }
    }
    cookie
}

async fn issue(port: u16, cookie: &str, id: &str, disclose: &str, jwk: &str) -> Value {
    let body = form(&[
        ("certificate_id", id),
        ("disclose", disclose),
        ("holder_jwk", jwk),
    ]);
    let (status, _, reply) = http(port, "POST", "/api/issue_credential", Some(cookie), &body).await;
    assert_eq!(status, 200, "{reply}");
    serde_json::from_str(&reply).unwrap()
}

/// The disclosure of `name` in `sd_jwt`, decoded.
/// The certificates (DER) in the `x5c` header of an SD-JWT's or a JWT's issuer JWT.
pub fn x5c_of(jwt: &str) -> Vec<Vec<u8>> {
    use base64::Engine as _;
    let header = jwt.split('.').next().unwrap();
    let header: Value =
        serde_json::from_slice(&app::platform::sd_jwt::unb64(header).unwrap()).unwrap();
    header["x5c"]
        .as_array()
        .expect("an x5c header")
        .iter()
        .map(|c| {
            base64::engine::general_purpose::STANDARD
                .decode(c.as_str().unwrap())
                .unwrap()
        })
        .collect()
}

fn disclosure_of(sd_jwt: &str, name: &str) -> Option<(String, Value)> {
    sd_jwt.split('~').skip(1).find_map(|d| {
        let bytes = app::platform::sd_jwt::unb64(d)?;
        let value: Value = serde_json::from_slice(&bytes).ok()?;
        (value[1] == name).then(|| (d.to_string(), value))
    })
}

#[tokio::test]
async fn a_credential_checks_out_with_an_independent_verifier_until_revoked() {
    for db in TestDb::all().await {
        let (port, _) = free_ports();
        let ttl = STATUS_TTL.to_string();
        let _server = spawn_server_with(&db.url, port, &[("PORTAL_STATUS_LIST_TTL", &ttl)]);
        wait_healthy(port).await;
        let base = format!("http://127.0.0.1:{port}");

        // What any verifier fetches: the issuer's keys, the kinds' metadata, a status list.
        let (status, _, body) = http(port, "GET", "/.well-known/jwt-vc-issuer", None, "").await;
        assert_eq!(status, 200, "{body}");
        let metadata: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(metadata["issuer"], base.as_str());
        let published = &metadata["jwks"]["keys"][0];
        assert_eq!(published["alg"], "ES256");
        assert!(published.get("d").is_none(), "never the private key");
        let (status, _, body) = http(port, "GET", "/vct/11100000000013338W001", None, "").await;
        assert_eq!(status, 200);
        assert!(body.contains("中华人民共和国一级建造师注册证书"), "{body}");
        let (status, _, body) = http(port, "GET", "/vct/registration-certificate", None, "").await;
        assert_eq!(status, 200);
        assert!(body.contains("注册执业人员注册证书"), "{body}");
        assert!(!body.contains("建造师"), "the type names no kind: {body}");
        assert_eq!(http(port, "GET", "/vct/nothing", None, "").await.0, 404);
        assert_eq!(http(port, "GET", "/status-lists/x", None, "").await.0, 404);

        let cookie = face_checked(port).await;
        let (_, _, body) = http(port, "GET", "/api/my_certificates", Some(&cookie), "").await;
        let cards: Value = serde_json::from_str(&body).unwrap();
        let id = cards[0]["id"].as_str().unwrap().to_string();

        // Bad choices are refused in Chinese.
        let body = form(&[
            ("certificate_id", &id),
            ("disclose", "id_number"),
            ("holder_jwk", ""),
        ]);
        let (status, _, reply) =
            http(port, "POST", "/api/issue_credential", Some(&cookie), &body).await;
        assert_eq!(status, 422, "{reply}");
        assert!(reply.contains("请至少选择一项"), "{reply}");
        let body = form(&[
            ("certificate_id", &id),
            ("disclose", "name"),
            (
                "holder_jwk",
                r#"{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AA"}"#,
            ),
        ]);
        let (status, _, reply) =
            http(port, "POST", "/api/issue_credential", Some(&cookie), &body).await;
        assert_eq!(status, 422);
        assert!(reply.contains("私钥"), "{reply}");

        // Everything disclosed, bound to the wallet's key.
        let (wallet, _) = app::platform::sd_jwt::VcKey::generate();
        let all = "name,registration_category,registration_number,specialties,valid_until,employer,licence_id";
        let full = issue(port, &cookie, &id, all, &wallet.public_jwk().to_string()).await;
        let sd_jwt = full["sd_jwt"].as_str().unwrap().to_string();
        assert_eq!(full["holder_bound"], true);
        assert!(!sd_jwt.contains(WANG));
        let Some(answer) = verify_independently(&sd_jwt) else {
            db.close().await;
            continue;
        };
        assert_eq!(answer["verified"], true, "{}: {answer}", db.label);
        // The x5c chain (HAIP) checked here too: the header carries the issuer's certificate
        // and not the anchor, and the published anchor certifies the published key.
        let (status, _, anchor_pem) = http(port, "GET", "/trust-anchor.pem", None, "").await;
        assert_eq!(status, 200);
        let anchor = app::platform::x509::pem_chain(&anchor_pem).unwrap();
        let x5c = x5c_of(&sd_jwt);
        assert_eq!(x5c.len(), 1, "the anchor is left out of x5c");
        assert!(!x5c.contains(&anchor[0]));
        let now = app::platform::clock::Clock::default().now();
        let certified = app::platform::x509::verify_chain(&x5c, &anchor, now).unwrap();
        assert_eq!(
            app::platform::sd_jwt::b64(certified.to_encoded_point(false).x().unwrap()),
            published["x"].as_str().unwrap()
        );
        let claims = &answer["claims"];
        assert_eq!(answer["typ"], "dc+sd-jwt");
        assert_eq!(claims["iss"], base.as_str());
        // One type for every kind: the kind is the disclosed claim, not the type.
        assert_eq!(
            claims["vct"],
            format!("{base}/vct/registration-certificate")
        );
        assert_eq!(claims["name"], "王建国");
        assert_eq!(claims["registration_category"], "一级注册建造师");
        assert_eq!(claims["registration_number"], "京1112010000001");
        assert_eq!(claims["specialties"][0]["name"], "建筑工程");
        assert!(
            claims["licence_id"]
                .as_str()
                .unwrap()
                .starts_with("1.2.156.3005.2.")
        );
        assert_eq!(claims["cnf"]["jwk"], wallet.public_jwk());
        assert!(!answer.to_string().contains(WANG), "never the ID number");

        // A presentation of 注册类别 and 有效期 only: verified, and nothing else is there.
        let some = issue(port, &cookie, &id, "registration_category,valid_until", "").await;
        let shown = some["sd_jwt"].as_str().unwrap();
        assert!(!shown.contains("cnf"), "no wallet key given, no binding");
        let answer = verify_independently(shown).unwrap();
        assert_eq!(answer["verified"], true, "{answer}");
        assert_eq!(answer["claims"]["registration_category"], "一级注册建造师");
        assert!(answer["claims"]["valid_until"].is_string());
        for hidden in [
            "name",
            "registration_number",
            "employer",
            "specialties",
            "licence_id",
        ] {
            assert!(answer["claims"].get(hidden).is_none(), "{hidden}: {answer}");
        }

        // A disclosure altered to another name: refused.
        let (original, mut value) = disclosure_of(&sd_jwt, "name").unwrap();
        value[2] = "李四".into();
        let forged = app::platform::sd_jwt::b64(value.to_string().as_bytes());
        let tampered = sd_jwt.replace(&original, &forged);
        let answer = verify_independently(&tampered).unwrap();
        assert_eq!(answer["verified"], false, "{answer}");
        println!("tampered disclosure refused: {}", answer["error"]);
        // The signed part altered: refused.
        let (jwt, rest) = sd_jwt.split_once('~').unwrap();
        let mut parts: Vec<String> = jwt.split('.').map(str::to_string).collect();
        let mut payload: Value =
            serde_json::from_slice(&app::platform::sd_jwt::unb64(&parts[1]).unwrap()).unwrap();
        payload["exp"] = (payload["exp"].as_i64().unwrap() + 86_400 * 365).into();
        parts[1] = app::platform::sd_jwt::b64(payload.to_string().as_bytes());
        let answer = verify_independently(&format!("{}~{rest}", parts.join("."))).unwrap();
        assert_eq!(answer["verified"], false, "{answer}");

        // The registry changes the certificate: the credential's status turns invalid; back as
        // it was, valid again.
        let employer = cards[0]["employer"].as_str().unwrap().to_string();
        let set_employer = |name: String| {
            let pool = db.pool.clone();
            async move {
                sqlx::query("UPDATE registrations SET employer = $1 WHERE registration_no = $2")
                    .bind(name)
                    .bind("京1112010000001")
                    .execute(&pool)
                    .await
                    .unwrap();
            }
        };
        set_employer("另一家建设集团有限公司".into()).await;
        // Each server keeps a signed list for its ttl: the change shows after it.
        let ttl = std::time::Duration::from_secs(STATUS_TTL + 1);
        tokio::time::sleep(ttl).await;
        let answer = verify_independently(&sd_jwt).unwrap();
        assert_eq!(answer["verified"], false, "{answer}");
        assert!(
            answer["error"].as_str().unwrap().contains("Status"),
            "{answer}"
        );
        // Back as it was: valid again once the list is signed anew (the revocation below
        // renews it at once).
        set_employer(employer).await;

        // The holder revokes a credential (a leaked one): refused by its status; nobody else
        // can revoke it, nor can it be revoked twice.
        let leaked = issue(port, &cookie, &id, "registration_category", "").await;
        let leaked = leaked["sd_jwt"].as_str().unwrap().to_string();
        assert_eq!(verify_independently(&leaked).unwrap()["verified"], true);
        let (_, _, body) = http(port, "GET", "/api/my_credentials", Some(&cookie), "").await;
        let mine: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(mine.as_array().unwrap().len(), 3, "{mine}");
        assert_eq!(mine[0]["holder_bound"], false);
        assert_eq!(mine[0]["disclosed"], "注册类别");
        let newest = format!("credential_id={}", mine[0]["id"].as_str().unwrap());
        let li = format!("kind=person&login_id={LI}&password=Demo%402026");
        let (_, li_cookie, _) = http(port, "POST", "/api/login", None, &li).await;
        let (status, _, _) = http(
            port,
            "POST",
            "/api/revoke_credential",
            Some(&li_cookie),
            &newest,
        )
        .await;
        assert_ne!(status, 200, "another person cannot revoke it");
        let (status, _, body) = http(
            port,
            "POST",
            "/api/revoke_credential",
            Some(&cookie),
            &newest,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let answer = verify_independently(&leaked).unwrap();
        assert_eq!(answer["verified"], false, "{answer}");
        assert!(
            answer["error"].as_str().unwrap().contains("Status"),
            "{answer}"
        );
        assert_eq!(
            verify_independently(&sd_jwt).unwrap()["verified"],
            true,
            "only that one, and the certificate back as the credential states it"
        );
        let (status, _, _) = http(
            port,
            "POST",
            "/api/revoke_credential",
            Some(&cookie),
            &newest,
        )
        .await;
        assert_ne!(status, 200);

        // Revoked by the registry: refused by its status.
        sqlx::query("UPDATE certificates SET revoked_at = 1")
            .execute(&db.pool)
            .await
            .unwrap();
        tokio::time::sleep(ttl).await;
        let answer = verify_independently(&sd_jwt).unwrap();
        assert_eq!(answer["verified"], false, "{answer}");
        assert!(
            answer["error"]
                .as_str()
                .unwrap()
                .contains("Status is not valid"),
            "{answer}"
        );
        println!("revoked credential refused: {}", answer["error"]);
        db.close().await;
    }
}

/// `PORTAL_VC_KEY_FILE` with `PORTAL_VC_CERT_FILE`: the credentials carry the operator's
/// certificate as `x5c` and `/trust-anchor.pem` is the operator's root; a chain for another key,
/// or one without its root, stops the server at start with the reason.
#[tokio::test]
async fn an_operators_certificate_chain_is_carried_and_a_wrong_one_stops_the_server() {
    use app::platform::sd_jwt::VcKey;
    use app::platform::x509;
    let db = TestDb::sqlite().await;
    let dir = std::env::temp_dir().join(format!("portal-vc-chain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (key, secret) = VcKey::generate();
    let (ca, _) = VcKey::generate();
    let root = x509::development_anchor(ca.signing_key()).unwrap();
    let leaf =
        x509::development_leaf("运营方签名证书", key.verifying_key(), ca.signing_key()).unwrap();
    let key_file = dir.join("vc.key");
    std::fs::write(&key_file, &secret).unwrap();
    let write_chain = |name: &str, certs: &[&[u8]]| {
        let path = dir.join(name);
        let pem: String = certs.iter().map(|c| x509::pem(c)).collect();
        std::fs::write(&path, pem).unwrap();
        path.to_str().unwrap().to_string()
    };
    let good = write_chain("chain.pem", &[&leaf, &root]);
    let key_path = key_file.to_str().unwrap().to_string();

    let (port, _) = free_ports();
    let server = spawn_server_with(
        &db.url,
        port,
        &[
            ("PORTAL_VC_KEY_FILE", &key_path),
            ("PORTAL_VC_CERT_FILE", &good),
        ],
    );
    wait_healthy(port).await;
    let (status, _, anchor) = http(port, "GET", "/trust-anchor.pem", None, "").await;
    assert_eq!(status, 200);
    assert_eq!(x509::pem_chain(&anchor).unwrap(), vec![root.clone()]);
    let cookie = face_checked(port).await;
    let (_, _, body) = http(port, "GET", "/api/my_certificates", Some(&cookie), "").await;
    let cards: Value = serde_json::from_str(&body).unwrap();
    let id = cards[0]["id"].as_str().unwrap().to_string();
    let issued = issue(port, &cookie, &id, "name", "").await;
    assert_eq!(
        x5c_of(issued["sd_jwt"].as_str().unwrap()),
        vec![leaf.clone()]
    );
    drop(server);

    // Another key's chain, and the signing certificate without its root: refused at start.
    let (other, _) = VcKey::generate();
    let others_leaf =
        x509::development_leaf("他人的证书", other.verifying_key(), ca.signing_key()).unwrap();
    for (name, certs, reason) in [
        ("other.pem", vec![&others_leaf[..], &root[..]], "不匹配"),
        ("rootless.pem", vec![&leaf[..]], "根证书"),
    ] {
        let path = write_chain(name, &certs);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .env("DATABASE_URL", &db.url)
            .env("PORTAL_ENV", "development")
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("LEPTOS_OUTPUT_NAME", "portal")
            .env("PORTAL_VC_KEY_FILE", &key_path)
            .env("PORTAL_VC_CERT_FILE", &path)
            .output()
            .expect("the server binary runs");
        assert!(!out.status.success(), "{name}: started");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("PORTAL_VC_CERT_FILE") && stderr.contains(reason),
            "{name}: {stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    db.close().await;
}

/// One of the npm wallets (end2end/wallet-*.mjs) with `args`: its JSON answer, or `None` when
/// Node or the libraries are missing (a visible skip; `make test` installs them).
fn npm_wallet(script: &str, args: &[&str]) -> Option<Value> {
    let dir = format!("{}/../end2end", env!("CARGO_MANIFEST_DIR"));
    let library = format!("{dir}/node_modules/@openid4vc/openid4vp/package.json");
    if !std::path::Path::new(&library).exists() {
        assert!(
            std::env::var("PORTAL_DOC_TOOLS").as_deref() != Ok("required"),
            "end2end/node_modules with the @openid4vc wallets is required"
        );
        eprintln!("SKIPPED: the npm wallets (npm ci in end2end)");
        return None;
    }
    let out = std::process::Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(&dir)
        .output()
        .expect("node runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    Some(serde_json::from_str(text.trim()).unwrap_or_else(|_| {
        panic!(
            "{script}: {text} / {}",
            String::from_utf8_lossy(&out.stderr)
        )
    }))
}

/// Issue 29's "across two server processes", with the wallets of independent libraries: the
/// offer is made on one server and redeemed on the other; the verification is asked for on
/// one, the wallet fetches the request and answers on the other, and the page that asked sees
/// the result on the first. On SQLite (one file) and PostgreSQL.
#[tokio::test]
async fn a_wallet_receives_and_presents_across_two_server_processes() {
    for db in TestDb::all().await {
        // One portal at one public address (as behind a load balancer), which is the second
        // server's: whatever the first makes sends the wallet to the second.
        let (a, b) = free_ports();
        let public = format!("http://127.0.0.1:{b}");
        let _first = spawn_server_with(&db.url, a, &[("PORTAL_PUBLIC_URL", &public)]);
        let _second = spawn_server_with(&db.url, b, &[("PORTAL_PUBLIC_URL", &public)]);
        wait_healthy(a).await;
        wait_healthy(b).await;

        let cookie = face_checked(a).await;
        let (_, _, body) = http(a, "GET", "/api/my_certificates", Some(&cookie), "").await;
        let cards: Value = serde_json::from_str(&body).unwrap();
        let id = cards[0]["id"].as_str().unwrap().to_string();
        let (status, _, body) = http(
            a,
            "POST",
            "/api/offer_to_wallet",
            Some(&cookie),
            &form(&[("certificate_id", &id)]),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let offer: Value = serde_json::from_str(&body).unwrap();
        let offer_uri = offer["offer_uri"].as_str().unwrap();
        assert!(
            offer_uri.contains(&format!("127.0.0.1%3A{b}")),
            "{offer_uri}"
        );
        let tx_code = offer["tx_code"].as_str().unwrap();
        let Some(wallet) = npm_wallet("wallet-oid4vci.mjs", &[offer_uri, tx_code, "1"]) else {
            db.close().await;
            continue;
        };
        let credential = wallet["credentials"][0].as_str().unwrap().to_string();
        let key = wallet["privateKeys"][0].to_string();

        let ask = form(&[
            ("organisation", "某建设单位"),
            ("claims[0]", "registration_category"),
            ("claims[1]", "valid_until"),
        ]);
        let raw = http_raw(a, "POST", "/api/start_verification", None, &ask).await;
        let verifier = header_of(&raw, "set-cookie")
            .unwrap_or_else(|| panic!("{raw}"))
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let location = header_of(&raw, "location").unwrap_or_else(|| panic!("{raw}"));
        let request = location.rsplit("request=").next().unwrap().to_string();
        let result = format!("/api/verification_result?id={request}");
        let (_, _, waiting) = http(a, "GET", &result, Some(&verifier), "").await;
        let waiting: Value = serde_json::from_str(&waiting).unwrap();
        let link = waiting["Waiting"]["link"].as_str().unwrap();
        assert!(link.contains(&format!("127.0.0.1%3A{b}")), "{link}");
        let presented = npm_wallet("wallet-oid4vp.mjs", &[link, &credential, &key]).unwrap();
        assert_eq!(presented["status"], 200, "{}: {presented}", db.label);
        let (_, _, shown) = http(a, "GET", &result, Some(&verifier), "").await;
        let shown: Value = serde_json::from_str(&shown).unwrap();
        let claims = shown["Verified"]["claims"].as_array().expect("verified");
        assert_eq!(claims.len(), 2, "{shown}");
        assert_eq!(claims[0][0], "注册类别");
        db.close().await;
    }
}
