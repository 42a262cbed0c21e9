//! 短信网关: how a message reaches a phone. The portal only knows this trait; the carrier's
//! client implements it (腾讯云短信, `platform::providers::tencent::TencentSms`). In
//! development the outbox (`server/src/adapters.rs`) keeps every message in the database's
//! `sms_outbox` table (readable at `GET /dev/sms-outbox`).

use super::BoxFuture;
use crate::domain::Phone;

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
