//! What every request handler and server function can reach on the server: the Leptos
//! options, the database pool, the portal's settings and its shared services. Built once in
//! `server/` and handed to Leptos through context.

use crate::platform::clock::Clock;
use crate::platform::count_cache::CountCache;
use crate::platform::db::Backend;
use crate::platform::hub::FaceHub;
use crate::platform::passwords::PasswordHasher;
use crate::platform::ports::documents::CertificateDocuments;
use crate::platform::ports::enterprise::{DevEnterpriseSource, EnterpriseSource};
use crate::platform::ports::face_provider::{DevFaceProvider, FaceProvider};
use crate::platform::ports::identity::IdentitySource;
use crate::platform::ports::sms::SmsGateway;
use crate::platform::rate_limit::{Counting, RateLimiter, scopes};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::AnyPool;
use std::sync::Arc;
use std::time::Duration;

/// `PORTAL_ENV`: development adds demo data and developer aids; production is strict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortalEnv {
    Development,
    Production,
}

impl PortalEnv {
    pub fn is_production(self) -> bool {
        self == Self::Production
    }
}

/// Settings read from the environment at start-up.
#[derive(Debug, Clone)]
pub struct Settings {
    pub env: PortalEnv,
    /// Key of the digests that let the registry match a full ID number without storing it
    /// readable. Never logged.
    pub data_key: Arc<[u8]>,
    /// Take the client address from the last `X-Forwarded-For` entry (set when a trusted
    /// load balancer is in front).
    pub trust_forwarded_for: bool,
    /// `PORTAL_PUBLIC_URL`: the address phones reach the portal at (the QR codes point
    /// there); by default the host the desktop used.
    pub public_url: Option<String>,
    /// `PORTAL_METRICS_TOKEN`: the bearer token of `GET /metrics` (none: not served in
    /// production).
    pub metrics_token: Option<String>,
    /// A staging deployment (`PORTAL_STAGING=1`, loopback only): production settings with the
    /// development stand-ins for the outside services.
    pub staging: bool,
}

/// A wallet registered with the portal for OpenID4VCI's authorization code flow: who it is
/// (its `client_id` and the name the holder sees) and the only addresses the holder's browser
/// may be sent back to (compared exactly, RFC 9700 §2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletClient {
    pub client_id: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
}

impl WalletClient {
    /// The test wallet of development and staging (`wallet.example`).
    pub fn development() -> Self {
        Self {
            client_id: "wallet.example".into(),
            name: "测试数字钱包(开发环境)".into(),
            redirect_uris: vec!["https://wallet.example/cb".into()],
        }
    }

    /// `PORTAL_WALLET_CLIENTS`: entries separated by `;` or new lines, each
    /// `client_id|名称|redirect_uri[,redirect_uri…]`.
    pub fn parse_list(text: &str) -> Result<Vec<Self>, String> {
        text.split([';', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|entry| {
                let mut fields = entry.split('|').map(str::trim);
                let (Some(client_id), Some(name), Some(uris), None) =
                    (fields.next(), fields.next(), fields.next(), fields.next())
                else {
                    return Err(format!("“{entry}”应为 client_id|名称|redirect_uri"));
                };
                let redirect_uris: Vec<String> = uris
                    .split(',')
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(str::to_string)
                    .collect();
                let printable = |t: &str| !t.is_empty() && t.chars().all(|c| !c.is_control());
                if !printable(client_id) || !printable(name) || redirect_uris.is_empty() {
                    return Err(format!(
                        "“{entry}”的 client_id、名称或 redirect_uri 为空或无效"
                    ));
                }
                Ok(Self {
                    client_id: client_id.into(),
                    name: name.into(),
                    redirect_uris,
                })
            })
            .collect()
    }
}

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: AnyPool,
    pub settings: Arc<Settings>,
    /// Limits 人员资格查询 requests per client address.
    pub search_limiter: Arc<RateLimiter>,
    /// Recent match counts of name searches.
    pub search_counts: Arc<CountCache>,
    /// Limits login attempts per client address (on top of the per-account lock).
    pub login_limiter: Arc<RateLimiter>,
    /// Limits 获取验证码 per client address (on top of the per-number limits).
    pub sms_limiter: Arc<RateLimiter>,
    /// The IPv6 network every per-client count keys a client by.
    pub ipv6_prefix: u8,
    /// Identity checks a client may ask for in a day (0: no limit, development only).
    pub identity_per_client_per_day: u32,
    pub clock: Arc<Clock>,
    pub passwords: Arc<PasswordHasher>,
    pub identity: Arc<dyn IdentitySource>,
    /// 企业身份核验 (enterprise registry).
    pub enterprises: Arc<dyn EnterpriseSource>,
    pub sms: Arc<dyn SmsGateway>,
    /// 人脸核身.
    pub face: Arc<dyn FaceProvider>,
    /// The development provider when it is the one in use (`POST /dev/face-provider`).
    pub dev_face: Option<Arc<DevFaceProvider>>,
    /// Listeners of face-check tickets (desktop event streams).
    pub face_hub: Arc<FaceHub>,
    /// The certificate renderer the server attaches ([`Self::with_documents`]); without one
    /// every preview and download fails.
    pub documents: Option<Arc<dyn CertificateDocuments>>,
    /// The operator's ES256 key for verifiable credentials (`PORTAL_VC_KEY_FILE`); without one
    /// a development key kept in the database ([`crate::credentials::vc::repo::issuer_key`]).
    pub vc_key: Option<Arc<crate::platform::sd_jwt::VcKey>>,
    /// The operator's ES256 key and certificate chain of the verifier (`/verifier`) that signs
    /// its OpenID4VP requests (`PORTAL_VP_KEY_FILE`, `PORTAL_VP_CERT_FILE`); without one a
    /// development key certified by the development CA
    /// ([`crate::credentials::oid4vp::repo::verifier_key`]).
    pub vp_key: Option<Arc<crate::platform::sd_jwt::VcKey>>,
    /// The wallets registered to use the authorization code flow (`PORTAL_WALLET_CLIENTS`);
    /// see [`AppState::wallet_clients`].
    pub registered_wallets: Arc<[WalletClient]>,
    /// The status lists this server signed lately.
    pub status_cache: Arc<crate::platform::status_cache::StatusCache>,
    /// The outside services' HTTP client, when any real client is in use (`/metrics`).
    pub providers: Option<Arc<crate::platform::providers::ProviderHttp>>,
}

/// Per-address limits, per minute, counted in the database over every process; 0 turns a
/// limit off.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub search_per_minute: u32,
    pub login_per_minute: u32,
    pub sms_per_minute: u32,
    /// Identity checks (registration, 申诉) a client may ask for in a day
    /// (`PORTAL_IDENTITY_LIMIT`).
    pub identity_per_client_per_day: u32,
    /// The IPv6 network every per-client limit counts a client by (`PORTAL_IPV6_PREFIX`).
    pub ipv6_prefix: u8,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            search_per_minute: 60,
            login_per_minute: 30,
            sms_per_minute: 5,
            identity_per_client_per_day: 10,
            ipv6_prefix: crate::platform::rate_limit::DEFAULT_IPV6_PREFIX,
        }
    }
}

/// The outside services the portal talks to: identity, enterprise registry, SMS, face check.
/// Either all the real adapters an operator configured, or the development stand-ins — which
/// a production state refuses ([`AppState::new`]).
pub struct Services {
    pub identity: Arc<dyn IdentitySource>,
    pub enterprises: Arc<dyn EnterpriseSource>,
    pub sms: Arc<dyn SmsGateway>,
    pub face: Arc<dyn FaceProvider>,
    dev_face: Option<Arc<DevFaceProvider>>,
    /// Made by [`Self::development`]: a production state refuses these.
    stand_ins: bool,
    /// The HTTP client the real clients share (its figures go to `/metrics`).
    pub providers: Option<Arc<crate::platform::providers::ProviderHttp>>,
}

impl Services {
    /// The real adapters configured by the operator.
    pub fn configured(
        identity: Arc<dyn IdentitySource>,
        enterprises: Arc<dyn EnterpriseSource>,
        sms: Arc<dyn SmsGateway>,
        face: Arc<dyn FaceProvider>,
    ) -> Self {
        Self {
            identity,
            enterprises,
            sms,
            face,
            dev_face: None,
            stand_ins: false,
            providers: None,
        }
    }

    /// The development stand-ins: the fixed enterprise list and the face provider that passes
    /// the ticket's own account, with the development identity source and SMS outbox, which
    /// read and write the database (made by the server: `server/src/adapters.rs`).
    pub fn development(identity: Arc<dyn IdentitySource>, sms: Arc<dyn SmsGateway>) -> Self {
        let dev_face = Arc::new(DevFaceProvider::default());
        Self {
            identity,
            enterprises: Arc::new(DevEnterpriseSource),
            sms,
            face: dev_face.clone(),
            dev_face: Some(dev_face),
            stand_ins: true,
            providers: None,
        }
    }

    /// A real face provider in place of the development one (development and staging with
    /// `PORTAL_FACE_PROVIDER` set): `/dev/face-provider` then has nothing to steer.
    pub fn use_face(&mut self, face: Arc<dyn FaceProvider>) {
        self.face = face;
        self.dev_face = None;
    }

    /// Whether any development stand-in is among these.
    pub fn is_development(&self) -> bool {
        self.stand_ins
    }
}

impl AppState {
    /// The state with the given services. A production state with the development services
    /// is refused: they would let anyone register as anyone and pass a face check without a
    /// face.
    pub fn new(
        leptos_options: LeptosOptions,
        db: AnyPool,
        settings: Settings,
        limits: Limits,
        clock: Arc<Clock>,
        services: Services,
    ) -> Result<Self, String> {
        if settings.env.is_production() && services.is_development() && !settings.staging {
            return Err("生产环境不能使用开发用的身份核验、企业核验、短信或人脸识别服务".into());
        }
        if settings.staging && !settings.public_url.as_deref().is_some_and(is_loopback_url) {
            return Err("测试部署(PORTAL_STAGING)只能使用本机地址".into());
        }
        if settings.env.is_production() && settings.public_url.is_none() {
            // The Host header must never decide the addresses in QR codes and signed copies.
            return Err("生产环境必须设置 PORTAL_PUBLIC_URL".into());
        }
        let minute = Duration::from_secs(60);
        Ok(Self {
            leptos_options,
            identity: services.identity,
            enterprises: services.enterprises,
            sms: services.sms,
            face: services.face,
            dev_face: services.dev_face,
            face_hub: Arc::new(FaceHub::new(Backend::of(&db) == Backend::Postgres)),
            db,
            settings: Arc::new(settings),
            // Searches are many and read-only: counted in memory, flushed every 100 ms.
            search_limiter: Arc::new(RateLimiter::counting(
                Counting::Batched,
                scopes::SEARCH,
                limits.search_per_minute,
                minute,
                limits.ipv6_prefix,
            )),
            search_counts: Arc::new(CountCache::new(minute)),
            login_limiter: Arc::new(RateLimiter::new(
                scopes::LOGIN,
                limits.login_per_minute,
                minute,
                limits.ipv6_prefix,
            )),
            sms_limiter: Arc::new(RateLimiter::new(
                scopes::SMS,
                limits.sms_per_minute,
                minute,
                limits.ipv6_prefix,
            )),
            ipv6_prefix: limits.ipv6_prefix,
            identity_per_client_per_day: limits.identity_per_client_per_day,
            clock,
            passwords: Arc::new(PasswordHasher::new(PasswordHasher::default_concurrency())),
            documents: None,
            vc_key: None,
            vp_key: None,
            registered_wallets: Arc::from(Vec::new()),
            status_cache: Arc::default(),
            providers: services.providers,
        })
    }

    /// The state whose signed status lists live `seconds` (`PORTAL_STATUS_LIST_TTL`).
    pub fn with_status_ttl(mut self, seconds: i64) -> Self {
        self.status_cache = Arc::new(crate::platform::status_cache::StatusCache::with_ttl(
            seconds,
        ));
        self
    }

    /// The state with the operator's verifiable-credential key.
    pub fn with_vc_key(mut self, key: crate::platform::sd_jwt::VcKey) -> Self {
        self.vc_key = Some(Arc::new(key));
        self
    }

    /// The state with the wallets registered for the authorization code flow.
    pub fn with_wallet_clients(mut self, clients: Vec<WalletClient>) -> Self {
        self.registered_wallets = Arc::from(clients);
        self
    }

    /// The wallets that may use the authorization code flow: those registered; without any,
    /// outside production, the development test wallet ([`WalletClient::development`]). A
    /// production portal with none registered takes no authorization request.
    pub fn wallet_clients(&self) -> Vec<WalletClient> {
        if self.registered_wallets.is_empty()
            && (!self.settings.env.is_production() || self.settings.staging)
        {
            return vec![WalletClient::development()];
        }
        self.registered_wallets.to_vec()
    }

    /// The state with the operator's verifier key and chain.
    pub fn with_vp_key(mut self, key: crate::platform::sd_jwt::VcKey) -> Self {
        self.vp_key = Some(Arc::new(key));
        self
    }

    /// The state with the server's certificate renderer.
    pub fn with_documents(mut self, documents: Arc<dyn CertificateDocuments>) -> Self {
        self.documents = Some(documents);
        self
    }
}

/// Whether `url` is an address on this machine: `http(s)://127.x.x.x`, `localhost` or `[::1]`.
fn is_loopback_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host = match rest.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => rest.split([':', '/']).next().unwrap_or_default(),
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
