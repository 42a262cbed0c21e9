//! 人脸核身: whether the person holding the phone is the account's owner. Real providers do not
//! answer from one call, so neither does the trait: the portal **starts** a check (the
//! provider keeps the holder's name and 身份证号 and gives back the address of its own H5 page
//! and its id of the check), **hands the phone off** to that page, and when the provider sends
//! the phone back it asks for the **result** of the check it started, by the id it kept. The
//! return address proves nothing by itself.
//!
//! The development provider stands in for the real ones: it hands the phone straight back and
//! passes unless told to fail. The real clients are 腾讯云慧眼 FaceId H5
//! ([`crate::platform::providers::tencent::TencentFace`]) and 支付宝 实人认证
//! ([`crate::platform::providers::alipay::AlipayFace`]). No face image ever reaches the portal.

use super::BoxFuture;
use crate::domain::{DocumentKind, IdDocument};
use std::sync::atomic::{AtomicBool, Ordering};

/// What a provider is told when a check starts.
#[derive(Debug, Clone, Copy)]
pub struct FaceStart<'a> {
    /// The holder's name as registered.
    pub name: &'a str,
    /// The document typed on the phone, already checked against the account's digest.
    pub id_number: &'a IdDocument,
    /// Where the provider sends the phone back (`/m/face-return?ticket=…`).
    pub return_url: &'a str,
    /// The ticket's public id, which the provider echoes (`Extra`, `outer_order_no`).
    pub order_no: &'a str,
}

/// A started check: the page the phone opens, and the provider's id of the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handoff {
    pub url: String,
    /// FaceId's `BizToken`, Alipay's `certify_id`: kept on the ticket, never taken from a return.
    pub reference: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceVerdict {
    Pass,
    Fail,
}

/// What the provider answers about a check it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaceResult {
    pub verdict: FaceVerdict,
    /// The name and 身份证号 the provider checked, where it tells them (FaceId does): the
    /// portal passes the ticket only when they are the account's person.
    pub person: Option<(String, String)>,
}

pub trait FaceProvider: Send + Sync {
    /// `development`, `wechat`, `alipay` (stored on the ticket).
    fn name(&self) -> &'static str;
    /// Whether the provider can check a holder of `kind` against the authoritative photo:
    /// by default a 公民身份号码 only (居民身份证, 港澳台居民居住证), as for identity
    /// sources ([`crate::platform::ports::identity::IdentitySource::checks`]). The other
    /// kinds go to 协助核验.
    fn checks(&self, kind: DocumentKind) -> bool {
        kind.is_citizen_number()
    }
    /// Starts a check. Not retried: a second start would be a second (billed) check.
    fn start<'a>(&'a self, start: FaceStart<'a>) -> BoxFuture<'a, Result<Handoff, String>>;
    /// The result of the check `reference` (a query: tried again once if unreachable).
    fn result<'a>(&'a self, reference: &'a str) -> BoxFuture<'a, Result<FaceResult, String>>;
}

/// The development provider: hands the phone straight back (with its reference as `token`,
/// as FaceId does) and passes, unless told to fail (`POST /dev/face-provider` with
/// `result=fail`, development only) for tests.
#[derive(Debug, Default)]
pub struct DevFaceProvider {
    fail: AtomicBool,
}

impl DevFaceProvider {
    pub fn set_failing(&self, fail: bool) {
        self.fail.store(fail, Ordering::Relaxed);
    }
}

impl FaceProvider for DevFaceProvider {
    fn name(&self) -> &'static str {
        "development"
    }

    /// The development provider stands in for one that the 国家移民管理局 has opened its
    /// documents to, so that every kind's journey can be tried end to end.
    fn checks(&self, _kind: DocumentKind) -> bool {
        true
    }

    fn start<'a>(&'a self, start: FaceStart<'a>) -> BoxFuture<'a, Result<Handoff, String>> {
        Box::pin(async move {
            let reference = format!("dev-{}", start.order_no);
            let joiner = if start.return_url.contains('?') {
                '&'
            } else {
                '?'
            };
            Ok(Handoff {
                url: format!("{}{joiner}token={reference}", start.return_url),
                reference,
            })
        })
    }

    fn result<'a>(&'a self, _reference: &'a str) -> BoxFuture<'a, Result<FaceResult, String>> {
        Box::pin(async move {
            Ok(FaceResult {
                verdict: if self.fail.load(Ordering::Relaxed) {
                    FaceVerdict::Fail
                } else {
                    FaceVerdict::Pass
                },
                person: None,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_development_provider_hands_back_and_passes_unless_told_to_fail() {
        let p = DevFaceProvider::default();
        let id = crate::domain::IdNumber::parse("110105198003150039")
            .unwrap()
            .into();
        let start = FaceStart {
            name: "王建国",
            id_number: &id,
            return_url: "http://127.0.0.1:3000/m/face-return?ticket=t1",
            order_no: "t1",
        };
        let handoff = p.start(start).await.unwrap();
        assert_eq!(
            handoff.url,
            "http://127.0.0.1:3000/m/face-return?ticket=t1&token=dev-t1"
        );
        assert_eq!(
            p.result(&handoff.reference).await.unwrap().verdict,
            FaceVerdict::Pass
        );
        p.set_failing(true);
        assert_eq!(
            p.result(&handoff.reference).await.unwrap().verdict,
            FaceVerdict::Fail
        );
    }
}
