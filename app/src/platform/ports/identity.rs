//! 身份核验: whether a name and an ID number belong together. In production this is 腾讯云慧眼
//! `IdCardVerification` (`platform::providers::tencent::TencentIdentity`), which compares them
//! with the authoritative 公安 database; the trait is all the portal depends on.
//!
//! The development source (`server/src/adapters.rs`) answers from the registry's persons and
//! from a few people who have no registration yet.

use super::BoxFuture;
use crate::domain::IdNumber;

/// The answer of an identity source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityCheck {
    /// Name and number belong together.
    Match,
    /// The number exists but belongs to someone of another name, or the number is unknown.
    /// Both get the same answer, as the real service gives.
    NoMatch,
}

pub trait IdentitySource: Send + Sync {
    fn verify<'a>(
        &'a self,
        name: &'a str,
        id_number: &'a IdNumber,
    ) -> BoxFuture<'a, Result<IdentityCheck, String>>;
}
