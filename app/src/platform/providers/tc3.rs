//! Tencent Cloud API 3.0 request signing, `TC3-HMAC-SHA256`, as published in "签名方法 v3"
//! (<https://cloud.tencent.com/document/api/1021/34193>, also
//! <https://www.tencentcloud.com/document/api/1021/34193>): one signer for every Tencent Cloud
//! service the portal calls (FaceId `DetectAuth`/`GetDetectInfoEnhanced`/`IdCardVerification`,
//! SMS `SendSms`).
//!
//! 1. Canonical request: `POST\n/\n\ncontent-type:<ct>\nhost:<host>\n\ncontent-type;host\n`
//!    + hex SHA-256 of the JSON body.
//! 2. String to sign: `TC3-HMAC-SHA256\n<timestamp>\n<date>/<service>/tc3_request\n` + hex
//!    SHA-256 of the canonical request, `date` the UTC date of the timestamp.
//! 3. Key: HMAC-SHA256 chained over `"TC3" + SecretKey` → date → service → `tc3_request`;
//!    signature = hex HMAC of the string to sign.
//! 4. `Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<scope>, SignedHeaders=…,
//!    Signature=…`, sent with `X-TC-Action`, `X-TC-Version`, `X-TC-Timestamp` (and
//!    `X-TC-Region` where the action needs one).
//!
//! The unit test reproduces the worked example of that document (CVM `DescribeInstances`,
//! timestamp 1551113065) digit for digit, as the official SDKs' own tests do.

use super::hmac_sha256 as hmac;
use crate::platform::ids::{hex, sha256_hex};

/// The content type the portal sends (and signs).
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// What one request is signed over.
pub struct Tc3Request<'a> {
    /// e.g. `faceid`, `sms` (the host's first label).
    pub service: &'a str,
    /// e.g. `faceid.tencentcloudapi.com` (with `:port` when the endpoint names one).
    pub host: &'a str,
    pub payload: &'a str,
    /// Unix seconds, sent as `X-TC-Timestamp`.
    pub timestamp: i64,
}

/// The UTC date (`YYYY-MM-DD`) of a Unix timestamp, as the credential scope names it.
pub fn utc_date(timestamp: i64) -> String {
    let (y, m, d) = crate::domain::time::civil_from_days(timestamp.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The canonical request of a JSON POST to `/`.
pub fn canonical_request(request: &Tc3Request<'_>) -> String {
    format!(
        "POST\n/\n\ncontent-type:{CONTENT_TYPE}\nhost:{}\n\ncontent-type;host\n{}",
        request.host.to_ascii_lowercase(),
        sha256_hex(request.payload)
    )
}

/// The string to sign.
pub fn string_to_sign(request: &Tc3Request<'_>) -> String {
    format!(
        "{ALGORITHM}\n{}\n{}/{}/tc3_request\n{}",
        request.timestamp,
        utc_date(request.timestamp),
        request.service,
        sha256_hex(&canonical_request(request))
    )
}

/// The hex signature.
pub fn signature(secret_key: &str, request: &Tc3Request<'_>) -> String {
    let date = hmac(
        format!("TC3{secret_key}").as_bytes(),
        &utc_date(request.timestamp),
    );
    let service = hmac(&date, request.service);
    let signing = hmac(&service, "tc3_request");
    hex(&hmac(&signing, &string_to_sign(request)))
}

/// The `Authorization` header.
pub fn authorization(secret_id: &str, secret_key: &str, request: &Tc3Request<'_>) -> String {
    format!(
        "{ALGORITHM} Credential={secret_id}/{}/{}/tc3_request, SignedHeaders=content-type;host, Signature={}",
        utc_date(request.timestamp),
        request.service,
        signature(secret_key, request)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of "签名方法 v3": the document's (masked) SecretId and SecretKey are
    /// literal strings there, and its intermediate values are given.
    #[test]
    fn the_documents_worked_example_signs_digit_for_digit() {
        let request = Tc3Request {
            service: "cvm",
            host: "cvm.tencentcloudapi.com",
            payload: r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#,
            timestamp: 1_551_113_065,
        };
        assert_eq!(utc_date(request.timestamp), "2019-02-25");
        assert_eq!(
            canonical_request(&request),
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            string_to_sign(&request),
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            authorization(
                "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
                "Gu5t9xGARNpq86cd98joQYCN3*******",
                &request
            ),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
        );
    }
}
