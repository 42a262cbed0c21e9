//! The outside services a running portal uses, chosen from the configuration. Production: the
//! operator's real clients, every one of them (the configuration refuses to start without
//! them, see [`crate::config`]). Development and staging: the built-in stand-ins, except the
//! services whose variables are set, which use their real clients (against the provider
//! simulator, `scripts/provider-sim`, or a provider's test account).

use crate::config::{Config, FaceChoice, SmsCarrier, TencentKey};
use app::services::clock::Clock;
use app::services::enterprise::CreditRegistrySource;
use app::services::face_provider::{AlipayCertify, FaceProvider, WechatFaceVerify};
use app::services::providers::ProviderHttp;
use app::services::providers::aliyun::AliyunSms;
use app::services::providers::tencent::{TencentCloud, TencentIdentity, TencentSms};
use app::services::sms_gateway::SmsGateway;
use app::state::Services;
use sqlx::AnyPool;
use std::sync::Arc;

pub fn services(config: &Config, db: &AnyPool, clock: Arc<Clock>) -> Result<Services, String> {
    let http = Arc::new(ProviderHttp::new()?);
    let a = &config.adapters;
    if !config.env.is_production() || config.staging {
        let mut services = Services::development(db, config.data_key.clone().into(), clock.clone());
        if let Some(key) = &a.identity {
            services.identity = Arc::new(identity(&http, key, &clock));
        }
        if let Some(carrier) = &a.sms {
            services.sms = sms(&http, carrier, &clock);
        }
        if a.identity.is_some() || a.sms.is_some() {
            services.providers = Some(http);
        }
        return Ok(services);
    }
    let (Some(identity_key), Some(enterprise), Some(carrier), Some(face)) =
        (&a.identity, &a.enterprise, &a.sms, &a.face)
    else {
        return Err("生产环境缺少外部服务配置(身份核验、企业核验、短信、人脸核身)".into());
    };
    let read = |name: &str, path: &str| {
        std::fs::read_to_string(path).map_err(|e| format!("{name} {path} 无法读取:{e}"))
    };
    let face: Arc<dyn FaceProvider> = match face {
        FaceChoice::Alipay {
            app_id,
            private_key_file,
            public_key_file,
        } => Arc::new(AlipayCertify {
            app_id: app_id.clone(),
            private_key_pem: read("PORTAL_ALIPAY_PRIVATE_KEY_FILE", private_key_file)?,
            alipay_public_key_pem: read("PORTAL_ALIPAY_PUBLIC_KEY_FILE", public_key_file)?,
            gateway: "https://openapi.alipay.com/gateway.do".into(),
        }),
        FaceChoice::Wechat {
            secret_id,
            secret_key,
            rule_id,
        } => Arc::new(WechatFaceVerify {
            secret_id: secret_id.clone(),
            secret_key: secret_key.clone(),
            rule_id: rule_id.clone(),
            endpoint: "https://faceid.tencentcloudapi.com".into(),
        }),
    };
    let mut services = Services::configured(
        Arc::new(identity(&http, identity_key, &clock)),
        Arc::new(CreditRegistrySource {
            endpoint: enterprise.url.clone(),
            app_id: enterprise.app_id.clone(),
            secret: enterprise.secret.clone(),
        }),
        sms(&http, carrier, &clock),
        face,
    );
    services.providers = Some(http);
    Ok(services)
}

fn cloud(http: &Arc<ProviderHttp>, key: &TencentKey, service: &'static str) -> TencentCloud {
    TencentCloud {
        http: http.clone(),
        endpoint: key.endpoint.clone(),
        service,
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
            clock: clock.clone(),
        });
    }
    Arc::new(TencentSms {
        cloud: cloud(http, &carrier.key, "sms"),
        clock: clock.clone(),
        sdk_app_id: carrier.app_id.clone(),
        sign_name: carrier.sign_name.clone(),
        template_id: carrier.template_id.clone(),
    })
}
