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
pub fn x5c_of(header: &Value) -> Result<Vec<Vec<u8>>, String> {
    use base64::Engine as _;
    header["x5c"]
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or("凭证缺少 x5c 证书链")?
        .iter()
        .map(|c| {
            c.as_str()
                .and_then(|c| base64::engine::general_purpose::STANDARD.decode(c).ok())
                .ok_or_else(|| "x5c 中的证书编码无效".to_string())
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
) -> Result<(Value, Value), String> {
    let (header, _) = sd_jwt::jws_parts(jwt)?;
    let chain = x5c_of(&header)?;
    let key = x509::verify_chain(&chain, anchors, now)?;
    // The issuer's key, not the certificate's bytes: a renewed certificate of the same key
    // still signs the credentials issued before it.
    if signer.is_some_and(|signer| !x509::same_key(&chain[0], signer)) {
        return Err("凭证不是由本门户的签发证书签名的".into());
    }
    sd_jwt::verify_es256(jwt, &sd_jwt::jwk_of_point(&key.to_encoded_point(false)))
        .map_err(|_| "签发者签名无效".to_string())
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
pub fn presentation(presented: &str, expected: &Expected) -> Result<Presented, String> {
    let Some((before_kb, kb)) = presented.rsplit_once('~') else {
        return Err("出示内容不是 SD-JWT".into());
    };
    if kb.is_empty() {
        return Err("出示缺少持有者绑定(KB-JWT)".into());
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
        return Err("凭证的类型或签名算法不符".into());
    }
    if payload["iss"] != expected.issuer {
        return Err("凭证不是本门户签发的".into());
    }
    if payload["vct"] != expected.vct {
        return Err("凭证类型(vct)与核验请求不符".into());
    }
    let exp = payload["exp"].as_i64().ok_or("凭证缺少有效期(exp)")?;
    if exp <= expected.now {
        return Err("凭证已过期".into());
    }
    if payload["iat"]
        .as_i64()
        .is_some_and(|iat| iat > expected.now + CLOCK_SKEW)
    {
        return Err("凭证的签发时间在未来".into());
    }
    let holder = payload["cnf"]["jwk"].clone();
    if !holder.is_object() {
        return Err("凭证未绑定持有者密钥(cnf)".into());
    }
    let status = &payload["status"]["status_list"];
    let (Some(status_idx), Some(status_uri)) = (status["idx"].as_i64(), status["uri"].as_str())
    else {
        return Err("凭证没有状态信息,无法确认是否已撤销".into());
    };
    if payload["_sd_alg"] != "sha-256" {
        return Err("凭证的摘要算法不符".into());
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
            return Err("有披露项不在签发者签名的摘要中".into());
        }
        let value: Value = unb64(d)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or("披露项无法解析")?;
        let (Some(name), Some(claim)) = (value[1].as_str(), value.get(2)) else {
            return Err("披露项格式不符".into());
        };
        disclosed.insert(name.to_string(), claim.clone());
    }

    // 3. The holder's key binding to this request.
    let (kb_header, kb_payload) =
        sd_jwt::verify_es256(kb, &holder).map_err(|_| "持有者绑定签名无效".to_string())?;
    if kb_header["typ"] != "kb+jwt" || kb_header["alg"] != "ES256" {
        return Err("持有者绑定(KB-JWT)的类型或算法不符".into());
    }
    if kb_payload["aud"] != expected.client_id {
        return Err("持有者绑定的接收方(aud)不是本核验方".into());
    }
    if kb_payload["nonce"] != expected.nonce {
        return Err("持有者绑定的随机数(nonce)与本次核验请求不符".into());
    }
    let iat = kb_payload["iat"].as_i64().ok_or("持有者绑定缺少签发时间")?;
    if iat > expected.now + CLOCK_SKEW {
        return Err("持有者绑定的签发时间在未来".into());
    }
    if iat < expected.now - KB_MAX_AGE {
        return Err("持有者绑定已过时,请重新出示".into());
    }
    if kb_payload["sd_hash"] != b64(&Sha256::digest(sd_part.as_bytes())).as_str() {
        return Err("持有者绑定的 sd_hash 与出示内容不符".into());
    }

    // 4. Everything asked for, and only that kept.
    let mut claims = Map::new();
    for (name, values) in asked_claims(expected.query) {
        let Some(value) = disclosed.get(&name) else {
            return Err(format!(
                "缺少所请求的信息:{}",
                crate::credentials::vc::claim_label(&name)
            ));
        };
        if !values.is_empty() && !values.contains(value) {
            return Err(format!(
                "{}与请求的不符",
                crate::credentials::vc::claim_label(&name)
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
pub fn status_bit(token_payload: &Value, idx: i64) -> Result<bool, String> {
    use std::io::Read as _;
    let list = &token_payload["status_list"];
    if list["bits"] != 1 {
        return Err("状态列表的位宽不符".into());
    }
    let compressed = list["lst"].as_str().and_then(unb64).ok_or("状态列表无效")?;
    let mut bits = Vec::new();
    flate2::read::ZlibDecoder::new(&compressed[..])
        .take(sd_jwt::STATUS_LIST_SIZE as u64 / 8 + 1)
        .read_to_end(&mut bits)
        .map_err(|_| "状态列表无法解压".to_string())?;
    let byte = usize::try_from(idx / 8).map_err(|_| "状态序号无效".to_string())?;
    let bit = bits.get(byte).ok_or("状态序号超出列表")?;
    Ok(bit >> (idx % 8) & 1 == 1)
}
