//! 身份核验: whether a name and an ID number belong together. In production this is 腾讯云慧眼
//! `IdCardVerification` (`platform::providers::tencent::TencentIdentity`), which compares them
//! with the authoritative 公安 database; the trait is all the portal depends on.
//!
//! The development source (`server/src/adapters.rs`) answers from the registry's persons and
//! from a few people who have no registration yet.

use super::BoxFuture;
use crate::domain::{DocumentKind, IdDocument};

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
    /// Whether this source can check a document of `kind`. The commercial sources check a
    /// 公民身份号码 only (居民身份证, 港澳台居民居住证): under 国家移民管理局's
    /// 《出入境证件身份认证管理办法(试行)》 the 永居证 and the 通行证 are not open to
    /// commercial identity services (as 阿里云's 金融级实人认证 documents it).
    fn checks(&self, kind: DocumentKind) -> bool {
        kind.is_citizen_number()
    }

    fn verify<'a>(
        &'a self,
        name: &'a str,
        document: &'a IdDocument,
    ) -> BoxFuture<'a, Result<IdentityCheck, String>>;
}
