//! The issuer's electronic seal and seal signatures (GB/T 38540-2020, version 4), with SM2
//! and SM3:
//!
//! - the issuer's certificate: the operator's CA-issued one (`PORTAL_ISSUER_CERT_FILE`), or
//!   X.509 v3 with the SM2 public key, signed by the same key (the development issuer is its
//!   own authority);
//! - `SESeal`: the seal's header (`ES`, 4), id, properties (单位印章, its name, the
//!   certificate, dates), its picture — an OFD of the seal as the certificate draws it — and
//!   the maker's signature of all that;
//! - `SES_Signature`: `TBS_Sign` (4, the seal, the time, the SM3 of the signed file, the
//!   file's path), the signer's certificate, SM2-with-SM3, and the signature.
//!
//! [`check`] reads a `SES_Signature` back and verifies its signatures.

use super::der::{self, Element};
use super::layout::{ISSUER, SEAL_NAME};
use super::sign::{self, IssuerKey, SM2_SIGN_OID};

const EC_PUBLIC_KEY_OID: &str = "1.2.840.10045.2.1";
const SM2_CURVE_OID: &str = "1.2.156.10197.1.301";
/// 2024-01-01 00:00:00 UTC and 2049-12-31 23:59:59 UTC: the development certificate's and
/// seal's validity (fixed, so the same key always gives the same certificate).
const VALID_FROM: i64 = 1_704_067_200;
const VALID_TO: i64 = 2_524_607_999;

fn name() -> Vec<u8> {
    let rdn = |oid: &str, value: Vec<u8>| der::set(&[der::seq(&[der::oid(oid), value])]);
    der::seq(&[
        rdn("2.5.4.6", der::tlv(der::PRINTABLE_STRING, b"CN")),
        rdn("2.5.4.10", der::utf8(ISSUER)),
        rdn("2.5.4.3", der::utf8("住建政务服务门户 电子证照签发")),
    ])
}

/// The issuer's certificate for `key` (DER).
pub fn certificate(key: &IssuerKey) -> Vec<u8> {
    let public = key.public_bytes();
    let serial = &sign::sm3(&public)[..8];
    let tbs = der::seq(&[
        der::explicit(0, &der::int(2)),
        der::uint(serial),
        der::seq(&[der::oid(SM2_SIGN_OID)]),
        name(),
        der::seq(&[der::utc_time(VALID_FROM), der::utc_time(VALID_TO)]),
        name(),
        der::seq(&[
            der::seq(&[der::oid(EC_PUBLIC_KEY_OID), der::oid(SM2_CURVE_OID)]),
            der::bits(&public),
        ]),
    ]);
    let signature = key.sign(&tbs);
    der::seq(&[
        tbs,
        der::seq(&[der::oid(SM2_SIGN_OID)]),
        der::bits(&signature),
    ])
}

/// The electronic seal (`SESeal`, DER) with `picture` (an OFD of `width` × `height` mm).
pub fn seal(key: &IssuerKey, cert: &[u8], picture: &[u8], width: u64, height: u64) -> Vec<u8> {
    let id = app::models::ids::hex(&sign::sm3(cert)[..8]).to_uppercase();
    let info = der::seq(&[
        der::seq(&[der::ia5("ES"), der::int(4), der::ia5("ZJZWFW")]),
        der::ia5(&format!("MOHURD-{id}")),
        der::seq(&[
            // 1: 单位印章
            der::int(1),
            der::utf8(SEAL_NAME),
            // 1: the certificates themselves
            der::int(1),
            der::seq(&[der::octets(cert)]),
            der::generalized_time(VALID_FROM),
            der::generalized_time(VALID_FROM),
            der::generalized_time(VALID_TO),
        ]),
        der::seq(&[
            der::ia5("ofd"),
            der::octets(picture),
            der::int(width),
            der::int(height),
        ]),
    ]);
    let signature = key.sign(&info);
    der::seq(&[
        info,
        der::octets(cert),
        der::oid(SM2_SIGN_OID),
        der::bits(&signature),
    ])
}

/// The seal signature (`SES_Signature`, DER) of a file whose SM3 is `data_hash`.
pub fn signature(
    key: &IssuerKey,
    cert: &[u8],
    seal: &[u8],
    time: i64,
    data_hash: &[u8],
    property: &str,
) -> Vec<u8> {
    let tbs = der::seq(&[
        der::int(4),
        seal.to_vec(),
        der::generalized_time(time),
        der::bits(data_hash),
        der::ia5(property),
    ]);
    let signed = key.sign(&tbs);
    der::seq(&[
        tbs,
        der::octets(cert),
        der::oid(SM2_SIGN_OID),
        der::bits(&signed),
    ])
}

/// What a verified seal signature says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The signer's certificate is self-signed by its key (the development issuer).
    pub self_signed: bool,
    /// The signed file's SM3.
    pub data_hash: Vec<u8>,
    /// The signed file's path.
    pub property: String,
    /// The signer's public key (SEC1, hex).
    pub signer: String,
    pub seal_name: String,
    /// The seal's picture (an OFD package).
    pub picture: Vec<u8>,
}

fn parts<'a>(e: &Element<'a>, want: usize) -> Result<Vec<Element<'a>>, String> {
    let parts = der::children(e.content).ok_or("DER 结构无效")?;
    if e.tag != der::SEQUENCE || parts.len() < want {
        return Err("DER 结构不符合 GB/T 38540".into());
    }
    Ok(parts)
}

fn bit_string(e: &Element<'_>) -> Result<Vec<u8>, String> {
    match (e.tag, e.content.split_first()) {
        (der::BIT_STRING, Some((0, rest))) => Ok(rest.to_vec()),
        _ => Err("BIT STRING 无效".into()),
    }
}

/// The SM2 public key (hex) of an X.509 certificate, and whether the certificate is
/// self-signed by that key (the development issuer's is; a CA-issued one is checked against
/// its CA by whoever relies on it).
pub fn certificate_key(cert: &[u8]) -> Result<(String, bool), String> {
    let root = der::read(cert).ok_or("证书无效")?;
    let top = parts(&root, 3)?;
    // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, key.
    let tbs = parts(&top[0], 7)?;
    let spki = parts(&tbs[6], 2)?;
    let public = app::models::ids::hex(&bit_string(&spki[1])?);
    let self_signed =
        tbs[3].whole == tbs[5].whole && sign::verify(&public, top[0].whole, &bit_string(&top[2])?);
    Ok((public, self_signed))
}

/// A certificate file's DER: as is, or from PEM (`-----BEGIN CERTIFICATE-----`).
pub fn certificate_from_file(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(bytes.to_vec());
    };
    if !text.contains("-----BEGIN CERTIFICATE-----") {
        return Ok(bytes.to_vec());
    }
    let body: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE-----"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END CERTIFICATE-----"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .map_err(|_| "证书 PEM 内容无效".to_string())
}

/// Reads a `SES_Signature` and verifies the signer's and the seal maker's signatures with
/// their certificates' keys.
pub fn check(signed_value: &[u8]) -> Result<Checked, String> {
    let root = der::read(signed_value).ok_or("签名值无效")?;
    let top = parts(&root, 4)?;
    let tbs = parts(&top[0], 5)?;
    let (signer, self_signed) = certificate_key(top[1].content)?;
    if !sign::verify(&signer, top[0].whole, &bit_string(&top[3])?) {
        return Err("电子签章签名验证失败".into());
    }
    if tbs[0].tag != der::INTEGER || tbs[0].content != [4] {
        return Err("电子签章版本不是 4".into());
    }
    let seal = parts(&tbs[1], 4)?;
    let (maker, _) = certificate_key(seal[1].content)?;
    if !sign::verify(&maker, seal[0].whole, &bit_string(&seal[3])?) {
        return Err("电子印章签名验证失败".into());
    }
    let info = parts(&seal[0], 4)?;
    let property = parts(&info[2], 7)?;
    let picture = parts(&info[3], 4)?;
    Ok(Checked {
        self_signed,
        data_hash: bit_string(&tbs[3])?,
        property: String::from_utf8_lossy(tbs[4].content).into_owned(),
        signer,
        seal_name: String::from_utf8_lossy(property[1].content).into_owned(),
        picture: picture[1].content.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificates_read_back_from_der_and_pem() {
        use base64::Engine as _;
        let (key, _) = IssuerKey::generate();
        let cert = certificate(&key);
        assert_eq!(certificate_key(&cert).unwrap(), (key.public_hex(), true));
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            base64::engine::general_purpose::STANDARD.encode(&cert)
        );
        assert_eq!(certificate_from_file(pem.as_bytes()).unwrap(), cert);
        assert_eq!(certificate_from_file(&cert).unwrap(), cert);
        assert!(certificate_from_file(b"-----BEGIN CERTIFICATE-----\n!!\n").is_err());
        assert!(certificate_key(b"not a certificate").is_err());
    }

    #[test]
    fn a_seal_signature_verifies_and_tampering_is_caught() {
        let (key, _) = IssuerKey::generate();
        let cert = certificate(&key);
        assert_eq!(cert, certificate(&key), "deterministic");
        let seal = seal(&key, &cert, b"PK-picture", 42, 42);
        let hash = sign::sm3(b"Signature.xml");
        let value = signature(&key, &cert, &seal, 1_796_000_000, &hash, "/Doc_0/x.xml");
        let checked = check(&value).unwrap();
        assert_eq!(checked.data_hash, hash);
        assert_eq!(checked.signer, key.public_hex());
        assert!(checked.self_signed);
        assert_eq!(checked.seal_name, SEAL_NAME);
        assert_eq!(checked.property, "/Doc_0/x.xml");
        assert_eq!(checked.picture, b"PK-picture");
        // Flip one byte inside the signed hash: the signature no longer verifies.
        let at = value.windows(hash.len()).position(|w| w == hash).unwrap();
        let mut bad = value.clone();
        bad[at] ^= 1;
        assert!(check(&bad).is_err());
        // Another key's certificate does not verify this signer's signature.
        let (other, _) = IssuerKey::generate();
        let forged = signature(&other, &cert, &seal, 1_796_000_000, &hash, "/Doc_0/x.xml");
        assert!(check(&forged).is_err());
    }
}
