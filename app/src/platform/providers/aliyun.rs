//! 阿里云短信 `SendSms` (Dysmsapi, API version 2017-05-25,
//! <https://help.aliyun.com/zh/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms>), signed
//! with Alibaba Cloud's signature V3 `ACS3-HMAC-SHA256`
//! (<https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature>):
//!
//! 1. The RPC-style call is `POST /` with its parameters in the query string (`PhoneNumbers`,
//!    `SignName`, `TemplateCode`, `TemplateParam` as JSON) and an empty body.
//! 2. Canonical request: method, `/`, the query sorted by name with RFC 3986 encoded values,
//!    the signed headers (`host` and every `x-acs-*`, lower case, sorted) as `name:value\n`,
//!    their names joined by `;`, and the hex SHA-256 of the body (`x-acs-content-sha256`).
//! 3. String to sign: `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request; signature:
//!    hex HMAC-SHA256 with the AccessKey secret.
//! 4. `Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=…,Signature=…`.
//!
//! The answer is `{"Code": "OK", "Message", "BizId", "RequestId"}`; any other `Code`
//! (`isv.BUSINESS_LIMIT_CONTROL`, `SignatureDoesNotMatch` …) is a failure. The unit test signs the
//! request Alibaba Cloud's official Python SDK (`alibabacloud-tea-openapi` 0.4.6,
//! `Utils.get_authorization`) signs to the same value.

use super::{Call, CallError, ProviderHttp, host_of};
use crate::domain::Phone;
use crate::platform::ids::{hex, sha256_hex};
use crate::platform::lang::Lang;
use crate::platform::ports::BoxFuture;
use crate::platform::ports::sms::{SmsGateway, SmsMessage};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The public endpoint (`PORTAL_SMS_ENDPOINT` with `PORTAL_SMS_PROVIDER=aliyun`).
pub const SMS_ENDPOINT: &str = "https://dysmsapi.aliyuncs.com";
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// RFC 3986 percent-encoding: everything but `A–Z a–z 0–9 - _ . ~`.
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The query string, sorted by name, values encoded.
pub fn canonical_query(params: &[(&str, String)]) -> String {
    let mut sorted: Vec<_> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    sorted
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The `Authorization` header of a `POST /` with `params` and `headers` (lower-case names,
/// every one signed) and `body`.
pub fn authorization(
    access_key_id: &str,
    secret: &str,
    params: &[(&str, String)],
    headers: &[(&str, String)],
    body: &[u8],
) -> String {
    let mut signed: Vec<_> = headers.iter().collect();
    signed.sort_by(|a, b| a.0.cmp(b.0));
    let canonical_headers: String = signed
        .iter()
        .map(|(k, v)| format!("{k}:{}\n", v.trim()))
        .collect();
    let names = signed.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(";");
    let canonical_request = format!(
        "POST\n/\n{}\n{canonical_headers}\n{names}\n{}",
        canonical_query(params),
        hex(&Sha256::digest(body))
    );
    let string_to_sign = format!("{ALGORITHM}\n{}", sha256_hex(&canonical_request));
    format!(
        "{ALGORITHM} Credential={access_key_id},SignedHeaders={names},Signature={}",
        hex(&super::hmac_sha256(secret.as_bytes(), &string_to_sign))
    )
}

/// `x-acs-date`: the UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn acs_date(unix: i64) -> String {
    let (y, m, d) = crate::domain::time::civil_from_days(unix.div_euclid(86_400));
    let s = unix.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// 短信 by 阿里云短信 `SendSms`: codes by one template (`PORTAL_SMS_TEMPLATE_ID`, e.g.
/// `SMS_123456789`) whose variables are `${code}` and `${minutes}`, notices by another
/// (`PORTAL_SMS_NOTICE_TEMPLATE_ID`) whose variables are `${matter}` and `${result}`.
#[derive(Clone)]
pub struct AliyunSms {
    pub http: Arc<ProviderHttp>,
    pub endpoint: String,
    pub access_key_id: String,
    /// Never logged.
    pub secret: String,
    pub sign_name: String,
    pub template_code: String,
    /// The approved English code template, or "" (English pages' codes then go by
    /// `template_code`).
    pub template_code_en: String,
    pub notice_template_code: String,
    pub clock: Arc<crate::platform::clock::Clock>,
}

impl std::fmt::Debug for AliyunSms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AliyunSms")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

/// Whether an answer is `Code` "OK".
fn sent(answer: &Value) -> Result<(), CallError> {
    match answer.get("Code").and_then(Value::as_str) {
        Some("OK") => Ok(()),
        Some(code) => Err(CallError::Provider {
            code: code.to_string(),
            message: answer
                .get("Message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        }),
        None => Err(CallError::Malformed("no Code".into())),
    }
}

impl SmsGateway for AliyunSms {
    fn send<'a>(
        &'a self,
        phone: &'a Phone,
        message: &'a SmsMessage<'a>,
    ) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let outcome = async {
                let host = host_of(&self.endpoint).map_err(CallError::Unavailable)?;
                let params = [
                    ("PhoneNumbers", phone.as_str().to_string()),
                    ("SignName", self.sign_name.clone()),
                    (
                        "TemplateCode",
                        match message.notice {
                            Some(_) => self.notice_template_code.clone(),
                            None if message.lang == Lang::En
                                && !self.template_code_en.is_empty() =>
                            {
                                self.template_code_en.clone()
                            }
                            None => self.template_code.clone(),
                        },
                    ),
                    (
                        "TemplateParam",
                        match message.notice {
                            Some(n) => json!({ "matter": n.matter, "result": n.result }),
                            None => json!({
                                "code": message.code,
                                "minutes": message.minutes.to_string()
                            }),
                        }
                        .to_string(),
                    ),
                ];
                let headers = [
                    ("host", host),
                    ("x-acs-action", "SendSms".to_string()),
                    ("x-acs-content-sha256", sha256_hex("")),
                    ("x-acs-date", acs_date(self.clock.now())),
                    (
                        "x-acs-signature-nonce",
                        crate::platform::ids::random_hex::<16>(),
                    ),
                    ("x-acs-version", "2017-05-25".to_string()),
                ];
                let auth = authorization(&self.access_key_id, &self.secret, &params, &headers, b"");
                let mut sent_headers: Vec<(&str, String)> = headers.to_vec();
                sent_headers.push(("authorization", auth));
                let url = format!(
                    "{}/?{}",
                    self.endpoint.trim_end_matches('/'),
                    canonical_query(&params)
                );
                let call = Call {
                    provider: "aliyun-sms",
                    action: "SendSms",
                    url: &url,
                    idempotent: false,
                };
                self.http
                    .post_json(&call, &sent_headers, String::new(), sent)
                    .await
                    .map(|_| ())
            }
            .await;
            outcome.map_err(|e| e.message("短信服务"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same request signed by Alibaba Cloud's official Python SDK
    /// (`alibabacloud_tea_openapi.utils.Utils.get_authorization`, version 0.4.6).
    #[test]
    fn signs_as_the_official_sdk_does() {
        let params = [
            ("PhoneNumbers", "13800000000".to_string()),
            ("SignName", "住建部政务服务".to_string()),
            ("TemplateCode", "SMS_100001".to_string()),
            (
                "TemplateParam",
                r#"{"code":"123456","minutes":"5"}"#.to_string(),
            ),
        ];
        let headers = [
            ("host", "dysmsapi.aliyuncs.com".to_string()),
            ("x-acs-action", "SendSms".to_string()),
            ("x-acs-version", "2017-05-25".to_string()),
            ("x-acs-date", "2026-12-03T08:00:00Z".to_string()),
            (
                "x-acs-signature-nonce",
                "3156853299f313e23d1673dc12e1703d".to_string(),
            ),
            ("x-acs-content-sha256", sha256_hex("")),
        ];
        assert_eq!(
            authorization("LTAI-test-key", "test-secret", &params, &headers, b""),
            "ACS3-HMAC-SHA256 Credential=LTAI-test-key,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=923973c5465765d2f6770b98668435d3abb8df27653a1fe6b2d1e3dbe9e76214"
        );
        assert_eq!(acs_date(1_796_284_800), "2026-12-03T08:00:00Z");
        assert_eq!(encode("a b*~/"), "a%20b%2A~%2F");
    }

    #[test]
    fn only_code_ok_is_sent() {
        assert_eq!(sent(&json!({ "Code": "OK", "BizId": "1" })), Ok(()));
        assert!(matches!(
            sent(&json!({ "Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发号码天级流控" })),
            Err(CallError::Provider { code, .. }) if code == "isv.BUSINESS_LIMIT_CONTROL"
        ));
        assert!(matches!(sent(&json!({})), Err(CallError::Malformed(_))));
    }
}
