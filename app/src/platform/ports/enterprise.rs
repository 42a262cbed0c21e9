//! 企业身份核验: whether an enterprise with this 统一社会信用代码 and name exists and has this
//! legal representative. In production the source is 腾讯云 OCR's 营业执照核验 (企业四要素,
//! [`crate::platform::providers::tencent::TencentEnterprise`]); the trait is all the portal
//! depends on. Naming a legal
//! representative proves nothing by itself: this check and the representative's own
//! confirmation (personal account + face check) are both required before an enterprise
//! account is active.

use super::BoxFuture;
use crate::domain::IdDocument;

/// What a registration claims about an enterprise.
#[derive(Debug, Clone, Copy)]
pub struct EnterpriseClaim<'a> {
    pub credit_code: &'a str,
    pub org_name: &'a str,
    pub legal_name: &'a str,
    pub legal_id: &'a IdDocument,
}

/// The answer of an enterprise identity source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnterpriseCheck {
    /// The registry knows the enterprise by this code and name, with this representative.
    Match,
    /// Anything else (unknown code, other name, other representative): one answer.
    NoMatch,
}

pub trait EnterpriseSource: Send + Sync {
    fn verify<'a>(
        &'a self,
        claim: &'a EnterpriseClaim<'a>,
    ) -> BoxFuture<'a, Result<EnterpriseCheck, String>>;
}

/// Enterprises known to the development source (README lists them): credit code, name,
/// legal representative's name and ID number.
pub const DEV_ENTERPRISES: &[(&str, &str, &str, &str)] = &[
    (
        "91110000MA01ABCD1M",
        "中建示范建设有限公司",
        "王建国",
        "110105198003150039",
    ),
    (
        "91310000MA1KXYW12M",
        "沪上示范工程咨询有限公司",
        "李秀英",
        "310104199007220044",
    ),
    (
        "91440101MA5CQRT837",
        "华南示范设计院有限公司",
        "刘志强",
        "440106197501200033",
    ),
    (
        "91420100MA4K7WJ81T",
        "江城示范建设监理有限公司",
        "吴海燕",
        "440106198302110048",
    ),
];

/// The development source: a fixed list. Development only; production refuses to start with it.
#[derive(Debug, Default)]
pub struct DevEnterpriseSource;

impl EnterpriseSource for DevEnterpriseSource {
    fn verify<'a>(
        &'a self,
        claim: &'a EnterpriseClaim<'a>,
    ) -> BoxFuture<'a, Result<EnterpriseCheck, String>> {
        Box::pin(async move {
            let known = DEV_ENTERPRISES.iter().any(|(code, name, legal, id)| {
                *code == claim.credit_code
                    && *name == claim.org_name
                    && *legal == claim.legal_name
                    && claim.legal_id.kind() == crate::domain::DocumentKind::ResidentId
                    && *id == claim.legal_id.number()
            });
            Ok(if known {
                EnterpriseCheck::Match
            } else {
                EnterpriseCheck::NoMatch
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_development_source_needs_code_name_and_representative_together() {
        let id = crate::domain::IdNumber::parse("110105198003150039")
            .unwrap()
            .into();
        let claim = |code, name, legal| EnterpriseClaim {
            credit_code: code,
            org_name: name,
            legal_name: legal,
            legal_id: &id,
        };
        let s = DevEnterpriseSource;
        let ok = claim("91110000MA01ABCD1M", "中建示范建设有限公司", "王建国");
        assert_eq!(s.verify(&ok).await, Ok(EnterpriseCheck::Match));
        let other_name = claim("91110000MA01ABCD1M", "某某公司", "王建国");
        assert_eq!(s.verify(&other_name).await, Ok(EnterpriseCheck::NoMatch));
        let other_code = claim("91440101MA5CQRT837", "中建示范建设有限公司", "王建国");
        assert_eq!(s.verify(&other_code).await, Ok(EnterpriseCheck::NoMatch));
    }
}
