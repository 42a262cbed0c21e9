//! The configuration as the server reads it from the environment (`server/src/config/`):
//! defaults, what production demands, and the outside services' settings.

use app::platform::state::PortalEnv;
use server::config::*;
use std::path::PathBuf;

#[test]
fn defaults_to_development_and_embedded_sqlite() {
    let c = Config::from_values(None, None, None).unwrap();
    assert_eq!(c.env, PortalEnv::Development);
    assert_eq!(c.backend, Backend::Sqlite);
    assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
}

#[test]
fn production_requires_a_data_key() {
    let err = Config::from_values(Some("production".into()), None, None).unwrap_err();
    assert!(matches!(err, ConfigError::DataKey));
    let mut vars = production_vars();
    vars.retain(|(n, _)| *n != "PORTAL_DATA_KEY");
    assert!(matches!(from_pairs(&vars), Err(ConfigError::DataKey)));
}

#[test]
fn the_status_list_ttl_is_seconds_within_an_hour() {
    let ttl = |v: &'static str| from_pairs(&[("PORTAL_STATUS_LIST_TTL", v)]);
    assert_eq!(from_pairs(&[]).unwrap().status_list_ttl, 10);
    assert_eq!(ttl(" 60 ").unwrap().status_list_ttl, 60);
    for bad in ["0", "3601", "-5", "十", ""] {
        let err = ttl(bad).unwrap_err();
        assert!(matches!(err, ConfigError::OutOfRange(..)), "{bad}");
        assert!(err.to_string().contains("1 到 3600 之间的秒数"), "{err}");
    }
}

/// A complete production configuration, as an operator would give it.
fn production_vars() -> Vec<(&'static str, &'static str)> {
    vec![
        ("PORTAL_ENV", "production"),
        ("PORTAL_DATA_KEY", "0123456789abcdef0123456789abcdef"),
        ("PORTAL_PUBLIC_URL", "https://zwfw.example.gov.cn"),
        ("PORTAL_ISSUER_KEY_FILE", "/etc/portal/issuer.key"),
        ("PORTAL_VC_KEY_FILE", "/etc/portal/vc.key"),
        ("PORTAL_VC_CERT_FILE", "/etc/portal/vc-chain.pem"),
        ("PORTAL_VP_KEY_FILE", "/etc/portal/vp.key"),
        ("PORTAL_VP_CERT_FILE", "/etc/portal/vp-chain.pem"),
        ("PORTAL_IDENTITY_APP_ID", "app"),
        ("PORTAL_IDENTITY_SECRET", "s"),
        ("PORTAL_ENTERPRISE_URL", "https://ent.example.gov.cn"),
        ("PORTAL_ENTERPRISE_APP_ID", "app"),
        ("PORTAL_ENTERPRISE_SECRET", "s"),
        ("PORTAL_SMS_PROVIDER", "tencent"),
        ("PORTAL_SMS_ACCESS_KEY", "k"),
        ("PORTAL_SMS_SECRET", "s"),
        ("PORTAL_SMS_SIGN_NAME", "住建部政务服务"),
        ("PORTAL_SMS_APP_ID", "1400000000"),
        ("PORTAL_SMS_TEMPLATE_ID", "100001"),
        ("PORTAL_SMS_NOTICE_TEMPLATE_ID", "100002"),
        ("PORTAL_FACE_PROVIDER", "wechat"),
        ("PORTAL_WECHAT_SECRET_ID", "id"),
        ("PORTAL_WECHAT_SECRET_KEY", "key"),
        ("PORTAL_WECHAT_RULE_ID", "1"),
    ]
}

fn from_pairs(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: std::collections::HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_vars(&move |name: &str| map.get(name).cloned())
}

#[test]
fn production_starts_only_with_every_real_service() {
    let all = production_vars();
    let config = from_pairs(&all).expect("complete production configuration");
    assert!(config.adapters.identity.is_some() && config.adapters.face.is_some());
    // Take away each requirement in turn: the refusal names it.
    // (The services' addresses have the providers' public ones as defaults.)
    for (name, _) in all
        .iter()
        .filter(|(n, _)| !["PORTAL_ENV", "PORTAL_DATA_KEY", "PORTAL_ENTERPRISE_URL"].contains(n))
    {
        let without: Vec<_> = all.iter().filter(|(n, _)| n != name).cloned().collect();
        let err = from_pairs(&without).unwrap_err().to_string();
        assert!(err.contains(name), "{name}: {err}");
        assert!(!err.contains('\n'), "one line: {err}");
    }
}

#[test]
fn production_refuses_the_development_services_and_plain_http() {
    let mut vars = production_vars();
    vars.retain(|(n, _)| *n != "PORTAL_FACE_PROVIDER");
    vars.push(("PORTAL_FACE_PROVIDER", "development"));
    let err = from_pairs(&vars).unwrap_err().to_string();
    assert!(err.contains("PORTAL_FACE_PROVIDER"), "{err}");
    let mut vars = production_vars();
    vars.retain(|(n, _)| *n != "PORTAL_PUBLIC_URL");
    vars.push(("PORTAL_PUBLIC_URL", "http://zwfw.example.gov.cn"));
    let err = from_pairs(&vars).unwrap_err().to_string();
    assert!(err.contains("PORTAL_PUBLIC_URL"), "{err}");
    // Every provider's address: https only, even on this machine.
    for (name, extra) in [
        ("PORTAL_FACEID_ENDPOINT", None),
        ("PORTAL_ENTERPRISE_URL", None),
        ("PORTAL_IDENTITY_URL", None),
        ("PORTAL_SMS_ENDPOINT", None),
        ("PORTAL_ALIPAY_GATEWAY", Some("alipay")),
    ] {
        let mut vars = production_vars();
        vars.retain(|(n, _)| *n != name);
        vars.push((name, "http://127.0.0.1:3190"));
        if let Some(provider) = extra {
            vars.retain(|(n, _)| *n != "PORTAL_FACE_PROVIDER");
            vars.extend([
                ("PORTAL_FACE_PROVIDER", provider),
                ("PORTAL_ALIPAY_APP_ID", "2021000000000001"),
                ("PORTAL_ALIPAY_PRIVATE_KEY_FILE", "/etc/portal/app.key"),
                ("PORTAL_ALIPAY_PUBLIC_KEY_FILE", "/etc/portal/alipay.pub"),
            ]);
        }
        let err = from_pairs(&vars).unwrap_err().to_string();
        assert!(
            err.contains(name) && err.contains("https://"),
            "{name}: {err}"
        );
    }
}

#[test]
fn staging_takes_plain_http_on_this_machine_only() {
    let mut vars = production_vars();
    vars.push(("PORTAL_STAGING", "1"));
    vars.retain(|(n, _)| *n != "PORTAL_PUBLIC_URL");
    vars.push(("PORTAL_PUBLIC_URL", "http://127.0.0.1:3002"));
    vars.push(("PORTAL_FACEID_ENDPOINT", "http://127.0.0.1:3190"));
    let config = from_pairs(&vars).expect("staging on loopback without TLS");
    match config.adapters.face {
        Some(FaceChoice::Wechat { key, .. }) => {
            assert_eq!(key.endpoint, "http://127.0.0.1:3190")
        }
        other => panic!("{other:?}"),
    }
    vars.retain(|(n, _)| *n != "PORTAL_PUBLIC_URL");
    vars.push(("PORTAL_PUBLIC_URL", "http://zwfw.example.gov.cn"));
    assert!(from_pairs(&vars).is_err());
}

#[test]
fn unknown_env_and_scheme_are_refused_with_a_message() {
    let err = Config::from_values(Some("staging".into()), None, None).unwrap_err();
    assert!(err.to_string().contains("PORTAL_ENV"));
    let err = Config::from_values(None, Some("mysql://u:secret@h/db".into()), None).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("DATABASE_URL") && !msg.contains("secret"),
        "{msg}"
    );
}

#[test]
fn postgres_urls_are_recognised() {
    assert_eq!(backend_of("postgres://u@h/db").unwrap(), Backend::Postgres);
    assert_eq!(
        backend_of("postgresql://u@h/db").unwrap(),
        Backend::Postgres
    );
}

#[test]
fn sqlite_paths_are_extracted() {
    assert_eq!(
        sqlite_path("sqlite://data/portal.db?mode=rwc"),
        Some(PathBuf::from("data/portal.db"))
    );
    assert_eq!(sqlite_path("sqlite::memory:"), None);
    assert_eq!(
        sqlite_path("sqlite:///var/lib/portal.db"),
        Some(PathBuf::from("/var/lib/portal.db"))
    );
}

#[test]
fn passwords_are_redacted() {
    assert_eq!(
        redact_url("postgres://app:s3cret@db:5432/portal"),
        "postgres://app:***@db:5432/portal"
    );
    assert_eq!(
        redact_url("postgres://app@db/portal"),
        "postgres://app@db/portal"
    );
}

#[test]
fn the_services_addresses_are_https_in_production_and_loopback_http_only_elsewhere() {
    use app::platform::providers::tencent::{FACEID_ENDPOINT, SMS_ENDPOINT};
    let config = from_pairs(&production_vars()).unwrap();
    assert_eq!(config.adapters.identity.unwrap().endpoint, FACEID_ENDPOINT);
    let sms = config.adapters.sms.unwrap();
    assert_eq!(sms.key.endpoint, SMS_ENDPOINT);
    assert_eq!(
        (sms.app_id.as_str(), sms.template_id.as_str()),
        ("1400000000", "100001")
    );
    for (name, value) in [
        ("PORTAL_IDENTITY_URL", "http://127.0.0.1:3190"),
        ("PORTAL_SMS_ENDPOINT", "http://sms.example.gov.cn"),
    ] {
        let mut vars = production_vars();
        vars.push((name, value));
        let err = from_pairs(&vars).unwrap_err().to_string();
        assert!(err.contains(name), "{err}");
    }
    let mut vars = production_vars();
    vars.retain(|(n, _)| *n != "PORTAL_SMS_PROVIDER");
    vars.push(("PORTAL_SMS_PROVIDER", "aliyun"));
    let aliyun = from_pairs(&vars).unwrap().adapters.sms.unwrap();
    assert_eq!(aliyun.key.endpoint, "https://dysmsapi.aliyuncs.com");
    vars.retain(|(n, _)| *n != "PORTAL_SMS_PROVIDER");
    vars.push(("PORTAL_SMS_PROVIDER", "carrier-pigeon"));
    assert!(
        from_pairs(&vars)
            .unwrap_err()
            .to_string()
            .contains("aliyun")
    );
    // Secrets stay out of the configuration's debug output (and so out of any log).
    let shown = format!("{:?}", from_pairs(&production_vars()).unwrap());
    assert!(
        !shown.contains("secret: \"s\"") && !shown.contains("\"key\""),
        "{shown}"
    );

    // Development: a service is real when its variables are set; the simulator on this
    // machine may be plain http, nothing else may.
    let dev = |extra: &[(&'static str, &'static str)]| {
        let mut vars = vec![("PORTAL_ENV", "development")];
        vars.extend_from_slice(extra);
        from_pairs(&vars)
    };
    let none = dev(&[]).unwrap();
    assert!(none.adapters.identity.is_none() && none.adapters.sms.is_none());
    let sim = dev(&[
        ("PORTAL_IDENTITY_URL", "http://127.0.0.1:3190"),
        ("PORTAL_IDENTITY_APP_ID", "AKIDsim"),
        ("PORTAL_IDENTITY_SECRET", "simsecret"),
    ])
    .unwrap();
    assert_eq!(
        sim.adapters.identity.unwrap().endpoint,
        "http://127.0.0.1:3190"
    );
    let err = dev(&[
        ("PORTAL_IDENTITY_URL", "http://id.example.gov.cn"),
        ("PORTAL_IDENTITY_APP_ID", "AKIDsim"),
        ("PORTAL_IDENTITY_SECRET", "simsecret"),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("PORTAL_IDENTITY_URL"), "{err}");
    let err = dev(&[("PORTAL_SMS_PROVIDER", "tencent")])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("PORTAL_SMS_TEMPLATE_ID"),
        "half a carrier: {err}"
    );
}

#[test]
fn wallet_clients_are_read_and_unsafe_redirects_refused() {
    let mut vars = production_vars();
    vars.push((
        "PORTAL_WALLET_CLIENTS",
        "cn.gov.wallet|国家政务服务数字钱包|https://wallet.gov.cn/cb; w2|另一钱包|https://w2.example/cb,https://w2.example/cb2",
    ));
    let config = from_pairs(&vars).expect("a production configuration with two wallets");
    assert_eq!(config.wallet_clients.len(), 2);
    assert_eq!(config.wallet_clients[0].name, "国家政务服务数字钱包");
    assert_eq!(config.wallet_clients[1].redirect_uris.len(), 2);
    // Outside production a native wallet's private scheme and loopback are allowed.
    let development = from_pairs(&[(
        "PORTAL_WALLET_CLIENTS",
        "cn.gov.wallet|钱包|cn.gov.wallet:/cb,http://127.0.0.1:8080/cb",
    )])
    .expect("development takes a private scheme and loopback");
    assert_eq!(development.wallet_clients[0].redirect_uris.len(), 2);
    for bad in [
        "w|钱包|http://w.example/cb",
        "w|钱包|https://w.example/cb#x",
        "w|钱包",
        "w||https://w.example/cb",
        // In production any app on the phone could claim these and take the code.
        "w|钱包|cn.gov.wallet:/cb",
        "w|钱包|http://127.0.0.1:8080/cb",
    ] {
        let mut vars = production_vars();
        vars.push(("PORTAL_WALLET_CLIENTS", bad));
        let Err(err) = from_pairs(&vars) else {
            panic!("{bad}: accepted");
        };
        let err = err.to_string();
        assert!(err.contains("PORTAL_WALLET_CLIENTS"), "{bad}: {err}");
    }
}
