//! 短信网关: how a message reaches a phone. The portal only knows this trait; the carrier's
//! client implements it (腾讯云短信, `platform::providers::tencent::TencentSms`). In
//! development the outbox (`server/src/adapters.rs`) keeps every message in the database's
//! `sms_outbox` table (readable at `GET /dev/sms-outbox`).

use super::BoxFuture;
use crate::domain::Phone;

/// One message: its text as the citizen reads it, and the template parameters a carrier's
/// approved template takes instead: the code and its minutes, or for a notice (no code) the
/// notice template's matter and result. `lang` is the language of the page that asked for a
/// code: a carrier with an approved English code template sends that one.
#[derive(Debug, Clone)]
pub struct SmsMessage<'a> {
    pub text: &'a str,
    pub code: &'a str,
    pub minutes: i64,
    pub notice: Option<Notice<'a>>,
    pub lang: crate::platform::lang::Lang,
}

/// A notice's template parameters ("您的{matter}{result}。详情请登录住建部政务服务门户查看。").
#[derive(Debug, Clone, Copy)]
pub struct Notice<'a> {
    /// e.g. 注册证书(注册编号 京111060800001)
    pub matter: &'a str,
    /// e.g. 已注销
    pub result: &'a str,
}

impl<'a> SmsMessage<'a> {
    /// A notice: its text, and the matter and result the notice template takes.
    pub fn notice(text: &'a str, matter: &'a str, result: &'a str) -> Self {
        Self {
            text,
            code: "",
            minutes: 0,
            notice: Some(Notice { matter, result }),
            lang: crate::platform::lang::Lang::Zh,
        }
    }
}

pub trait SmsGateway: Send + Sync {
    fn send<'a>(
        &'a self,
        phone: &'a Phone,
        message: &'a SmsMessage<'a>,
    ) -> BoxFuture<'a, Result<(), String>>;
}
