//! 短信网关: how a message reaches a phone. The portal only knows this trait; an operator's
//! carrier adapter implements it. The built-in [`OutboxGateway`] keeps every message in the
//! database's `sms_outbox` table (readable at `GET /dev/sms-outbox` in development).

use super::BoxFuture;
use crate::domain::Phone;
use sqlx::AnyPool;
use std::sync::Arc;

pub trait SmsGateway: Send + Sync {
    fn send<'a>(&'a self, phone: &'a Phone, text: &'a str) -> BoxFuture<'a, Result<(), String>>;
}

pub struct OutboxGateway {
    db: AnyPool,
    clock: Arc<super::clock::Clock>,
}

impl OutboxGateway {
    pub fn new(db: AnyPool, clock: Arc<super::clock::Clock>) -> Self {
        Self { db, clock }
    }
}

impl SmsGateway for OutboxGateway {
    fn send<'a>(&'a self, phone: &'a Phone, text: &'a str) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            crate::models::sms::repo::outbox_push(&self.db, phone.as_str(), text, self.clock.now())
                .await
                .map_err(|e| e.to_string())
        })
    }
}

/// A carrier's SMS service (`PORTAL_SMS_PROVIDER=aliyun|tencent`, `PORTAL_SMS_ACCESS_KEY`,
/// `PORTAL_SMS_SECRET`, `PORTAL_SMS_SIGN_NAME`). This build has no HTTPS client, so sending
/// fails closed: 获取验证码 says the service is unavailable; no code is kept readable.
#[derive(Debug, Clone)]
pub struct CarrierGateway {
    /// `aliyun` (阿里云短信) or `tencent` (腾讯云短信).
    pub provider: String,
    pub access_key: String,
    /// Never logged.
    pub secret: String,
    pub sign_name: String,
}

impl SmsGateway for CarrierGateway {
    fn send<'a>(&'a self, _phone: &'a Phone, _text: &'a str) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            Err(format!(
                "短信服务({})无法访问(本构建未接入外网或未配置 HTTPS 客户端)",
                self.provider
            ))
        })
    }
}
