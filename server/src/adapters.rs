//! The outside services a running portal uses, chosen from the configuration: in development
//! the built-in stand-ins; in production the operator's real adapters, every one of them
//! (the configuration refuses to start without them, see [`crate::config`]).

use crate::config::{Config, FaceChoice};
use app::services::clock::Clock;
use app::services::enterprise::CreditRegistrySource;
use app::services::face_provider::{AlipayCertify, FaceProvider, WechatFaceVerify};
use app::services::identity::PublicSecurityIdentity;
use app::services::sms_gateway::CarrierGateway;
use app::state::Services;
use sqlx::AnyPool;
use std::sync::Arc;

pub fn services(config: &Config, db: &AnyPool, clock: Arc<Clock>) -> Result<Services, String> {
    if !config.env.is_production() || config.staging {
        return Ok(Services::development(
            db,
            config.data_key.clone().into(),
            clock,
        ));
    }
    let a = &config.adapters;
    let (Some(identity), Some(enterprise), Some(sms), Some(face)) =
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
    Ok(Services::configured(
        Arc::new(PublicSecurityIdentity {
            endpoint: identity.url.clone(),
            app_id: identity.app_id.clone(),
            secret: identity.secret.clone(),
        }),
        Arc::new(CreditRegistrySource {
            endpoint: enterprise.url.clone(),
            app_id: enterprise.app_id.clone(),
            secret: enterprise.secret.clone(),
        }),
        Arc::new(CarrierGateway {
            provider: sms.provider.clone(),
            access_key: sms.access_key.clone(),
            secret: sms.secret.clone(),
            sign_name: sms.sign_name.clone(),
        }),
        face,
    ))
}
