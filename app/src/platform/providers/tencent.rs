//! Tencent Cloud API 3.0 clients (腾讯云): 身份核验 by FaceId `IdCardVerification` and 短信 by
//! SMS `SendSms`, each as its API reference publishes it, signed `TC3-HMAC-SHA256` ([`super::tc3`]):
//! - `IdCardVerification`, FaceId API version 2018-03-01
//!   (<https://cloud.tencent.com/document/api/1007/33188>): `IdCard`, `Name` → `Result`
//!   ("0" 姓名和身份证号一致; "-1" 不一致; "-2" 非法身份证号; "-3" 非法姓名; "-4" 证件库服务
//!   异常; "-5" 证件库中无此身份证记录; "-6" 权威比对系统升级中; "-7" 认证次数超过当日限制),
//!   `Description`, `RequestId`.
//! - `SendSms`, SMS API version 2021-01-11 (<https://cloud.tencent.com/document/api/382/55981>):
//!   `PhoneNumberSet` (E.164), `SmsSdkAppId`, `SignName`, `TemplateId`, `TemplateParamSet`,
//!   region `ap-guangzhou` → `SendStatusSet[]` with `Code` "Ok" per number.
//!
//! - `DetectAuth` and `GetDetectInfoEnhanced`, FaceId API version 2018-03-01 (慧眼 H5 人脸核身:
//!   <https://cloud.tencent.com/document/api/1007/31816>,
//!   <https://cloud.tencent.com/document/api/1007/41957>): `RuleId`, `IdCard`, `Name`,
//!   `RedirectUrl`, `Extra` → `Url` (the H5 page) and `BizToken`; then `BizToken`, `RuleId`,
//!   `InfoType` "1" (text only: no photo or video is fetched) → `Text.ErrCode` (0 passed; null
//!   while unfinished), `Text.IdCard`, `Text.Name`.
//! - `VerifyBizLicenseEnterprise4`, OCR API version 2018-11-19 (营业执照核验(企业四要素):
//!   <https://cloud.tencent.com/document/api/866/129072>, confirmed in the official SDK
//!   `tencentcloud-sdk-python-ocr` 3.1.193, `ocr/v20181119/models.py`): `CreditCode`,
//!   `EntName`, `LrName`, `IdNum` → `StatusCode` (0 answered; 1 the provider's system error),
//!   `VerifyResult` (1 all four consistent), `OperatingStatus` ("1" 开业/在营).
//!
//! Every answer is `{"Response": {…, "RequestId"}}`, or `{"Response": {"Error": {"Code",
//! "Message"}, "RequestId"}}` when the call failed (`AuthFailure.SignatureFailure` for a bad
//! signature).

use super::{Call, CallError, ProviderHttp, host_of, tc3};
use crate::domain::{IdDocument, Phone};
use crate::platform::lang::Lang;
use crate::platform::ports::BoxFuture;
use crate::platform::ports::enterprise::{EnterpriseCheck, EnterpriseClaim, EnterpriseSource};
use crate::platform::ports::face_provider::{
    FaceProvider, FaceResult, FaceStart, FaceVerdict, Handoff,
};
use crate::platform::ports::identity::{IdentityCheck, IdentitySource};
use crate::platform::ports::sms::{SmsGateway, SmsMessage};
use serde_json::{Value, json};
use std::sync::Arc;

/// FaceId's public endpoint (`PORTAL_FACEID_ENDPOINT`, `PORTAL_IDENTITY_URL`).
pub const FACEID_ENDPOINT: &str = "https://faceid.tencentcloudapi.com";
/// OCR's public endpoint (`PORTAL_ENTERPRISE_URL`: 营业执照核验).
pub const OCR_ENDPOINT: &str = "https://ocr.tencentcloudapi.com";
/// SMS's public endpoint (`PORTAL_SMS_ENDPOINT` with `PORTAL_SMS_PROVIDER=tencent`).
pub const SMS_ENDPOINT: &str = "https://sms.tencentcloudapi.com";

/// One Tencent Cloud service reached with the operator's SecretId and SecretKey.
#[derive(Clone)]
pub struct TencentCloud {
    pub http: Arc<ProviderHttp>,
    /// The endpoint's address (the public one, or a government gateway's).
    pub endpoint: String,
    /// The signing service name: `faceid`, `sms`, `ocr`.
    pub service: &'static str,
    /// The name its calls are counted and its breaker kept under (`/metrics`): the service,
    /// or `faceid-h5` for the face check, so that registration's identity checks and the
    /// face check do not open each other's breaker.
    pub label: &'static str,
    pub secret_id: String,
    /// Never logged.
    pub secret_key: String,
}

impl std::fmt::Debug for TencentCloud {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TencentCloud")
            .field("endpoint", &self.endpoint)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

/// One API action as its reference publishes it, and how the portal calls it.
#[derive(Debug, Clone, Copy)]
pub struct Action {
    pub name: &'static str,
    pub version: &'static str,
    /// `X-TC-Region`, for the APIs that require one.
    pub region: Option<&'static str>,
    /// A query, tried once more if the provider could not be reached; never an action that
    /// sends, starts or bills something twice.
    pub idempotent: bool,
    /// The service in the citizen's words ("短信服务").
    pub service: &'static str,
}

pub const ID_CARD_VERIFICATION: Action = Action {
    name: "IdCardVerification",
    version: "2018-03-01",
    region: None,
    idempotent: true,
    service: "身份信息核验服务",
};
/// Never retried: a message that may have gone out is not sent twice.
pub const SEND_SMS: Action = Action {
    name: "SendSms",
    version: "2021-01-11",
    region: Some("ap-guangzhou"),
    idempotent: false,
    service: "短信服务",
};
/// Never retried: each start is a new (billed) check.
pub const DETECT_AUTH: Action = Action {
    name: "DetectAuth",
    version: "2018-03-01",
    region: None,
    idempotent: false,
    service: "人脸核身服务",
};
pub const GET_DETECT_INFO_ENHANCED: Action = Action {
    name: "GetDetectInfoEnhanced",
    version: "2018-03-01",
    region: None,
    idempotent: true,
    service: "人脸核身服务",
};
pub const VERIFY_BIZ_LICENSE_ENTERPRISE4: Action = Action {
    name: "VerifyBizLicenseEnterprise4",
    version: "2018-11-19",
    region: None,
    idempotent: true,
    service: "企业信息核验服务",
};

impl TencentCloud {
    /// Calls `action` with `body`; the `Response` object of a successful answer.
    pub async fn call(&self, action: &Action, body: &Value, now: i64) -> Result<Value, CallError> {
        let payload = body.to_string();
        let host = host_of(&self.endpoint).map_err(CallError::Unavailable)?;
        let request = tc3::Tc3Request {
            service: self.service,
            host: &host,
            payload: &payload,
            timestamp: now,
        };
        let mut headers = vec![
            (
                "Authorization",
                tc3::authorization(&self.secret_id, &self.secret_key, &request),
            ),
            ("Content-Type", tc3::CONTENT_TYPE.to_string()),
            ("Host", host.clone()),
            ("X-TC-Action", action.name.to_string()),
            ("X-TC-Version", action.version.to_string()),
            ("X-TC-Timestamp", now.to_string()),
        ];
        if let Some(region) = action.region {
            headers.push(("X-TC-Region", region.to_string()));
        }
        let call = Call {
            provider: self.label,
            action: action.name,
            url: &self.endpoint,
            idempotent: action.idempotent,
        };
        let answer = self
            .http
            .post_json(&call, &headers, payload, response_of)
            .await?;
        Ok(answer["Response"].clone())
    }

    /// [`Self::call`], its `Response` read by `read`; a failure as the citizen's message.
    pub async fn ask<T>(
        &self,
        action: &Action,
        body: &Value,
        now: i64,
        read: impl FnOnce(&Value) -> Result<T, CallError>,
    ) -> Result<T, String> {
        self.call(action, body, now)
            .await
            .and_then(|r| read(&r))
            .map_err(|e| e.message(action.service))
    }
}

/// Whether a Tencent Cloud answer is a `Response` without an `Error`.
fn response_of(answer: &Value) -> Result<(), CallError> {
    let response = answer
        .get("Response")
        .filter(|r| r.is_object())
        .ok_or_else(|| CallError::Malformed("no Response".into()))?;
    match response.get("Error") {
        Some(error) => {
            let text = |k: &str| {
                error
                    .get(k)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            Err(CallError::Provider {
                code: text("Code"),
                message: text("Message"),
            })
        }
        None => Ok(()),
    }
}

/// 身份核验 by FaceId `IdCardVerification`.
#[derive(Debug, Clone)]
pub struct TencentIdentity {
    pub cloud: TencentCloud,
    pub clock: Arc<crate::platform::clock::Clock>,
}

/// What `IdCardVerification`'s `Result` means for registration: consistent, not confirmed,
/// or the provider could not say (its database or quota): never a mismatch then.
pub fn identity_result(result: &str) -> Result<IdentityCheck, CallError> {
    match result {
        "0" => Ok(IdentityCheck::Match),
        "-1" | "-2" | "-3" | "-5" => Ok(IdentityCheck::NoMatch),
        "-4" | "-6" | "-7" => Err(CallError::Provider {
            code: format!("Result {result}"),
            message: "identity database unavailable".into(),
        }),
        other => Err(CallError::Malformed(format!("Result {other:?}"))),
    }
}

impl IdentitySource for TencentIdentity {
    fn verify<'a>(
        &'a self,
        name: &'a str,
        id_number: &'a IdDocument,
    ) -> BoxFuture<'a, Result<IdentityCheck, String>> {
        Box::pin(async move {
            let body = json!({ "IdCard": id_number.number(), "Name": name });
            self.cloud
                .ask(&ID_CARD_VERIFICATION, &body, self.clock.now(), |r| {
                    let result = r
                        .get("Result")
                        .and_then(Value::as_str)
                        .ok_or_else(|| CallError::Malformed("no Result".into()))?;
                    identity_result(result)
                })
                .await
        })
    }
}

/// 短信 by Tencent Cloud SMS `SendSms`: codes by one template (`PORTAL_SMS_TEMPLATE_ID`) whose
/// parameters are the code and its minutes ("您的验证码为{1},{2}分钟内有效"), notices by another
/// (`PORTAL_SMS_NOTICE_TEMPLATE_ID`) whose parameters are the matter and the result
/// ("您的{1}{2}。详情请登录住建部政务服务门户查看。").
#[derive(Debug, Clone)]
pub struct TencentSms {
    pub cloud: TencentCloud,
    pub clock: Arc<crate::platform::clock::Clock>,
    pub sdk_app_id: String,
    pub sign_name: String,
    pub template_id: String,
    /// The approved English code template, or "" (English pages' codes then go by
    /// `template_id`).
    pub template_id_en: String,
    pub notice_template_id: String,
}

impl TencentSms {
    pub fn body(&self, phone: &Phone, message: &SmsMessage<'_>) -> Value {
        json!({
            "PhoneNumberSet": [format!("+86{}", phone.as_str())],
            "SmsSdkAppId": self.sdk_app_id,
            "SignName": self.sign_name,
            "TemplateId": match message.notice {
                Some(_) => &self.notice_template_id,
                None if message.lang == Lang::En && !self.template_id_en.is_empty() => {
                    &self.template_id_en
                }
                None => &self.template_id,
            },
            "TemplateParamSet": match message.notice {
                Some(n) => [n.matter.to_string(), n.result.to_string()],
                None => [message.code.to_string(), message.minutes.to_string()],
            },
        })
    }
}

/// Whether every number of a `SendSms` answer was sent (`Code` "Ok"); a 200 answer may carry
/// per-number failures.
pub fn all_sent(response: &Value) -> Result<(), CallError> {
    let set = response
        .get("SendStatusSet")
        .and_then(Value::as_array)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| CallError::Malformed("no SendStatusSet".into()))?;
    for status in set {
        let code = status.get("Code").and_then(Value::as_str).unwrap_or("");
        if code != "Ok" {
            return Err(CallError::Provider {
                code: code.to_string(),
                message: status
                    .get("Message")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            });
        }
    }
    Ok(())
}

impl SmsGateway for TencentSms {
    fn send<'a>(
        &'a self,
        phone: &'a Phone,
        message: &'a SmsMessage<'a>,
    ) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            self.cloud
                .ask(
                    &SEND_SMS,
                    &self.body(phone, message),
                    self.clock.now(),
                    all_sent,
                )
                .await
        })
    }
}

/// 人脸核身 by 腾讯云慧眼 FaceId H5 (`PORTAL_FACE_PROVIDER=wechat`): `DetectAuth` starts a
/// check and gives the H5 page; `GetDetectInfoEnhanced` tells its result.
#[derive(Debug, Clone)]
pub struct TencentFace {
    pub cloud: TencentCloud,
    pub clock: Arc<crate::platform::clock::Clock>,
    /// The business flow configured in the FaceId console (`PORTAL_WECHAT_RULE_ID`).
    pub rule_id: String,
}

/// What `GetDetectInfoEnhanced`'s `Text` says: passed only when `ErrCode` is 0; an unfinished
/// check (`ErrCode` null) or any other code is a failure. The name and number it checked are
/// returned for the portal to compare with the account's.
pub fn detect_result(response: &Value) -> Result<FaceResult, CallError> {
    let text = response
        .get("Text")
        .filter(|t| t.is_object())
        .ok_or_else(|| CallError::Malformed("no Text".into()))?;
    let verdict = match text.get("ErrCode") {
        Some(Value::Number(n)) if n.as_i64() == Some(0) => FaceVerdict::Pass,
        Some(Value::Number(_)) | Some(Value::Null) | None => FaceVerdict::Fail,
        Some(other) => return Err(CallError::Malformed(format!("ErrCode {other}"))),
    };
    let field = |k: &str| text.get(k).and_then(Value::as_str).map(str::to_string);
    let person = match (field("Name"), field("IdCard")) {
        (Some(name), Some(id)) if !name.is_empty() && !id.is_empty() => Some((name, id)),
        _ => None,
    };
    if verdict == FaceVerdict::Pass && person.is_none() {
        // A pass that does not say whom it passed cannot be checked against the account.
        return Err(CallError::Malformed(
            "passed without Name and IdCard".into(),
        ));
    }
    Ok(FaceResult { verdict, person })
}

/// Whether FaceId's `Url` may be opened on a citizen's phone: `https://`, or `http://` on this
/// machine (the provider simulator).
pub fn is_page_address(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(u) if u.scheme() == "https" => u.host_str().is_some(),
        Ok(u) if u.scheme() == "http" => {
            matches!(
                u.host(),
                Some(url::Host::Ipv4(ip)) if ip.is_loopback()
            ) || matches!(u.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback())
                || u.host_str() == Some("localhost")
        }
        _ => false,
    }
}

impl FaceProvider for TencentFace {
    fn name(&self) -> &'static str {
        "wechat"
    }

    fn start<'a>(&'a self, start: FaceStart<'a>) -> BoxFuture<'a, Result<Handoff, String>> {
        Box::pin(async move {
            let body = json!({
                "RuleId": self.rule_id,
                "IdCard": start.id_number.number(),
                "Name": start.name,
                "RedirectUrl": start.return_url,
                "Extra": start.order_no,
            });
            self.cloud
                .ask(&DETECT_AUTH, &body, self.clock.now(), |r| {
                    let text = |k: &str| {
                        r.get(k)
                            .and_then(Value::as_str)
                            .filter(|v| !v.is_empty())
                            .map(str::to_string)
                            .ok_or_else(|| CallError::Malformed(format!("no {k}")))
                    };
                    let url = text("Url")?;
                    if !is_page_address(&url) {
                        return Err(CallError::Malformed("Url is not an https address".into()));
                    }
                    Ok(Handoff {
                        url,
                        reference: text("BizToken")?,
                    })
                })
                .await
        })
    }

    fn result<'a>(&'a self, reference: &'a str) -> BoxFuture<'a, Result<FaceResult, String>> {
        Box::pin(async move {
            let body = json!({ "BizToken": reference, "RuleId": self.rule_id, "InfoType": "1" });
            self.cloud
                .ask(
                    &GET_DETECT_INFO_ENHANCED,
                    &body,
                    self.clock.now(),
                    detect_result,
                )
                .await
        })
    }
}

/// 企业核验 by 腾讯云 OCR `VerifyBizLicenseEnterprise4` (营业执照核验, 企业四要素): the
/// 统一社会信用代码, the enterprise's name, its 法定代表人 and the representative's 身份证号.
#[derive(Debug, Clone)]
pub struct TencentEnterprise {
    pub cloud: TencentCloud,
    pub clock: Arc<crate::platform::clock::Clock>,
}

/// What `VerifyBizLicenseEnterprise4` means for registration: all four consistent and the
/// enterprise 在营 is a match; any field inconsistent, or an enterprise 注销/吊销/迁出, is not;
/// `StatusCode` 1 (the provider's own failure) is "unavailable", never a mismatch.
pub fn enterprise_result(response: &Value) -> Result<EnterpriseCheck, CallError> {
    let status = response
        .get("StatusCode")
        .and_then(Value::as_i64)
        .ok_or_else(|| CallError::Malformed("no StatusCode".into()))?;
    match status {
        0 => {}
        1 => {
            return Err(CallError::Provider {
                code: "StatusCode 1".into(),
                message: "enterprise registry unavailable".into(),
            });
        }
        other => return Err(CallError::Malformed(format!("StatusCode {other}"))),
    }
    let consistent = match response.get("VerifyResult").and_then(Value::as_i64) {
        Some(1) => true,
        Some(0) => false,
        other => return Err(CallError::Malformed(format!("VerifyResult {other:?}"))),
    };
    let operating = response.get("OperatingStatus").and_then(Value::as_str) == Some("1");
    Ok(if consistent && operating {
        EnterpriseCheck::Match
    } else {
        EnterpriseCheck::NoMatch
    })
}

impl EnterpriseSource for TencentEnterprise {
    fn verify<'a>(
        &'a self,
        claim: &'a EnterpriseClaim<'a>,
    ) -> BoxFuture<'a, Result<EnterpriseCheck, String>> {
        Box::pin(async move {
            let body = json!({
                "CreditCode": claim.credit_code,
                "EntName": claim.org_name,
                "LrName": claim.legal_name,
                "IdNum": claim.legal_id.number(),
            });
            self.cloud
                .ask(
                    &VERIFY_BIZ_LICENSE_ENTERPRISE4,
                    &body,
                    self.clock.now(),
                    enterprise_result,
                )
                .await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_results_mean_what_the_reference_says() {
        assert_eq!(identity_result("0"), Ok(IdentityCheck::Match));
        for r in ["-1", "-2", "-3", "-5"] {
            assert_eq!(identity_result(r), Ok(IdentityCheck::NoMatch), "{r}");
        }
        for r in ["-4", "-6", "-7"] {
            assert!(
                matches!(identity_result(r), Err(CallError::Provider { .. })),
                "{r}: the provider could not say, which is not a mismatch"
            );
        }
        assert!(matches!(identity_result("1"), Err(CallError::Malformed(_))));
    }

    #[test]
    fn a_send_status_other_than_ok_is_a_failure() {
        let ok = json!({ "SendStatusSet": [{ "Code": "Ok", "PhoneNumber": "+8613800000000" }] });
        assert_eq!(all_sent(&ok), Ok(()));
        let limited = json!({ "SendStatusSet": [{ "Code": "LimitExceeded.PhoneNumberDailyLimit", "Message": "daily limit" }] });
        assert!(
            matches!(all_sent(&limited), Err(CallError::Provider { code, .. }) if code.starts_with("LimitExceeded"))
        );
        assert!(matches!(all_sent(&json!({})), Err(CallError::Malformed(_))));
        assert!(matches!(
            all_sent(&json!({ "SendStatusSet": [] })),
            Err(CallError::Malformed(_))
        ));
    }

    #[test]
    fn the_phone_goes_only_to_an_https_page() {
        assert!(is_page_address("https://faceid.qq.com/h5?token=x"));
        assert!(is_page_address("http://127.0.0.1:3190/h5/faceid?token=x"));
        for bad in [
            "http://faceid.example.com/h5",
            "javascript:alert(1)",
            "data:text/html,x",
            "//evil.example.com",
            "",
        ] {
            assert!(!is_page_address(bad), "{bad}");
        }
    }

    #[test]
    fn only_err_code_zero_for_the_named_person_passes() {
        let passed =
            json!({ "Text": { "ErrCode": 0, "Name": "王建国", "IdCard": "110105198003150039" } });
        let r = detect_result(&passed).unwrap();
        assert_eq!(r.verdict, FaceVerdict::Pass);
        assert_eq!(
            r.person,
            Some(("王建国".into(), "110105198003150039".into()))
        );
        for text in [
            json!({ "ErrCode": 1001, "Name": "王建国", "IdCard": "110105198003150039" }),
            json!({ "ErrCode": null }),
            json!({}),
        ] {
            let r = detect_result(&json!({ "Text": text })).unwrap();
            assert_eq!(r.verdict, FaceVerdict::Fail, "{text}");
        }
        assert!(matches!(
            detect_result(&json!({ "Text": { "ErrCode": 0 } })),
            Err(CallError::Malformed(_))
        ));
        assert!(matches!(
            detect_result(&json!({ "Text": { "ErrCode": "0" } })),
            Err(CallError::Malformed(_))
        ));
        assert!(matches!(
            detect_result(&json!({})),
            Err(CallError::Malformed(_))
        ));
    }

    #[test]
    fn an_enterprise_matches_only_consistent_and_operating() {
        let answer = |status: i64, result: i64, operating: &str| json!({ "StatusCode": status, "VerifyResult": result, "OperatingStatus": operating });
        assert_eq!(
            enterprise_result(&answer(0, 1, "1")),
            Ok(EnterpriseCheck::Match)
        );
        assert_eq!(
            enterprise_result(&answer(0, 0, "1")),
            Ok(EnterpriseCheck::NoMatch)
        );
        assert_eq!(
            enterprise_result(&answer(0, 1, "3")),
            Ok(EnterpriseCheck::NoMatch)
        );
        assert!(matches!(
            enterprise_result(&answer(1, 0, "")),
            Err(CallError::Provider { .. })
        ));
        assert!(matches!(
            enterprise_result(&json!({ "StatusCode": 0 })),
            Err(CallError::Malformed(_))
        ));
    }
}
