//! 人脸核身: whether the person holding the phone is the account's owner. The portal only
//! knows the [`FaceProvider`] trait. The development provider stands in for the real ones;
//! [`AlipayCertify`] (支付宝 实人认证) and [`WechatFaceVerify`] (微信 人脸核身) describe the
//! real flows and need the operator's credentials and the internet, which this build has not.
//! No face image ever reaches the portal: the providers keep it and answer pass or fail.

use super::BoxFuture;
use std::sync::atomic::{AtomicBool, Ordering};

/// What a provider is asked.
#[derive(Debug, Clone)]
pub struct FaceCheckRequest<'a> {
    /// The account the desktop ticket belongs to.
    pub ticket_account: i64,
    /// The account signed in on the phone.
    pub phone_account: i64,
    /// The holder's name as registered (the real services compare it with the ID photo).
    pub cert_name: &'a str,
    /// An id the provider echoes back (the ticket's public id).
    pub outer_order_no: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceVerdict {
    Pass,
    Fail,
}

pub trait FaceProvider: Send + Sync {
    fn name(&self) -> &'static str;
    fn verify<'a>(
        &'a self,
        request: FaceCheckRequest<'a>,
    ) -> BoxFuture<'a, Result<FaceVerdict, String>>;
}

/// The development provider: passes when the phone's account is the ticket's, unless told to
/// fail (`POST /dev/face-provider` with `result=fail`, development only) for tests.
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

    fn verify<'a>(
        &'a self,
        request: FaceCheckRequest<'a>,
    ) -> BoxFuture<'a, Result<FaceVerdict, String>> {
        Box::pin(async move {
            Ok(
                if !self.fail.load(Ordering::Relaxed)
                    && request.phone_account == request.ticket_account
                {
                    FaceVerdict::Pass
                } else {
                    FaceVerdict::Fail
                },
            )
        })
    }
}

/// 支付宝 实人认证 (`alipay.user.certify.open.initialize` → `alipay.user.certify.open.certify`
/// → `alipay.user.certify.open.query`), signed RSA2 with the application's private key. The
/// mini-program calls `my.startAPVerify` with the `certify_id` the first call returns; the
/// portal then asks `query` for `passed = "T"`.
#[derive(Debug, Clone)]
pub struct AlipayCertify {
    pub app_id: String,
    /// PKCS#8 PEM of the application's RSA2 key; never logged.
    pub private_key_pem: String,
    pub alipay_public_key_pem: String,
    pub gateway: String,
}

impl AlipayCertify {
    /// `biz_content` of `alipay.user.certify.open.initialize` for this request.
    pub fn initialize_biz_content(&self, request: &FaceCheckRequest<'_>, cert_no: &str) -> String {
        format!(
            r#"{{"outer_order_no":"{}","biz_code":"FACE","identity_param":{{"identity_type":"CERT_INFO","cert_type":"IDENTITY_CARD","cert_name":"{}","cert_no":"{}"}},"merchant_config":{{"return_url":""}}}}"#,
            request.outer_order_no, request.cert_name, cert_no
        )
    }
}

impl FaceProvider for AlipayCertify {
    fn name(&self) -> &'static str {
        "alipay"
    }

    fn verify<'a>(
        &'a self,
        _request: FaceCheckRequest<'a>,
    ) -> BoxFuture<'a, Result<FaceVerdict, String>> {
        Box::pin(async move {
            Err(format!(
                "支付宝实人认证需要访问 {},本部署未接入外网或未配置 HTTPS 客户端",
                self.gateway
            ))
        })
    }
}

/// 微信 人脸核身 (腾讯云 FaceId `DetectAuth` → the mini-program's `wx.startFacialRecognitionVerify`
/// → `GetDetectInfoEnhanced`), signed TC3-HMAC-SHA256 with the operator's SecretId/SecretKey.
#[derive(Debug, Clone)]
pub struct WechatFaceVerify {
    pub secret_id: String,
    /// Never logged.
    pub secret_key: String,
    pub rule_id: String,
    pub endpoint: String,
}

impl WechatFaceVerify {
    /// The JSON body of `DetectAuth` for this request.
    pub fn detect_auth_body(&self, request: &FaceCheckRequest<'_>, cert_no: &str) -> String {
        format!(
            r#"{{"RuleId":"{}","IdCard":"{}","Name":"{}","Extra":"{}"}}"#,
            self.rule_id, cert_no, request.cert_name, request.outer_order_no
        )
    }
}

impl FaceProvider for WechatFaceVerify {
    fn name(&self) -> &'static str {
        "wechat"
    }

    fn verify<'a>(
        &'a self,
        _request: FaceCheckRequest<'a>,
    ) -> BoxFuture<'a, Result<FaceVerdict, String>> {
        Box::pin(async move {
            Err(format!(
                "微信人脸核身需要访问 {},本部署未接入外网或未配置 HTTPS 客户端",
                self.endpoint
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(phone: i64) -> FaceCheckRequest<'static> {
        FaceCheckRequest {
            ticket_account: 7,
            phone_account: phone,
            cert_name: "王建国",
            outer_order_no: "t1",
        }
    }

    #[tokio::test]
    async fn the_development_provider_passes_only_the_owner_unless_told_to_fail() {
        let p = DevFaceProvider::default();
        assert_eq!(p.verify(request(7)).await, Ok(FaceVerdict::Pass));
        assert_eq!(p.verify(request(8)).await, Ok(FaceVerdict::Fail));
        p.set_failing(true);
        assert_eq!(p.verify(request(7)).await, Ok(FaceVerdict::Fail));
    }

    #[test]
    fn the_real_adapters_build_their_requests() {
        let a = AlipayCertify {
            app_id: "2021000000000000".into(),
            private_key_pem: String::new(),
            alipay_public_key_pem: String::new(),
            gateway: "https://openapi.alipay.com/gateway.do".into(),
        };
        let body = a.initialize_biz_content(&request(7), "110105198003150039");
        assert!(body.contains(r#""cert_name":"王建国""#) && body.contains(r#""biz_code":"FACE""#));
        let w = WechatFaceVerify {
            secret_id: "id".into(),
            secret_key: "key".into(),
            rule_id: "1".into(),
            endpoint: "https://faceid.tencentcloudapi.com".into(),
        };
        assert!(
            w.detect_auth_body(&request(7), "x")
                .contains(r#""RuleId":"1""#)
        );
    }
}
