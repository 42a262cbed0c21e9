//! The outside services a running portal uses, chosen from the configuration. Production: the
//! operator's real clients, every one of them (the configuration refuses to start without
//! them, see [`crate::config`]). Development and staging: the built-in stand-ins, except the
//! services whose variables are set, which use their real clients (against the provider
//! simulator, `scripts/provider-sim`, or a provider's test account).

use crate::config::{Config, FaceChoice, SmsCarrier, TencentKey};
use app::domain::{IdDocument, Phone};
use app::platform::clock::Clock;
use app::platform::ports::face_provider::FaceProvider;
use app::platform::ports::identity::{IdentityCheck, IdentitySource};
use app::platform::ports::sms::{SmsGateway, SmsMessage};
use app::platform::providers::ProviderHttp;
use app::platform::providers::alipay::{self, AlipayFace};
use app::platform::providers::aliyun::AliyunSms;
use app::platform::providers::tencent::{
    TencentCloud, TencentEnterprise, TencentFace, TencentIdentity, TencentSms,
};
use app::platform::state::Services;
use app::platform::state::{AppState, Limits, Settings};
use leptos::config::LeptosOptions;
use sqlx::AnyPool;
use std::sync::Arc;

/// The provider simulator's "Alipay" public key, whose private half is in the repository.
const SIMULATOR_ALIPAY_KEY: &str =
    include_str!("../../scripts/provider-sim/keys/alipay_public_key.txt");

pub fn services(config: &Config, db: &AnyPool, clock: Arc<Clock>) -> Result<Services, String> {
    let a = &config.adapters;
    let ca = match &a.provider_ca_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| format!("PORTAL_PROVIDER_CA_FILE {path} 无法读取:{e}"))?,
        ),
        None => None,
    };
    let http = Arc::new(
        ProviderHttp::trusting(ca.as_deref())
            .map_err(|e| format!("PORTAL_PROVIDER_CA_FILE:{e}"))?,
    );
    if !config.env.is_production() || config.staging {
        let mut services = development_services(db, config.data_key.clone().into(), clock.clone());
        let mut any = false;
        if let Some(key) = &a.identity {
            services.identity = Arc::new(identity(&http, key, &clock));
            any = true;
        }
        if let Some(key) = &a.enterprise {
            services.enterprises = Arc::new(enterprise(&http, key, &clock));
            any = true;
        }
        if let Some(carrier) = &a.sms {
            services.sms = sms(&http, carrier, &clock);
            any = true;
        }
        if let Some(choice) = &a.face {
            services.use_face(face(&http, choice, &clock)?);
            any = true;
        }
        if any {
            services.providers = Some(http);
        }
        return Ok(services);
    }
    let (Some(identity_key), Some(enterprise_key), Some(carrier), Some(choice)) =
        (&a.identity, &a.enterprise, &a.sms, &a.face)
    else {
        return Err("生产环境缺少外部服务配置(身份核验、企业核验、短信、人脸核身)".into());
    };
    if let FaceChoice::Alipay {
        public_key_file, ..
    } = choice
        && std::fs::read_to_string(public_key_file)
            .is_ok_and(|k| k.trim() == SIMULATOR_ALIPAY_KEY.trim())
    {
        // Its private half is published with the simulator: anyone could sign "passed".
        return Err(format!(
            "PORTAL_ALIPAY_PUBLIC_KEY_FILE {public_key_file} 是模拟器的测试公钥,生产环境必须使用支付宝开放平台的公钥"
        ));
    }
    let mut services = Services::configured(
        Arc::new(identity(&http, identity_key, &clock)),
        Arc::new(enterprise(&http, enterprise_key, &clock)),
        sms(&http, carrier, &clock),
        face(&http, choice, &clock)?,
    );
    services.providers = Some(http);
    Ok(services)
}

fn cloud(http: &Arc<ProviderHttp>, key: &TencentKey, service: &'static str) -> TencentCloud {
    TencentCloud {
        http: http.clone(),
        endpoint: key.endpoint.clone(),
        service,
        label: service,
        secret_id: key.secret_id.clone(),
        secret_key: key.secret_key.clone(),
    }
}

/// 身份核验 by 腾讯云慧眼 `IdCardVerification`.
pub fn identity(http: &Arc<ProviderHttp>, key: &TencentKey, clock: &Arc<Clock>) -> TencentIdentity {
    TencentIdentity {
        cloud: cloud(http, key, "faceid"),
        clock: clock.clone(),
    }
}

/// 企业核验 by 腾讯云 OCR `VerifyBizLicenseEnterprise4`.
pub fn enterprise(
    http: &Arc<ProviderHttp>,
    key: &TencentKey,
    clock: &Arc<Clock>,
) -> TencentEnterprise {
    TencentEnterprise {
        cloud: cloud(http, key, "ocr"),
        clock: clock.clone(),
    }
}

/// 人脸核身 by 腾讯云慧眼 FaceId H5 or 支付宝 实人认证. The Alipay keys are read and parsed
/// here, so a missing or unreadable key stops the start, not a citizen's check.
pub fn face(
    http: &Arc<ProviderHttp>,
    choice: &FaceChoice,
    clock: &Arc<Clock>,
) -> Result<Arc<dyn FaceProvider>, String> {
    Ok(match choice {
        FaceChoice::Wechat { key, rule_id } => Arc::new(TencentFace {
            cloud: TencentCloud {
                label: "faceid-h5",
                ..cloud(http, key, "faceid")
            },
            clock: clock.clone(),
            rule_id: rule_id.clone(),
        }),
        FaceChoice::Alipay {
            app_id,
            private_key_file,
            public_key_file,
            gateway,
        } => {
            let read = |name: &str, path: &str| {
                std::fs::read_to_string(path).map_err(|e| format!("{name} {path} 无法读取:{e}"))
            };
            let private_key =
                alipay::private_key(&read("PORTAL_ALIPAY_PRIVATE_KEY_FILE", private_key_file)?)
                    .map_err(|e| {
                        format!("PORTAL_ALIPAY_PRIVATE_KEY_FILE {private_key_file}:{e}")
                    })?;
            let alipay_public_key =
                alipay::public_key(&read("PORTAL_ALIPAY_PUBLIC_KEY_FILE", public_key_file)?)
                    .map_err(|e| format!("PORTAL_ALIPAY_PUBLIC_KEY_FILE {public_key_file}:{e}"))?;
            Arc::new(AlipayFace {
                http: http.clone(),
                clock: clock.clone(),
                gateway: gateway.clone(),
                app_id: app_id.clone(),
                private_key,
                alipay_public_key,
            })
        }
    })
}

/// 短信 by 腾讯云短信 or 阿里云短信 `SendSms`.
pub fn sms(
    http: &Arc<ProviderHttp>,
    carrier: &SmsCarrier,
    clock: &Arc<Clock>,
) -> Arc<dyn SmsGateway> {
    if carrier.provider == "aliyun" {
        return Arc::new(AliyunSms {
            http: http.clone(),
            endpoint: carrier.key.endpoint.clone(),
            access_key_id: carrier.key.secret_id.clone(),
            secret: carrier.key.secret_key.clone(),
            sign_name: carrier.sign_name.clone(),
            template_code: carrier.template_id.clone(),
            template_code_en: carrier.template_id_en.clone(),
            notice_template_code: carrier.notice_template_id.clone(),
            clock: clock.clone(),
        });
    }
    Arc::new(TencentSms {
        cloud: cloud(http, &carrier.key, "sms"),
        clock: clock.clone(),
        sdk_app_id: carrier.app_id.clone(),
        sign_name: carrier.sign_name.clone(),
        template_id: carrier.template_id.clone(),
        template_id_en: carrier.template_id_en.clone(),
        notice_template_id: carrier.notice_template_id.clone(),
    })
}

/// The development stand-ins: demo people, the fixed enterprise list, the SMS outbox and the
/// face provider that passes the ticket's own account. A production state refuses them.
pub fn development_services(db: &AnyPool, data_key: Arc<[u8]>, clock: Arc<Clock>) -> Services {
    Services::development(
        Arc::new(DevIdentitySource::new(db.clone(), data_key)),
        Arc::new(OutboxGateway::new(db.clone(), clock)),
    )
}

/// A development state with the development services (tests, `make run`). Refused in
/// production like any development service.
pub fn development_state(
    leptos_options: LeptosOptions,
    db: AnyPool,
    settings: Settings,
    limits: Limits,
) -> Result<AppState, String> {
    let clock = Arc::new(Clock::default());
    let services = development_services(&db, settings.data_key.clone(), clock.clone());
    AppState::new(leptos_options, db, settings, limits, clock, services)
}

/// People known to the development identity source besides the registry (README lists them).
pub const EXTRA_PEOPLE: &[(&str, &str)] = &[
    ("赵新民", "110108200001010015"),
    ("陈晓华", "310101198807150028"),
    ("刘志强", "440106197501200033"),
    ("吴海燕", "440106198302110048"),
    ("郑国栋", "110108198811300057"),
    ("钱学明", "110101198506120039"),
];

pub struct DevIdentitySource {
    db: AnyPool,
    data_key: Arc<[u8]>,
}

impl DevIdentitySource {
    pub fn new(db: AnyPool, data_key: Arc<[u8]>) -> Self {
        Self { db, data_key }
    }
}

impl IdentitySource for DevIdentitySource {
    /// The development source answers from the registry, which holds every kind.
    fn checks(&self, _kind: app::domain::DocumentKind) -> bool {
        true
    }

    fn verify<'a>(
        &'a self,
        name: &'a str,
        document: &'a IdDocument,
    ) -> app::platform::ports::BoxFuture<'a, Result<IdentityCheck, String>> {
        Box::pin(async move {
            if EXTRA_PEOPLE.iter().any(|(n, id)| {
                *n == name
                    && document.kind() == app::domain::DocumentKind::ResidentId
                    && *id == document.number()
            }) {
                return Ok(IdentityCheck::Match);
            }
            let names = app::registry::repo::names_for_document(&self.db, &self.data_key, document)
                .await
                .map_err(|e| e.to_string())?;
            let matched = names.iter().any(|n| n == name);
            Ok(if matched {
                IdentityCheck::Match
            } else {
                IdentityCheck::NoMatch
            })
        })
    }
}

/// The development SMS gateway: every message into the `sms_outbox` table.
pub struct OutboxGateway {
    db: AnyPool,
    clock: Arc<Clock>,
}

impl OutboxGateway {
    pub fn new(db: AnyPool, clock: Arc<Clock>) -> Self {
        Self { db, clock }
    }
}

impl SmsGateway for OutboxGateway {
    fn send<'a>(
        &'a self,
        phone: &'a Phone,
        message: &'a SmsMessage<'a>,
    ) -> app::platform::ports::BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let text = message.text;
            app::accounts::sms::repo::outbox_push(&self.db, phone.as_str(), text, self.clock.now())
                .await
                .map_err(|e| {
                    tracing::error!(error = %e, "sms outbox");
                    "短信服务暂时不可用,请稍后重试".to_string()
                })
        })
    }
}
