//! 短信网关: how a message reaches a phone. The portal only knows this trait; the carrier's
//! client implements it (腾讯云短信, `services::providers::tencent::TencentSms`). The
//! built-in [`OutboxGateway`] keeps every message in the database's `sms_outbox` table
//! (readable at `GET /dev/sms-outbox` in development).

use super::BoxFuture;
use crate::domain::Phone;
use sqlx::AnyPool;
use std::sync::Arc;

/// One message: its text as the citizen reads it, and the template parameters a carrier's
/// approved template takes instead (the code and its minutes).
#[derive(Debug, Clone)]
pub struct SmsMessage<'a> {
    pub text: &'a str,
    pub code: &'a str,
    pub minutes: i64,
}

pub trait SmsGateway: Send + Sync {
    fn send<'a>(
        &'a self,
        phone: &'a Phone,
        message: &'a SmsMessage<'a>,
    ) -> BoxFuture<'a, Result<(), String>>;
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
    fn send<'a>(
        &'a self,
        phone: &'a Phone,
        message: &'a SmsMessage<'a>,
    ) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let text = message.text;
            crate::models::sms::repo::outbox_push(&self.db, phone.as_str(), text, self.clock.now())
                .await
                .map_err(|e| {
                    tracing::error!(error = %e, "sms outbox");
                    "短信服务暂时不可用,请稍后重试".to_string()
                })
        })
    }
}
