//! Start-up configuration from the environment. Every problem becomes one line that names
//! the variable or path at fault.

use app::state::{Limits, PortalEnv};
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
    /// Production without the real services: the list of what is missing or not allowed.
    #[error("生产环境配置不完整,拒绝启动:{0}")]
    Production(String),
}

/// A Tencent Cloud service: its address and the operator's API key (SecretId, SecretKey).
#[derive(Clone)]
pub struct TencentKey {
    pub endpoint: String,
    pub secret_id: String,
    /// Never logged.
    pub secret_key: String,
}

impl std::fmt::Debug for TencentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TencentKey")
            .field("endpoint", &self.endpoint)
            .field("secret_id", &self.secret_id)
            .finish_non_exhaustive()
    }
}

/// The carrier that sends SMS: 腾讯云短信 (`PORTAL_SMS_PROVIDER=tencent`) or 阿里云短信
/// (`aliyun`).
#[derive(Clone)]
pub struct SmsCarrier {
    /// `tencent` or `aliyun`.
    pub provider: String,
    /// The API's address and key (`PORTAL_SMS_ENDPOINT`, `PORTAL_SMS_ACCESS_KEY` = SecretId or
    /// AccessKey ID, `PORTAL_SMS_SECRET` = SecretKey or AccessKey secret).
    pub key: TencentKey,
    pub sign_name: String,
    /// `PORTAL_SMS_APP_ID`: the SMS application (Tencent's SmsSdkAppId; "" for Aliyun).
    pub app_id: String,
    /// `PORTAL_SMS_TEMPLATE_ID`: the approved template taking the code and its minutes
    /// (Tencent: parameters {1} and {2}; Aliyun: `${code}` and `${minutes}`).
    pub template_id: String,
}

impl std::fmt::Debug for SmsCarrier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsCarrier")
            .field("provider", &self.provider)
            .field("key", &self.key)
            .field("app_id", &self.app_id)
            .finish_non_exhaustive()
    }
}

/// `PORTAL_FACE_PROVIDER`.
#[derive(Clone)]
pub enum FaceChoice {
    /// 支付宝 实人认证: `PORTAL_ALIPAY_APP_ID`, `PORTAL_ALIPAY_PRIVATE_KEY_FILE`,
    /// `PORTAL_ALIPAY_PUBLIC_KEY_FILE`.
    Alipay {
        app_id: String,
        private_key_file: String,
        public_key_file: String,
        /// `PORTAL_ALIPAY_GATEWAY` (default Alipay's public gateway).
        gateway: String,
    },
    /// 微信 人脸核身 (腾讯云 FaceId): `PORTAL_WECHAT_SECRET_ID`, `PORTAL_WECHAT_SECRET_KEY`,
    /// `PORTAL_WECHAT_RULE_ID`.
    Wechat {
        /// `PORTAL_FACEID_ENDPOINT` (default FaceId's public address) and the API key.
        key: TencentKey,
        rule_id: String,
    },
}

impl std::fmt::Debug for FaceChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Alipay {
                app_id, gateway, ..
            } => f
                .debug_struct("Alipay")
                .field("app_id", app_id)
                .field("gateway", gateway)
                .finish_non_exhaustive(),
            Self::Wechat { key, rule_id } => f
                .debug_struct("Wechat")
                .field("key", key)
                .field("rule_id", rule_id)
                .finish(),
        }
    }
}

/// The real adapters of the outside services. Production needs every one; development uses
/// the built-in stand-ins and ignores these.
#[derive(Debug, Clone, Default)]
pub struct Adapters {
    /// 身份核验 by 腾讯云慧眼 `IdCardVerification`: `PORTAL_IDENTITY_APP_ID` (SecretId),
    /// `PORTAL_IDENTITY_SECRET` (SecretKey), `PORTAL_IDENTITY_URL` (default FaceId's address).
    pub identity: Option<TencentKey>,
    /// 企业核验 by 腾讯云 OCR `VerifyBizLicenseEnterprise4`: `PORTAL_ENTERPRISE_APP_ID`
    /// (SecretId), `PORTAL_ENTERPRISE_SECRET` (SecretKey), `PORTAL_ENTERPRISE_URL` (default
    /// OCR's address).
    pub enterprise: Option<TencentKey>,
    /// `PORTAL_SMS_PROVIDER`, `PORTAL_SMS_ACCESS_KEY`, `PORTAL_SMS_SECRET`,
    /// `PORTAL_SMS_SIGN_NAME`, `PORTAL_SMS_APP_ID`, `PORTAL_SMS_TEMPLATE_ID`,
    /// `PORTAL_SMS_ENDPOINT`.
    pub sms: Option<SmsCarrier>,
    pub face: Option<FaceChoice>,
    /// `PORTAL_PROVIDER_CA_FILE`: a certificate authority (PEM) trusted besides the public
    /// ones, for a government network gateway with its own CA.
    pub provider_ca_file: Option<String>,
}

impl Adapters {
    /// Reads the adapters; every missing or refused variable is added to `problems`. In
    /// production every service is required and every address must be `https://`; otherwise
    /// (development, staging) a service is used when its variables are set, and may also be
    /// `http://` on this machine (the provider simulator).
    fn read(
        var: &dyn Fn(&str) -> Option<String>,
        problems: &mut Vec<String>,
        production: bool,
    ) -> Self {
        // Values that are present but not allowed; added after the missing ones.
        let mut refused: Vec<String> = Vec::new();
        let identity = Self::tencent_key(
            var,
            problems,
            &mut refused,
            production,
            [
                "PORTAL_IDENTITY_APP_ID",
                "PORTAL_IDENTITY_SECRET",
                "PORTAL_IDENTITY_URL",
            ],
            app::services::providers::tencent::FACEID_ENDPOINT,
            "身份信息核验服务(腾讯云慧眼 SecretId/SecretKey)",
        );
        let enterprise = Self::tencent_key(
            var,
            problems,
            &mut refused,
            production,
            [
                "PORTAL_ENTERPRISE_APP_ID",
                "PORTAL_ENTERPRISE_SECRET",
                "PORTAL_ENTERPRISE_URL",
            ],
            app::services::providers::tencent::OCR_ENDPOINT,
            "企业信息核验服务(腾讯云营业执照核验 SecretId/SecretKey)",
        );
        let sms = Self::sms(var, problems, &mut refused, production);
        let face = Self::face(var, problems, &mut refused, production);
        problems.append(&mut refused);
        Self {
            identity,
            enterprise,
            sms,
            face,
            provider_ca_file: var("PORTAL_PROVIDER_CA_FILE"),
        }
    }

    /// A Tencent Cloud service known by its SecretId, SecretKey and address variables (`names`,
    /// in that order; the address defaults to `default`), or `None`: in production with its
    /// missing variables added to `problems`; elsewhere when neither key variable is set.
    #[allow(clippy::too_many_arguments)]
    fn tencent_key(
        var: &dyn Fn(&str) -> Option<String>,
        problems: &mut Vec<String>,
        refused: &mut Vec<String>,
        production: bool,
        names: [&'static str; 3],
        default: &str,
        what: &str,
    ) -> Option<TencentKey> {
        if !production && names[..2].iter().all(|n| var(n).is_none()) {
            return None;
        }
        let v = need(var, problems, &names[..2], what)?;
        let endpoint = address(var, names[2], default, production, refused)?;
        Some(TencentKey {
            endpoint,
            secret_id: v[0].clone(),
            secret_key: v[1].clone(),
        })
    }

    /// The SMS carrier, or `None`: in production with its missing variables added to
    /// `problems` and an unknown provider to `refused`; elsewhere when no provider is set.
    fn sms(
        var: &dyn Fn(&str) -> Option<String>,
        problems: &mut Vec<String>,
        refused: &mut Vec<String>,
        production: bool,
    ) -> Option<SmsCarrier> {
        use app::services::providers::{aliyun, tencent};
        if !production && var("PORTAL_SMS_PROVIDER").is_none() {
            return None;
        }
        let v = need(
            var,
            problems,
            &[
                "PORTAL_SMS_PROVIDER",
                "PORTAL_SMS_ACCESS_KEY",
                "PORTAL_SMS_SECRET",
                "PORTAL_SMS_SIGN_NAME",
                "PORTAL_SMS_TEMPLATE_ID",
            ],
            "短信服务",
        )?;
        let (default, app_id) = match v[0].as_str() {
            "tencent" => (
                tencent::SMS_ENDPOINT,
                need(
                    var,
                    problems,
                    &["PORTAL_SMS_APP_ID"],
                    "腾讯云短信的 SmsSdkAppId",
                )?
                .remove(0),
            ),
            "aliyun" => (aliyun::SMS_ENDPOINT, String::new()),
            other => {
                refused.push(format!(
                    "PORTAL_SMS_PROVIDER 取值 \"{other}\" 无效,应为 tencent(腾讯云短信)或 aliyun(阿里云短信)"
                ));
                return None;
            }
        };
        let endpoint = address(var, "PORTAL_SMS_ENDPOINT", default, production, refused)?;
        Some(SmsCarrier {
            provider: v[0].clone(),
            key: TencentKey {
                endpoint,
                secret_id: v[1].clone(),
                secret_key: v[2].clone(),
            },
            sign_name: v[3].clone(),
            app_id,
            template_id: v[4].clone(),
        })
    }

    /// The face-check provider, or `None`: in production with its missing variables added to
    /// `problems` and a missing or unusable `PORTAL_FACE_PROVIDER` to `refused`; elsewhere when
    /// `PORTAL_FACE_PROVIDER` is unset or `development`.
    fn face(
        var: &dyn Fn(&str) -> Option<String>,
        problems: &mut Vec<String>,
        refused: &mut Vec<String>,
        production: bool,
    ) -> Option<FaceChoice> {
        use app::services::providers::{alipay, tencent};
        match var("PORTAL_FACE_PROVIDER").as_deref() {
            Some("alipay") => {
                let v = need(
                    var,
                    problems,
                    &[
                        "PORTAL_ALIPAY_APP_ID",
                        "PORTAL_ALIPAY_PRIVATE_KEY_FILE",
                        "PORTAL_ALIPAY_PUBLIC_KEY_FILE",
                    ],
                    "支付宝实人认证",
                )?;
                let gateway = address(
                    var,
                    "PORTAL_ALIPAY_GATEWAY",
                    alipay::GATEWAY,
                    production,
                    refused,
                )?;
                Some(FaceChoice::Alipay {
                    app_id: v[0].clone(),
                    private_key_file: v[1].clone(),
                    public_key_file: v[2].clone(),
                    gateway,
                })
            }
            Some("wechat") => {
                let v = need(
                    var,
                    problems,
                    &[
                        "PORTAL_WECHAT_SECRET_ID",
                        "PORTAL_WECHAT_SECRET_KEY",
                        "PORTAL_WECHAT_RULE_ID",
                    ],
                    "微信人脸核身(腾讯云慧眼)",
                )?;
                let endpoint = address(
                    var,
                    "PORTAL_FACEID_ENDPOINT",
                    tencent::FACEID_ENDPOINT,
                    production,
                    refused,
                )?;
                Some(FaceChoice::Wechat {
                    key: TencentKey {
                        endpoint,
                        secret_id: v[0].clone(),
                        secret_key: v[1].clone(),
                    },
                    rule_id: v[2].clone(),
                })
            }
            None | Some("development") if !production => None,
            None => {
                refused.push("PORTAL_FACE_PROVIDER(alipay 或 wechat,人脸核身服务)".into());
                None
            }
            Some(other) => {
                refused.push(format!(
                    "PORTAL_FACE_PROVIDER 取值 \"{other}\" 不可用{},应为 alipay 或 wechat",
                    if production { "于生产环境" } else { "" }
                ));
                None
            }
        }
    }
}

/// An outside service's address: `name`'s value or the provider's public `default`. Production
/// takes `https://` only; development and staging also take `http://` on this machine (the
/// provider simulator). A refused address is added to `refused`.
fn address(
    var: &dyn Fn(&str) -> Option<String>,
    name: &str,
    default: &str,
    production: bool,
    refused: &mut Vec<String>,
) -> Option<String> {
    let value = var(name).map_or_else(|| default.to_string(), |v| v.trim().to_string());
    match url::Url::parse(&value) {
        Ok(u) if u.scheme() == "https" && u.host_str().is_some() => Some(value),
        Ok(u) if u.scheme() == "http" && !production && is_loopback_host(&u) => Some(value),
        _ => {
            refused.push(format!(
                "{name} 须为 https:// 开头的完整地址{}",
                if production {
                    ""
                } else {
                    "(开发和测试部署也可用本机的 http:// 地址)"
                }
            ));
            None
        }
    }
}

/// The values of `names`, all set; or `None`, with the missing ones and `what` they are for
/// added to `problems`.
fn need(
    var: &dyn Fn(&str) -> Option<String>,
    problems: &mut Vec<String>,
    names: &[&'static str],
    what: &str,
) -> Option<Vec<String>> {
    let values: Vec<Option<String>> = names.iter().map(|n| var(n)).collect();
    if values.iter().all(Option::is_some) {
        return Some(values.into_iter().flatten().collect());
    }
    let missing: Vec<&str> = names
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
    problems.push(format!("{}({what})", missing.join("、")));
    None
}

pub use app::models::Backend;

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
    /// default 60), `PORTAL_LOGIN_LIMIT` (login attempts, 30), `PORTAL_SMS_LIMIT` (获取验证码, 5).
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
}

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
            ipv6_prefix: match var("PORTAL_IPV6_PREFIX") {
                None => defaults.ipv6_prefix,
                Some(v) => v
                    .trim()
                    .parse()
                    .ok()
                    .filter(|p| app::rate_limit::IPV6_PREFIXES.contains(p))
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
        ]
        .contains(&0)
        {
            problems.push(
                "PORTAL_SEARCH_LIMIT、PORTAL_LOGIN_LIMIT、PORTAL_SMS_LIMIT 在生产环境不能为 0(不限)"
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
            status_list_ttl: app::models::vc::repo::STATUS_TTL,
            adapters: Adapters::default(),
            metrics_token: None,
            staging: false,
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

#[cfg(test)]
mod tests {
    use super::*;

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
        for (name, _) in all.iter().filter(|(n, _)| {
            !["PORTAL_ENV", "PORTAL_DATA_KEY", "PORTAL_ENTERPRISE_URL"].contains(n)
        }) {
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
        let err =
            Config::from_values(None, Some("mysql://u:secret@h/db".into()), None).unwrap_err();
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
        use app::services::providers::tencent::{FACEID_ENDPOINT, SMS_ENDPOINT};
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
}
