//! 身份核验: whether a name and an ID number belong together. In production this is 腾讯云慧眼
//! `IdCardVerification` (`services::providers::tencent::TencentIdentity`), which compares them
//! with the authoritative 公安 database; the trait is all the portal depends on.
//!
//! The development source answers from the registry's persons (name and keyed ID digest)
//! and from [`EXTRA_PEOPLE`]: people who exist but have no registration yet, so that
//! registering a brand-new citizen can be tried.

use super::BoxFuture;
use crate::domain::IdNumber;
use crate::models::registry;
use sqlx::AnyPool;
use std::sync::Arc;

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

/// People known to the development identity source besides the registry (README lists them).
pub const EXTRA_PEOPLE: &[(&str, &str)] = &[
    ("赵新民", "110108200001010015"),
    ("陈晓华", "310101198807150028"),
    ("刘志强", "440106197501200033"),
    ("吴海燕", "440106198302110048"),
    ("郑国栋", "110108198811300057"),
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
    fn verify<'a>(
        &'a self,
        name: &'a str,
        id_number: &'a IdNumber,
    ) -> BoxFuture<'a, Result<IdentityCheck, String>> {
        Box::pin(async move {
            if EXTRA_PEOPLE
                .iter()
                .any(|(n, id)| *n == name && *id == id_number.as_str())
            {
                return Ok(IdentityCheck::Match);
            }
            let names =
                registry::repo::names_for_id_number(&self.db, &self.data_key, id_number.as_str())
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
