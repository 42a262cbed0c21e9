//! Start-up configuration from the environment. Every problem becomes one line that names
//! the variable or path at fault.

use app::platform::state::{Limits, PortalEnv};
use std::path::PathBuf;

/// Where the embedded database lives when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/portal.db?mode=rwc";
/// The development data key; production must set its own `PORTAL_DATA_KEY`.
const DEVELOPMENT_DATA_KEY: &str = "portal-development-data-key-not-for-production";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("PORTAL_ENV 取值 \"{0}\" 无效,应为 development 或 production")]
    Env(String),
    #[error("DATABASE_URL 无效:{0}")]
    DatabaseUrl(String),
    #[error("数据目录 {path} 不可用:{reason}")]
    DataDir { path: String, reason: String },
    #[error("{0} 取值 \"{1}\" 无效,应为非负整数")]
    Number(&'static str, String),
    #[error("{0} 取值 \"{1}\" 无效,应为 {2}")]
    OutOfRange(&'static str, String, &'static str),
    #[error("生产环境必须设置 PORTAL_DATA_KEY(至少 32 个字符的随机字符串)")]
    DataKey,
    #[error("PORTAL_IPV6_PREFIX 取值 \"{0}\" 无效,应为 32 到 64 之间的整数(默认 56)")]
    Ipv6Prefix(String),
    /// An outside service set up only in part, or at an address not allowed.
    #[error("外部服务配置有误:{0}")]
    Services(String),
    /// `PORTAL_WALLET_CLIENTS` that cannot be read, or an address not allowed in it.
    #[error("PORTAL_WALLET_CLIENTS 有误:{0}")]
    WalletClients(String),
    /// Production without the real services: the list of what is missing or not allowed.
    #[error("生产环境配置不完整,拒绝启动:{0}")]
    Production(String),
}

mod services;
pub use services::{Adapters, FaceChoice, SmsCarrier, TencentKey};

pub use app::platform::db::Backend;

#[derive(Debug, Clone)]
pub struct Config {
    pub env: PortalEnv,
    pub database_url: String,
    pub backend: Backend,
    pub data_key: Vec<u8>,
    /// `PORTAL_TRUST_FORWARDED_FOR=1`: a trusted load balancer sets `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
    /// `PORTAL_PUBLIC_URL`: where phones reach the portal (QR codes point there).
    pub public_url: Option<String>,
    /// Per-client limits per minute; 0 turns one off. `PORTAL_SEARCH_LIMIT` (人员资格查询,
    /// default 60), `PORTAL_LOGIN_LIMIT` (login attempts, 30), `PORTAL_SMS_LIMIT` (获取验证码, 5), `PORTAL_IDENTITY_LIMIT` (identity checks a client asks
    /// for in a day, 10).
    pub limits: Limits,
    /// `PORTAL_ISSUER_KEY_FILE`: the issuer's SM2 private key (64 hex digits) for signing
    /// OFD copies; without it the portal makes one and keeps it in the database.
    pub issuer_key_file: Option<String>,
    /// `PORTAL_ISSUER_CERT_FILE`: the CA-issued X.509 certificate (DER or PEM) of that key,
    /// embedded in the seal signatures; without it the portal issues its own.
    pub issuer_cert_file: Option<String>,
    /// `PORTAL_STATUS_LIST_TTL`: how many seconds a signed status list is kept, by each server
    /// and by verifiers (1–3600, default 10): a revocation or a registry change shows within it.
    pub status_list_ttl: i64,
    /// `PORTAL_VC_KEY_FILE`: the issuer's ES256 (P-256) private key (64 hex digits) for
    /// signing verifiable credentials and their status lists; without it the portal makes
    /// one and keeps it in the database (development and staging only).
    pub vc_key_file: Option<String>,
    /// `PORTAL_VC_CERT_FILE`: that key's certificate chain (PEM): its certificate first, any
    /// intermediates, and the operator's CA (the trust anchor) last. The credentials and
    /// status lists carry it as `x5c`, the anchor left out; without it (development and
    /// staging only) the portal is its own CA.
    pub vc_cert_file: Option<String>,
    /// `PORTAL_VP_KEY_FILE` and `PORTAL_VP_CERT_FILE`: the verifier's ES256 key (64 hex
    /// digits) and its certificate chain (PEM, the root last), which sign the OpenID4VP
    /// requests of `/verifier` (`client_id` `x509_hash:` of that certificate); without them
    /// (development and staging only) a development key certified by the development CA.
    pub vp_key_file: Option<String>,
    pub vp_cert_file: Option<String>,
    /// `PORTAL_WALLET_CLIENTS`: the wallets registered for OpenID4VCI's authorization code
    /// flow, `client_id|名称|redirect_uri[,…]` separated by `;`; each redirect URI `https`,
    /// `http` on loopback, or a reverse-domain private scheme. Without any, production takes
    /// no authorization request (development and staging: the test wallet `wallet.example`).
    pub wallet_clients: Vec<app::platform::state::WalletClient>,
    /// The real outside services (production).
    pub adapters: Adapters,
    /// `PORTAL_METRICS_TOKEN`: the bearer token `GET /metrics` asks for; without one the
    /// figures are not served in production.
    pub metrics_token: Option<String>,
    /// `PORTAL_STAGING=1` with `PORTAL_ENV=production`: a production configuration in every
    /// respect except the outside services and the issuer key, which are the development
    /// stand-ins, and the demo data, which is loaded. Only for a public address on this
    /// machine (loopback): a staging portal can never face citizens.
    pub staging: bool,
    /// `PORTAL_ADMIN_ADDR`: where the staff console listens (never the public address).
    pub admin: AdminAddr,
}

/// The staff console's listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminAddr {
    /// `PORTAL_ADMIN_ADDR=off`: this server does not serve the console.
    Off,
    /// Not set: 127.0.0.1:3001 if it is free. With several servers on one machine the first
    /// serves the console for all (they share the database) and the others say so and go on.
    Default(std::net::SocketAddr),
    /// Set: this address, or the server does not start.
    Set(std::net::SocketAddr),
}

/// The console's address when `PORTAL_ADMIN_ADDR` is not set.
pub const DEFAULT_ADMIN_ADDR: std::net::SocketAddr =
    std::net::SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 3001);

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(&|name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// A staging deployment serves the demo accounts (with their published password) and the
    /// development face check: it listens on this machine only, whatever its public address.
    pub fn check_listen(&self, addr: std::net::SocketAddr) -> Result<(), String> {
        if self.staging && !addr.ip().is_loopback() {
            return Err(format!(
                "测试部署(PORTAL_STAGING)只能监听本机地址(127.0.0.1 或 ::1),不能监听 {addr};请修改 LEPTOS_SITE_ADDR"
            ));
        }
        if let AdminAddr::Set(admin) | AdminAddr::Default(admin) = self.admin {
            // The console never shares the public listener, nor every interface with it.
            if admin.port() == addr.port()
                && (admin.ip() == addr.ip()
                    || admin.ip().is_unspecified()
                    || addr.ip().is_unspecified())
            {
                return Err(format!(
                    "PORTAL_ADMIN_ADDR({admin})不能与门户的公开地址 LEPTOS_SITE_ADDR({addr})相同"
                ));
            }
            if admin.ip().is_unspecified() {
                return Err(format!(
                    "PORTAL_ADMIN_ADDR({admin})不能监听所有网卡;请指定本机或内网地址(默认 127.0.0.1:3001)"
                ));
            }
            if self.staging && !admin.ip().is_loopback() {
                return Err(format!(
                    "测试部署(PORTAL_STAGING)的工作人员控制台只能监听本机地址,不能监听 {admin}"
                ));
            }
        }
        Ok(())
    }

    /// The configuration from a lookup of variables (the environment, or a test's map).
    pub fn from_vars(var: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut config = Self::from_values(
            var("PORTAL_ENV"),
            var("DATABASE_URL"),
            var("PORTAL_DATA_KEY"),
        )?;
        config.trust_forwarded_for = matches!(
            var("PORTAL_TRUST_FORWARDED_FOR").as_deref(),
            Some("1" | "true")
        );
        config.public_url = var("PORTAL_PUBLIC_URL").map(|u| u.trim().to_string());
        config.issuer_key_file = var("PORTAL_ISSUER_KEY_FILE");
        config.issuer_cert_file = var("PORTAL_ISSUER_CERT_FILE");
        config.vc_key_file = var("PORTAL_VC_KEY_FILE");
        config.vc_cert_file = var("PORTAL_VC_CERT_FILE");
        if let Some(list) = var("PORTAL_WALLET_CLIENTS") {
            let clients = app::platform::state::WalletClient::parse_list(&list)
                .map_err(ConfigError::WalletClients)?;
            let allowed = app::credentials::oid4vci::authorize::ssr::redirect_uri_allowed;
            if let Some(bad) = clients
                .iter()
                .flat_map(|c| &c.redirect_uris)
                .find(|u| !allowed(u))
            {
                return Err(ConfigError::WalletClients(format!(
                    "redirect_uri {bad} 应为 https、本机回环地址的 http 或反向域名形式的私有协议,且不带片段"
                )));
            }
            // In production a wallet is sent back only to an https address it owns (App Links,
            // Universal Links): any app on the holder's phone can claim a private scheme or a
            // loopback port and take the code (RFC 8252 §8.1).
            if config.env.is_production()
                && !config.staging
                && let Some(bad) = clients
                    .iter()
                    .flat_map(|c| &c.redirect_uris)
                    .find(|u| !u.starts_with("https://"))
            {
                return Err(ConfigError::WalletClients(format!(
                    "生产环境的 redirect_uri 须为钱包拥有的 https 地址:{bad}"
                )));
            }
            config.wallet_clients = clients;
        }
        config.vp_key_file = var("PORTAL_VP_KEY_FILE");
        config.vp_cert_file = var("PORTAL_VP_CERT_FILE");
        if let Some(v) = var("PORTAL_STATUS_LIST_TTL") {
            config.status_list_ttl = v
                .trim()
                .parse()
                .ok()
                .filter(|s| (1..=3600).contains(s))
                .ok_or(ConfigError::OutOfRange(
                    "PORTAL_STATUS_LIST_TTL",
                    v,
                    "1 到 3600 之间的秒数",
                ))?;
        }
        config.metrics_token = var("PORTAL_METRICS_TOKEN").map(|t| t.trim().to_string());
        config.staging = matches!(var("PORTAL_STAGING").as_deref(), Some("1" | "true"));
        config.admin = match var("PORTAL_ADMIN_ADDR").map(|v| v.trim().to_string()) {
            None => AdminAddr::Default(DEFAULT_ADMIN_ADDR),
            Some(v) if v == "off" => AdminAddr::Off,
            Some(v) => AdminAddr::Set(v.parse().map_err(|_| {
                ConfigError::OutOfRange(
                    "PORTAL_ADMIN_ADDR",
                    v,
                    "地址:端口(如 127.0.0.1:3001)或 off",
                )
            })?),
        };
        let limit = |name: &'static str, default: u32| -> Result<u32, ConfigError> {
            match var(name) {
                None => Ok(default),
                Some(v) => v.trim().parse().map_err(|_| ConfigError::Number(name, v)),
            }
        };
        let defaults = Limits::default();
        config.limits = Limits {
            search_per_minute: limit("PORTAL_SEARCH_LIMIT", defaults.search_per_minute)?,
            login_per_minute: limit("PORTAL_LOGIN_LIMIT", defaults.login_per_minute)?,
            sms_per_minute: limit("PORTAL_SMS_LIMIT", defaults.sms_per_minute)?,
            identity_per_client_per_day: limit(
                "PORTAL_IDENTITY_LIMIT",
                defaults.identity_per_client_per_day,
            )?,
            ipv6_prefix: match var("PORTAL_IPV6_PREFIX") {
                None => defaults.ipv6_prefix,
                Some(v) => v
                    .trim()
                    .parse()
                    .ok()
                    .filter(|p| app::platform::rate_limit::IPV6_PREFIXES.contains(p))
                    .ok_or(ConfigError::Ipv6Prefix(v))?,
            },
        };
        if !config.env.is_production() || config.staging {
            // Development and staging: the real clients of the services an operator set up.
            let mut problems = Vec::new();
            config.adapters = Adapters::read(var, &mut problems, false);
            if !problems.is_empty() {
                return Err(ConfigError::Services(problems.join(";")));
            }
        }
        if config.env.is_production() {
            // Production fails closed: it refuses to start rather than run any development
            // service or guess its own address.
            let problems = config.production_problems(var);
            if !problems.is_empty() {
                return Err(ConfigError::Production(format!(
                    "缺少或不允许 {}",
                    problems.join(";")
                )));
            }
        }
        Ok(config)
    }

    /// What a production configuration lacks or must not have (reading the real services'
    /// settings on the way); empty when it may start.
    fn production_problems(&mut self, var: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
        let mut problems = Vec::new();
        if !self.staging {
            self.adapters = Adapters::read(var, &mut problems, true);
        }
        match self.public_url.as_deref().map(url::Url::parse) {
            None => problems.push("PORTAL_PUBLIC_URL(门户对外的 https:// 地址)".into()),
            Some(Ok(u)) if u.scheme() == "https" && u.host_str().is_some() => {
                if self.staging && !is_loopback_host(&u) {
                    problems.push(
                        "PORTAL_STAGING(测试部署)只能用于本机地址,PORTAL_PUBLIC_URL 须为 https://127.0.0.1 或 https://localhost"
                            .into(),
                    );
                }
            }
            // Staging on this machine may run without TLS in front (the provider simulator's
            // journey): http on loopback only.
            Some(Ok(u)) if self.staging && u.scheme() == "http" && is_loopback_host(&u) => {}
            Some(_) => problems.push("PORTAL_PUBLIC_URL 须为 https:// 开头的完整地址".into()),
        }
        if [
            self.limits.search_per_minute,
            self.limits.login_per_minute,
            self.limits.sms_per_minute,
            self.limits.identity_per_client_per_day,
        ]
        .contains(&0)
        {
            problems.push(
                "PORTAL_SEARCH_LIMIT、PORTAL_LOGIN_LIMIT、PORTAL_SMS_LIMIT、PORTAL_IDENTITY_LIMIT 在生产环境不能为 0(不限)"
                    .into(),
            );
        }
        if self.metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            problems.push("PORTAL_METRICS_TOKEN 至少 16 个字符".into());
        }
        // The signing keys: in files only, never kept in the database in production.
        for (missing, what) in [
            (
                self.issuer_key_file.is_none(),
                "PORTAL_ISSUER_KEY_FILE(发证机关签名私钥文件",
            ),
            (
                self.vc_key_file.is_none(),
                "PORTAL_VC_KEY_FILE(可验证凭证 ES256 签名私钥文件",
            ),
        ] {
            if missing && !self.staging {
                problems.push(format!("{what},生产环境不在数据库中保存私钥)"));
            }
        }
        if (self.vp_key_file.is_none() || self.vp_cert_file.is_none()) && !self.staging {
            problems.push(
                "PORTAL_VP_KEY_FILE 与 PORTAL_VP_CERT_FILE(核验服务的签名私钥与证书链)".into(),
            );
        }
        if self.vc_cert_file.is_none() && !self.staging {
            problems.push(
                "PORTAL_VC_CERT_FILE(可验证凭证签名证书链,PEM,签名证书在前、根证书在最后)".into(),
            );
        }
        problems
    }

    pub fn from_values(
        env: Option<String>,
        database_url: Option<String>,
        data_key: Option<String>,
    ) -> Result<Self, ConfigError> {
        let env = match env.as_deref().map(str::trim) {
            None | Some("development") | Some("dev") => PortalEnv::Development,
            Some("production") | Some("prod") => PortalEnv::Production,
            Some(other) => return Err(ConfigError::Env(other.to_string())),
        };
        let database_url = database_url.unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        let backend = backend_of(&database_url)?;
        let data_key = match (data_key, env) {
            (Some(key), _) if key.len() >= 32 => key.into_bytes(),
            (Some(_), PortalEnv::Production) | (None, PortalEnv::Production) => {
                return Err(ConfigError::DataKey);
            }
            (_, PortalEnv::Development) => DEVELOPMENT_DATA_KEY.as_bytes().to_vec(),
        };
        Ok(Self {
            env,
            database_url,
            backend,
            data_key,
            trust_forwarded_for: false,
            public_url: None,
            limits: Limits::default(),
            issuer_key_file: None,
            issuer_cert_file: None,
            vc_key_file: None,
            vc_cert_file: None,
            vp_key_file: None,
            vp_cert_file: None,
            wallet_clients: Vec::new(),
            status_list_ttl: app::platform::status_cache::STATUS_TTL,
            adapters: Adapters::default(),
            metrics_token: None,
            staging: false,
            admin: AdminAddr::Default(DEFAULT_ADMIN_ADDR),
        })
    }
}

/// Whether `url` names this machine (a staging deployment's only allowed address).
fn is_loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(a)) => a.is_loopback(),
        Some(url::Host::Ipv6(a)) => a.is_loopback(),
        None => false,
    }
}

pub fn backend_of(url: &str) -> Result<Backend, ConfigError> {
    Backend::of_url(url).ok_or_else(|| {
        ConfigError::DatabaseUrl(format!(
            "\"{}\" 不是 sqlite:// 或 postgres:// 地址",
            redact_url(url)
        ))
    })
}

/// The file an SQLite URL points at, or `None` for an in-memory database.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// Makes sure the SQLite file's folder exists and is writable, so a bad path fails with a
/// sentence rather than a driver error code.
pub fn prepare_sqlite_dir(url: &str) -> Result<(), ConfigError> {
    let Some(path) = sqlite_path(url) else {
        return Ok(());
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fail = |reason: String| ConfigError::DataDir {
        path: dir.display().to_string(),
        reason,
    };
    std::fs::create_dir_all(&dir).map_err(|e| fail(e.to_string()))?;
    let probe = dir.join(format!(".portal-write-check-{}", std::process::id()));
    std::fs::write(&probe, b"").map_err(|e| fail(format!("无法写入({e})")))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// The URL with any password replaced, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(start), Some(at)) if at > start => {
            let userinfo = &url[start + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..start + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
