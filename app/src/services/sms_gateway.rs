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
