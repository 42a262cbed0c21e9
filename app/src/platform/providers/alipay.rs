//! 支付宝 实人认证 (`PORTAL_FACE_PROVIDER=alipay`), as the Alipay open platform publishes it
//! (API reference <https://opendocs.alipay.com/apis/api_2/alipay.user.certify.open.initialize>,
//! `…/alipay.user.certify.open.certify`, `…/alipay.user.certify.open.query`; signing as the
//! open platform's "自行实现签名 / 自行实现验签" pages describe it), checked against the
//! official SDK `alipay-sdk-python` 3.7.1411 (`DefaultAlipayClient`, `util/SignatureUtils.py`):
//! - `alipay.user.certify.open.initialize` (`outer_order_no`, `biz_code` "FACE",
//!   `identity_param` {`identity_type` "CERT_INFO", `cert_type` "IDENTITY_CARD", `cert_name`,
//!   `cert_no`}, `merchant_config` {`return_url`}) → `certify_id`;
//! - `alipay.user.certify.open.certify` (`certify_id`): a page call, so the portal builds the
//!   signed gateway address the phone opens (GET), as the SDK's `page_execute` does;
//! - `alipay.user.certify.open.query` (`certify_id`) → `passed` "T" / "F".
//!
//! Every request carries the public parameters `app_id`, `method`, `format` JSON, `charset`
//! utf-8, `sign_type` RSA2, `timestamp` (北京时间 `yyyy-MM-dd HH:mm:ss`), `version` 1.0 and
//! `biz_content`, and `sign`: SHA256withRSA (PKCS#1 v1.5) over every other parameter sorted by
//! name as `k=v&…` (raw values, UTF-8), base64. Every answer is `{"<method>_response": {…},
//! "sign": "…"}` (or `error_response`): the response object's text exactly as sent is verified
//! with Alipay's public key, and an answer that does not verify is a failure, whatever it says.
//! `code` "10000" is success; `sub_code` `isv.invalid-signature` is Alipay refusing the
//! portal's signature.

use super::{Call, CallError, ProviderHttp};
use crate::platform::ports::BoxFuture;
use crate::platform::ports::face_provider::{
    FaceProvider, FaceResult, FaceStart, FaceVerdict, Handoff,
};
use base64::Engine;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Alipay's public gateway (`PORTAL_ALIPAY_GATEWAY`).
pub const GATEWAY: &str = "https://openapi.alipay.com/gateway.do";

/// The application's private key: PKCS#8 or PKCS#1, PEM or the bare base64 Alipay's key tool
/// writes.
pub fn private_key(text: &str) -> Result<RsaPrivateKey, String> {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    let text = text.trim();
    if text.starts_with("-----BEGIN PRIVATE KEY") {
        return RsaPrivateKey::from_pkcs8_pem(text).map_err(|e| format!("应用私钥无法读取:{e}"));
    }
    if text.starts_with("-----BEGIN RSA PRIVATE KEY") {
        return RsaPrivateKey::from_pkcs1_pem(text).map_err(|e| format!("应用私钥无法读取:{e}"));
    }
    let der = bare_base64(text).ok_or("应用私钥既不是 PEM 也不是 base64")?;
    RsaPrivateKey::from_pkcs8_der(&der)
        .or_else(|_| RsaPrivateKey::from_pkcs1_der(&der))
        .map_err(|e| format!("应用私钥无法读取:{e}"))
}

/// Alipay's public key: PEM or bare base64 (SubjectPublicKeyInfo), as the console gives it.
pub fn public_key(text: &str) -> Result<RsaPublicKey, String> {
    use rsa::pkcs8::DecodePublicKey;
    let text = text.trim();
    if text.starts_with("-----BEGIN PUBLIC KEY") {
        return RsaPublicKey::from_public_key_pem(text)
            .map_err(|e| format!("支付宝公钥无法读取:{e}"));
    }
    let der = bare_base64(text).ok_or("支付宝公钥既不是 PEM 也不是 base64")?;
    RsaPublicKey::from_public_key_der(&der).map_err(|e| format!("支付宝公钥无法读取:{e}"))
}

fn bare_base64(text: &str) -> Option<Vec<u8>> {
    let joined: String = text.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(joined)
        .ok()
}

/// The text a request's `sign` covers: every parameter but `sign`, sorted, `k=v` joined by `&`.
pub fn sign_content(params: &BTreeMap<&str, String>) -> String {
    params
        .iter()
        .filter(|(k, v)| **k != "sign" && !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// RSA2: SHA256withRSA, base64.
pub fn rsa2_sign(key: &RsaPrivateKey, content: &str) -> String {
    let signature = SigningKey::<Sha256>::new(key.clone()).sign(content.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(signature.to_bytes())
}

/// Whether `sign` is Alipay's RSA2 signature of `content`.
pub fn rsa2_verify(key: &RsaPublicKey, content: &str, sign: &str) -> bool {
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(sign) else {
        return false;
    };
    let Ok(signature) = Signature::try_from(bytes.as_slice()) else {
        return false;
    };
    VerifyingKey::<Sha256>::new(key.clone())
        .verify(content.as_bytes(), &signature)
        .is_ok()
}

/// The response object of `method` in an answer, once its signature is verified; Alipay's own
/// error (`code` other than "10000") as [`CallError::Provider`].
pub fn verified_response(
    alipay_key: &RsaPublicKey,
    method: &str,
    text: &str,
) -> Result<Value, CallError> {
    let nodes: BTreeMap<String, &serde_json::value::RawValue> = serde_json::from_str(text)
        .map_err(|_| CallError::Malformed("not an Alipay answer".into()))?;
    let name = format!("{}_response", method.replace('.', "_"));
    let node = nodes
        .get(&name)
        .or_else(|| nodes.get("error_response"))
        .ok_or_else(|| CallError::Malformed(format!("no {name}")))?;
    let sign = nodes
        .get("sign")
        .and_then(|s| serde_json::from_str::<String>(s.get()).ok())
        .ok_or_else(|| CallError::Malformed("unsigned answer".into()))?;
    if !rsa2_verify(alipay_key, node.get(), &sign) {
        return Err(CallError::Malformed(
            "answer signature does not verify".into(),
        ));
    }
    let response: Value = serde_json::from_str(node.get())
        .map_err(|_| CallError::Malformed("response is not an object".into()))?;
    let text = |k: &str| {
        response
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    match text("code").as_str() {
        "10000" => Ok(response),
        "" => Err(CallError::Malformed("no code".into())),
        code => Err(CallError::Provider {
            code: match text("sub_code") {
                sub if sub.is_empty() => code.to_string(),
                sub => format!("{code} {sub}"),
            },
            message: format!("{} {}", text("msg"), text("sub_msg")),
        }),
    }
}

/// 支付宝 实人认证's client.
#[derive(Clone)]
pub struct AlipayFace {
    pub http: Arc<ProviderHttp>,
    pub clock: Arc<crate::platform::clock::Clock>,
    pub gateway: String,
    pub app_id: String,
    /// Never logged.
    pub private_key: RsaPrivateKey,
    pub alipay_public_key: RsaPublicKey,
}

impl std::fmt::Debug for AlipayFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AlipayFace")
            .field("gateway", &self.gateway)
            .field("app_id", &self.app_id)
            .finish_non_exhaustive()
    }
}

impl AlipayFace {
    /// Every parameter of a call of `method` with `biz_content`, `sign` included.
    pub fn signed_params(
        &self,
        method: &str,
        biz_content: &Value,
    ) -> BTreeMap<&'static str, String> {
        let mut params: BTreeMap<&'static str, String> = BTreeMap::new();
        params.insert("app_id", self.app_id.clone());
        params.insert("method", method.to_string());
        params.insert("format", "JSON".into());
        params.insert("charset", "utf-8".into());
        params.insert("sign_type", "RSA2".into());
        params.insert(
            "timestamp",
            crate::domain::time::format_beijing_second(self.clock.now()),
        );
        params.insert("version", "1.0".into());
        params.insert("biz_content", biz_content.to_string());
        let sign = rsa2_sign(&self.private_key, &sign_content(&params));
        params.insert("sign", sign);
        params
    }

    fn form(params: &BTreeMap<&'static str, String>) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params.iter())
            .finish()
    }

    async fn execute(
        &self,
        method: &'static str,
        biz_content: Value,
        idempotent: bool,
    ) -> Result<Value, CallError> {
        let body = Self::form(&self.signed_params(method, &biz_content));
        let headers = [(
            "Content-Type",
            "application/x-www-form-urlencoded;charset=utf-8".to_string(),
        )];
        let call = Call {
            provider: "alipay",
            action: method,
            url: &self.gateway,
            idempotent,
        };
        self.http
            .post(
                &call,
                &headers,
                body,
                |status, text| match verified_response(&self.alipay_public_key, method, text) {
                    Ok(_) if !status.is_success() => {
                        Err(CallError::Malformed(format!("HTTP {status}")))
                    }
                    other => other,
                },
            )
            .await
    }
}

impl FaceProvider for AlipayFace {
    fn name(&self) -> &'static str {
        "alipay"
    }

    fn start<'a>(&'a self, start: FaceStart<'a>) -> BoxFuture<'a, Result<Handoff, String>> {
        Box::pin(async move {
            let biz = json!({
                "outer_order_no": start.order_no,
                "biz_code": "FACE",
                "identity_param": {
                    "identity_type": "CERT_INFO",
                    "cert_type": "IDENTITY_CARD",
                    "cert_name": start.name,
                    "cert_no": start.id_number.number(),
                },
                "merchant_config": { "return_url": start.return_url },
            });
            let outcome = self
                .execute("alipay.user.certify.open.initialize", biz, false)
                .await
                .and_then(|r| {
                    r.get("certify_id")
                        .and_then(Value::as_str)
                        .filter(|c| !c.is_empty())
                        .map(str::to_string)
                        .ok_or_else(|| CallError::Malformed("no certify_id".into()))
                })
                .map(|certify_id| {
                    let params = self.signed_params(
                        "alipay.user.certify.open.certify",
                        &json!({ "certify_id": certify_id }),
                    );
                    Handoff {
                        url: format!("{}?{}", self.gateway, Self::form(&params)),
                        reference: certify_id,
                    }
                });
            outcome.map_err(|e| e.message("支付宝实人认证服务"))
        })
    }

    fn result<'a>(&'a self, reference: &'a str) -> BoxFuture<'a, Result<FaceResult, String>> {
        Box::pin(async move {
            self.execute(
                "alipay.user.certify.open.query",
                json!({ "certify_id": reference }),
                true,
            )
            .await
            .and_then(|r| match r.get("passed").and_then(Value::as_str) {
                Some("T") => Ok(FaceVerdict::Pass),
                Some("F") => Ok(FaceVerdict::Fail),
                other => Err(CallError::Malformed(format!("passed {other:?}"))),
            })
            .map(|verdict| FaceResult {
                verdict,
                person: None,
            })
            .map_err(|e| e.message("支付宝实人认证服务"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A test key of the portal's own (generated for these tests, used nowhere else), in the
    /// bare PKCS#1 base64 Alipay's key tool writes for non-Java languages.
    pub const TEST_PRIVATE_KEY: &str =
        include_str!("../../../../scripts/provider-sim/keys/app_private_key.txt");
    pub const TEST_PUBLIC_KEY: &str =
        include_str!("../../../../scripts/provider-sim/keys/app_public_key.txt");

    /// The same content signed by Alipay's official Python SDK
    /// (`alipay.aop.api.util.SignatureUtils.sign_with_rsa2`, alipay-sdk-python 3.7.1411).
    #[test]
    fn signs_as_the_official_sdk_does() {
        let key = private_key(TEST_PRIVATE_KEY).unwrap();
        let mut params = BTreeMap::new();
        params.insert("app_id", "2021000000000001".to_string());
        params.insert("method", "alipay.user.certify.open.query".to_string());
        params.insert("format", "JSON".to_string());
        params.insert("charset", "utf-8".to_string());
        params.insert("sign_type", "RSA2".to_string());
        params.insert("timestamp", "2026-12-03 20:15:00".to_string());
        params.insert("version", "1.0".to_string());
        params.insert(
            "biz_content",
            r#"{"certify_id":"ZM202612030000000001"}"#.to_string(),
        );
        let content = sign_content(&params);
        assert_eq!(
            content,
            r#"app_id=2021000000000001&biz_content={"certify_id":"ZM202612030000000001"}&charset=utf-8&format=JSON&method=alipay.user.certify.open.query&sign_type=RSA2&timestamp=2026-12-03 20:15:00&version=1.0"#
        );
        assert_eq!(
            rsa2_sign(&key, &content),
            include_str!("../../../../scripts/provider-sim/keys/sdk_signature.txt").trim()
        );
        let public = public_key(TEST_PUBLIC_KEY).unwrap();
        assert!(rsa2_verify(&public, &content, &rsa2_sign(&key, &content)));
        assert!(!rsa2_verify(
            &public,
            &format!("{content}x"),
            &rsa2_sign(&key, &content)
        ));
    }

    #[test]
    fn only_a_verified_answer_is_read() {
        let key = private_key(TEST_PRIVATE_KEY).unwrap();
        let public = public_key(TEST_PUBLIC_KEY).unwrap();
        let node = r#"{"code":"10000","msg":"Success","passed":"T"}"#;
        let method = "alipay.user.certify.open.query";
        let answer = |node: &str, sign: &str| {
            format!(r#"{{"alipay_user_certify_open_query_response":{node},"sign":"{sign}"}}"#)
        };
        let good = answer(node, &rsa2_sign(&key, node));
        assert_eq!(
            verified_response(&public, method, &good).unwrap()["passed"],
            "T"
        );
        // The same words with another verdict, under the first answer's signature.
        let forged = answer(
            r#"{"code":"10000","msg":"Success","passed":"F"}"#,
            &rsa2_sign(&key, node),
        );
        assert!(matches!(
            verified_response(&public, method, &forged),
            Err(CallError::Malformed(_))
        ));
        let unsigned = format!(r#"{{"alipay_user_certify_open_query_response":{node}}}"#);
        assert!(matches!(
            verified_response(&public, method, &unsigned),
            Err(CallError::Malformed(_))
        ));
        let refused = r#"{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature","sub_msg":"验签出错"}"#;
        let error = format!(
            r#"{{"error_response":{refused},"sign":"{}"}}"#,
            rsa2_sign(&key, refused)
        );
        assert!(matches!(
            verified_response(&public, method, &error),
            Err(CallError::Provider { code, .. }) if code == "40002 isv.invalid-signature"
        ));
    }

    #[test]
    fn keys_are_read_in_the_forms_alipay_gives_them() {
        let key = private_key(TEST_PRIVATE_KEY).unwrap();
        use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
        let pem = key.to_pkcs8_pem(LineEnding::LF).unwrap();
        assert!(private_key(&pem).is_ok());
        let public = RsaPublicKey::from(&key);
        let pem = public.to_public_key_pem(LineEnding::LF).unwrap();
        assert_eq!(public_key(&pem).unwrap(), public);
        assert!(private_key("not a key").is_err());
        assert!(public_key("bm90IGEga2V5").is_err());
    }
}
