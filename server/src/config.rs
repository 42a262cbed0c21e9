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
    #[error("生产环境必须设置 PORTAL_DATA_KEY(至少 32 个字符的随机字符串)")]
    DataKey,
}

/// Which database the URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

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
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
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
        };
        Ok(config)
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
        })
    }
}

pub fn backend_of(url: &str) -> Result<Backend, ConfigError> {
    let scheme = url.split_once(':').map(|(s, _)| s).unwrap_or_default();
    match scheme {
        "sqlite" => Ok(Backend::Sqlite),
        "postgres" | "postgresql" => Ok(Backend::Postgres),
        _ => Err(ConfigError::DatabaseUrl(format!(
            "\"{}\" 不是 sqlite:// 或 postgres:// 地址",
            redact_url(url)
        ))),
    }
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
        let ok =
            Config::from_values(Some("production".into()), None, Some("k".repeat(32))).unwrap();
        assert_eq!(ok.env, PortalEnv::Production);
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
}
