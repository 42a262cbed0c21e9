//! What the verifier checks of a presented SD-JWT VC (OID4VP 1.0 Appendix B.3; HAIP 1.0;
//! RFC 9901 §7), before it believes a word of it:
//!
//! 1. the issuer-signed JWT: `typ` `dc+sd-jwt`, ES256, its `x5c` chain up to a trusted anchor
//!    ([`x509::verify_chain`]) and the signature by the chain's first certificate; `iss`, `vct`,
//!    `exp`, `cnf.jwk`, and a `status` (a credential without one is refused: it could never be
//!    revoked);
//! 2. every disclosure's digest among the signed `_sd`, each once;
//! 3. the Key Binding JWT: `typ` `kb+jwt`, signed by the `cnf` key, `aud` the verifier's
//!    `client_id`, `nonce` the request's, `iat` neither ahead of now nor older than
//!    [`KB_MAX_AGE`], `sd_hash` the SHA-256 of the presentation before it;
//! 4. the DCQL query: the `vct` asked for, and every claim asked for disclosed (with the value
//!    asked for, where one is).
//!
//! The status list is read by the caller ([`super::repo`]), which has the lists at hand.
//!
//! A refusal is a [`Message`]: the verifier's page shows it in its language, the wallet is
//! told its Chinese.

use crate::credentials::text;
use crate::platform::error::Message;
use crate::platform::lang::Lang;
use crate::platform::sd_jwt::{self, b64, unb64};
use crate::platform::x509;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// A Key Binding JWT older than this is a replay (seconds).
pub const KB_MAX_AGE: i64 = 300;
/// Clock difference allowed between the wallet and the portal (seconds).
pub const CLOCK_SKEW: i64 = 60;

/// What the request said and whom the verifier trusts.
pub struct Expected<'a> {
    pub client_id: &'a str,
    pub nonce: &'a str,
    pub issuer: &'a str,
    pub vct: &'a str,
    pub anchors: &'a [Vec<u8>],
    /// The issuer's own signing certificate (DER): a credential or status list signed under
    /// any other certificate of the same CA is not this portal's.
    pub signer: &'a [u8],
    pub query: &'a Value,
    pub now: i64,
}

/// A presentation that passed: the claims asked for (only those), and its status entry.
#[derive(Debug)]
pub struct Presented {
    pub claims: Map<String, Value>,
    pub status_uri: String,
    pub status_idx: i64,
}

/// The certificates of a JOSE header's `x5c` (standard base64 with padding, RFC 7515 §4.1.6).
pub fn x5c_of(header: &Value) -> Result<Vec<Vec<u8>>, Message> {
    use base64::Engine as _;
    header["x5c"]
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| {
            Message::new(
                "凭证缺少 x5c 证书链",
                "The credential has no certificate chain (x5c)",
            )
        })?
        .iter()
        .map(|c| {
            c.as_str()
                .and_then(|c| base64::engine::general_purpose::STANDARD.decode(c).ok())
                .ok_or_else(|| {
                    Message::new(
                        "x5c 中的证书编码无效",
                        "A certificate in the chain (x5c) is not validly encoded",
                    )
                })
        })
        .collect()
}

/// Verifies a JWT whose header carries an `x5c` chain to one of `anchors`, signed under the
/// certificate `signer` when one is given: its header and payload.
pub fn verify_x5c_jwt(
    jwt: &str,
    anchors: &[Vec<u8>],
    signer: Option<&[u8]>,
    now: i64,
) -> Result<(Value, Value), Message> {
    // `jws_parts` says what is wrong in English; the wallet has always been told it so.
    let (header, _) = sd_jwt::jws_parts(jwt).map_err(|e| {
        let en = format!("The signed data could not be read ({e})");
        Message::new(e, en)
    })?;
    let chain = x5c_of(&header)?;
    let key = x509::verify_chain(&chain, anchors, now)?;
    // The issuer's key, not the certificate's bytes: a renewed certificate of the same key
    // still signs the credentials issued before it.
    if signer.is_some_and(|signer| !x509::same_key(&chain[0], signer)) {
        return Err(Message::new(
            "凭证不是由本门户的签发证书签名的",
            "The credential was not signed with this portal's signing certificate",
        ));
    }
    sd_jwt::verify_es256(jwt, &sd_jwt::jwk_of_point(&key.to_encoded_point(false)))
        .map_err(|_| Message::new("签发者签名无效", "The issuer's signature is not valid"))
}

/// The DCQL claim paths asked for in the query's first credential query, with the values
/// asked for (empty: any value).
pub fn asked_claims(query: &Value) -> Vec<(String, Vec<Value>)> {
    query["credentials"][0]["claims"]
        .as_array()
        .map(|claims| {
            claims
                .iter()
                .filter_map(|c| {
                    let name = c["path"].as_array()?.first()?.as_str()?.to_string();
                    let values = c["values"].as_array().cloned().unwrap_or_default();
                    Some((name, values))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Checks one presentation (`<issuer JWT>~<disclosure>~…~<KB-JWT>`) as the module says.
pub fn presentation(presented: &str, expected: &Expected) -> Result<Presented, Message> {
    let Some((before_kb, kb)) = presented.rsplit_once('~') else {
        return Err(Message::new(
            "出示内容不是 SD-JWT",
            "What the wallet presented is not an SD-JWT",
        ));
    };
    if kb.is_empty() {
        return Err(Message::new(
            "出示缺少持有者绑定(KB-JWT)",
            "The presentation has no key binding (KB-JWT) by the holder",
        ));
    }
    let sd_part = format!("{before_kb}~");
    let mut parts = before_kb.split('~');
    let issuer_jwt = parts.next().unwrap_or_default();
    let disclosures: Vec<&str> = parts.collect();

    // 1. The issuer's signature and chain, and what must be in the clear.
    let (header, payload) = verify_x5c_jwt(
        issuer_jwt,
        expected.anchors,
        Some(expected.signer),
        expected.now,
    )?;
    if header["typ"] != sd_jwt::TYP || header["alg"] != "ES256" {
        return Err(Message::new(
            "凭证的类型或签名算法不符",
            "The credential's type or signature algorithm is wrong",
        ));
    }
    if payload["iss"] != expected.issuer {
        return Err(Message::new(
            "凭证不是本门户签发的",
            "The credential was not issued by this portal",
        ));
    }
    if payload["vct"] != expected.vct {
        return Err(Message::new(
            "凭证类型(vct)与核验请求不符",
            "The credential's type (vct) is not the one asked for",
        ));
    }
    let exp = payload["exp"]
        .as_i64()
        .ok_or_else(|| Message::new("凭证缺少有效期(exp)", "The credential has no expiry (exp)"))?;
    if exp <= expected.now {
        return Err(Message::new("凭证已过期", "The credential has expired"));
    }
    if payload["iat"]
        .as_i64()
        .is_some_and(|iat| iat > expected.now + CLOCK_SKEW)
    {
        return Err(Message::new(
            "凭证的签发时间在未来",
            "The credential's time of issue is in the future",
        ));
    }
    let holder = payload["cnf"]["jwk"].clone();
    if !holder.is_object() {
        return Err(Message::new(
            "凭证未绑定持有者密钥(cnf)",
            "The credential is not bound to the holder's key (cnf)",
        ));
    }
    let status = &payload["status"]["status_list"];
    let (Some(status_idx), Some(status_uri)) = (status["idx"].as_i64(), status["uri"].as_str())
    else {
        return Err(Message::new(
            "凭证没有状态信息,无法确认是否已撤销",
            "The credential has no status, so whether it has been revoked cannot be checked",
        ));
    };
    if payload["_sd_alg"] != "sha-256" {
        return Err(Message::new(
            "凭证的摘要算法不符",
            "The credential's digest algorithm is wrong",
        ));
    }

    // 2. The disclosures, each signed and each once.
    let signed: Vec<&str> = payload["_sd"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    let mut disclosed = Map::new();
    for d in disclosures.iter().filter(|d| !d.is_empty()) {
        let digest = sd_jwt::digest(d);
        if !signed.contains(&digest.as_str()) || !seen.insert(digest) {
            return Err(Message::new(
                "有披露项不在签发者签名的摘要中",
                "A disclosed detail is not among the digests the issuer signed",
            ));
        }
        let value: Value = unb64(d)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| {
                Message::new("披露项无法解析", "A disclosed detail could not be read")
            })?;
        let (Some(name), Some(claim)) = (value[1].as_str(), value.get(2)) else {
            return Err(Message::new(
                "披露项格式不符",
                "A disclosed detail is not in the right format",
            ));
        };
        disclosed.insert(name.to_string(), claim.clone());
    }

    // 3. The holder's key binding to this request.
    let (kb_header, kb_payload) = sd_jwt::verify_es256(kb, &holder).map_err(|_| {
        Message::new(
            "持有者绑定签名无效",
            "The signature of the holder's key binding is not valid",
        )
    })?;
    if kb_header["typ"] != "kb+jwt" || kb_header["alg"] != "ES256" {
        return Err(Message::new(
            "持有者绑定(KB-JWT)的类型或算法不符",
            "The holder's key binding (KB-JWT) has the wrong type or algorithm",
        ));
    }
    if kb_payload["aud"] != expected.client_id {
        return Err(Message::new(
            "持有者绑定的接收方(aud)不是本核验方",
            "The holder's key binding is addressed (aud) to another verifier",
        ));
    }
    if kb_payload["nonce"] != expected.nonce {
        return Err(Message::new(
            "持有者绑定的随机数(nonce)与本次核验请求不符",
            "The holder's key binding's nonce does not match this request",
        ));
    }
    let iat = kb_payload["iat"].as_i64().ok_or_else(|| {
        Message::new(
            "持有者绑定缺少签发时间",
            "The holder's key binding has no time of issue",
        )
    })?;
    if iat > expected.now + CLOCK_SKEW {
        return Err(Message::new(
            "持有者绑定的签发时间在未来",
            "The holder's key binding's time of issue is in the future",
        ));
    }
    if iat < expected.now - KB_MAX_AGE {
        return Err(Message::new(
            "持有者绑定已过时,请重新出示",
            "The holder's key binding is too old: ask the holder to present the certificate again",
        ));
    }
    if kb_payload["sd_hash"] != b64(&Sha256::digest(sd_part.as_bytes())).as_str() {
        return Err(Message::new(
            "持有者绑定的 sd_hash 与出示内容不符",
            "The holder's key binding's sd_hash does not match the presentation",
        ));
    }

    // 4. Everything asked for, and only that kept.
    let mut claims = Map::new();
    for (name, values) in asked_claims(expected.query) {
        let Some(value) = disclosed.get(&name) else {
            return Err(Message::new(
                format!(
                    "缺少所请求的信息:{}",
                    crate::credentials::vc::claim_label(&name)
                ),
                format!(
                    "A detail asked for was not presented: {}",
                    text::claim(Lang::En, &name)
                ),
            ));
        };
        if !values.is_empty() && !values.contains(value) {
            return Err(Message::new(
                format!("{}与请求的不符", crate::credentials::vc::claim_label(&name)),
                format!(
                    "{} is not the value asked for",
                    text::claim(Lang::En, &name)
                ),
            ));
        }
        claims.insert(name, value.clone());
    }
    Ok(Presented {
        claims,
        status_uri: status_uri.to_string(),
        status_idx,
    })
}

/// The status of entry `idx` in a verified status list token's payload: `true` when invalid.
pub fn status_bit(token_payload: &Value, idx: i64) -> Result<bool, Message> {
    use std::io::Read as _;
    let list = &token_payload["status_list"];
    if list["bits"] != 1 {
        return Err(Message::new(
            "状态列表的位宽不符",
            "The status list has the wrong number of bits per entry",
        ));
    }
    let compressed = list["lst"]
        .as_str()
        .and_then(unb64)
        .ok_or_else(|| Message::new("状态列表无效", "The status list is not valid"))?;
    let mut bits = Vec::new();
    flate2::read::ZlibDecoder::new(&compressed[..])
        .take(sd_jwt::STATUS_LIST_SIZE as u64 / 8 + 1)
        .read_to_end(&mut bits)
        .map_err(|_| {
            Message::new(
                "状态列表无法解压",
                "The status list could not be decompressed",
            )
        })?;
    let byte = usize::try_from(idx / 8).map_err(|_| {
        Message::new(
            "状态序号无效",
            "The credential's place in the status list is not valid",
        )
    })?;
    let bit = bits.get(byte).ok_or_else(|| {
        Message::new(
            "状态序号超出列表",
            "The credential's place is outside the status list",
        )
    })?;
    Ok(bit >> (idx % 8) & 1 == 1)
}
